import { ChildProcess, spawn, spawnSync } from 'child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { randomInt } from 'crypto';
import { createServer } from 'net';
import { join } from 'path';
import { appSharedPath } from '../catalog/dist-layout';
import { nginxPaths } from '../values/test-app-site';
import { findObject, renderedFileObjects } from './rendered';
import { scratchFolder } from './scratch';

/** Debian's nginx (`scripts/install-e2e-deps.sh` installs it). */
export const nginxBinary = '/usr/sbin/nginx';

/** The most sites one nginx serves: each listens on a socket of its own. */
export const maxSitesPerNginx = 400;

/** The two files of a test app's ConfigMap, exactly as dist/ has them. */
export interface RenderedSite {
  readonly name: string;
  readonly serverConf: string;
  readonly indexHtml: string;
}

/** Where the adapted server config points on this machine. */
export interface SiteLocation {
  readonly port: number;
  readonly htmlDir: string;
}

export interface NginxServer {
  /** The port each site listens on, by app name. */
  readonly ports: ReadonlyMap<string, number>;
  /** The port of the first site. */
  readonly port: number;
  /** Stops nginx and removes its temp dir; safe to call twice. */
  stop(): Promise<void>;
}

/** The ConfigMap data of one app, from its apps/<app>/app.yaml in a render of dist/ (path -> text). */
export function renderedSite(files: ReadonlyMap<string, string>, appName: string): RenderedSite {
  if (!files.has(appSharedPath(appName))) throw new Error(`${appSharedPath(appName)} is not in the rendered files`);
  const configMap = findObject(renderedFileObjects(files, appSharedPath(appName)), 'ConfigMap', appName);
  return { name: appName, serverConf: configMap.data[nginxPaths.confFile], indexHtml: configMap.data[nginxPaths.htmlFile] };
}

const listenPort = /^(\s*listen\s+(?:\S*:)?)(\d+)(?=[\s;])/gm;
const htmlRoot = new RegExp(`^(\\s*root\\s+)${nginxPaths.htmlDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=;)`, 'gm');

/**
 * The only changes made to a rendered server config to run it here: the port of every `listen`
 * directive (a free port instead of the container port) and the html root (a temp dir instead
 * of the ConfigMap mount). Everything else, including the listen address and its parameters,
 * runs as rendered.
 */
export function adaptServerConf(rendered: string, location: SiteLocation): string {
  if (!rendered.match(listenPort)) throw new Error('the server config has no `listen PORT` directive to adapt');
  if (!rendered.match(htmlRoot)) throw new Error(`the server config has no \`root ${nginxPaths.htmlDir};\` to adapt`);
  return rendered
    .replace(listenPort, (_match, directive: string) => `${directive}${location.port}`)
    .replace(htmlRoot, (_match, directive: string) => `${directive}${location.htmlDir}`);
}

/** A TCP port free on both IPv6 and IPv4 loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '::', port: 0, ipv6Only: false }, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Who nginx runs as. As root (CI), nobody:nogroup, like the image's uid 101: the main config
 * below has no `user` directive and nginx runs in one process, so it never switches user itself.
 * As anyone else, that user.
 */
function unprivilegedIdentity(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
}

/**
 * The main config: what the image's /etc/nginx/nginx.conf sets, with the pid file, logs and
 * temp paths in `dir` so an unprivileged nginx can write them, and every site's server config.
 * One process (no master/worker), in the foreground: stopping its pid stops everything it started.
 * Each site's listening socket counts against worker_connections (512 by default), so it grows
 * with the sites, with room for the connections of the checks; callers keep the sites of one
 * nginx below maxSitesPerNginx, which also keeps the open files under a default limit of 1,024.
 */
function mainConf(dir: string, sites: number): string {
  return `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log stderr notice;
events { worker_connections ${sites + 512}; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    include ${dir}/conf.d/*.conf;
}
`;
}

interface PreparedSites {
  readonly dir: string;
  readonly args: readonly string[];
}

/** A folder with each site's adapted server config (conf.d/<app>.conf) and page (<app>/index.html), and the main config. */
function prepare(sites: readonly RenderedSite[], ports: readonly number[]): PreparedSites {
  const dir = scratchFolder('e2e-nginx-');
  mkdirSync(join(dir, 'conf.d'));
  sites.forEach((site, index) => {
    const htmlDir = join(dir, 'sites', site.name);
    mkdirSync(htmlDir, { recursive: true });
    writeFileSync(join(dir, 'conf.d', `${site.name}.conf`), adaptServerConf(site.serverConf, { port: ports[index], htmlDir }));
    writeFileSync(join(htmlDir, nginxPaths.htmlFile), site.indexHtml);
  });
  writeFileSync(join(dir, 'nginx.conf'), mainConf(dir, sites.length));
  const identity = unprivilegedIdentity();
  if (identity) chownTree(dir, identity);
  return { dir, args: ['-p', dir, '-e', 'stderr', '-c', join(dir, 'nginx.conf')] };
}

function chownTree(path: string, identity: { uid: number; gid: number }): void {
  chownSync(path, identity.uid, identity.gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) chownTree(join(path, entry.name), identity);
    else chownSync(join(path, entry.name), identity.uid, identity.gid);
  }
}

/** What `nginx -t` says of a config. */
export interface ConfigTest {
  /** Whether nginx accepts it. */
  readonly ok: boolean;
  readonly output: string;
}

function testConfig(prepared: PreparedSites): ConfigTest {
  const result = spawnSync(nginxBinary, ['-t', ...prepared.args], { encoding: 'utf8', timeout: 30_000, ...unprivilegedIdentity() });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** `nginx -t` on the adapted sites, as the unprivileged user; `ok` when nginx accepts them. */
export async function checkNginxConfig(sites: readonly RenderedSite[]): Promise<ConfigTest> {
  const prepared = prepare(sites, await freePorts(sites.length));
  try {
    return testConfig(prepared);
  } finally {
    rmSync(prepared.dir, { recursive: true, force: true });
  }
}

/**
 * `nginx -t` on the sites and, when `accepted` takes what it says, one nginx serving them from
 * the same folder (checkNginxConfig then startNginx, with the sites written once).
 */
export async function testAndStartNginx(sites: readonly RenderedSite[], accepted: (test: ConfigTest) => boolean): Promise<{ test: ConfigTest; server?: NginxServer }> {
  const ports = await freePorts(sites.length);
  const prepared = prepare(sites, ports);
  let test: ConfigTest;
  try {
    test = testConfig(prepared);
  } catch (error) {
    rmSync(prepared.dir, { recursive: true, force: true });
    throw error;
  }
  if (!accepted(test)) {
    rmSync(prepared.dir, { recursive: true, force: true });
    return { test };
  }
  const server = await launch(prepared, new Map(sites.map((site, index) => [site.name, ports[index]]))).catch((error: Error) => {
    rmSync(prepared.dir, { recursive: true, force: true });
    // A port taken in between: startNginx picks others.
    if (/Address already in use/.test(error.message)) return undefined;
    throw error;
  });
  return { test, server: server ?? await startNginx(sites) };
}

/** Whether `port` can be listened on, on IPv6 and IPv4 loopback, right now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '::', port, ipv6Only: false, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The lowest port of the kernel's ephemeral range (the ports it hands to connect() and to listen on port 0). */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

/**
 * Where the next freePorts call starts looking: each call takes ports after the last one's, from a
 * random start in each process, so processes checking at once (jest's workers, a check beside the
 * tests) rarely try the same ports; when they do, a taken port is skipped or nginx's start retries.
 */
let nextPort: number | undefined;

/**
 * `count` different TCP ports, each free on IPv6 and IPv4 loopback right now: below the kernel's
 * ephemeral range, tried in order from where the last call stopped. Asking the kernel for port 0
 * instead, once per site, searched the ephemeral range each time, where the check's thousands of
 * page requests leave their client ports in TIME_WAIT: seconds per batch of sites, from run to run.
 */
export async function freePorts(count: number): Promise<number[]> {
  const low = 10000;
  const high = Math.max(low + 2 * count, ephemeralLow());
  const ports: number[] = [];
  nextPort ??= randomInt(high - low);
  // Stops after 1,024 ports in a row that are all taken (no IPv6 loopback, say) and asks the kernel instead.
  for (let tried = 0, takenInARow = 0; ports.length < count && tried < high - low && takenInARow < 1024;) {
    const start: number = nextPort;
    const candidates = Array.from({ length: Math.min(64, high - low - tried) }, (_, index) => low + ((start + index) % (high - low)));
    tried += candidates.length;
    nextPort = (start + candidates.length) % (high - low);
    const free = await Promise.all(candidates.map(portIsFree));
    for (const [index, port] of candidates.entries()) if (free[index] && ports.length < count) ports.push(port);
    takenInARow = free.some(Boolean) ? 0 : takenInARow + candidates.length;
  }
  // A machine with that range taken: the kernel's own choice, one at a time.
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}

/**
 * Starts one nginx serving the rendered sites, each on a free port of its own, and waits until
 * it listens (nginx writes its pid file only after binding every listen socket). Tries other
 * ports if one picked was taken in between.
 */
export async function startNginx(sites: RenderedSite | readonly RenderedSite[]): Promise<NginxServer> {
  const list: readonly RenderedSite[] = Array.isArray(sites) ? sites : [sites as RenderedSite];
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(list.length);
    const prepared = prepare(list, ports);
    const server = await launch(prepared, new Map(list.map((site, index) => [site.name, ports[index]]))).catch((error: Error) => {
      rmSync(prepared.dir, { recursive: true, force: true });
      if (attempt < 3 && /Address already in use/.test(error.message)) return undefined;
      throw error;
    });
    if (server) return server;
  }
}

async function launch(prepared: PreparedSites, ports: ReadonlyMap<string, number>): Promise<NginxServer> {
  const child = spawn(nginxBinary, prepared.args, { stdio: ['ignore', 'ignore', 'pipe'], ...unprivilegedIdentity() });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async (): Promise<void> => {
    await stopProcess(child, exited);
    rmSync(prepared.dir, { recursive: true, force: true });
  };
  try {
    await waitForPidFile(child, join(prepared.dir, 'nginx.pid'), () => stderr);
  } catch (error) {
    await stopProcess(child, exited);
    throw error;
  }
  return { ports, port: ports.values().next().value!, stop };
}

async function waitForPidFile(child: ChildProcess, pidFile: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let spawnError: Error | undefined;
  child.once('error', (error) => { spawnError = error; });
  while (!(existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() === String(child.pid))) {
    if (spawnError) throw new Error(`cannot start ${nginxBinary}: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}) before listening:\n${log()}`);
    }
    if (Date.now() > deadline) throw new Error(`nginx did not start within 10 s:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** SIGTERM (nginx's fast shutdown), then SIGKILL if it has not exited within 5 s. */
async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
