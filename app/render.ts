import { App } from 'cdk8s';
import { fileContents } from '../charts/file-contents';
import { FleetControlCharts, TestAppCharts } from '../charts/fleet';
import { Fleet } from '../config/fleet';
import { FileContent, fileText } from '../output/file-content';
import { byPath } from '../output/write-dist';

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
 * data rather than constructs.
 */
export function buildFleetInSlices(fleet: Fleet, take: (contents: FileContent[], slicesLeft: number) => void): void {
  withoutEnvironmentOverrides(() => {
    const control = new App();
    new FleetControlCharts(control, 'control', fleet);
    const slices = Math.ceil(fleet.apps.length / appsPerSlice);
    take(fileContents(control), slices);
    for (let index = 0; index < slices; index++) {
      const slice = new App();
      new TestAppCharts(slice, 'apps', { fleet, apps: fleet.apps.slice(index * appsPerSlice, (index + 1) * appsPerSlice) });
      take(fileContents(slice), slices - index - 1);
    }
  });
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
