import { App } from 'cdk8s';
import { fileContents } from '../charts/file-contents';
import { FleetControlCharts, TestAppCharts } from '../charts/fleet';
import { Fleet } from '../config/fleet';
import { FileContent, fileText } from '../output/file-content';
import { byPath } from '../output/write-dist';
import { ObjectLimitError, objectLimitProblems } from '../verify/limits';

/** Renders a fleet to the text of every file of dist/, sorted by path, without touching the disk. */
export function renderFleet(fleet: Fleet): Map<string, string> {
  const files = new Map<string, string>();
  buildFleetInSlices(fleet, (contents) => {
    for (const content of contents) {
      if (files.has(content.path)) throw new Error(`two charts render ${content.path}`);
      files.set(content.path, fileText(content));
    }
  });
  return new Map([...files].sort(([a], [b]) => byPath(a, b)));
}

/** Test apps built at a time by buildFleetInSlices. */
const appsPerSlice = 50;

/**
 * Builds every chart of the fleet and hands over the file contents a slice at a time, with the
 * number of slices still to come: the Argo CD and add-on charts, then 50 test apps after 50,
 * each slice built in an App of its own and dropped once its objects are JSON, so memory holds
 * data rather than constructs. Every object is checked against the API server's limits first
 * (ObjectLimitError).
 */
export function buildFleetInSlices(fleet: Fleet, take: (contents: FileContent[], slicesLeft: number) => void): void {
  withoutEnvironmentOverrides(() => {
    const control = new App();
    new FleetControlCharts(control, 'control', fleet);
    const slices = Math.ceil(fleet.apps.length / appsPerSlice);
    take(withinLimits(fileContents(control), true), slices);
    for (let index = 0; index < slices; index++) {
      const slice = new App();
      new TestAppCharts(slice, 'apps', { fleet, apps: fleet.apps.slice(index * appsPerSlice, (index + 1) * appsPerSlice) });
      take(withinLimits(fileContents(slice), false), slices - index - 1);
    }
  });
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
