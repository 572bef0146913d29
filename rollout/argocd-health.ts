/**
 * The health of a wave's Applications, as Argo CD's API server reports them: GET
 * /api/v1/applications with a bearer token (argo-cd v3.4.4 server/application/application.go
 * List; the token of an account with get on applications, `argocd account generate-token`).
 * Each Application's cluster is its `fleet/cluster` label, which every Application this project
 * generates carries; its revisions are status.sync.revision, or status.sync.revisions for one of
 * several sources.
 */

/** What promotion reads of one Application. */
export interface ApplicationHealth {
  readonly name: string;
  readonly cluster: string;
  readonly sync: string;
  readonly health: string;
  /** The revisions it is synced at of this repository's sources (status.sync.revisions lines up with spec.sources); none when it reads no source of this repository. */
  readonly revisions: readonly string[];
}

/** Argo CD could not be asked, or answered what this is not. */
export class ArgoCdApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgoCdApiError';
  }
}

/**
 * The Applications an Argo CD API server lists (`server`: https://host[:port], as the argocd CLI's
 * ARGOCD_SERVER without a scheme gets https://), with the revisions of `repoURL`'s sources: a
 * service's git source of another repository is synced at a commit of that one.
 */
export async function fetchApplications(server: string, token: string, repoURL: string): Promise<ApplicationHealth[]> {
  const base = /^https?:\/\//.test(server) ? server.replace(/\/+$/, '') : `https://${server.replace(/\/+$/, '')}`;
  let response: Response;
  try {
    response = await fetch(`${base}/api/v1/applications`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  } catch (error) {
    throw new ArgoCdApiError(`Argo CD at ${base} did not answer: ${(error as Error).message}${(error as { cause?: Error }).cause ? ` (${(error as { cause?: Error }).cause!.message})` : ""}`);
  }
  if (response.status === 401 || response.status === 403) throw new ArgoCdApiError(`Argo CD at ${base} refused the token (HTTP ${response.status}): give a token of an account that may get applications (ARGOCD_AUTH_TOKEN)`);
  if (!response.ok) throw new ArgoCdApiError(`Argo CD at ${base} answered HTTP ${response.status} to GET /api/v1/applications`);
  const body = await response.json() as { items?: Array<Record<string, any>> | null };
  const ours = (source: Record<string, any> | undefined) => normalizeRepo(String(source?.repoURL ?? '')) === normalizeRepo(repoURL);
  return (body.items ?? []).map((item) => {
    const sources: Array<Record<string, any>> | undefined = item.spec?.sources;
    const revisions = sources
      ? sources.flatMap((source, index) => (ours(source) && item.status?.sync?.revisions?.[index] ? [String(item.status.sync.revisions[index])] : []))
      : (ours(item.spec?.source) && item.status?.sync?.revision ? [String(item.status.sync.revision)] : []);
    return {
      name: String(item.metadata?.name ?? ''),
      cluster: String(item.metadata?.labels?.['fleet/cluster'] ?? ''),
      sync: String(item.status?.sync?.status ?? 'Unknown'),
      health: String(item.status?.health?.status ?? 'Unknown'),
      revisions,
    };
  });
}

/** A repository URL as Argo CD compares them: no trailing ".git" or "/", in lower case (argo-cd v3.4.4 util/git NormalizeGitURL, in the large). */
function normalizeRepo(url: string): string {
  return url.toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');
}

/**
 * Each Application of the clusters that is not Synced and Healthy at the change (`contains`: whether
 * a revision it is synced at holds the change), one line each; a line too when Argo CD reports no
 * Application on those clusters at all (another Argo CD, or the wave not registered).
 */
export function unhealthyApplications(applications: readonly ApplicationHealth[], clusters: readonly string[], contains: (revision: string) => boolean, expected: readonly string[] = []): string[] {
  const ofWave = applications.filter((application) => clusters.includes(application.cluster));
  if (!ofWave.length) return [`Argo CD reports no Application on ${clusters.join(', ')}: is it the fleet's Argo CD?`];
  // Argo CD lists only what the token may get: an Application dist/ generates there that it does not list is not known healthy.
  const listed = new Set(ofWave.map((application) => application.name));
  const missing = expected.filter((name) => !listed.has(name)).map((name) => `${name}: not listed by Argo CD (not created yet, or the token may not get it)`);
  return [...missing, ...ofWave.flatMap((application) => {
    const problems: string[] = [];
    if (application.sync !== 'Synced') problems.push(`sync ${application.sync}`);
    if (application.health !== 'Healthy') problems.push(`health ${application.health}`);
    if (application.sync === 'Synced' && application.revisions.length && !application.revisions.some(contains)) problems.push(`synced at ${application.revisions.map((revision) => revision.slice(0, 12)).join(', ')}, before the change`);
    return problems.length ? [`${application.name} (${application.cluster}): ${problems.join(', ')}`] : [];
  })];
}
