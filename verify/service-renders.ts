/**
 * The team's own services (fleet.yaml's apps with a `source`) rendered offline, exactly as Argo CD
 * v3.4.4's repo-server would render them on each cluster they are placed on, where the check can
 * reach the source without the network:
 *
 * - a chart whose `archive` is vendored in this repository: `helm template` with the release name
 *   and namespace of the app, the cluster's Kubernetes version and API versions, the rendered
 *   values files `apps/<app>/values.yaml` then `apps/<app>/values/<cluster>.yaml` in that order,
 *   and `--include-crds` (argo-cd v3.4.4 reposerver/repository/repository.go helmTemplate: Name
 *   from helm.releaseName, Namespace from the destination, KubeVersion and APIVersions of the
 *   destination cluster, Values = the resolved valueFiles in order; util/helm/cmd.go template:
 *   `--namespace`, `--kube-version`, one `--values` per file in order, `--api-versions` per
 *   version, `--include-crds` unless skipCrds);
 * - a path of this repository (a git source whose repoURL is fleet.yaml's repo.url): a
 *   kustomization (kustomization.yaml, kustomization.yml or Kustomization, as argo-cd v3.4.4
 *   util/app/discovery/discovery.go detects it) with `kubectl kustomize`, the kubectl that ships
 *   beside helm; else a chart (a Chart.yaml: Discover sees it first and a kustomization file,
 *   later in the walk, wins) with `helm template` per cluster, released under the Application's
 *   name `<app>-<cluster>` (reposerver/repository/repository.go helmTemplate: templateOpts.Name is
 *   q.AppName when the source sets no releaseName) with the chart's own values; otherwise the
 *   directory's .yaml, .yml and .json files, not recursing (findManifests, directory.recurse false
 *   by default).
 *   Read at the pinned revision, as Argo CD reads it, from this clone's own objects with git's
 *   plumbing (`git archive`, offline as diff/baseline.ts reads git), never from the working tree: a revision
 *   the clone does not have (a tag that does not exist, a commit a shallow clone lacks) is listed
 *   as not checked with that reason, where Argo CD's repo-server would fail "unable to resolve".
 *
 * Every other service is not checked, with the reason. Renders of the same inputs (source, values
 * texts, Kubernetes version, API versions) are shared across clusters and apps.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve, sep } from 'path';
import { AddonKey } from '../catalog/addons';
import { git, gitText } from '../diff/baseline';
import { Cluster, Fleet, isService, ServiceApp } from '../config/fleet';
import { HelmTemplate, helmBinary, helmTemplate, kubectlBinary, projectRoot, runProgram } from './helm';
import { Manifest, parseManifests, parseStream } from './rendered';

/** Where the generator renders a chart service's values (dist/apps/<app>/...), relative to dist/. */
export const serviceValuesFiles = {
  shared: (app: string) => `apps/${app}/values.yaml`,
  cluster: (app: string, cluster: string) => `apps/${app}/values/${cluster}.yaml`,
} as const;

/**
 * The API versions the add-ons' CRDs add to a cluster (the CRDs of the vendored charts under
 * data/charts/archives), as "group/version" and "group/version/Kind": Argo CD's controller passes
 * the destination's served API resources this way (argo.APIResourcesToStrings), and helm adds them
 * to its built-in set for `.Capabilities.APIVersions`.
 */
const addonApiVersions: Partial<Record<AddonKey, readonly string[]>> = {
  certManager: [
    'cert-manager.io/v1', 'cert-manager.io/v1/Certificate', 'cert-manager.io/v1/CertificateRequest', 'cert-manager.io/v1/Issuer', 'cert-manager.io/v1/ClusterIssuer',
    'acme.cert-manager.io/v1', 'acme.cert-manager.io/v1/Challenge', 'acme.cert-manager.io/v1/Order',
  ],
  awsLoadBalancerController: [
    'elbv2.k8s.aws/v1alpha1', 'elbv2.k8s.aws/v1alpha1/TargetGroupBinding',
    'elbv2.k8s.aws/v1beta1', 'elbv2.k8s.aws/v1beta1/TargetGroupBinding', 'elbv2.k8s.aws/v1beta1/IngressClassParams', 'elbv2.k8s.aws/v1beta1/ALBTargetControlConfig',
    'aga.k8s.aws/v1beta1', 'aga.k8s.aws/v1beta1/GlobalAccelerator',
    'gateway.k8s.aws/v1', 'gateway.k8s.aws/v1/ListenerRuleConfiguration', 'gateway.k8s.aws/v1/LoadBalancerConfiguration', 'gateway.k8s.aws/v1/TargetGroupConfiguration',
    'gateway.k8s.aws/v1beta1', 'gateway.k8s.aws/v1beta1/ListenerRuleConfiguration', 'gateway.k8s.aws/v1beta1/LoadBalancerConfiguration', 'gateway.k8s.aws/v1beta1/TargetGroupConfiguration',
  ],
};

/** The API versions beyond the built-in ones that a cluster serves: those of its add-ons' CRDs. */
export function clusterApiVersions(cluster: Cluster): string[] {
  return Object.entries(addonApiVersions).filter(([addon]) => cluster.addons[addon as AddonKey]).flatMap(([, versions]) => versions ?? []);
}

/** A service on one cluster, rendered: the objects Argo CD's sync applies (appliedBySync) and its delete hooks, shared with every placement of the same inputs. */
export interface ServiceRender {
  readonly app: ServiceApp;
  readonly cluster: Cluster;
  readonly objects: readonly Manifest[];
}

/** Why a service is not rendered: not reachable offline (notChecked), or wrong where it should be (error, a located message). */
export interface ServiceRenderOutcome {
  readonly renders: readonly ServiceRender[];
  /** One line per service not checked, with the reason and how to have it checked. */
  readonly notChecked: readonly string[];
  /** Located errors: an archive that is missing or is not the source's chart, a path that does not exist, a render that fails. */
  readonly errors: readonly string[];
  /** How many renders ran (helm or a path): one per distinct source, values texts, Kubernetes version and API versions. */
  readonly distinctRenders: number;
}

/** How a message names a field of an app in fleet.yaml: `fleet.yaml:12: apps[3].source.chart.version` when the file is known. */
export type AppFieldLocator = (app: ServiceApp, field: readonly (string | number)[]) => string;

/** `apps[i].field` in the fleet's apps list (the index fleet.yaml gives the app). */
export function appFieldPath(fleet: Fleet): AppFieldLocator {
  const indexes = new Map(fleet.apps.map((app, index) => [app.name, index]));
  return (app, field) => [`apps[${indexes.get(app.name)}]`, ...field.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`))].join('').replace(/\.\[/g, '[');
}

/** A repository URL as Argo CD compares them: no trailing slash or `.git`, lowercase. */
export function sameRepository(a: string, b: string): boolean {
  const normal = (url: string) => url.trim().replace(/\/+$/, '').replace(/\.git$/, '').toLowerCase();
  return normal(a) === normal(b);
}

/** What a service's source gives the check, before any render. */
type Reach =
  | { readonly kind: 'chart'; readonly archive: string }
  | { readonly kind: 'git'; readonly commit: string; readonly path: string }
  | { readonly kind: 'not-checked'; readonly reason: string }
  | { readonly kind: 'error'; readonly message: string };

const kustomizationFiles = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const manifestExtensions = ['.yaml', '.yml', '.json'];

function reach(app: ServiceApp, fleet: Fleet, repoRoot: string, locate: AppFieldLocator, revisions: Map<string, Resolved>, folders: Map<string, boolean>): Reach {
  const source = app.source;
  if (source.type === 'chart') {
    if (source.archive === undefined) {
      return { kind: 'not-checked', reason: `chart ${source.name} ${source.version} from ${source.repoURL} is not vendored: add source.chart.archive (the chart's .tgz in this repository) to have it checked offline` };
    }
    const archive = resolve(repoRoot, source.archive);
    if (!inside(repoRoot, archive) || !existsSync(archive) || !statSync(archive).isFile()) {
      return { kind: 'error', message: `${locate(app, ['source', 'chart', 'archive'])}: ${source.archive} is not a file of this repository: vendor the chart's .tgz there (helm pull ${source.repoURL.startsWith('oci://') ? `${source.repoURL}/${source.name}` : `--repo ${source.repoURL} ${source.name}`} --version ${source.version}) or remove archive` };
    }
    return { kind: 'chart', archive };
  }
  if (!sameRepository(source.repoURL, fleet.repo.url)) {
    return { kind: 'not-checked', reason: `git path ${source.path} of ${source.repoURL} at ${source.revision} is not in this repository (${fleet.repo.url}): Argo CD renders it; the check cannot reach it offline` };
  }
  const path = source.path.replace(/^(\.\/)+/, '').replace(/\/+$/, '').replace(/^\.$/, '');
  // Thousands of services share a few revisions and folders: each is asked of git once.
  let resolved = revisions.get(source.revision);
  if (!resolved) revisions.set(source.revision, resolved = resolveRevision(repoRoot, source.revision));
  if ('reason' in resolved) {
    return { kind: 'not-checked', reason: `git path ${source.path} at ${source.revision}: ${resolved.reason}` };
  }
  const dir = resolve(repoRoot, path);
  const tree = `${resolved.commit}:${path}`;
  let isTree = folders.get(tree);
  if (isTree === undefined) folders.set(tree, isTree = inside(repoRoot, dir) && gitText(repoRoot, ['cat-file', '-t', tree]) === 'tree');
  if (!isTree) {
    return { kind: 'error', message: `${locate(app, ['source', 'git', 'path'])}: ${source.path} is not a folder of this repository (${fleet.repo.url}) at ${source.revision} (commit ${resolved.commit.slice(0, 12)}): Argo CD would find no manifests there; give the folder of the service's manifests or kustomization, from the repository's root, as committed at that revision` };
  }
  return { kind: 'git', commit: resolved.commit, path };
}

/** A revision resolved in this clone: its commit, or why the clone cannot tell. */
type Resolved = { readonly commit: string } | { readonly reason: string };

/**
 * The commit a source's revision names in this clone, as Argo CD resolves a targetRevision against
 * the repository (a tag, a branch as the remote has it, a commit SHA, HEAD), or why the clone
 * cannot tell: not a git repository, or a revision it does not hold.
 */
function resolveRevision(repoRoot: string, revision: string): Resolved {
  if (gitText(repoRoot, ['rev-parse', '--git-dir']) === undefined) {
    return { reason: `${repoRoot} is not a git repository, so the revision cannot be read: run the check in a clone of the repository` };
  }
  const candidates = revision === 'HEAD' ? ['refs/remotes/origin/HEAD', 'HEAD'] : [`refs/tags/${revision}`, `refs/remotes/origin/${revision}`, revision];
  for (const candidate of candidates) {
    const commit = gitText(repoRoot, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${candidate}^{commit}`]);
    if (commit) return { commit };
  }
  const shallow = gitText(repoRoot, ['rev-parse', '--is-shallow-repository']) === 'true';
  return {
    reason: `this clone has no tag, branch or commit ${revision}${shallow ? ' (it is a shallow clone: fetch the full history, e.g. actions/checkout with fetch-depth: 0, to have it checked)' : ''}; Argo CD fails "unable to resolve '${revision}'" when the repository has none either: pin a tag or a full commit SHA of this repository that holds the path`,
  };
}

/** A temporary folder holding trees of commits (a path, or a whole commit for kustomize), made at most once each, removed by clear(). */
class CommitTrees {
  private readonly root = mkdtempSync(join(tmpdir(), 'fleet-service-trees-'));
  private readonly made = new Map<string, string>();
  constructor(private readonly repoRoot: string) {}

  /** The folder holding `path` (or the whole commit, for '') of `commit`, as committed. */
  tree(commit: string, path: string): string {
    const key = `${commit}\u0000${path}`;
    let folder = this.made.get(key);
    if (folder === undefined) {
      folder = join(this.root, String(this.made.size));
      mkdirSync(folder, { recursive: true });
      // Through a file, not memory: a whole commit holds dist/ of every app. git archive runs no smudge filter (no
      // LFS fetch); it does apply the commit's .gitattributes export-ignore and export-subst, which a checkout would not.
      const archive = `${folder}.tar`;
      git(this.repoRoot, ['archive', '--format=tar', `--output=${archive}`, commit, ...(path ? ['--', path] : [])]);
      execFileSync('tar', ['-x', '-f', archive, '-C', folder], { stdio: ['ignore', 'ignore', 'pipe'] });
      rmSync(archive);
      this.made.set(key, folder);
    }
    return folder;
  }

  clear(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * The folder of a git path as committed when Argo CD renders it as a Helm chart (a Chart.yaml and no kustomization),
 * else undefined; `dependencies` when the chart lists dependencies it does not vendor under charts/, which Argo CD
 * downloads (helm dependency build) and the check cannot offline.
 */
function committedChart(trees: CommitTrees, commit: string, path: string): { dir: string; dependencies: boolean } | undefined {
  const own = join(trees.tree(commit, path), path);
  if (kustomizationFiles.some((file) => existsSync(join(own, file))) || !existsSync(join(own, 'Chart.yaml'))) return undefined;
  const [chart] = parseManifests(readFileSync(join(own, 'Chart.yaml'), 'utf8'));
  const dependencies = Array.isArray(chart?.dependencies) && chart.dependencies.length > 0 && !existsSync(join(own, 'charts'));
  return { dir: own, dependencies };
}

/** A git path as committed: kustomize over the whole commit (a kustomization may name ../ folders), else the path's files. */
async function renderCommittedPath(trees: CommitTrees, commit: string, path: string): Promise<Manifest[]> {
  const own = join(trees.tree(commit, path), path);
  if (kustomizationFiles.some((file) => existsSync(join(own, file)))) return renderPath(join(trees.tree(commit, ''), path));
  return renderPath(own);
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/** The Chart.yaml of an archive, as helm reads it (`helm show chart`). */
async function chartMetadata(archive: string): Promise<Manifest> {
  const [metadata] = parseManifests(await runProgram('helm', helmBinary(), ['show', 'chart', archive], helmEnvironment()));
  return metadata ?? {};
}

/** The archive is the source's chart: its Chart.yaml name and version are the source's; else errors naming the field. */
async function archiveProblems(app: ServiceApp & { source: { type: 'chart' } }, archive: string, locate: AppFieldLocator): Promise<string[]> {
  let metadata: Manifest;
  try {
    metadata = await chartMetadata(archive);
  } catch (error) {
    return [`${locate(app, ['source', 'chart', 'archive'])}: ${app.source.archive} is not a chart archive helm can read: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  if (metadata.name !== app.source.name) {
    problems.push(`${locate(app, ['source', 'chart', 'name'])}: is ${app.source.name}, but ${app.source.archive} holds chart ${metadata.name}: vendor chart ${app.source.name} ${app.source.version}, or name the chart the archive holds`);
  }
  if (String(metadata.version) !== app.source.version) {
    problems.push(`${locate(app, ['source', 'chart', 'version'])}: is ${app.source.version}, but ${app.source.archive} holds ${metadata.name} ${metadata.version}: vendor version ${app.source.version}, or pin the version the archive holds`);
  }
  return problems;
}

/** The objects of a folder of this repository, as Argo CD renders a git path: kustomize, or the folder's manifest files. */
async function renderPath(dir: string): Promise<Manifest[]> {
  if (kustomizationFiles.some((file) => existsSync(join(dir, file)))) {
    return parseStream(await runProgram('kubectl', kubectlBinary(), ['kustomize', dir], { PATH: process.env.PATH ?? '', HOME: dir }));
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && manifestExtensions.some((extension) => entry.name.endsWith(extension)))
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => parseStream(readFileSync(join(dir, name), 'utf8')));
}

function helmEnvironment(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HELM_CACHE_HOME: '/nonexistent/cache', HELM_CONFIG_HOME: '/nonexistent/config', HELM_DATA_HOME: '/nonexistent/data' };
}

const argoHookTypes = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PreDelete', 'PostDelete', 'Skip'];
const helmHookTypes: Readonly<Record<string, string>> = { 'pre-install': 'PreSync', 'pre-upgrade': 'PreSync', 'post-upgrade': 'PostSync', 'post-install': 'PostSync' };
const appliedHookTypes = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

function annotationList(value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : [];
}

/**
 * Whether Argo CD's sync applies an object of a render, as argo-cd v3.4.4's gitops-engine decides
 * (pkg/sync/sync_phase.go syncPhases, pkg/sync/hook/hook.go, pkg/sync/hook/helm/): an object
 * without hook annotations is applied; a hook (argocd.argoproj.io/hook, else helm.sh/hook other
 * than crd-install) only in the phases it maps to (Helm's pre-/post-install and -upgrade become
 * PreSync and PostSync); Helm test hooks map to none and are never applied
 * (docs/user-guide/helm.md: "Argo CD currently skips manifests that include hooks not supported").
 */
export function appliedBySync(object: Manifest): boolean {
  const annotations = object.metadata?.annotations ?? {};
  const argoAnnotated = annotations['argocd.argoproj.io/hook'] !== undefined;
  const argo = annotationList(annotations['argocd.argoproj.io/hook']).filter((type) => argoHookTypes.includes(type));
  const types = argo.length ? argo : annotationList(annotations['helm.sh/hook']).flatMap((type) => helmHookTypes[type] ?? []);
  if (types.length === 1 && types[0] === 'Skip') return false;
  const isHook = argoAnnotated || (annotations['helm.sh/hook'] !== undefined && annotations['helm.sh/hook'] !== 'crd-install');
  return !isHook || types.some((type) => appliedHookTypes.includes(type));
}

/**
 * Whether an object is a PreDelete or PostDelete hook to Argo CD, created when its Application is
 * deleted: argocd.argoproj.io/hook PreDelete or PostDelete, or Helm's helm.sh/hook pre-delete or
 * post-delete, each an item of a comma-separated list (argo-cd v3.4.4 controller/hook.go
 * hookTypeAnnotations, isHookOfType).
 */
export function isDeleteHook(object: Manifest): boolean {
  const annotations = object.metadata?.annotations ?? {};
  return annotationList(annotations['argocd.argoproj.io/hook']).some((type) => type === 'PreDelete' || type === 'PostDelete')
    || annotationList(annotations['helm.sh/hook']).some((type) => type === 'pre-delete' || type === 'post-delete');
}

/** Renders at a time (helm and kubectl each take a core while they run). */
const parallelRenders = 2;

async function inTurns<T>(tasks: readonly (() => Promise<T>)[], parallel: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, tasks.length) }, async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  }));
  return results;
}

/**
 * Every service of the fleet that the check can reach, rendered on each cluster it is placed on,
 * with the values files of `files` (a render of dist/, paths relative to dist/). Test apps are not
 * looked at. `repoRoot`: the repository's root (this project's folder by default).
 */
export async function renderServices(fleet: Fleet, files: ReadonlyMap<string, string>, options: { readonly repoRoot?: string; readonly locate?: AppFieldLocator } = {}): Promise<ServiceRenderOutcome> {
  const repoRoot = resolve(options.repoRoot ?? projectRoot());
  const locate = options.locate ?? appFieldPath(fleet);
  const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
  const notChecked: string[] = [];
  const errors: string[] = [];
  const renderings = new Map<string, () => Promise<Manifest[]>>();
  const wanted: Array<{ app: ServiceApp; cluster: Cluster; key: string }> = [];
  const archiveChecks = new Map<string, Promise<string[]>>();
  const trees = new CommitTrees(repoRoot);
  const revisions = new Map<string, Resolved>();
  const folders = new Map<string, boolean>();
  try {
    for (const app of fleet.apps.filter(isService)) {
      const reached = reach(app, fleet, repoRoot, locate, revisions, folders);
      if (reached.kind === 'not-checked') {
        notChecked.push(`${app.name}: not checked: ${reached.reason}`);
        continue;
      }
      if (reached.kind === 'error') {
        errors.push(reached.message);
        continue;
      }
      if (reached.kind === 'chart') {
        const chartApp = app as ServiceApp & { source: { type: 'chart' } };
        const key = `${reached.archive}\u0000${chartApp.source.name}\u0000${chartApp.source.version}\u0000${app.name}`;
        if (!archiveChecks.has(key)) archiveChecks.set(key, archiveProblems(chartApp, reached.archive, locate));
      }
      for (const placement of app.placements) {
        const cluster = clusters.get(placement.cluster);
        // A placement on a cluster still being created renders nowhere yet.
        if (!cluster) continue;
        if (reached.kind === 'git') {
          const chart = committedChart(trees, reached.commit, reached.path);
          if (chart?.dependencies) {
            notChecked.push(`${app.name}: not checked: git path ${reached.path} at ${(app.source as { revision: string }).revision} is a Helm chart with dependencies it does not vendor in charts/: Argo CD downloads them; the check cannot offline (vendor them with helm dependency build and commit charts/ to have it checked)`);
            break;
          }
          if (chart) {
            // Argo CD's release name for a chart from git: the Application's name, so it differs per cluster.
            const template: HelmTemplate = { releaseName: `${app.name}-${cluster.name}`, namespace: app.name, chartArchive: chart.dir, values: [], kubeVersion: cluster.kubernetesVersion, apiVersions: clusterApiVersions(cluster) };
            const key = JSON.stringify(template);
            if (!renderings.has(key)) renderings.set(key, () => helmTemplate(template));
            wanted.push({ app, cluster, key });
            continue;
          }
          const key = JSON.stringify(['git', reached.commit, reached.path]);
          if (!renderings.has(key)) renderings.set(key, () => renderCommittedPath(trees, reached.commit, reached.path));
          wanted.push({ app, cluster, key });
          continue;
        }
        const valuePaths = [serviceValuesFiles.shared(app.name), serviceValuesFiles.cluster(app.name, cluster.name)];
        const missing = valuePaths.filter((path) => !files.has(path));
        if (missing.length) {
          errors.push(`${app.name} on ${cluster.name}: ${missing.map((path) => `${fleet.repo.path}/${path}`).join(' and ')} not rendered: run npm run synth (Argo CD's Application names these values files)`);
          continue;
        }
        const template: HelmTemplate = {
          releaseName: app.name,
          namespace: app.name,
          chartArchive: reached.archive,
          values: valuePaths.map((path) => files.get(path)!),
          kubeVersion: cluster.kubernetesVersion,
          apiVersions: clusterApiVersions(cluster),
        };
        const key = JSON.stringify(template);
        if (!renderings.has(key)) renderings.set(key, () => helmTemplate(template));
        wanted.push({ app, cluster, key });
      }
    }

    for (const problems of await Promise.all(archiveChecks.values())) errors.push(...problems);
    const keys = [...renderings.keys()];
    const settled = await inTurns(keys.map((key) => () => renderings.get(key)!().then((objects) => ({ objects }), (error: Error) => ({ error }))), parallelRenders);
    const byKey = new Map(keys.map((key, index) => [key, settled[index]]));
    const renders: ServiceRender[] = [];
    const reported = new Set<string>();
    for (const { app, cluster, key } of wanted) {
      const result = byKey.get(key)!;
      if ('error' in result) {
        const line = `${app.name} on ${cluster.name}: ${app.source.type === 'chart' ? 'helm template' : 'rendering the path'} fails: ${result.error.message}`;
        if (!reported.has(line)) errors.push(line);
        reported.add(line);
        continue;
      }
      // With the delete hooks, which Argo CD applies when the Application goes (the readiness check refuses them).
      renders.push({ app, cluster, objects: result.objects.filter((object) => appliedBySync(object) || isDeleteHook(object)) });
    }
    return { renders, notChecked, errors, distinctRenders: keys.length };
  } finally {
    trees.clear();
  }
}
