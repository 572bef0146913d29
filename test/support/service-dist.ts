/**
 * The files of dist/ the services check reads (the values files of each chart service), as synth
 * renders them for a fleet (app/render.ts), and a copy of the parts of this repository the
 * services' sources name.
 */
import { execFileSync } from 'child_process';
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

/** The tag serviceRepository() gives its one commit: the revision the tests' git services pin. */
export const serviceRevision = 'v1.2.3';

/** Runs git in a test repository, with an identity of its own and no signing. */
export function testGit(repository: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repository, '-c', 'user.name=Fleet Tests', '-c', 'user.email=tests@example.com', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8').trim();
}

/**
 * A copy of the parts of this repository the services' sources name, in a git repository of its
 * own (so a test can plant a chart there): the vendored podinfo chart at
 * vendor/charts/podinfo-6.14.1.tgz and test/fixtures/services/, committed once and tagged
 * serviceRevision (git services are read at their revision).
 */
export function serviceRepository(): string {
  const root = mkdtempSync(join(tmpdir(), 'fleet-services-'));
  mkdirSync(join(root, 'vendor', 'charts'), { recursive: true });
  cpSync(join(projectRoot, 'vendor', 'charts', 'podinfo-6.14.1.tgz'), join(root, 'vendor', 'charts', 'podinfo-6.14.1.tgz'));
  cpSync(join(projectRoot, 'test', 'fixtures', 'services'), join(root, 'test', 'fixtures', 'services'), { recursive: true });
  testGit(root, 'init', '--quiet', '--initial-branch=main');
  testGit(root, 'add', '--all');
  testGit(root, 'commit', '--quiet', '--message', 'The services');
  testGit(root, 'tag', serviceRevision);
  return root;
}
