import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { get, IncomingHttpHeaders } from 'http';
import { hostname, tmpdir } from 'os';
import { join } from 'path';
import { nginxPaths } from '../../lib/test-app-content';
import { defaultFleet } from '../support/fleet-fixtures';
import { chromiumBinary, decodePng, Rgb, screenshot } from './chromium';
import { adaptServerConf, checkNginxConfig, freePort, nginxBinary, NginxServer, readRenderedSite, startNginx } from './nginx';

// End to end: each app's ConfigMap from dist/, served by the real nginx on loopback and loaded
// in headless Chromium. On CI a missing nginx or chromium fails the tests; elsewhere it skips.
const apps = defaultFleet().apps;
const missing = [nginxBinary, chromiumBinary].filter((binary) => !existsSync(binary));
const onCi = Boolean(process.env.CI) && process.env.CI !== 'false';
const runsE2e = missing.length === 0 || onCi;
if (!runsE2e) {
  console.warn(`Skipping the nginx/Chromium end-to-end tests: ${missing.join(' and ')} not installed (run scripts/install-e2e-deps.sh).`);
}
const describeE2e = runsE2e ? describe : describe.skip;

function assertInstalled(): void {
  if (missing.length > 0) {
    throw new Error(`${missing.join(' and ')} not installed: CI runs the end-to-end tests, so .ci/run must run scripts/install-e2e-deps.sh first.`);
  }
}

/** The fleet.yaml colours of the test apps, as a browser paints them. */
const rgbOfColour: Record<string, Rgb> = {
  yellow: [255, 255, 0],
  red: [255, 0, 0],
  blue: [0, 0, 255],
};

function expectedRgb(colour: string): Rgb {
  const rgb = rgbOfColour[colour];
  if (!rgb) throw new Error(`fleet.yaml has the colour "${colour}": add its RGB to rgbOfColour in ${__filename}.`);
  return rgb;
}

interface Page {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** GET over loopback only: [::1] for IPv6, 127.0.0.1 for IPv4. */
function fetchOver(family: 4 | 6, port: number, path = '/'): Promise<Page> {
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
function field(body: string, id: string): string | undefined {
  return body.match(new RegExp(`<code id="${id}">([^<]*)</code>`))?.[1];
}

describe('adaptServerConf', () => {
  test.each(apps)('changes only the listen port and the html root of $name\'s rendered config', (app) => {
    // GIVEN
    const rendered = readRenderedSite(app.name).serverConf;

    // WHEN
    const adapted = adaptServerConf(rendered, { port: 12345, htmlDir: '/tmp/e2e/html' });

    // THEN
    const before = rendered.split('\n');
    const after = adapted.split('\n');
    expect(after).toHaveLength(before.length);
    const changed = before.flatMap((line, index) => (line === after[index] ? [] : [[line, after[index]]]));
    expect(changed).toEqual([
      [`    listen [::]:${app.containerPort} ipv6only=off;`, '    listen [::]:12345 ipv6only=off;'],
      [`    root ${nginxPaths.htmlDir};`, '    root /tmp/e2e/html;'],
    ]);
  });
});

describeE2e('test apps served by the real nginx from dist/', () => {
  const servers = new Map<string, NginxServer>();

  beforeAll(async () => {
    assertInstalled();
    for (const app of apps) servers.set(app.name, await startNginx(readRenderedSite(app.name)));
  }, 30_000);

  afterAll(async () => {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  });

  function serverOf(appName: string): NginxServer {
    const server = servers.get(appName);
    if (!server) throw new Error(`nginx for ${appName} did not start`);
    return server;
  }

  describe.each(apps)('$name', (app) => {
    test('its rendered config passes nginx -t', async () => {
      // WHEN
      const result = checkNginxConfig(readRenderedSite(app.name), await freePort());

      // THEN
      expect(result.output).toContain('test is successful');
      expect(result.output).not.toMatch(/\[(warn|emerg|crit|alert)\]/);
      expect(result.ok).toBe(true);
    });

    test('serves its page over IPv6 with its name, colour, pod name and the pod IP ::1', async () => {
      // WHEN
      const page = await fetchOver(6, serverOf(app.name).port);

      // THEN
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain(`<h1 id="app-name">${app.name}</h1>`);
      expect(page.body).toContain(`background-color: ${app.backgroundColor};`);
      expect(field(page.body, 'pod-name')).toBe(hostname());
      expect(field(page.body, 'pod-ip')).toBe('::1');
      expect(page.body).not.toContain('<!--#');
    });

    test('answers its health check over IPv6', async () => {
      // WHEN
      const health = await fetchOver(6, serverOf(app.name).port, nginxPaths.healthPath);

      // THEN
      expect(health.status).toBe(200);
      expect(health.body).toBe('ok\n');
    });

    test('answers on IPv4 loopback too, as its `ipv6only=off` says', async () => {
      // GIVEN
      expect(readRenderedSite(app.name).serverConf).toMatch(/^\s*listen \[::\]:\d+ ipv6only=off;$/m);

      // WHEN
      const page = await fetchOver(4, serverOf(app.name).port);

      // THEN: an IPv4 client reaches the dual-stack socket as an IPv4-mapped IPv6 address.
      expect(page.status).toBe(200);
      expect(page.body).toContain(`<h1 id="app-name">${app.name}</h1>`);
      expect(field(page.body, 'pod-ip')).toBe('::ffff:127.0.0.1');
    });

    test(`Chromium paints its fleet.yaml background colour (${app.backgroundColor})`, async () => {
      // GIVEN
      const dir = mkdtempSync(join(tmpdir(), 'e2e-screenshot-'));
      const file = join(dir, `${app.name}.png`);

      try {
        // WHEN
        await screenshot(`http://[::1]:${serverOf(app.name).port}/`, file);
        const image = decodePng(readFileSync(file));

        // THEN: the margins, away from the centred card, are the background; the centre is the card.
        const { width, height } = image;
        const margins: Array<[number, number]> = [
          [4, 4], [width - 5, 4], [4, height - 5], [width - 5, height - 5], [4, height >> 1], [width - 5, height >> 1],
        ];
        const painted = margins.map(([x, y]) => ({ x, y, rgb: image.pixel(x, y) }));
        expect(painted).toEqual(margins.map(([x, y]) => ({ x, y, rgb: expectedRgb(app.backgroundColor) })));
        expect(image.pixel(width >> 1, height >> 1)).not.toEqual(expectedRgb(app.backgroundColor));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 30_000);
  });
});

describeE2e('the old `listen PORT;` config', () => {
  test('is refused over IPv6 loopback, so the IPv6 test above catches it', async () => {
    // GIVEN: app0's rendered config with its listen directive put back to the IPv4-only form.
    assertInstalled();
    const site = readRenderedSite(apps[0].name);
    const broken = { ...site, serverConf: site.serverConf.replace(/listen \[::\]:(\d+) ipv6only=off;/, 'listen $1;') };
    expect(broken.serverConf).toMatch(/^ {4}listen \d+;$/m);
    const server = await startNginx(broken);

    try {
      // WHEN
      const [overIpv4, overIpv6] = await Promise.allSettled([fetchOver(4, server.port), fetchOver(6, server.port)]);

      // THEN: nginx is up (IPv4 answers), yet nothing listens on [::1].
      expect(overIpv4).toMatchObject({ status: 'fulfilled', value: { status: 200 } });
      expect(overIpv6).toMatchObject({ status: 'rejected', reason: { code: 'ECONNREFUSED' } });
    } finally {
      await server.stop();
    }
  }, 30_000);
});
