/**
 * The test apps' pages, checked the way a visitor meets them: each app's ConfigMap as rendered,
 * served by the real nginx (its config as rendered, only the listen port and html root adapted)
 * on IPv6 and IPv4 loopback, and painted by headless Chromium.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { get, IncomingHttpHeaders } from 'http';
import { hostname, tmpdir } from 'os';
import { join } from 'path';
import { nginxPaths } from '../values/test-app-site';
import { chromiumMissing, decodePng, findChromium, FrameReport, paintDeadlineMs, screenshot } from './chromium';
import { firstNames } from '../config/messages';
import { Paint, paintedColour, Rgb, showsPaint } from './colours';
import { maxSitesPerNginx, nginxBinary, RenderedSite, renderedSite, testAndStartNginx } from './nginx';

/** The programs the page checks run that are not installed (scripts/install-e2e-deps.sh installs them): nginx, and a Chromium browser (verify/chromium.ts finds one). */
export function missingPagePrograms(): string[] {
  return [...(existsSync(nginxBinary) ? [] : [nginxBinary]), ...(findChromium() ? [] : [chromiumMissing])];
}

export interface Page {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** GET over loopback only: [::1] for IPv6, 127.0.0.1 for IPv4. */
export function fetchOver(family: 4 | 6, port: number, path = '/'): Promise<Page> {
  const host = family === 6 ? '::1' : '127.0.0.1';
  return new Promise((resolve, reject) => {
    const request = get({ host, family, port, path, agent: false, timeout: 5_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${host} port ${port} within 5 s`)));
    request.on('error', reject);
  });
}

/** The text of the page's `<code id="...">` field, as nginx's SSI filled it in. */
export function pageField(body: string, id: string): string | undefined {
  return body.match(new RegExp(`<code id="${id}">([^<]*)</code>`))?.[1];
}

/** What an app's page must show. */
export interface ExpectedPage {
  readonly name: string;
  readonly backgroundColor: string;
}

/** What is wrong with a page as nginx served it over IPv6 or IPv4; empty when nothing is. */
export function pageProblems(page: Page, app: ExpectedPage, expectedPodIp: string): string[] {
  const problems: string[] = [];
  if (page.status !== 200) problems.push(`answers ${page.status}, expected 200`);
  if (!/^text\/html/.test(String(page.headers['content-type']))) problems.push(`is served as ${page.headers['content-type']}, expected text/html`);
  if (!page.body.includes(`<h1 id="app-name">${app.name}</h1>`)) problems.push('does not show the app\'s name');
  if (!page.body.includes(`background-color: ${app.backgroundColor};`)) problems.push(`does not set the background ${app.backgroundColor}`);
  if (pageField(page.body, 'pod-name') !== hostname()) problems.push(`shows pod name ${JSON.stringify(pageField(page.body, 'pod-name'))}, expected this host's name`);
  if (pageField(page.body, 'pod-ip') !== expectedPodIp) problems.push(`shows pod IP ${JSON.stringify(pageField(page.body, 'pod-ip'))}, expected ${expectedPodIp}`);
  if (page.body.includes('<!--#')) problems.push('has SSI directives nginx did not process');
  return problems;
}

/** The points of a page's screenshot that show its background: the margins, away from the centred card. */
export function marginPoints(width: number, height: number): Array<[number, number]> {
  return [[4, 4], [width - 5, 4], [4, height - 5], [width - 5, height - 5], [4, height >> 1], [width - 5, height >> 1]];
}

/** The size of one page in a screenshot, as a browser window shows it. */
const pageWidth = 800;
const pageHeight = 600;
/** Pages side by side on one sheet, and rows of them: one Chromium run paints up to 25 pages. */
const sheetColumns = 5;
const sheetRows = 5;

/** What a page is painted to show: its URL and its background colour. */
export interface PaintedPage {
  readonly url: string;
  readonly colour: string;
}

/**
 * What is wrong with how Chromium paints each page: its background must be its colour, its
 * centre the white card with the pod's name and address. The pages are painted 25 at a time,
 * each in a frame of a window's size on a white sheet, so a fleet of many colours needs few
 * Chromium runs. (Where the card is indistinguishable from the background, as on white, only
 * the background is checked.)
 */
export async function paintProblems(pages: readonly PaintedPage[]): Promise<string[][]> {
  const problems: string[][] = [];
  for (let start = 0; start < pages.length; start += sheetColumns * sheetRows) {
    problems.push(...await paintSheet(pages.slice(start, start + sheetColumns * sheetRows)));
  }
  return problems;
}

async function paintSheet(pages: readonly PaintedPage[]): Promise<string[][]> {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-screenshot-'));
  try {
    const at = (index: number): [number, number] => [(index % sheetColumns) * pageWidth, Math.floor(index / sheetColumns) * pageHeight];
    const frameName = (index: number) => `page-${index}`;
    const frames = pages.map((page, index) => {
      const [left, top] = at(index);
      return `<iframe name="${frameName(index)}" src="${page.url}" style="position:absolute;left:${left}px;top:${top}px;width:${pageWidth}px;height:${pageHeight}px;border:0"></iframe>`;
    });
    const sheet = join(dir, 'sheet.html');
    writeFileSync(sheet, `<!DOCTYPE html><html><body style="margin:0;background:white">${frames.join('')}</body></html>\n`);
    const rows = Math.ceil(pages.length / sheetColumns);
    const viewport = { width: Math.min(pages.length, sheetColumns) * pageWidth, height: rows * pageHeight };
    const shot = await screenshot(`file://${sheet}`, viewport, pages.map((_, index) => frameName(index)));
    const image = decodePng(shot.png);
    return pages.map((page, index) => {
      // A page Chromium did not load or paint shows the sheet's white: that is no colour to report.
      const loadProblem = frameProblem(page, shot.frames.get(frameName(index)));
      if (loadProblem) return [loadProblem];
      const [left, top] = at(index);
      const paint = paintedColour(page.colour);
      const pixel = (x: number, y: number) => image.pixel(left + x, top + y);
      const problems = marginPoints(pageWidth, pageHeight)
        .map(([x, y]) => ({ x, y, rgb: pixel(x, y) }))
        .filter((point) => !showsPaint(point.rgb, paint))
        .map((point) => `paints (${point.x}, ${point.y}) rgb(${point.rgb.join(', ')}), expected rgb(${paint.rgb.join(', ')}) for ${page.colour}`);
      const card = cardPaint(paint.rgb);
      if (!showsPaint(card.rgb, paint) && showsPaint(pixel(pageWidth >> 1, pageHeight >> 1), paint)) {
        problems.push('paints the centre in the background colour: the card with the pod name and IP is missing');
      }
      return problems;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Why the page's frame on the sheet shows no page, if it does not: it did not load, or did not paint. */
function frameProblem(page: PaintedPage, frame: FrameReport | undefined): string | undefined {
  const seconds = paintDeadlineMs / 1000;
  if (!frame) return `did not load: Chromium had no document in its frame after ${seconds} s`;
  if (frame.url !== page.url) return `did not load: Chromium shows ${frame.url} instead of ${page.url}`;
  if (frame.status !== 200) return `did not load: Chromium got HTTP status ${frame.status} for ${page.url}`;
  if (!frame.painted) return `loaded, but Chromium had not painted it within ${seconds} s`;
  return undefined;
}

/** The card's paint over a background: white at 85% (values/test-app-site.ts), within 2 of the computed value. */
function cardPaint(background: Rgb): Paint {
  return { rgb: background.map((value) => Math.round(255 * 0.85 + value * 0.15)) as unknown as Rgb, tolerance: 2 };
}

/**
 * Apps whose pages are asked for at a time: each waits on nginx and the loopback between its
 * requests, which one app after another left the cores idle for (9,000 requests at 3,000 apps).
 */
const parallelVisitors = 16;

/** `visit` of every item, `parallel` at a time; the results in the order of the items. */
async function inParallel<T, R>(items: readonly T[], parallel: number, visit: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await visit(items[index]);
    }
  }));
  return results;
}

/**
 * Every problem of the apps' pages in a render of dist/ (path -> text), each prefixed with the
 * app's name: nginx -t on every config, every page over IPv6 and IPv4 and its health check, and
 * how Chromium paints one page of each distinct background colour (the page differs only in name
 * and colour otherwise). The sites run in one nginx, each on a port of its own, a few hundred at
 * a time.
 */
export async function checkPages(files: ReadonlyMap<string, string>, apps: readonly ExpectedPage[]): Promise<string[]> {
  const problems: string[] = [];
  const painted = new Set<string>();
  for (let start = 0; start < apps.length; start += maxSitesPerNginx) {
    const batch = apps.slice(start, start + maxSitesPerNginx);
    const sites: RenderedSite[] = batch.map((app) => renderedSite(files, app.name));
    const { test, server } = await testAndStartNginx(sites, (result) => result.ok && !/\[(warn|emerg|crit|alert)\]/.test(result.output));
    if (!server) {
      problems.push(`nginx -t rejects the rendered configs of ${firstNames(batch.map((app) => app.name))}:\n${test.output.trim()}`);
      continue;
    }
    try {
      const servedProblems = await inParallel(batch, parallelVisitors, async (app) => {
        const port = server.ports.get(app.name)!;
        const found: string[] = [];
        const say = (problem: string) => found.push(`${app.name}: ${problem}`);
        for (const [family, podIp] of [[6, '::1'], [4, '::ffff:127.0.0.1']] as const) {
          const page = await fetchOver(family, port).catch((error: Error) => error);
          if (page instanceof Error) say(`its page is not reachable over IPv${family}: ${page.message}`);
          else for (const problem of pageProblems(page, app, podIp)) say(`over IPv${family} its page ${problem}`);
        }
        const health = await fetchOver(6, port, nginxPaths.healthPath).catch((error: Error) => error);
        if (health instanceof Error || health.status !== 200 || health.body !== 'ok\n') say(`its health check ${nginxPaths.healthPath} does not answer 200 "ok"`);
        return found;
      });
      problems.push(...servedProblems.flat());
      const toPaint = batch.filter((app) => !painted.has(app.backgroundColor) && painted.add(app.backgroundColor));
      const paint = await paintProblems(toPaint.map((app) => ({ url: `http://[::1]:${server.ports.get(app.name)}/`, colour: app.backgroundColor })));
      toPaint.forEach((app, index) => problems.push(...paint[index].map((problem) => `${app.name}: Chromium ${problem}`)));
    } finally {
      await server.stop();
    }
  }
  return problems;
}
