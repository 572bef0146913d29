/**
 * Every Helm chart of a render of dist/, rendered with helm exactly as its Application asks:
 * the release name, namespace, chart and version, and the value files in their order, read from
 * the Application itself (the add-on ApplicationSets expanded for each registered cluster, and
 * Argo CD's own Application), with the values files taken from the same render.
 */
import { existsSync } from 'fs';
import { join } from 'path';
import { inClusterName, inClusterServer } from '../catalog/argocd';
import { Fleet } from '../config/fleet';
import { Json } from '../diff/applicationset';
import { helmTemplate, projectRoot } from './helm';
import { generatedApplications } from './objects';
import { Manifest, RenderedObject, renderedObjects } from './rendered';

/** One chart as Argo CD would render it for one Application. */
export interface ChartRender {
  /** The Application's name, e.g. `cert-manager-ipv6-east`. */
  readonly application: string;
  /** The fleet cluster it goes to. */
  readonly cluster: string;
  readonly chart: string;
  readonly version: string;
  readonly releaseName: string;
  readonly namespace: string;
  /** The Application as generated: its sync options, namespace metadata and ignoreDifferences. */
  readonly applicationSpec: Json;
  readonly objects: readonly Manifest[];
}

/** The committed archive of a pinned chart (npm run refresh:vendor copies them from ../shared). */
export function chartArchive(chart: string, version: string): string {
  return join(projectRoot(), 'data', 'charts', 'archives', `${chart}-${version}.tgz`);
}

/** The Applications of a render that install a Helm chart, each with the fleet cluster it goes to. */
export function chartApplications(fleet: Fleet, objects: readonly RenderedObject[]): Array<{ application: Json; cluster: string }> {
  const applications = [...objects.filter((object) => object.kind === 'Application'), ...generatedApplications(objects)];
  const byServer = new Map(fleet.clusters.map((cluster) => [cluster.server, cluster.name]));
  const pending = new Set(fleet.pendingClusters.map((cluster) => cluster.name));
  return applications
    .filter((application) => (application.spec?.sources ?? [application.spec?.source]).some((source: Json | undefined) => source?.chart))
    .flatMap((application) => {
      const destination = application.spec.destination ?? {};
      const server = destination.server === inClusterServer ? inClusterName : destination.server;
      const cluster = server === inClusterName || destination.name === inClusterName ? fleet.argocd.cluster : (destination.name ?? byServer.get(server));
      // Argo CD's own Application, while its cluster is still being created: nothing renders there yet.
      if (cluster !== undefined && pending.has(cluster)) return [];
      if (!cluster || !fleet.clusters.some((candidate) => candidate.name === cluster)) {
        throw new Error(`Application ${application.metadata?.name} goes to ${destination.name ?? destination.server}, which is not a cluster of the fleet`);
      }
      return [{ application, cluster }];
    });
}

/** The values file texts an Application's helm source names, in order; missing ones are skipped where the source allows it. */
export function valueTexts(application: Json, source: Json, files: ReadonlyMap<string, string>, repoPath: string): string[] {
  const refs = new Map<string, Json>((application.spec.sources ?? []).filter((candidate: Json) => candidate.ref).map((candidate: Json) => [candidate.ref, candidate]));
  return (source.helm?.valueFiles ?? []).flatMap((valueFile: string) => {
    const match = /^\$([^/]+)\/(.+)$/.exec(valueFile);
    if (!match || !refs.has(match[1])) throw new Error(`${application.metadata.name}: values file ${valueFile} does not name a $ref source`);
    const path = match[2].startsWith(`${repoPath}/`) ? match[2].slice(repoPath.length + 1) : undefined;
    const text = path === undefined ? undefined : files.get(path);
    if (text !== undefined) return [text];
    if (source.helm?.ignoreMissingValueFiles) return [];
    throw new Error(`${application.metadata.name}: values file ${valueFile} is not in the rendered dist/`);
  });
}

/**
 * Renders every chart of the render with helm (or the Applications `only` names), a few at a
 * time. Throws when a chart is not vendored or helm fails; the error names the Application.
 */
export async function renderCharts(fleet: Fleet, files: ReadonlyMap<string, string>, only?: (application: string) => boolean): Promise<ChartRender[]> {
  const parallel = 4;
  const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
  const applications = chartApplications(fleet, renderedObjects(files)).filter(({ application }) => !only || only(application.metadata.name));
  const jobs = applications.map(({ application, cluster }) => async (): Promise<ChartRender> => {
    const source: Json = (application.spec.sources ?? [application.spec.source]).find((candidate: Json) => candidate.chart);
    const archive = chartArchive(source.chart, source.targetRevision);
    if (!existsSync(archive)) throw new Error(`${application.metadata.name}: chart ${source.chart} ${source.targetRevision} is not in data/charts/archives (npm run refresh:vendor)`);
    const releaseName = source.helm?.releaseName ?? application.metadata.name;
    const namespace = application.spec.destination.namespace;
    try {
      const objects = await helmTemplate({
        releaseName,
        namespace,
        chartArchive: archive,
        values: valueTexts(application, source, files, fleet.repo.path),
        kubeVersion: clusters.get(cluster)!.kubernetesVersion,
      });
      return { application: application.metadata.name, cluster, chart: source.chart, version: source.targetRevision, releaseName, namespace, applicationSpec: application.spec, objects };
    } catch (error) {
      throw new Error(`${application.metadata.name}: ${(error as Error).message}`);
    }
  });
  const results: ChartRender[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]();
    }
  }));
  return results;
}
