import { Manifest } from './fleet-fixtures';

type Params = Record<string, unknown>;

/** Go template substitution of `{{.a.b}}` with missingkey=error, as Argo CD's goTemplate does for plain references. */
function substitute(text: string, params: Params): string {
  return text.replace(/\{\{\s*\.([\w.-]+)\s*\}\}/g, (_, path: string) => {
    const value = path.split('.').reduce<unknown>((current, key) => (current as Params | undefined)?.[key], params);
    if (value === undefined) throw new Error(`map has no entry for key "${path}" (missingkey=error)`);
    return String(value);
  });
}

function render(value: unknown, params: Params): unknown {
  if (typeof value === 'string') return substitute(value, params);
  if (Array.isArray(value)) return value.map((item) => render(item, params));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [substitute(key, params), render(item, params)]));
  }
  return value;
}

function matchesSelector(labels: Record<string, string>, selector: Manifest | undefined): boolean {
  const matchLabels: Record<string, string> = selector?.matchLabels ?? {};
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
}

/** The parameter sets a generator yields, given the Argo CD cluster Secrets. */
function generatorParams(generator: Manifest, clusterSecrets: readonly Manifest[]): Params[] {
  if (generator.list) return generator.list.elements;
  if (generator.clusters) {
    return clusterSecrets
      .filter((secret) => matchesSelector(secret.metadata.labels, generator.clusters.selector))
      .map((secret) => ({
        name: secret.stringData.name,
        nameNormalized: secret.stringData.name,
        server: secret.stringData.server,
        metadata: { labels: secret.metadata.labels, annotations: secret.metadata.annotations ?? {} },
        ...(generator.clusters.values ? { values: generator.clusters.values } : {}),
      }));
  }
  throw new Error(`unsupported generator ${Object.keys(generator).join(', ')}`);
}

/** The Applications an ApplicationSet generates, as Argo CD would create them. */
export function expandApplicationSet(appSet: Manifest, clusterSecrets: readonly Manifest[]): Manifest[] {
  if (appSet.spec.goTemplate !== true || !appSet.spec.goTemplateOptions?.includes('missingkey=error')) {
    throw new Error(`${appSet.metadata.name}: expected goTemplate with missingkey=error`);
  }
  return appSet.spec.generators.flatMap((generator: Manifest) =>
    generatorParams(generator, clusterSecrets).map((params) => {
      const { metadata, spec } = render(appSet.spec.template, params) as Manifest;
      return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { ...metadata, namespace: appSet.metadata.namespace }, spec };
    }));
}
