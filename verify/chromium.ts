import { spawn } from 'child_process';
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { delimiter, join } from 'path';
import { Readable, Writable } from 'stream';
import { inflateSync } from 'zlib';
import { Rgb } from './colours';
import { DevToolsEvent, DevToolsPipe, DevToolsSession } from './devtools';

/**
 * The names a Chromium-based browser goes by, in the order they are looked for on PATH: Debian's
 * `chromium` (scripts/install-e2e-deps.sh installs it), Ubuntu's and older Debian's
 * `chromium-browser`, and Google Chrome, which GitHub's Ubuntu runners ship (as
 * `google-chrome` and `google-chrome-stable`; Ubuntu itself ships Chromium only as a snap).
 */
export const chromiumNames = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

/**
 * The browser the page checks run: $CHROME_PATH when it is set (and names an executable), else
 * the first of `chromiumNames` on PATH; undefined when there is none. Each speaks the same
 * DevTools protocol on a pipe, which is all the checks use.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  };
  if (env.CHROME_PATH) return executable(env.CHROME_PATH) ? env.CHROME_PATH : undefined;
  const folders = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of chromiumNames) {
    const found = folders.map((folder) => join(folder, name)).find(executable);
    if (found) return found;
  }
  return undefined;
}

/** What to say when no browser is found. */
export const chromiumMissing = `a Chromium browser (${chromiumNames.join(', ')} on PATH, or $CHROME_PATH)`;

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/**
 * The flags every run uses: headless, no sandbox (CI runs as root), nothing that talks to the
 * network on its own, a fixed scale so screenshot pixels are CSS pixels, and the DevTools
 * protocol on a pipe, through which each run is driven.
 */
const baseFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--hide-scrollbars',
  '--force-device-scale-factor=1',
  '--remote-debugging-pipe',
];

/** How long a page and the frames waited for have, from the navigation, to load and paint. */
export const paintDeadlineMs = 15_000;
/** How long one Chromium run may take in all before its process group is killed. */
const runDeadlineMs = 30_000;

/** What a frame of the page showed, as its own document reports it. */
export interface FrameReport {
  /** The URL of its document: the page's, or chrome-error://... where Chromium could not load it. */
  readonly url: string;
  /** The HTTP status its document came with (its navigation entry's `responseStatus`). */
  readonly status: number;
  /** Whether its document had painted (a Paint Timing `paint` entry) within the deadline. */
  readonly painted: boolean;
}

/** What Chromium painted. */
export interface Screenshot {
  /** The viewport, as a PNG. */
  readonly png: Buffer;
  /** Each frame waited for, by name; one is missing when Chromium had no document in it to ask. */
  readonly frames: ReadonlyMap<string, FrameReport>;
}

/**
 * Loads `url` in headless Chromium with a fresh profile and captures the viewport once the page
 * has loaded and every frame named in `frameNames` (an `<iframe name>` of the page) has painted,
 * or the deadline has passed; the screenshot's `frames` tell which did. Chromium runs in its own
 * process group, which is killed afterwards, so no helper process outlives the call.
 *
 * Chromium's own `--screenshot` cannot be used for a page of frames: it captures as soon as the
 * top document fires `load` (headless_command.js in Chromium's components/headless), and the
 * flags that tune it only bound that wait (`--timeout`) or fast-forward timers
 * (`--virtual-time-budget`), see https://developer.chrome.com/docs/automation-and-testing/headless-cli.
 * `load` waits for every frame to have loaded, not painted. A frame of another site, such as a
 * page of http://[::1]:PORT/ in a file:// sheet, is an out-of-process frame: another renderer
 * paints it, and on a busy machine its first paint reaches the screen hundreds of milliseconds
 * after `load`, so the capture showed the sheet's white in its place (also with
 * `--run-all-compositor-stages-before-draw`, which orders one compositor's stages and does not
 * wait for another renderer's first frame). Here each frame waited for is asked, in an isolated
 * world, for its first `paint` performance entry (Paint Timing, https://www.w3.org/TR/paint-timing/:
 * the first time the browser rendered its document), and the capture (`Page.captureScreenshot`)
 * comes after them all.
 */
export async function screenshot(url: string, viewport: Viewport = { width: 800, height: 600 }, frameNames: readonly string[] = []): Promise<Screenshot> {
  const profile = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
  const args = [...baseFlags, `--user-data-dir=${profile}`, `--window-size=${viewport.width},${viewport.height}`];
  const chromiumBinary = findChromium();
  if (!chromiumBinary) throw new Error(`${chromiumMissing} is not installed: run scripts/install-e2e-deps.sh`);
  const child = spawn(chromiumBinary, args, { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  const devtools = new DevToolsPipe(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      devtools.close(new Error(`cannot start ${chromiumBinary}: ${error.message}`));
      resolve();
    });
    child.once('close', (code, signal) => {
      devtools.close(new Error(`chromium ${signal ?? `exited ${code}`} before it had painted ${url}`));
      resolve();
    });
  });
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group has already gone.
    }
  };
  const timer = setTimeout(() => {
    devtools.close(new Error(`chromium did not paint ${url} within ${runDeadlineMs / 1000} s`));
    killGroup();
  }, runDeadlineMs);
  try {
    return await capture(devtools, url, viewport, frameNames);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${output.slice(-4000)}`);
  } finally {
    clearTimeout(timer);
    // Nothing of the run is needed any more, so no clean shutdown: killed processes write nothing
    // to the profile that is removed next.
    killGroup();
    await exited;
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Run in a frame, `remainingMs` before the deadline: its name and FrameReport as soon as its
 * document has painted (first-paint or first-contentful-paint, whichever Chromium records
 * first), or at the deadline. An entry recorded before the call is read at once, a later one
 * observed, so no paint is missed in between.
 */
const frameProbe = (remainingMs: number) => `new Promise((resolve) => {
  const report = (painted) => resolve({
    name: window.name,
    url: location.href,
    status: performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0,
    painted,
  });
  if (performance.getEntriesByType('paint').length > 0) return report(true);
  new PerformanceObserver((entries, observer) => { observer.disconnect(); report(true); }).observe({ type: 'paint' });
  setTimeout(() => report(false), ${remainingMs});
})`;

async function capture(devtools: DevToolsPipe, url: string, viewport: Viewport, frameNames: readonly string[]): Promise<Screenshot> {
  const deadline = Date.now() + paintDeadlineMs;
  const browser = devtools.session();
  const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank' });
  const page = devtools.session((await browser.send('Target.attachToTarget', { targetId, flatten: true })).sessionId);
  // Out-of-process frames are targets of their own, attached as Chromium creates them (before
  // they load, so before the page's `load`), each with a session of its own.
  const frameSessions: DevToolsSession[] = [];
  const loadedDocuments = new Set<string>();
  const stopListening = devtools.listen((event) => {
    if (event.sessionId !== page.id) return;
    if (event.method === 'Target.attachedToTarget' && event.params.targetInfo.type === 'iframe') frameSessions.push(devtools.session(event.params.sessionId));
    if (event.method === 'Page.lifecycleEvent' && event.params.name === 'load') loadedDocuments.add(event.params.loaderId);
  });
  try {
    await page.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true });
    await page.send('Emulation.setDeviceMetricsOverride', { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false });
    await page.send('Page.enable');
    await page.send('Page.setLifecycleEventsEnabled', { enabled: true });
    const navigation = await page.send('Page.navigate', { url });
    if (navigation.errorText) throw new Error(`Chromium cannot load ${url}: ${navigation.errorText}`);
    // Its `load` may have been read with the navigation's answer, before this line runs.
    if (!loadedDocuments.has(navigation.loaderId)) {
      await nextEvent(devtools, (event) => event.sessionId === page.id && event.method === 'Page.lifecycleEvent'
        && event.params.name === 'load' && event.params.loaderId === navigation.loaderId, deadline);
    }
    const reports = await frameReports(page, frameSessions, frameNames, deadline);
    const { data } = await page.send('Page.captureScreenshot', { format: 'png' });
    return { png: Buffer.from(data, 'base64'), frames: reports };
  } finally {
    stopListening();
  }
}

/** Waits for the next event that `matches`, or for the deadline. */
function nextEvent(devtools: DevToolsPipe, matches: (event: DevToolsEvent) => boolean, deadline: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { stop(); resolve(); }, Math.max(0, deadline - Date.now()));
    const stop = devtools.listen((event) => {
      if (!matches(event)) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

/**
 * The report of each frame named in `names`, by name, once each has painted or the deadline
 * has passed. A frame is probed where it lives: the page's own (same-process) frames through
 * the page's session, an out-of-process one through its own session. A probe that fails (its
 * frame is not in that session, or its document was replaced) leaves the frame unreported.
 */
async function frameReports(page: DevToolsSession, frameSessions: readonly DevToolsSession[], names: readonly string[], deadline: number): Promise<Map<string, FrameReport>> {
  const reports = new Map<string, FrameReport>();
  if (names.length === 0) return reports;
  const probeFrames = async (session: DevToolsSession, childrenOnly: boolean) => {
    const { frameTree } = await session.send('Page.getFrameTree');
    const frames: Array<{ frame: { id: string } }> = childrenOnly ? frameTree.childFrames ?? [] : [frameTree];
    await Promise.allSettled(frames.map(async ({ frame }) => {
      const { executionContextId } = await session.send('Page.createIsolatedWorld', { frameId: frame.id, worldName: 'paint-check' });
      const expression = frameProbe(Math.max(0, deadline - Date.now()));
      const { result } = await session.send('Runtime.evaluate', { expression, contextId: executionContextId, awaitPromise: true, returnByValue: true });
      const { name, ...report } = result.value as FrameReport & { name: string };
      if (names.includes(name)) reports.set(name, report);
    }));
  };
  await Promise.allSettled([probeFrames(page, true), ...frameSessions.map((session) => probeFrames(session, false))]);
  return reports;
}

export interface Image extends Viewport {
  pixel(x: number, y: number): Rgb;
}

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG: what Chromium's screenshots are. */
export function decodePng(png: Buffer): Image {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    offset += length + 12;
  }
  if (!header) throw new Error('PNG without IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [bitDepth, colourType, , , interlace] = header.subarray(8);
  if (bitDepth !== 8 || (colourType !== 2 && colourType !== 6) || interlace !== 0) {
    throw new Error(`unsupported PNG: bit depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}`);
  }
  const channels = colourType === 6 ? 4 : 3;
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(data));
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? pixels[y * stride + i - channels] : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + i] : 0;
      const upLeft = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
      pixels[y * stride + i] = (line[i] + unfilter(filter, left, up, upLeft)) & 0xff;
    }
  }
  return {
    width,
    height,
    pixel(x, y) {
      const at = y * stride + x * channels;
      return [pixels[at], pixels[at + 1], pixels[at + 2]];
    },
  };
}

function unfilter(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0: return 0;
    case 1: return left;
    case 2: return up;
    case 3: return (left + up) >> 1;
    case 4: {
      const estimate = left + up - upLeft;
      const [dLeft, dUp, dUpLeft] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
      return dLeft <= dUp && dLeft <= dUpLeft ? left : dUp <= dUpLeft ? up : upLeft;
    }
    default: throw new Error(`PNG filter ${filter} is not defined`);
  }
}
