/**
 * Argo CD's expansion of an ApplicationSet, for the generators and templates this project
 * renders: list and cluster generators (label selectors with matchLabels), goTemplate with plain
 * `{{.a.b}}` references. Anything else is an ApplicationSetError rather than a guess.
 * (Argo CD: applicationset/generators/cluster.go gives a cluster's parameters name,
 * nameNormalized, server, metadata.labels, metadata.annotations and values.)
 */

import { resourcesFinalizer } from '../catalog/argocd';

/** Plain JSON as parsed from YAML. */
export type Json = Record<string, any>;

/** An ApplicationSet this expander cannot render as Argo CD would. */
export class ApplicationSetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApplicationSetError';
  }
}

function at(value: unknown, ...path: readonly string[]): unknown {
  return path.reduce<unknown>((current, key) => (current !== null && typeof current === 'object' ? (current as Json)[key] : undefined), value);
}

/** The parameters Argo CD's cluster generator gives one cluster Secret. */
export function clusterParams(secret: unknown): Json {
  const name = at(secret, 'stringData', 'name') ?? at(secret, 'metadata', 'name');
  return {
    name,
    nameNormalized: name,
    server: at(secret, 'stringData', 'server'),
    metadata: { labels: at(secret, 'metadata', 'labels') ?? {}, annotations: at(secret, 'metadata', 'annotations') ?? {} },
  };
}

/** The parameter sets a generator yields, given the Argo CD cluster Secrets. */
export function generatorParams(generator: Json, clusterSecrets: readonly unknown[]): Json[] {
  if (generator.list) return (generator.list.elements ?? []) as Json[];
  if (generator.clusters) {
    const selector = generator.clusters.selector ?? {};
    if (selector.matchExpressions) throw new ApplicationSetError('a cluster generator with matchExpressions is not supported');
    const matchLabels: Json = selector.matchLabels ?? {};
    return clusterSecrets
      .filter((secret) => Object.entries(matchLabels).every(([key, value]) => at(secret, 'metadata', 'labels', key) === value))
      .map((secret) => ({ ...clusterParams(secret), ...(generator.clusters.values ? { values: generator.clusters.values } : {}) }));
  }
  throw new ApplicationSetError(`unsupported generator ${Object.keys(generator).join(', ')}`);
}

/** Go template substitution of `{{.a.b}}`; a missing key fails under missingkey=error and prints `<no value>` otherwise, as in Go. */
function substitute(text: string, params: Json, missingKeyIsError: boolean): string {
  const rendered = text.replace(/\{\{\s*\.([\w.-]+)\s*\}\}/g, (_, path: string) => {
    const value = at(params, ...path.split('.'));
    if (value === undefined) {
      if (missingKeyIsError) throw new ApplicationSetError(`map has no entry for key "${path}" (missingkey=error)`);
      return '<no value>';
    }
    if (typeof value === 'object' && value !== null) throw new ApplicationSetError(`{{.${path}}} is not a plain value`);
    return String(value);
  });
  if (rendered.includes('{{')) throw new ApplicationSetError(`unsupported template in ${text}`);
  return rendered;
}

function render(value: unknown, params: Json, missingKeyIsError: boolean): unknown {
  if (typeof value === 'string') return substitute(value, params, missingKeyIsError);
  if (Array.isArray(value)) return value.map((item) => render(item, params, missingKeyIsError));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [substitute(key, params, missingKeyIsError), render(item, params, missingKeyIsError)]));
  }
  return value;
}

/** The Applications an ApplicationSet generates, as Argo CD would create them. */
export function expandApplicationSet(appSet: Json, clusterSecrets: readonly unknown[]): Json[] {
  if (appSet.spec?.goTemplate !== true) throw new ApplicationSetError(`${appSet.metadata?.name}: only goTemplate ApplicationSets are supported`);
  const missingKeyIsError = (appSet.spec.goTemplateOptions ?? []).includes('missingkey=error');
  return (appSet.spec.generators ?? []).flatMap((generator: Json) =>
    generatorParams(generator, clusterSecrets).map((params) => {
      const { metadata, spec } = render(appSet.spec.template, params, missingKeyIsError) as Json;
      // An Application whose template has no finalizer gets the resources finalizer, unless the
      // ApplicationSet preserves resources on deletion (argo-cd v3.4.4, applicationset/utils/utils.go, RenderTemplateParams).
      const finalizers = metadata?.finalizers?.length || appSet.spec.syncPolicy?.preserveResourcesOnDeletion === true ? metadata?.finalizers : [resourcesFinalizer];
      return {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { ...metadata, ...(finalizers ? { finalizers } : {}), namespace: appSet.metadata?.namespace },
        spec,
      };
    }));
}

/** A values file of a multi-source Application's Helm source, resolved: the repository and revision of its `$ref` source and the path from that repository's root. */
export interface RefValueFile {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly path: string;
}

/**
 * The values files of a generated multi-source Application's Helm sources, each resolved to the
 * source whose `ref` it names, as Argo CD resolves them (argo-cd v3.4.4
 * docs/user-guide/multiple_sources.md: `$<ref>` only at the start of a path, which is relative
 * to the root of that source's repository; a source with `ref` cannot also have `chart`). A path
 * that names no ref source, a ref named twice or a ref source with a chart is an
 * ApplicationSetError, as Argo CD fails such an Application.
 */
export function refValueFiles(application: Json): RefValueFile[] {
  const sources: Json[] = application.spec?.sources ?? [];
  const name = application.metadata?.name;
  const refs = new Map<string, Json>();
  for (const source of sources.filter((candidate) => candidate.ref)) {
    if (source.chart) throw new ApplicationSetError(`${name}: the source with ref ${source.ref} also has a chart, which Argo CD refuses`);
    if (refs.has(source.ref)) throw new ApplicationSetError(`${name}: ref ${source.ref} is named by two sources`);
    refs.set(source.ref, source);
  }
  return sources.flatMap((source) => (source.helm?.valueFiles ?? []).flatMap((valueFile: string) => {
    const match = /^\$([^/]+)\/(.+)$/.exec(valueFile);
    if (!match) return [];
    const ref = refs.get(match[1]);
    if (!ref) throw new ApplicationSetError(`${name}: values file ${valueFile} names $${match[1]}, which no source of the Application is (ref: ${match[1]})`);
    return [{ repoURL: String(ref.repoURL), targetRevision: String(ref.targetRevision), path: match[2] }];
  }));
}
