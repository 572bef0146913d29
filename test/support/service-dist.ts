/**
 * The files of dist/ the services check reads (the values files of each chart service), built
 * from a fleet as the generator lays them out (dist/apps/<app>/values.yaml, and
 * dist/apps/<app>/values/<cluster>.yaml for every placement, `{}` when empty, with the role ARN at
 * aws.irsaAnnotationsValue on an IRSA cluster). It stands in for the generator's render of
 * services, which synth does not do yet on this branch: once it does, point `serviceDist` at
 * renderFleet(fleet) and keep the tests.
 */
import { cpSync, mkdirSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Fleet, isService } from '../../config/fleet';
import { fileText } from '../../output/file-content';
import { serviceValuesFiles } from '../../verify/service-renders';
import { projectRoot } from './fixtures';

type Values = Record<string, unknown>;

/** `values` with `value` set at the dotted `path` (objects created on the way). */
function setAt(values: Values, path: string, value: unknown): Values {
  const [key, ...rest] = path.split('.');
  const inner = (typeof values[key] === 'object' && values[key] !== null ? values[key] : {}) as Values;
  return { ...values, [key]: rest.length ? setAt(inner, rest.join('.'), value) : { ...(inner as Values), ...(value as Values) } };
}

/** The values files of every chart service of the fleet, by path relative to dist/. */
export function serviceDist(fleet: Fleet): Map<string, string> {
  const files = new Map<string, string>();
  const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
  for (const app of fleet.apps.filter(isService)) {
    if (app.source.type !== 'chart') continue;
    const shared = serviceValuesFiles.shared(app.name);
    files.set(shared, fileText({ path: shared, values: app.values as Values }));
    for (const { cluster: name } of app.placements) {
      const cluster = clusters.get(name);
      let values = (app.clusterValues[name] ?? {}) as Values;
      if (cluster?.identity === 'irsa' && app.aws?.irsaAnnotationsValue) {
        values = setAt(values, app.aws.irsaAnnotationsValue, { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${cluster.accountId}:role/${name}-${app.name}` });
      }
      const path = serviceValuesFiles.cluster(app.name, name);
      files.set(path, fileText({ path, values }));
    }
  }
  return files;
}

/**
 * A copy of the parts of this repository the services' sources name, in a folder of its own: the
 * podinfo chart at vendor/charts/podinfo-6.14.1.tgz (copied from test/fixtures/charts/, where this
 * branch keeps it until the repository vendors it there) and test/fixtures/services/.
 */
export function serviceRepository(): string {
  const root = mkdtempSync(join(tmpdir(), 'fleet-services-'));
  mkdirSync(join(root, 'vendor', 'charts'), { recursive: true });
  cpSync(join(projectRoot, 'test', 'fixtures', 'charts', 'podinfo-6.14.1.tgz'), join(root, 'vendor', 'charts', 'podinfo-6.14.1.tgz'));
  cpSync(join(projectRoot, 'test', 'fixtures', 'services'), join(root, 'test', 'fixtures', 'services'), { recursive: true });
  return root;
}
