/**
 * The files of dist/ the services check reads (the values files of each chart service), as synth
 * renders them for a fleet (app/render.ts), and a copy of the parts of this repository the
 * services' sources name.
 */
import { cpSync, mkdirSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderFleet } from '../../app/render';
import { Fleet } from '../../config/fleet';
import { projectRoot } from './fixtures';

/** Every file synth renders for the fleet, by path relative to dist/. */
export function serviceDist(fleet: Fleet): Map<string, string> {
  return renderFleet(fleet);
}

/**
 * A copy of the parts of this repository the services' sources name, in a folder of its own (so a
 * test can plant a chart there): the vendored podinfo chart at vendor/charts/podinfo-6.14.1.tgz and
 * test/fixtures/services/.
 */
export function serviceRepository(): string {
  const root = mkdtempSync(join(tmpdir(), 'fleet-services-'));
  mkdirSync(join(root, 'vendor', 'charts'), { recursive: true });
  cpSync(join(projectRoot, 'vendor', 'charts', 'podinfo-6.14.1.tgz'), join(root, 'vendor', 'charts', 'podinfo-6.14.1.tgz'));
  cpSync(join(projectRoot, 'test', 'fixtures', 'services'), join(root, 'test', 'fixtures', 'services'), { recursive: true });
  return root;
}
