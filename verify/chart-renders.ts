/**
 * Every Helm chart of a render of dist/, rendered with helm exactly as its Application asks:
 * the release name, namespace, chart and version, and the value files in their order, read from
 * the Application itself (the add-on ApplicationSets expanded for each registered cluster, and
 * Argo CD's own Application), with the values files taken from the same render.
 */
import { existsSync } from 'fs';
import { join } from 'path';
import { inClusterName, inClusterServer } from '../catalog/argocd';
import { Cluster, Fleet } from '../config/fleet';
import { Json } from '../diff/applicationset';
import { HelmTemplate, helmTemplate, helmTemplateText, projectRoot } from './helm';
import { generatedApplications } from './objects';
import { argocdObjects, Manifest, parseStream, RenderedObject } from './rendered';

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

/** The label value (app.kubernetes.io/part-of) of the Applications of the team's services. */
export const servicesPartOf = 'services';

/**
 * The Applications of a render that install a Helm chart of the project's catalog (the add-ons', Argo CD's), each with the
 * fleet cluster it goes to. The services' charts (labelled app.kubernetes.io/part-of: services) are the team's own, not in
 * data/charts/archives: verify/service-renders.ts renders those.
 */
export function chartApplications(fleet: Fleet, objects: readonly RenderedObject[]): Array<{ application: Json; cluster: string }> {
  const applications = [...objects.filter((object) => object.kind === 'Application'), ...generatedApplications(objects)];
  const byServer = new Map(fleet.clusters.map((cluster) => [cluster.server, cluster.name]));
  const pending = new Set(fleet.pendingClusters.map((cluster) => cluster.name));
  return applications
    // The team's services (app.kubernetes.io/part-of: services) come from their own charts: the services check renders them (verify/service-renders.ts).
    .filter((application) => application.metadata?.labels?.['app.kubernetes.io/part-of'] !== servicesPartOf)
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

/** helm runs at a time: the chart renders wait on helm, which runs beside the checks of what it rendered. */
const parallelRenders = 4;

/**
 * What stands in a shared render for each value that names the cluster, which values/ puts in
 * the add-ons' values of each cluster (the load balancer controller's clusterName and vpcId,
 * cluster-autoscaler's autoDiscovery.clusterName, external-dns's txtOwnerId). Each is a
 * value the field accepts that no chart prints otherwise, as long as the longest the field takes
 * (a DNS label of 63 characters, a VPC id of 17 hex digits): a template that cuts what holds the
 * value to a length cuts the placeholder already, and the shared render then stands for no
 * cluster (SharedRender).
 */
export const clusterPlaceholders = { name: `cluster-name-placeholder-${'x'.repeat(38)}`, vpcId: 'vpc-f1ee7c4ec0ffee000' } as const;

/** A value of the cluster, and what stands for it in a shared render. */
type Identifier = readonly [placeholder: string, value: string];

function identifiersOf(cluster: Cluster): Identifier[] {
  return [[clusterPlaceholders.name, cluster.name], [clusterPlaceholders.vpcId, cluster.vpcId]];
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A values file with every scalar that is the whole of one of the cluster's values (`key: value`
 * or `- value`, plain or quoted, to the end of the line) replaced by its placeholder. Only whole
 * scalars: a value that holds the cluster's name among other text stays, and keeps that
 * cluster's render its own.
 */
export function withPlaceholders(text: string, identifiers: readonly Identifier[]): string {
  return identifiers.reduce((result, [placeholder, value]) => result.replace(
    new RegExp(`^([ \\t]*(?:- |[^\\s#][^#\\n]*?: ))(["']?)${escaped(value)}\\2(?=[ \\t]*$)`, 'gm'),
    (_match, before: string, quote: string) => `${before}${quote}${placeholder}${quote}`,
  ), text);
}

/** What helm printed for the placeholders, with the cluster's values in their place. */
export function withClusterValues(text: string, identifiers: readonly Identifier[]): string {
  return identifiers.reduce((result, [placeholder, value]) => result.split(placeholder).join(value), text);
}

/** One chart render an Application asks for, and the inputs of the render it may share with other clusters'. */
interface RenderRequest {
  readonly application: Json;
  readonly cluster: string;
  readonly source: Json;
  readonly template: HelmTemplate;
  /** The template with the placeholders in place of the cluster's values; the same as `template` where its values name no cluster. */
  readonly shared: HelmTemplate;
  /** Requests of the same key share one render: JSON of `shared`. */
  readonly key: string;
  readonly identifiers: readonly Identifier[];
}

function renderRequests(fleet: Fleet, files: ReadonlyMap<string, string>, only?: (application: string) => boolean): RenderRequest[] {
  const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
  return chartApplications(fleet, argocdObjects(files)).filter(({ application }) => !only || only(application.metadata.name)).map(({ application, cluster }) => {
    const source: Json = (application.spec.sources ?? [application.spec.source]).find((candidate: Json) => candidate.chart);
    const chartArchivePath = chartArchive(source.chart, source.targetRevision);
    if (!existsSync(chartArchivePath)) throw new Error(`${application.metadata.name}: chart ${source.chart} ${source.targetRevision} is not in data/charts/archives (npm run refresh:vendor)`);
    const template: HelmTemplate = {
      releaseName: source.helm?.releaseName ?? application.metadata.name,
      namespace: application.spec.destination.namespace,
      chartArchive: chartArchivePath,
      values: valueTexts(application, source, files, fleet.repo.path),
      kubeVersion: clusters.get(cluster)!.kubernetesVersion,
    };
    const identifiers = identifiersOf(clusters.get(cluster)!);
    const shared = { ...template, values: template.values.map((text) => withPlaceholders(text, identifiers)) };
    const named = shared.values.some((text, index) => text !== template.values[index]);
    return { application, cluster, source, template, shared: named ? shared : template, key: JSON.stringify(named ? shared : template), identifiers: named ? identifiers : [] };
  });
}

/**
 * One render shared by requests of the same key: helm's text of the shared template, and whether
 * it stands for each cluster's own render. The first request of a key renders its own template
 * too and compares: only a chart that prints the cluster's values as they are gives back that
 * render with its values put in; one that hashes, encodes, changes the case of or cuts them
 * (or a shared render helm refuses: a placeholder a template rejects) does not, and every
 * request of the key renders its own. What the comparison cannot see is a template that treats
 * one cluster's value unlike another's (`if eq .Values.clusterName "prod"`): that the others'
 * renders are their own rests on the charts printing the values as they are. The pinned charts
 * do: `--cluster-name={{ tpl .Values.clusterName . }}` and
 * `--aws-vpc-id` of aws-load-balancer-controller 3.5.0 (templates/deployment.yaml),
 * `--cluster-name` and `--node-group-auto-discovery` of cluster-autoscaler 9.59.0
 * (templates/deployment.yaml), `--txt-owner-id={{ .Values.txtOwnerId }}` of external-dns 1.21.1
 * (templates/deployment.yaml).
 */
interface SharedRender {
  readonly text: Promise<string | undefined>;
  readonly standsForEach: Promise<boolean>;
}

/**
 * Renders the requests with helm, `parallelRenders` at a time, in order, and hands each
 * cluster's renders to `visit` as soon as they are all done, so that a caller that keeps only
 * what it concludes holds a few clusters' renders at a time. Requests with the same inputs
 * (cert-manager's values differ only by IP family) share one helm run and its objects, which
 * their readers never change; requests whose inputs differ only by the cluster's values share
 * one helm run of the placeholders (SharedRender), each with its own values put back in the text
 * before it is read. A shared render is let go after its last request.
 */
async function renderInOrder(requests: readonly RenderRequest[], visit: (renders: ChartRender[]) => void): Promise<void> {
  const order = new Map(requests.map((request, index) => [request.application.metadata.name, index]));
  const uses = new Map<string, number>();
  for (const request of requests) uses.set(request.key, (uses.get(request.key) ?? 0) + 1);
  const sharers = new Map(uses);
  const sameRenders = new Map<string, Promise<Manifest[]>>();
  const sharedRenders = new Map<string, SharedRender>();
  const remaining = new Map<string, number>();
  for (const request of requests) remaining.set(request.cluster, (remaining.get(request.cluster) ?? 0) + 1);
  const done = new Map<string, ChartRender[]>();
  const objectsOf = async (request: RenderRequest): Promise<Manifest[]> => {
    // A render that no other cluster's request shares is its own.
    if (!request.identifiers.length || sharers.get(request.key) === 1) {
      let rendering = sameRenders.get(request.key);
      if (!rendering) sameRenders.set(request.key, (rendering = helmTemplate(request.template)));
      return rendering;
    }
    const shared = sharedRenders.get(request.key);
    if (!shared) {
      const own = helmTemplateText(request.template);
      const text = helmTemplateText(request.shared).catch(() => undefined);
      const standsForEach = Promise.all([own, text]).then(([ownText, sharedText]) => sharedText !== undefined && withClusterValues(sharedText, request.identifiers) === ownText, () => false);
      sharedRenders.set(request.key, { text, standsForEach });
      return parseStream(await own);
    }
    const sharedText = await shared.standsForEach ? await shared.text : undefined;
    return parseStream(sharedText === undefined ? await helmTemplateText(request.template) : withClusterValues(sharedText, request.identifiers));
  };
  const render = async (request: RenderRequest): Promise<void> => {
    const { application, cluster, source, template, key } = request;
    const rendering = objectsOf(request);
    const left = uses.get(key)! - 1;
    uses.set(key, left);
    if (left === 0) {
      sameRenders.delete(key);
      sharedRenders.delete(key);
    }
    let objects: Manifest[];
    try {
      objects = await rendering;
    } catch (error) {
      throw new Error(`${application.metadata.name}: ${(error as Error).message}`);
    }
    const renders = done.get(cluster) ?? [];
    renders.push({ application: application.metadata.name, cluster, chart: source.chart, version: source.targetRevision, releaseName: template.releaseName, namespace: template.namespace, applicationSpec: application.spec, objects });
    done.set(cluster, renders);
    remaining.set(cluster, remaining.get(cluster)! - 1);
    if (remaining.get(cluster) === 0) {
      done.delete(cluster);
      visit(renders.sort((a, b) => order.get(a.application)! - order.get(b.application)!));
    }
  };
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallelRenders, requests.length) }, async () => {
    while (next < requests.length) await render(requests[next++]);
  }));
}

/**
 * Renders every chart of the render with helm (or the Applications `only` names), in the order
 * of their Applications. Throws when a chart is not vendored or helm fails; the error names the
 * Application.
 */
export async function renderCharts(fleet: Fleet, files: ReadonlyMap<string, string>, only?: (application: string) => boolean): Promise<ChartRender[]> {
  const requests = renderRequests(fleet, files, only);
  const byApplication = new Map<string, ChartRender>();
  await renderInOrder(requests, (renders) => renders.forEach((render) => byApplication.set(render.application, render)));
  return requests.map((request) => byApplication.get(request.application.metadata.name)!);
}

/**
 * Renders every chart of the render with helm, cluster by cluster (Applications grouped by the
 * cluster they go to), and hands each cluster's renders (all of one cluster) to `visit` once they are done: what
 * `visit` does not keep is let go, so memory holds a few clusters' renders at a time.
 */
export async function renderChartsByCluster(fleet: Fleet, files: ReadonlyMap<string, string>, visit: (renders: readonly ChartRender[]) => void): Promise<void> {
  const requests = renderRequests(fleet, files);
  const clusterOrder = [...new Set(requests.map((request) => request.cluster))];
  await renderInOrder(clusterOrder.flatMap((cluster) => requests.filter((request) => request.cluster === cluster)), visit);
}
