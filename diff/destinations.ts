import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { clusterLabelKeys, inClusterName, inClusterServer } from '../catalog/argocd';
import { isArgocdFile } from '../catalog/dist-layout';
import { ApplicationSetError, clusterParams, expandApplicationSet, Json } from './applicationset';

/** Where Argo CD takes one file of dist/. */
export interface Destination {
  /** The folder of dist/ that one Argo CD source syncs, e.g. `apps/app2`: how a diff groups changes. */
  readonly source: string;
  /** The Argo CD names of the clusters the file goes to, sorted; empty when no Application reads it. */
  readonly clusters: readonly string[];
}

/** One Application (generated or not) reading some files of dist/ into one cluster. */
interface Delivery {
  /** The source folder when the Application reads `file`, else undefined. */
  readonly reads: (file: string) => string | undefined;
  readonly cluster: string;
}

type Params = Record<string, unknown>;

function at(value: unknown, ...path: readonly string[]): unknown {
  return path.reduce<unknown>((current, key) => (current !== null && typeof current === 'object' ? (current as Params)[key] : undefined), value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `apps/app2` for `apps/app2/clusters/x.yaml`: the folder a file of dist/ is grouped under when no directory source reads it. */
function defaultSource(file: string): string {
  const segments = file.split('/');
  return segments.length > 2 ? segments.slice(0, 2).join('/') : segments.length === 2 ? segments[0] : file;
}

/** Does a path in the repository (`dist/apps/app2`) name this path of dist/ (`apps/app2`)? The repository path of dist/ is not known here. */
function namesDistPath(repoPath: string, distPath: string): boolean {
  return repoPath === distPath || repoPath.endsWith(`/${distPath}`);
}

const globs = new Map<string, RegExp>();

/** Argo CD's include and exclude globs: `*` and `?` (which may cross folders) and `{a,b}`; each compiled once. */
function globRegExp(pattern: string): RegExp {
  let glob = globs.get(pattern);
  if (!glob) globs.set(pattern, (glob = compileGlob(pattern)));
  return glob;
}

function compileGlob(pattern: string): RegExp {
  let source = '';
  let depth = 0;
  for (const char of pattern) {
    if (char === '*') {
      source += '.*';
    } else if (char === '?') {
      source += '.';
    } else if (char === '{') {
      source += '(?:';
      depth++;
    } else if (char === '}' && depth > 0) {
      source += ')';
      depth--;
    } else if (char === ',' && depth > 0) {
      source += '|';
    } else {
      source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** A directory source: the files under its path, as far as recurse, include and exclude let through. */
function directoryReader(path: string, directory: unknown): (file: string) => string | undefined {
  const root = path.replace(/\/+$/, '');
  const recurse = at(directory, 'recurse') === true;
  const include = text(at(directory, 'include'));
  const exclude = text(at(directory, 'exclude'));
  const included = include ? globRegExp(include) : undefined;
  const excluded = exclude ? globRegExp(exclude) : undefined;
  return (file) => {
    const segments = file.split('/');
    for (let length = segments.length - 1; length > 0; length--) {
      const folder = segments.slice(0, length).join('/');
      if (!namesDistPath(root, folder)) continue;
      const relative = segments.slice(length).join('/');
      if (!recurse && relative.includes('/')) return undefined;
      if (included && !included.test(relative)) return undefined;
      if (excluded?.test(relative)) return undefined;
      return folder;
    }
    return undefined;
  };
}

/** A Helm values file named by a `$ref/...` entry of valueFiles (or relative to the chart's path). */
function valuesFileReader(valueFile: string, sourcePath: string | undefined): ((file: string) => string | undefined) | undefined {
  const referenced = /^\$[^/]+\/(.+)$/.exec(valueFile)?.[1] ?? (sourcePath ? `${sourcePath.replace(/\/+$/, '')}/${valueFile}` : undefined);
  if (!referenced) return undefined;
  return (file) => (namesDistPath(referenced, file) ? defaultSource(file) : undefined);
}

interface ArgoObjects {
  readonly applications: readonly unknown[];
  readonly applicationSets: readonly unknown[];
  readonly clusterSecrets: readonly unknown[];
}

/** The objects of one file; none when it is not YAML. */
function documentsOf(text: string): unknown[] {
  try {
    return loadAll(text, null, { schema: CORE_SCHEMA });
  } catch {
    return [];
  }
}

/** The Argo CD objects of a tree: only argocd/, which the root app syncs, can hold them. Unreadable files are skipped. */
function argoObjects(files: ReadonlyMap<string, string>): ArgoObjects {
  const objects: unknown[] = [];
  for (const [file, content] of files) {
    if (isArgocdFile(file)) objects.push(...documentsOf(content));
  }
  const ofKind = (kind: string) => objects.filter((object) => at(object, 'kind') === kind);
  return {
    applications: ofKind('Application'),
    applicationSets: ofKind('ApplicationSet'),
    clusterSecrets: ofKind('Secret').filter((secret) => at(secret, 'metadata', 'labels', clusterLabelKeys.secretType) === 'cluster'),
  };
}

function expandOrSkip(applicationSet: unknown, clusterSecrets: readonly unknown[]): unknown[] {
  try {
    return expandApplicationSet(applicationSet as Json, clusterSecrets);
  } catch (error) {
    // An ApplicationSet this diff cannot expand leaves its files without destination.
    if (error instanceof ApplicationSetError) return [];
    throw error;
  }
}

function destinationCluster(destination: unknown, clusterSecrets: readonly unknown[]): string | undefined {
  const name = text(at(destination, 'name'));
  if (name) return name;
  const server = text(at(destination, 'server'))?.replace(/\/+$/, '');
  if (!server) return undefined;
  if (server === inClusterServer) return inClusterName;
  const secret = clusterSecrets.find((candidate) => text(at(candidate, 'stringData', 'server'))?.replace(/\/+$/, '') === server);
  return text(clusterParams(secret).name) ?? server;
}

function applicationDeliveries(application: unknown, clusterSecrets: readonly unknown[]): Delivery[] {
  const cluster = destinationCluster(at(application, 'spec', 'destination'), clusterSecrets);
  if (!cluster) return [];
  const sources = [at(application, 'spec', 'source'), ...list(at(application, 'spec', 'sources'))].filter((source) => source);
  return sources.flatMap((source) => {
    const path = text(at(source, 'path'));
    const readers = list(at(source, 'helm', 'valueFiles'))
      .flatMap((valueFile) => (typeof valueFile === 'string' ? [valuesFileReader(valueFile, path)] : []));
    if (path && !at(source, 'chart')) readers.push(directoryReader(path, at(source, 'directory')));
    return readers.flatMap((reads) => (reads ? [{ reads, cluster }] : []));
  });
}

/**
 * Where Argo CD takes each file of dist/, as the Applications and ApplicationSets under argocd/
 * say: list and cluster-label generators are expanded, and a file goes to every cluster of an
 * Application whose directory source or Helm valueFiles name it. With several trees (the two
 * sides of a diff), a file goes to the clusters of either. A file nothing reads has no clusters.
 */
export function destinationsIn(trees: readonly ReadonlyMap<string, string>[]): (file: string) => Destination {
  // Two sides of a diff often hold the same argocd/ (a change of replicas or colours): it is read once.
  const argocdOf = (files: ReadonlyMap<string, string>) => [...files].filter(([file]) => isArgocdFile(file));
  const sameArgocd = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) => {
    const [left, right] = [argocdOf(a), argocdOf(b)];
    return left.length === right.length && left.every(([file, text]) => b.get(file) === text);
  };
  const distinct = trees.filter((files, index) => !trees.slice(0, index).some((earlier) => sameArgocd(earlier, files)));
  const deliveries = distinct.flatMap((files) => {
    const { applications, applicationSets, clusterSecrets } = argoObjects(files);
    const generated = applicationSets.flatMap((applicationSet) => expandOrSkip(applicationSet, clusterSecrets));
    return [...applications, ...generated].flatMap((application) => applicationDeliveries(application, clusterSecrets));
  });
  return (file) => {
    const folders: string[] = [];
    const clusters = new Set<string>();
    for (const delivery of deliveries) {
      const folder = delivery.reads(file);
      if (folder === undefined) continue;
      folders.push(folder);
      clusters.add(delivery.cluster);
    }
    return { source: folders[0] ?? defaultSource(file), clusters: [...clusters].sort() };
  };
}
