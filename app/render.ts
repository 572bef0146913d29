import { App } from 'cdk8s';
import { appClusterPath, appSharedPath, distLayout } from '../catalog/dist-layout';
import { fileContents } from '../charts/file-contents';
import { FleetControlCharts, AppCharts, AppInputs, appInputs } from '../charts/fleet';
import { Fleet } from '../config/fleet';
import { FileContent, fileText } from '../output/file-content';
import { byPath } from '../output/write-dist';
import { appFingerprint } from './fingerprint';
import { withWavePins } from '../rollout/pins';
import { addonCatalog, addonKeys } from '../catalog/addons';
import { TestAppChart } from '../charts/test-app';
import { ServiceAppChart } from '../charts/service-app';
import { addonValues } from '../values/addons';
import { ObjectLimitError, objectLimitProblems } from '../verify/limits';

/**
 * Renders a fleet to the text of every file of dist/, sorted by path, without touching the disk:
 * the Argo CD, add-on and Terraform files and those of `apps` (every test app unless told).
 */
export function renderFleet(fleet: Fleet, apps: readonly AppInputs[] = appInputs(fleet)): Map<string, string> {
  const files = new Map<string, string>();
  buildFleetInSlices(fleet, (contents) => {
    for (const content of contents) {
      if (files.has(content.path)) throw new Error(`two charts render ${content.path}`);
      files.set(content.path, fileText(content));
    }
  }, apps);
  return new Map([...files].sort(([a], [b]) => byPath(a, b)));
}

/**
 * The renders of two fleets by this code, for comparing them: every file, but those of the test
 * apps both fleets render alike (equal fingerprints), which would be the same text on both
 * sides, so neither side renders them.
 */
export function renderForComparison(before: Fleet, after: Fleet): [Map<string, string>, Map<string, string>] {
  const fingerprint = appFingerprint('');
  const [beforeApps, afterApps] = [appInputs(before), appInputs(after)];
  const beforeFingerprints = new Map(beforeApps.map((inputs) => [inputs.app.name, fingerprint(inputs)]));
  const alike = new Set(afterApps.filter((inputs) => beforeFingerprints.get(inputs.app.name) === fingerprint(inputs)).map(({ app }) => app.name));
  const differs = ({ app }: AppInputs) => !alike.has(app.name);
  return [renderFleet(before, beforeApps.filter(differs)), renderFleet(after, afterApps.filter(differs))];
}

/**
 * The fleet with its later waves' pins read (rollout/pins.ts) and each pin's copies set: the shared
 * files whose text the wave holds differs from the one rendered now (charts/waves.ts).
 */
export function withWaveCopies(fleet: Fleet, repoRoot?: string): Fleet {
  const pinned = withWavePins(fleet, repoRoot);
  const pins = [...pinned.wavePins?.values() ?? []];
  if (pins.every((pin) => pin.copies)) return pinned;
  const current = currentSharedTexts(pinned, new Set(pins.flatMap((pin) => [...pin.heldTexts.keys()])));
  return {
    ...pinned,
    wavePins: new Map(pins.map((pin) => [pin.wave, { ...pin, copies: new Set([...pin.heldTexts].filter(([path, text]) => current.has(path) && current.get(path) !== text).map(([path]) => path)) }])),
  };
}

/** The texts the fleet renders now of the shared files `paths` (the apps' shared files and values, the add-ons' fleet-wide values). */
function currentSharedTexts(fleet: Fleet, paths: ReadonlySet<string>): Map<string, string> {
  const texts = new Map<string, string>();
  withoutEnvironmentOverrides(() => {
    const app = new App();
    for (const entry of fleet.apps.filter((candidate) => paths.has(appSharedPath(candidate.name)) || paths.has(distLayout.serviceValues(candidate.name)))) {
      if (entry.kind === 'test') new TestAppChart(app, `app-${entry.name}`, { app: entry });
      else new ServiceAppChart(app, `app-${entry.name}`, { app: entry });
    }
    for (const content of fileContents(app)) if (paths.has(content.path)) texts.set(content.path, fileText(content));
  });
  for (const addon of addonKeys) {
    const path = distLayout.chartValues(addonCatalog[addon].chart);
    if (paths.has(path)) texts.set(path, fileText({ path, values: addonValues[addon].fleet(fleet) }));
  }
  return texts;
}

/** Test apps built at a time by buildFleetInSlices. */
const appsPerSlice = 50;

/**
 * Builds the charts of the fleet and hands over the file contents a slice at a time, with the
 * number of slices still to come: the Argo CD, add-on and Terraform charts, then the test apps
 * `apps` (every one unless told), 50 after 50, each slice built in an App of its own and
 * dropped once its objects are JSON, so memory holds data rather than constructs. Every object
 * is checked against the API server's limits first (ObjectLimitError).
 */
export function buildFleetInSlices(
  fleet: Fleet,
  take: (contents: FileContent[], slicesLeft: number) => void,
  apps: readonly AppInputs[] = appInputs(fleet),
): void {
  withoutEnvironmentOverrides(() => {
    const control = new App();
    // A later wave's Applications read what its pinned commit holds: read first, with git, and compared.
    new FleetControlCharts(control, 'control', withWaveCopies(fleet));
    const slices = Math.ceil(apps.length / appsPerSlice);
    take(withinLimits(fileContents(control), true), slices);
    for (let index = 0; index < slices; index++) {
      const slice = new App();
      new AppCharts(slice, 'apps', { apps: apps.slice(index * appsPerSlice, (index + 1) * appsPerSlice) });
      take(withinLimits(fileContents(slice), false), slices - index - 1);
    }
  });
}

/** The files of dist/ an app renders: what its clusters share, and one per cluster it is placed on; a chart service's values files too. */
export function appPaths(app: Fleet['apps'][number]): string[] {
  const paths = [appSharedPath(app.name), ...app.placements.map((placement) => appClusterPath(app.name, placement.cluster))];
  if (app.kind === 'service' && app.source.type === 'chart') {
    paths.push(distLayout.serviceValues(app.name), ...app.placements.map((placement) => distLayout.serviceClusterValues(app.name, placement.cluster)));
  }
  return paths;
}

/**
 * The contents, if every object is within the API server's limits. The size of the objects that
 * grow with the fleet (Argo CD's projects, ApplicationSets, registrations) is measured; a test
 * app's objects come from a fixed template of fields fleet.yaml bounds, and a test measures
 * them at the longest fleet.yaml allows, so their names and labels alone are checked here.
 */
function withinLimits(contents: FileContent[], measureSize: boolean): FileContent[] {
  const problems = contents.flatMap((content) => ('objects' in content ? content.objects : [])
    .flatMap((object) => objectLimitProblems(object, measureSize ? Infinity : 0).map((problem) => `${content.path}: ${problem}`)));
  if (problems.length) throw new ObjectLimitError(problems);
  return contents;
}

/**
 * cdk8s renders object keys unsorted when CDK8S_DISABLE_SORT is set; dist/ must depend on
 * fleet.yaml alone, so the variable is cleared while the fleet is built.
 */
function withoutEnvironmentOverrides(build: () => void): void {
  const disableSort = process.env.CDK8S_DISABLE_SORT;
  delete process.env.CDK8S_DISABLE_SORT;
  try {
    build();
  } finally {
    if (disableSort !== undefined) process.env.CDK8S_DISABLE_SORT = disableSort;
  }
}
