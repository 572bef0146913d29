import { hostname } from 'os';
import { renderFleet } from '../../app/render';
import { appSharedPath } from '../../catalog/dist-layout';
import { nginxPaths } from '../../values/test-app-site';
import { paintedColour } from '../../verify/colours';
import { adaptServerConf, checkNginxConfig, freePort, NginxServer, renderedSite, startNginx } from '../../verify/nginx';
import { checkPages, fetchOver, missingPagePrograms, pageField, paintProblems } from '../../verify/pages';
import { isTestApp } from '../../config/fleet';
import { demoFleet, fixtureFleet } from '../support/fixtures';

// End to end: each app's ConfigMap as the demo fleet renders it, served by the real nginx on
// loopback and loaded in headless Chromium. On CI a missing nginx or chromium fails the tests;
// elsewhere it skips.
const fleet = demoFleet();
const files = renderFleet(fleet);
const apps = fleet.apps.filter(isTestApp);
const missing = missingPagePrograms();
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

describe('adaptServerConf', () => {
  test.each(apps)('changes only the listen port and the html root of $name\'s rendered config', (app) => {
    // GIVEN
    const rendered = renderedSite(files, app.name).serverConf;

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

describe('paintedColour, the colour a browser paints for a CSS colour', () => {
  test.each([
    ['yellow', [255, 255, 0]], ['red', [255, 0, 0]], ['blue', [0, 0, 255]], ['rebeccapurple', [102, 51, 153]],
    ['#0a8', [0, 170, 136]], ['#00aa88', [0, 170, 136]], ['rgb(10, 20, 30)', [10, 20, 30]], ['rgb(100%, 50%, 0%)', [255, 128, 0]],
    ['hsl(120, 100%, 25%)', [0, 128, 0]], ['rgba(0, 0, 0, 0.5)', [128, 128, 128]],
  ] as const)('%s is rgb%j', (colour, rgb) => {
    expect(paintedColour(colour).rgb).toEqual(rgb);
  });
});

describeE2e('test apps served by the real nginx', () => {
  let server: NginxServer;

  beforeAll(async () => {
    assertInstalled();
    server = await startNginx(apps.map((app) => renderedSite(files, app.name)));
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  const portOf = (name: string) => server.ports.get(name)!;

  describe.each(apps)('$name', (app) => {
    test('its rendered config passes nginx -t', async () => {
      // WHEN
      const result = await checkNginxConfig([renderedSite(files, app.name)]);

      // THEN
      expect(result.output).toContain('test is successful');
      expect(result.output).not.toMatch(/\[(warn|emerg|crit|alert)\]/);
      expect(result.ok).toBe(true);
    });

    test('serves its page over IPv6 with its name, colour, pod name and the pod IP ::1', async () => {
      // WHEN
      const page = await fetchOver(6, portOf(app.name));

      // THEN
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain(`<h1 id="app-name">${app.name}</h1>`);
      expect(page.body).toContain(`background-color: ${app.backgroundColor};`);
      expect(pageField(page.body, 'pod-name')).toBe(hostname());
      expect(pageField(page.body, 'pod-ip')).toBe('::1');
      expect(page.body).not.toContain('<!--#');
    });

    test('answers its health check over IPv6', async () => {
      // WHEN
      const health = await fetchOver(6, portOf(app.name), nginxPaths.healthPath);

      // THEN
      expect(health.status).toBe(200);
      expect(health.body).toBe('ok\n');
    });

    test('answers on IPv4 loopback too, as its `ipv6only=off` says', async () => {
      // GIVEN
      expect(renderedSite(files, app.name).serverConf).toMatch(/^\s*listen \[::\]:\d+ ipv6only=off;$/m);

      // WHEN
      const page = await fetchOver(4, portOf(app.name));

      // THEN: an IPv4 client reaches the dual-stack socket as an IPv4-mapped IPv6 address.
      expect(page.status).toBe(200);
      expect(page.body).toContain(`<h1 id="app-name">${app.name}</h1>`);
      expect(pageField(page.body, 'pod-ip')).toBe('::ffff:127.0.0.1');
    });

    test(`Chromium paints its fleet.yaml background colour (${app.backgroundColor}) around the card`, async () => {
      // WHEN
      const [problems] = await paintProblems([{ url: `http://[::1]:${portOf(app.name)}/`, colour: app.backgroundColor }]);

      // THEN
      expect(problems).toEqual([]);
    }, 30_000);
  });
});

describeE2e('the page check of npm run check', () => {
  test('passes the demo fleet', async () => {
    assertInstalled();
    expect(await checkPages(files, apps)).toEqual([]);
  }, 60_000);

  test('passes an app with a colour no other test app has, on port 8080', async () => {
    // GIVEN app1 recoloured #0a8 on port 8080, as a team would add an app
    const edited = fixtureFleet('demo', (text) => text.replace('backgroundColor: red\n    containerPort: 80', 'backgroundColor: "#0a8"\n    containerPort: 8080'));
    // WHEN its pages are checked
    const problems = await checkPages(renderFleet(edited), edited.apps.filter(isTestApp));
    // THEN
    expect(problems).toEqual([]);
  }, 60_000);

  test('passes pages whose card is as white as their background, and many colours at once', async () => {
    // GIVEN 30 apps of 30 colours, white and transparent among them
    const colours = ['white', '"#fff"', '"rgba(0, 0, 0, 0)"', '"hsl(0, 0%, 100%)"', ...Array.from({ length: 26 }, (_, index) => `"hsl(${index * 13}, 70%, 45%)"`)];
    const text = fixtureFleet('demo', (demo) => `${demo}${colours.map((colour, index) => `  - { name: c${index}, backgroundColor: ${colour}, containerPort: 8080, replicas: 1 }`).join('\n')}\n`);
    // WHEN their pages are checked (two sheets of Chromium)
    const problems = await checkPages(renderFleet(text), text.apps.filter(isTestApp));
    // THEN
    expect(problems).toEqual([]);
  }, 120_000);

  test('reports the configs nginx -t refuses, and serves none of them', async () => {
    // GIVEN app0's rendered server config with a directive nginx does not know
    const path = appSharedPath('app0');
    const broken = new Map([...files, [path, files.get(path)!.replace('server_name _;', 'server_nam _;')]]);
    expect(broken.get(path)).not.toBe(files.get(path));
    // WHEN the pages are checked
    const problems = await checkPages(broken, apps);
    // THEN nginx -t's verdict is the one problem, naming the apps it tested together
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^nginx -t rejects the rendered configs of ${apps[0].name}\\b[^]*unknown directive "server_nam"`))]);
  }, 60_000);

  test('catches a page painted in another colour than fleet.yaml says', async () => {
    // GIVEN the rendered pages, but the check expects app0 to be green
    const wrong = apps.map((app) => (app.name === 'app0' ? { ...app, backgroundColor: 'green' } : app));
    // WHEN
    const problems = await checkPages(files, wrong);
    // THEN
    expect(problems.some((problem) => /^app0: over IPv6 its page does not set the background green/.test(problem))).toBe(true);
    expect(problems.some((problem) => /^app0: Chromium paints .* expected rgb\(0, 128, 0\) for green/.test(problem))).toBe(true);
  }, 60_000);
});

/** How much later than it loads the late page below paints. */
const paintDelayMs = 1_500;

/**
 * A page as rendered, but hidden until `paintDelayMs` after its `load` event: a frame that has
 * loaded and has not painted yet, as an out-of-process frame is for a moment on a busy machine.
 */
function paintedLate(indexHtml: string): string {
  const late = indexHtml
    .replace('<html lang="en">', '<html lang="en" style="display:none">')
    .replace('</body>', `<script>addEventListener('load', () => setTimeout(() => { document.documentElement.style.display = ''; }, ${paintDelayMs}));</script>\n</body>`);
  if (!late.includes('style="display:none"') || !late.includes('<script>')) throw new Error('the rendered page no longer has the <html lang="en"> and </body> this test edits');
  return late;
}

describeE2e('the paint check, on pages that paint late or do not load', () => {
  let server: NginxServer;
  const app = apps[0];
  const pageOf = (name: string) => ({ url: `http://[::1]:${server.ports.get(name)}/`, colour: app.backgroundColor });

  beforeAll(async () => {
    assertInstalled();
    const site = renderedSite(files, app.name);
    server = await startNginx([site, { ...site, name: 'late', indexHtml: paintedLate(site.indexHtml) }]);
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  test('waits for a page that has loaded but not yet painted, instead of reading the sheet behind it', async () => {
    // GIVEN app0's page painted late, next to app0's page as rendered, on one sheet
    const pages = [pageOf('late'), pageOf(app.name)];

    // WHEN
    const problems = await paintProblems(pages);

    // THEN: both show app0's colour, not the sheet's white where the late one is.
    expect(problems).toEqual([[], []]);
  }, 30_000);

  test('reports a page Chromium cannot load as not loaded, not as a wrong colour', async () => {
    // GIVEN a page on a port nothing listens on, next to app0's page
    const nowhere = `http://[::1]:${await freePort()}/`;

    // WHEN
    const problems = await paintProblems([{ url: nowhere, colour: app.backgroundColor }, pageOf(app.name)]);

    // THEN
    expect(problems[0]).toEqual([expect.stringMatching(/^did not load: Chromium shows chrome-error:\/\/\S* instead of http:\/\/\[::1\]:\d+\/$/)]);
    expect(problems[1]).toEqual([]);
  }, 30_000);
});

describeE2e('the old `listen PORT;` config', () => {
  test('is refused over IPv6 loopback, so the IPv6 test above catches it', async () => {
    // GIVEN: app0's rendered config with its listen directive put back to the IPv4-only form.
    assertInstalled();
    const site = renderedSite(files, apps[0].name);
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
