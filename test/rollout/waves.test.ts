import { execFileSync, spawnSync } from 'child_process';
import { createServer, Server } from 'http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { parse } from 'yaml';
import { refValueFiles } from '../../diff/applicationset';
import { generatedApplications } from '../../verify/objects';
import { renderedObjects } from '../../verify/rendered';
import { markerText, outputMarker } from '../../output/write-dist';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { podinfoChartSource, projectRoot } from '../support/fixtures';
import type { Fleet } from '../../config/fleet';
import type { ApplicationHealth } from '../../rollout/argocd-health';

jest.setTimeout(300_000);

/** What a render may change beside fleet.yaml, as a generator change would: the nginx image, an add-on's chart version, a fleet-wide value of an add-on. */
interface Bump {
  readonly nginxTag?: string;
  readonly externalDnsVersion?: string;
  readonly externalDnsValue?: boolean;
}

/** dist/ of fleet.yaml `text`, rendered with the bump, the later waves' pins read from `repo`. */
function render(text: string, repo: string, bump: Bump = {}): Map<string, string> {
  let files = new Map<string, string>();
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const images = require('../../data/images.json');
    const { addonCatalog } = require('../../catalog/addons');
    const { addonValues } = require('../../values/addons');
    if (bump.nginxTag) images.nginx = { ...images.nginx, tag: bump.nginxTag, digest: null };
    if (bump.externalDnsVersion) addonCatalog.externalDns.version = bump.externalDnsVersion;
    if (bump.externalDnsValue) {
      const original = addonValues.externalDns;
      addonValues.externalDns = { ...original, fleet: (fleet: Fleet) => ({ ...original.fleet(fleet), interval: '2m' }) };
    }
    const { parseFleet } = require('../../config/load');
    const { withWavePins } = require('../../rollout/pins');
    const { renderFleet } = require('../../app/render');
    files = renderFleet(withWavePins(parseFleet(text, 'fleet.yaml'), repo));
  });
  return files;
}

let clock = Date.parse('2026-11-02T08:00:00Z') / 1000;

function git(repo: string, args: readonly string[], time?: number): string {
  const env = time === undefined ? process.env : { ...process.env, GIT_COMMITTER_DATE: `${time} +0000`, GIT_AUTHOR_DATE: `${time} +0000` };
  return execFileSync('git', ['-C', repo, '-c', 'user.name=Fleet Tests', '-c', 'user.email=tests@example.com', '-c', 'commit.gpgsign=false', ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Writes fleet.yaml and dist/ into the repository and commits them an hour after the last commit; returns the commit. */
function commit(repo: string, text: string, files: ReadonlyMap<string, string>, message: string): string {
  rmSync(join(repo, 'dist'), { recursive: true, force: true });
  for (const [path, content] of files) {
    mkdirSync(dirname(join(repo, 'dist', path)), { recursive: true });
    writeFileSync(join(repo, 'dist', path), content);
  }
  // As synth leaves it: the list of what it wrote.
  writeFileSync(join(repo, 'dist', outputMarker), markerText(files.keys()));
  writeFileSync(join(repo, 'fleet.yaml'), text);
  git(repo, ['add', '--all']);
  clock += 3600;
  git(repo, ['commit', '--quiet', '--message', message], clock);
  return git(repo, ['rev-parse', 'HEAD']);
}

/** Brace and plain globs as Argo CD's directory include takes them here: `{a,b}` of literal paths, or one. */
function includes(pattern: string, path: string): boolean {
  const options = pattern.startsWith('{') ? pattern.slice(1, -1).split(',') : [pattern];
  return options.includes(path);
}

/**
 * What each Application Argo CD would generate from dist/ runs: its spec, and the text of every
 * file it reads (directory sources and Helm values files), each at the revision its source names
 * (`main` being the working files; a commit read with git).
 */
function effective(repo: string, files: ReadonlyMap<string, string>, contentOnly = false): Map<string, string> {
  const read = (revision: string, path: string): string | undefined => {
    if (revision === 'main') return files.get(path.replace(/^dist\//, ''));
    try {
      return execFileSync('git', ['-C', repo, 'show', `${revision}:${path}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return undefined;
    }
  };
  const listed = new Map<string, string[]>();
  const list = (revision: string, dir: string): string[] => {
    if (revision === 'main') return [...files.keys()].filter((path) => path.startsWith(`${dir.replace(/^dist\//, '')}/`)).map((path) => path.slice(dir.length - 'dist/'.length + 1));
    const key = `${revision}:${dir}`;
    if (!listed.has(key)) listed.set(key, git(repo, ['ls-tree', '-r', '--name-only', revision, '--', dir]).split('\n').filter(Boolean).map((path) => path.slice(dir.length + 1)));
    return listed.get(key)!;
  };
  const result = new Map<string, string>();
  for (const application of generatedApplications(renderedObjects(new Map(files)))) {
    const sources = application.spec.sources ?? [application.spec.source];
    const inputs: string[] = [];
    for (const source of sources) {
      if (source.directory) {
        for (const path of list(source.targetRevision, source.path).filter((candidate) => includes(source.directory.include, candidate))) {
          inputs.push(`${source.path}/${path}${contentOnly ? '' : `@${source.targetRevision}`}: ${read(source.targetRevision, `${source.path}/${path}`)}`);
        }
      }
    }
    if (sources.some((source: { chart?: string }) => source.chart)) {
      for (const file of refValueFiles(application)) inputs.push(`${file.path}${contentOnly ? '' : `@${file.targetRevision}`}: ${read(file.targetRevision, file.path)}`);
      inputs.push(...sources.filter((source: { chart?: string }) => source.chart).map((source: { chart: string; targetRevision: string }) => `${source.chart}@${source.targetRevision}`));
    }
    // contentOnly: what it runs (the files' texts and the charts' versions), however its sources are written.
    // A later wave's Application that reads its wave's copy of a shared file (dist/waves/<wave>/...) runs
    // what it ran reading the file itself, byte for byte: the copy's path is read as the file's.
    const text = contentOnly ? JSON.stringify(inputs.sort()) : JSON.stringify({ spec: application.spec, inputs });
    result.set(application.metadata.name, text.replace(/dist\/waves\/[a-z0-9-]+\//g, 'dist/'));
  }
  return result;
}

/** The clusters whose Applications run something else in `after` than in `before`. */
function changedClusters(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, clusterOf: (name: string) => string): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...new Set([...names].filter((name) => before.get(name) !== after.get(name)).map(clusterOf))].sort();
}

describe('waves: a shared change reaches the first wave when merged, each later wave when promoted', () => {
  let repo: string;
  let fleetText: string;
  let clusters: string[];
  let canary: string[];
  let early: string[];
  let rest: string[];
  const states: Record<string, { commit: string; files: Map<string, string>; runs: Map<string, string>; text: string }> = {};
  let clusterOf: (name: string) => string;

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'fleet-waves-'));
    git(repo, ['init', '--quiet', '--initial-branch=main']);
    // 72 clusters, 36 test apps (one per IPv6 cluster), and one app on every IPv6 cluster.
    const base = largeFleetYaml(36);
    clusters = [...base.matchAll(/^ {2}- name: (ipv[46]-\d\d)$/gm)].map((match) => match[1]);
    const ipv6 = clusters.filter((name) => name.startsWith('ipv6'));
    canary = ['ipv6-01'];
    early = ['ipv4-00', 'ipv6-03', 'ipv6-05', 'ipv4-04'];
    rest = clusters.filter((name) => !canary.includes(name) && !early.includes(name));
    const everywhere = ['  - name: everywhere', '    backgroundColor: teal', '    containerPort: 8080', '    replicas: 5', `    clusters: [${ipv6.map((name) => `{ name: ${name}, weight: 1 }`).join(', ')}]`].join('\n');
    const service = ['  - name: web', podinfoChartSource.trimEnd(), '    values: { replicaCount: 2 }', '    expose: { service: web-podinfo, port: 9898 }', '    replicas: 2',
      `    clusters: [${ipv6.map((name) => `{ name: ${name}, weight: 1 }`).join(', ')}]`].join('\n');
    fleetText = `${base}${everywhere}\n${service}\n`;
    clusterOf = (name: string) => clusters.find((cluster) => name.endsWith(`-${cluster}`) || name.includes(`-${cluster}-`)) ?? name;
    // C0: the fleet without waves.
    const c0Files = render(fleetText, repo);
    const c0 = commit(repo, fleetText, c0Files, 'The fleet');
    // C1: waves declared, the later ones pinned to C0 (what they run).
    const waves = ['waves:', '  - name: canary', `    clusters: [${canary.join(', ')}]`, '    bakeTime: 1h', '  - name: early', `    clusters: [${early.join(', ')}]`, '    bakeTime: 4h', `    revision: ${c0}`, '  - name: rest', `    clusters: [${rest.join(', ')}]`, `    revision: ${c0}`].join('\n');
    const text = fleetText.replace('clusters:\n', `${waves}\nclusters:\n`);
    const files = render(text, repo);
    const c1 = commit(repo, text, files, 'Waves');
    states.declared = { commit: c1, files, runs: effective(repo, files), text };
    states.before = { commit: c0, files: c0Files, runs: effective(repo, c0Files), text: fleetText };
  });

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('declaring waves changes nothing any Application runs: the same files\' texts and chart versions, read from the later waves\' pinned commit', () => {
    const [before, after] = [effective(repo, states.before.files, true), effective(repo, states.declared.files, true)];
    expect(changedClusters(before, after, clusterOf)).toEqual([]);
    const changedFiles = [...states.declared.files.keys()].filter((path) => states.before.files.get(path) !== states.declared.files.get(path));
    expect(changedFiles.filter((path) => !path.startsWith('argocd/clusters/') && !path.startsWith('argocd/applicationsets/') && !path.startsWith('argocd/apps/'))).toEqual([]);
  });

  test.each<[string, Bump | ((text: string) => string)]>([
    ['an add-on chart version', { externalDnsVersion: '1.22.0' }],
    ['a fleet-wide add-on value', { externalDnsValue: true }],
    ['the nginx image', { nginxTag: '1.29.9' }],
    ['one app\'s page', (text) => text.replace('backgroundColor: teal', 'backgroundColor: navy')],
    ['a service\'s chart version', (text) => text.replace('version: 6.14.1', 'version: 6.15.0')],
    ['a service\'s fleet-wide values', (text) => text.replace('values: { replicaCount: 2 }', 'values: { replicaCount: 3 }')],
  ])('%s changes, in the generated Applications, exactly the first wave\'s clusters', (_, change) => {
    const text = typeof change === 'function' ? change(states.declared.text) : states.declared.text;
    const files = render(text, repo, typeof change === 'function' ? {} : change);
    const changed = changedClusters(states.declared.runs, effective(repo, files), clusterOf);
    expect(changed).toEqual(canary);
  });

  describe('a change rolled out wave by wave', () => {
    const bump: Bump = { externalDnsVersion: '1.22.0', nginxTag: '1.29.9' };
    const promote = (name: string, now: number, options: { undo?: boolean; applications?: ApplicationHealth[] } = {}) => {
      const { loadFleetText, promoteWave, undoWave } = promotion();
      const context = { fleet: loadFleetText(states.latest.text), fleetText: states.latest.text, fleetPath: 'fleet.yaml', repoRoot: repo, now, applications: options.applications };
      return options.undo ? undoWave(context, name) : promoteWave(context, name);
    };
    const step = (name: string, text: string, message: string) => {
      const files = render(text, repo, bump);
      const commitId = commit(repo, text, files, message);
      states[name] = { commit: commitId, files, runs: effective(repo, files), text };
      states.latest = states[name];
    };

    beforeAll(() => {
      states.latest = states.declared;
      step('bumped', states.declared.text.replace('backgroundColor: teal', 'backgroundColor: navy'), 'Bump the nginx image and external-dns, repaint everywhere');
    });

    test('merged, it reaches the first wave only; synth, npm run diff and the comment say which waves it reaches now and which wait', () => {
      expect(changedClusters(states.declared.runs, states.bumped.runs, clusterOf)).toEqual(canary);
      const { sharedChanges, waveReach } = require('../../diff/waves');
      const { parseFleet } = require('../../config/load');
      const lines = waveReach(parseFleet(states.bumped.text, 'fleet.yaml'), sharedChanges((path: string) => states.declared.files.get(path), states.bumped.files, states.bumped.files.keys()));
      expect(lines).toEqual([expect.stringMatching(new RegExp('^waves: external-dns chart 1\\.21\\.1 -> 1\\.22\\.0; what the clusters share of 37 apps: app0, app1, .* and \\d+ more: '
        + 'reaches wave canary \\(1 cluster\\) when merged; early \\(4 clusters, at [0-9a-f]{12}\\), rest \\(67 clusters, at [0-9a-f]{12}\\) wait: npm run promote -- early once canary has run it for its bake time \\(1h\\)$'))]);
      // Without a change to what clusters share (one cluster's own file), nothing is said
      expect(waveReach(parseFleet(states.bumped.text, 'fleet.yaml'), sharedChanges((path: string) => states.bumped.files.get(path), new Map([['apps/app0/clusters/ipv6-01.yaml', 'x']]), ['apps/app0/clusters/ipv6-01.yaml']))).toEqual([]);
    });

    test('no generated Application reads this repository at two revisions (Argo CD refuses that: reposerver/repository/repository.go, "cannot reference multiple revisions for the same repository")', () => {
      for (const application of generatedApplications(renderedObjects(states.bumped.files))) {
        const sources: Array<{ repoURL: string; targetRevision: string }> = application.spec.sources ?? [application.spec.source];
        const revisions = new Set(sources.filter((source) => source.repoURL === 'https://github.com/example-org/eks-ipv6-gitops.git').map((source) => source.targetRevision));
        expect([application.metadata.name, [...revisions]]).toEqual([application.metadata.name, ['main']]);
      }
      // and the held waves read their copies, in dist/ at main
      expect([...states.bumped.files.keys()].filter((path) => path.startsWith('waves/')).length).toBeGreaterThan(0);
    });

    test('a cluster moving between waves is said, with what it runs from then on', () => {
      const { waveMoves } = require('../../diff/waves');
      const { parseFleet } = require('../../config/load');
      const moved = states.bumped.text.replace('clusters: [ipv6-01]', 'clusters: [ipv6-01, ipv4-00]').replace('clusters: [ipv4-00, ipv6-03', 'clusters: [ipv6-03');
      expect(waveMoves(parseFleet(moved, 'fleet.yaml'), (path: string) => states.bumped.files.get(path))).toEqual([
        'waves: cluster ipv4-00 moves from wave early to wave canary: it runs what canary runs (main, what is merged) from then on, older or newer than what it ran',
      ]);
      expect(waveMoves(parseFleet(states.bumped.text, 'fleet.yaml'), (path: string) => states.bumped.files.get(path))).toEqual([]);
    });

    test('npm run plan lists each wave, its clusters and the commit it runs', () => {
      const { waveLines } = require('../../diff/waves');
      const { parseFleet } = require('../../config/load');
      expect(waveLines(parseFleet(states.bumped.text, 'fleet.yaml'))).toEqual([
        'canary (1 cluster: ipv6-01): runs main, what is merged; bake time 1h',
        `early (4 clusters: ipv4-00, ipv6-03, ipv4-04 and 1 more): runs ${states.before.commit.slice(0, 12)}; bake time 4h`,
        expect.stringMatching(new RegExp(`^rest \\(67 clusters: ipv4-02, ipv4-06, .* and \\d+ more\\): runs ${states.before.commit.slice(0, 12)}; bake time 0m$`)),
      ]);
    });

    test('promoting before the first wave has baked is refused, with the reason; promotion names what the wave receives', () => {
      const bumpedAt = clock;
      expect(() => promote('early', bumpedAt + 30 * 60)).toThrow(/^wave canary has had the change for 30m of its 1h bake time \(since [0-9a-f]{12}\): promote early after 2026-/);
      const promoted = promote('early', bumpedAt + 2 * 3600);
      expect(promoted.lines).toEqual(expect.arrayContaining([
        expect.stringMatching(/^wave early \(4 clusters: ipv4-00, ipv6-03, ipv4-04, ipv6-05\): [0-9a-f]{12} -> [0-9a-f]{12}$/),
        '  external-dns chart 1.21.1 -> 1.22.0',
        expect.stringMatching(/^ {2}what the clusters share of 37 apps: app0, app1, .* and \d+ more$/),
        'wave canary: health not checked (set ARGOCD_SERVER and ARGOCD_AUTH_TOKEN to have Argo CD asked)',
      ]));
      expect(parse(promoted.text).waves[1].revision).toBe(states.bumped.commit);
      step('early', promoted.text, 'Promote early');
      expect(changedClusters(states.bumped.runs, states.early.runs, clusterOf)).toEqual([...early].sort());
      // The promotion's pull request (npm run diff, the comment) says what the wave receives
      const { promotionLines } = require('../../rollout/promote');
      const { parseFleet } = require('../../config/load');
      expect(promotionLines(parseFleet(states.bumped.text, 'fleet.yaml'), parseFleet(states.early.text, 'fleet.yaml'), repo)).toEqual([
        expect.stringMatching(/^wave early \(4 clusters\): [0-9a-f]{12} -> [0-9a-f]{12} receives: external-dns chart 1\.21\.1 -> 1\.22\.0; what the clusters share of 37 apps: app0, app1, app10 and 34 more$/),
      ]);
      expect(promotionLines(parseFleet(states.early.text, 'fleet.yaml'), parseFleet(states.bumped.text, 'fleet.yaml'), repo)).toEqual([expect.stringMatching(/^wave early \(4 clusters\): [0-9a-f]{12} -> [0-9a-f]{12} goes back to: external-dns chart 1\.22\.0 -> 1\.21\.1; /)]);
    });

    test('the next promotion waits for the wave before it, and then reaches exactly the rest', () => {
      const promotedAt = clock;
      expect(() => promote('rest', promotedAt + 3600)).toThrow(/^wave early has had the change for 60m of its 4h bake time/);
      const promoted = promote('rest', promotedAt + 5 * 3600);
      step('rest', promoted.text, 'Promote rest');
      expect(changedClusters(states.early.runs, states.rest.runs, clusterOf)).toEqual([...rest].sort());
      // Every wave now runs the change: nothing left to promote.
      expect(() => promote('rest', promotedAt + 9 * 3600)).toThrow(/already runs/);
    });

    test('undoing a wave restores what its Applications run, and dist/, byte for byte', () => {
      const undone = promote('rest', clock + 60, { undo: true });
      expect(parse(undone.text).waves[2].revision).toBe(parse(states.early.text).waves[2].revision);
      const files = render(undone.text, repo, bump);
      expect(effective(repo, files)).toEqual(states.early.runs);
      expect(files).toEqual(states.early.files);
    });

    test('undoing twice never moves a wave forward: the second undo finds nothing before what it runs', () => {
      const undone = promote('rest', clock + 60, { undo: true });
      step('undone', undone.text, 'Undo rest');
      expect(() => promote('rest', clock + 60, { undo: true })).toThrow(/has run [0-9a-f]{40} since it was first pinned: there is no earlier revision to go back to/);
    });

    test('npm run synth says which waves a change to what clusters share reaches now and which wait', async () => {
      const { synthesize } = require('../../app/synth');
      writeFileSync(join(repo, 'fleet.yaml'), states.latest.text.replace('backgroundColor: navy', 'backgroundColor: olive'));
      try {
        const first = await synthesize({ configFile: join(repo, 'fleet.yaml'), outdir: join(repo, 'dist') });
        // (this code renders the chart and image of the repository, not the bumped ones: those changes are said too)
        expect(first.waves).toEqual([expect.stringMatching(/^waves: external-dns chart 1\.22\.0 -> 1\.21\.1; what the clusters share of 37 apps: .*: reaches wave canary \(1 cluster\) when merged; early \(4 clusters, at [0-9a-f]{12}\), rest \(67 clusters, at [0-9a-f]{12}\) wait: npm run promote -- early/)]);
      } finally {
        git(repo, ['checkout', '--quiet', '--', '.']);
        git(repo, ['clean', '--quiet', '-fdx']);
      }
    });

    test('the first wave is not promoted or undone: it runs what is merged', () => {
      expect(() => promote('canary', clock + 99 * 3600)).toThrow(/canary is the first wave: it runs what is merged/);
    });
  });

  describe('Argo CD\'s health of the wave before, from its API', () => {
    let server: Server;
    let items: unknown[] = [];
    let address: string;
    beforeAll(async () => {
      server = createServer((request, response) => {
        // No kept-alive sockets between tests: one the server closes while idle would fail the next fetch that reuses it.
        response.setHeader('connection', 'close');
        if (request.headers.authorization !== 'Bearer token') {
          response.writeHead(401).end('{"error":"invalid session"}');
          return;
        }
        if (request.url !== '/api/v1/applications') {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ metadata: {}, items }));
      });
      await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
      address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    /** An Application as Argo CD's API lists it. */
    const fleetRepo = 'https://github.com/example-org/eks-ipv6-gitops.git';
    const item = (name: string, cluster: string, sync: string, health: string, revisions: string[], repos: string[] = revisions.map(() => fleetRepo)) => ({
      metadata: { name, labels: { 'fleet/cluster': cluster } }, spec: { sources: repos.map((repoURL) => ({ repoURL })) }, status: { sync: { status: sync, revisions }, health: { status: health } },
    });

    test('an Application of the wave before that is OutOfSync, Degraded or synced before the change refuses the promotion; all Synced and Healthy at it lets it through', async () => {
      const { fetchApplications } = require('../../rollout/argocd-health');
      const { loadFleetText, promoteWave } = promotion();
      const text = states.bumped.text;
      const head = states.bumped.commit;
      const context = async () => ({ fleet: loadFleetText(text), fleetText: text, fleetPath: 'fleet.yaml', repoRoot: repo, now: clock + 99 * 3600, applications: await fetchApplications(address, 'token', 'https://github.com/example-org/eks-ipv6-gitops.git') });
      git(repo, ['checkout', '--quiet', head]);
      try {
        items = [
          item('external-dns-ipv6-01', 'ipv6-01', 'Synced', 'Healthy', ['1.22.0', head], ['https://kubernetes-sigs.github.io/external-dns/', fleetRepo]),
          // a git service of another repository: synced at a commit of that one, which is not this repository's change
          item('payments-ipv6-01', 'ipv6-01', 'Synced', 'Healthy', ['0123456789abcdef0123456789abcdef01234567'], ['https://github.com/example-org/payments.git']),
          item('everywhere-ipv6-01', 'ipv6-01', 'OutOfSync', 'Healthy', [states.declared.commit]),
          item('app0-ipv6-01', 'ipv6-01', 'Synced', 'Degraded', [head]),
          item('app1-ipv6-01', 'ipv6-01', 'Synced', 'Healthy', [states.declared.commit]),
          item('app2-ipv6-03', 'ipv6-03', 'OutOfSync', 'Missing', []),
        ];
        const refused = await context();
        expect(() => promoteWave(refused, 'early')).toThrow(new RegExp([
          '^wave canary is not Synced and Healthy at [0-9a-f]{12} in Argo CD:',
          '  everywhere-ipv6-01 \\(ipv6-01\\): sync OutOfSync',
          '  app0-ipv6-01 \\(ipv6-01\\): health Degraded',
          '  app1-ipv6-01 \\(ipv6-01\\): synced at [0-9a-f]{12}, before the change',
        ].join('\n')));
        items = [item('external-dns-ipv6-01', 'ipv6-01', 'Synced', 'Healthy', ['1.22.0', head], ['https://kubernetes-sigs.github.io/external-dns/', fleetRepo]), item('app2-ipv6-03', 'ipv6-03', 'OutOfSync', 'Missing', [])];
        expect(promoteWave(await context(), 'early').lines).toContain(`wave canary: 1 Applications Synced and Healthy at ${head.slice(0, 12)} or later`);
        // An Application dist/ generates on the wave that Argo CD does not list (a token that may not get it) is not known healthy
        expect(() => promoteWave({ ...refused, expectedApplications: [{ name: 'cert-manager-ipv6-01', cluster: 'ipv6-01' }, { name: 'external-dns-ipv6-01', cluster: 'ipv6-01' }] }, 'early'))
          .toThrow(/ {2}cert-manager-ipv6-01: not listed by Argo CD \(not created yet, or the token may not get it\)/);
        items = [];
        expect(() => promoteWave({ ...refused, applications: [] }, 'early')).toThrow(/Argo CD reports no Application on ipv6-01/);
      } finally {
        git(repo, ['checkout', '--quiet', 'main']);
      }
    });

    test('a token Argo CD refuses is said as such', async () => {
      const { fetchApplications } = require('../../rollout/argocd-health');
      await expect(fetchApplications(address, 'wrong', 'https://github.com/example-org/eks-ipv6-gitops.git')).rejects.toThrow(/refused the token \(HTTP 401\)/);
    });
  });
});

/** The promotion module and a fleet loader, from the same module registry as the test. */
function promotion() {
  const { promoteWave, undoWave } = require('../../rollout/promote');
  const { parseFleet } = require('../../config/load');
  return { promoteWave, undoWave, loadFleetText: (text: string) => parseFleet(text, 'fleet.yaml') };
}

describe('npm run promote, as run from the command line', () => {
  let repo: string;
  const run = (...args: string[]) => spawnSync('node', [join(projectRoot, 'scripts', 'run.mjs'), 'app/promote.ts', ...args], {
    cwd: projectRoot, encoding: 'utf8', env: { ...process.env, FLEET_CONFIG: join(repo, 'fleet.yaml'), CDK8S_OUTDIR: join(repo, 'dist'), ARGOCD_SERVER: '', ARGOCD_AUTH_TOKEN: '' },
  });
  const commitNow = (message: string) => {
    git(repo, ['add', '--all']);
    git(repo, ['commit', '--quiet', '--message', message]);
  };

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'fleet-promote-'));
    git(repo, ['init', '--quiet', '--initial-branch=main']);
    const text = readFileSync(join(projectRoot, 'test', 'fixtures', 'demo.yaml'), 'utf8');
    commit(repo, text, render(text, repo), 'The demo fleet');
    const waves = 'waves:\n  - name: canary\n    clusters: [ipv6-east]\n    bakeTime: 1d\n  - name: rest\n    clusters: [legacy-ipv4]\n';
    writeFileSync(join(repo, 'fleet.yaml'), text.replace('clusters:\n', `${waves}clusters:\n`));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('--init pins the later waves to what the first runs and renders dist/; promoting a wave that runs it already, or before the bake time, is refused with exit 1', () => {
    const init = run('--init');
    expect([init.status, init.stderr]).toEqual([0, '']);
    const main = git(repo, ['rev-parse', 'main']);
    expect(init.stdout).toContain(`wave rest: pinned to ${main}, what wave canary runs`);
    expect(init.stdout).toMatch(/dist\/: \d+ added, \d+ changed, 0 removed \(from .*fleet\.yaml\); commit both and open a pull request/);
    expect(parse(readFileSync(join(repo, 'fleet.yaml'), 'utf8')).waves[1].revision).toBe(main);
    commitNow('Waves');
    // What the waves commit changed is no file the clusters share: promoting rest to it would change nothing
    const already = run('rest');
    expect(already.status).toBe(1);
    expect(already.stderr).toMatch(/^promotion refused: wave rest runs what wave canary runs already \([0-9a-f]{12} changes no file the clusters share since [0-9a-f]{12}\): nothing to promote/);
    // A pull request whose branch commit is three days old, merged (no fast-forward) just now: canary has had it since the merge
    git(repo, ['checkout', '--quiet', '-b', 'old-branch', 'HEAD']);
    writeFileSync(join(repo, 'dist', 'apps', 'app1', 'app.yaml'), `${readFileSync(join(repo, 'dist', 'apps', 'app1', 'app.yaml'), 'utf8')}# repainted long ago\n`);
    git(repo, ['add', '--all']);
    git(repo, ['commit', '--quiet', '--message', 'Repaint app1'], Math.floor(Date.now() / 1000) - 3 * 86400);
    git(repo, ['checkout', '--quiet', 'main']);
    git(repo, ['merge', '--quiet', '--no-ff', '--no-edit', 'old-branch']);
    expect(run('rest').stderr).toMatch(/^promotion refused: wave canary has had the change for 0m of its 1d bake time/);
    // A page changed and merged just now: canary has not had it for a day
    writeFileSync(join(repo, 'dist', 'apps', 'app0', 'app.yaml'), `${readFileSync(join(repo, 'dist', 'apps', 'app0', 'app.yaml'), 'utf8')}# repainted\n`);
    commitNow('Repaint app0');
    const early = run('rest');
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/^promotion refused: wave canary has had the change for 0m of its 1d bake time/);
    expect(run('nowhere').stderr).toMatch(/^promotion refused: no wave nowhere: the waves are canary, rest/);
    expect(run().status).toBe(2);
  });
});
