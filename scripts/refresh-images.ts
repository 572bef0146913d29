/**
 * Pins the test app's nginx image by digest: asks the registry once for the digest of the tag in
 * data/images.json and writes it there, so every pod of every cluster pulls the same bytes and
 * synth stays offline and deterministic (it only reads the file).
 *
 *   npm run refresh:images [-- --registry <https://host>]
 *
 * Uses the OCI distribution API: an anonymous pull token (ECR Public: /token/?scope=...), then a
 * HEAD of the tag's manifest, whose Docker-Content-Digest header is the digest of the manifest
 * list (every platform). Needs the network; the tests run it against a local fake registry.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parseArgs } from 'util';

export const imagesFile = join(__dirname, '..', 'data', 'images.json');

/** An image of data/images.json: where it is, its tag, and the digest once resolved. */
export interface PinnedImage {
  readonly repository: string;
  readonly tag: string;
  readonly digest: string | null;
}

const manifestTypes = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** The registry host and the repository path of `public.ecr.aws/nginx/nginx-unprivileged`. */
function splitRepository(repository: string): { host: string; path: string } {
  const slash = repository.indexOf('/');
  return { host: repository.slice(0, slash), path: repository.slice(slash + 1) };
}

/** The digest the registry gives the tag's manifest. `registry` replaces https://<host> (for tests). */
export async function resolveDigest(image: PinnedImage, registry?: string): Promise<string> {
  const { host, path } = splitRepository(image.repository);
  const base = registry ?? `https://${host}`;
  const tokenResponse = await fetch(`${base}/token/?scope=repository:${path}:pull`);
  if (!tokenResponse.ok) throw new Error(`${base}: no pull token for ${path} (HTTP ${tokenResponse.status})`);
  const { token } = await tokenResponse.json() as { token?: string };
  const manifest = await fetch(`${base}/v2/${path}/manifests/${image.tag}`, {
    method: 'HEAD',
    headers: { Accept: manifestTypes, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const digest = manifest.headers.get('docker-content-digest');
  if (!manifest.ok || !digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new Error(`${base}: no digest for ${image.repository}:${image.tag} (HTTP ${manifest.status}, digest ${digest ?? 'none'})`);
  }
  return digest;
}

/** data/images.json with every image's digest resolved. */
export async function refreshImages(file: string, registry?: string): Promise<Record<string, PinnedImage>> {
  const images = JSON.parse(readFileSync(file, 'utf8')) as Record<string, PinnedImage>;
  const pinned: Record<string, PinnedImage> = {};
  for (const [name, image] of Object.entries(images)) pinned[name] = { ...image, digest: await resolveDigest(image, registry) };
  writeFileSync(file, `${JSON.stringify(pinned, null, 2)}\n`);
  return pinned;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { registry: { type: 'string' }, file: { type: 'string' } } });
  refreshImages(values.file ?? imagesFile, values.registry).then((pinned) => {
    for (const [name, image] of Object.entries(pinned)) console.log(`${name}: ${image.repository}:${image.tag}@${image.digest}`);
  }, (error: Error) => {
    console.error(`refresh:images failed: ${error.message}`);
    process.exitCode = 1;
  });
}
