// npm run bench [-- --apps 3000,30000 --repeat 5]: the real synth, as `npm run synth` runs it
// (a fresh node process), side by side with `helm template` of one chart that renders the same
// test apps (scripts/bench-chart.ts), in the same run, on this machine as it is loaded now.
//
// For the default fleet and for benchmark fleets of 300, 3,000, 30,000 and 100,000 apps over 72
// clusters (half IPv6, every add-on on): a synth into a fresh folder beside the write floor (a
// node process that only creates the same folders, writes the same files and flushes them), a
// synth that changes nothing (it compares every file once), another (every file remembered), the
// same with nothing remembered beside dist/ (.dist.cache: a fresh clone, CI, a change of the
// code), one that scales one app; and `npm run diff -- --base HEAD
// --markdown` of a one-app change at 3,000 apps. Each is run --repeat times (default 3; once at
// 100,000 apps), the runs of synth and helm interleaved, and the median is printed with the peak
// RSS of the largest run. And `npm run check` of 3,000 apps on 72 clusters (--check-apps), every check it runs,
// its time, CPU time (user+sys, with its helm, nginx and browser runs) and peak RSS (the page checks, when nginx or a browser is missing, are skipped: the row says so).
// A benchmark, not a test: it asserts nothing; the targets are in docs/performance.md.
// --cases synth,diff,check runs only the cases named (all three by default).
import { execFileSync, spawnSync } from 'child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseArgs } from 'util';
import { isManifestFile } from '../catalog/dist-layout';
import { parseFleet } from '../config/load';
import { listFiles } from '../output/write-dist';
import { largeFleetYaml } from '../test/fixtures/large-fleet';
import { helmBinary } from '../verify/helm';
import { benchChartValues, writeBenchChart } from './bench-chart';

const { values: options } = parseArgs({
  options: {
    apps: { type: 'string', default: '300,3000,30000,100000' },
    repeat: { type: 'string', default: '3' },
    'check-apps': { type: 'string', default: '3000' },
    cases: { type: 'string', default: 'synth,diff,check' },
  },
  strict: true,
});
const appCounts = options.apps.split(',').map(Number);
const repeat = Number(options.repeat);
const cases = new Set(options.cases.split(','));

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
const reporter = join(work, 'report-usage.cjs');
writeFileSync(reporter, "process.on('exit', () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\\n`));\n");
// The write floor: what creating the folders, writing the files and flushing them costs this disk, with nothing rendered.
const floorScript = join(work, 'write-floor.cjs');
writeFileSync(floorScript, `const fs = require('fs'), path = require('path'), { spawnSync } = require('child_process');
const [from, to] = process.argv.slice(2);
let elapsed = 0n, files = 0;
const made = new Set();
const copy = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) { copy(file); continue; }
    const bytes = fs.readFileSync(file); // read outside the time measured
    const started = process.hrtime.bigint();
    const target = path.join(to, path.relative(from, file));
    if (!made.has(path.dirname(target))) { fs.mkdirSync(path.dirname(target), { recursive: true }); made.add(path.dirname(target)); }
    fs.writeFileSync(target, bytes);
    elapsed += process.hrtime.bigint() - started;
    files++;
  }
};
copy(from);
const started = process.hrtime.bigint();
spawnSync('sync', ['-f', to]);
elapsed += process.hrtime.bigint() - started;
console.log(JSON.stringify({ seconds: Number(elapsed) / 1e9, files, folders: made.size }));
`);

interface Run {
  readonly seconds: number;
  readonly rssMb: number;
}

function timed(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; stdout?: number; ok?: (status: number | null) => boolean } = {}): Run & { stdout: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? root,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!(options.ok ?? ((status) => status === 0))(result.status)) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  const rss = /maxrss_kb=(\d+)/.exec(result.stderr ?? '');
  return { seconds, rssMb: rss ? Number(rss[1]) / 1024 : NaN, stdout: result.stdout ?? '' };
}

function synth(configFile: string, outdir: string): Run {
  return timed(process.execPath, ['-r', reporter, join(root, 'scripts', 'run.mjs'), 'main.ts'], { env: { ...process.env, FLEET_CONFIG: configFile, CDK8S_OUTDIR: outdir } });
}

function helm(chart: string, values: string, output: string): Run {
  const fd = openSync(output, 'w');
  try {
    const home = join(work, 'helm-home');
    return timed(helmBinary(), ['template', 'bench', chart, '--values', values], {
      env: { PATH: process.env.PATH ?? '', HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') },
      stdout: fd,
    });
  } finally {
    closeSync(fd);
  }
}

function writeFloor(from: string, to: string): { seconds: number; files: number; folders: number } {
  return JSON.parse(timed(process.execPath, [floorScript, from, to]).stdout);
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (value: number) => `${value.toFixed(value < 1 ? 3 : 2)} s`;
const count = (value: number) => value.toLocaleString('en-US');

function countObjects(dir: string): number {
  return listFiles(dir).filter(isManifestFile).reduce((objects, path) => objects + (readFileSync(join(dir, path), 'utf8').match(/^apiVersion: /gm) ?? []).length, 0);
}

/** Fleet text with the first app at one more replica, `times` times over. */
const scaled = (text: string, times: number) => text.replace(/replicas: (\d+)/, (_, replicas) => `replicas: ${Number(replicas) + times}`);

let file = 0;
function fleetFile(text: string): string {
  const path = join(work, `fleet-${file++}.yaml`);
  writeFileSync(path, text);
  return path;
}

const chart = join(work, 'chart');
writeBenchChart(chart);

// Bundle once, so that every measured run is a plain synth.
synth(fleetFile(readFileSync(join(root, 'fleet.yaml'), 'utf8')), join(work, 'warm-up', 'dist'));
const nodeStart = median(Array.from({ length: 5 }, () => timed(process.execPath, ['-e', '']).seconds));
console.log(`node ${process.version}, ${count(repeat)} runs each (median); node's own start: ${seconds(nodeStart)}\n`);
console.log(`${'fleet'.padEnd(24)} ${'objects'.padStart(8)}  ${'case'.padEnd(16)} ${'synth'.padStart(9)} ${'helm'.padStart(9)} ${'ratio'.padStart(6)} ${'peak RSS'.padStart(9)}  notes`);

function row(fleet: string, objects: string, label: string, synthRuns: readonly Run[], helmSeconds?: number, note = ''): void {
  const time = median(synthRuns.map((run) => run.seconds));
  const rss = Math.max(...synthRuns.map((run) => run.rssMb));
  const ratio = helmSeconds === undefined ? '' : `${(time / helmSeconds).toFixed(2)}x`;
  console.log(`${fleet.padEnd(24)} ${objects.padStart(8)}  ${label.padEnd(16)} ${seconds(time).padStart(9)} ${(helmSeconds === undefined ? '' : seconds(helmSeconds)).padStart(9)} ${ratio.padStart(6)} ${`${rss.toFixed(0)} MiB`.padStart(9)}  ${note}`);
}

function benchFleet(label: string, text: string, runs: number, withHelm: boolean): void {
  const configFile = fleetFile(text);
  const values = join(work, 'values.json');
  if (withHelm) writeFileSync(values, benchChartValues(parseFleet(text)));
  const fresh: Run[] = [];
  const floors: Array<{ seconds: number; files: number; folders: number }> = [];
  const unchanged: Run[] = [];
  const remembered: Run[] = [];
  const forgotten: Run[] = [];
  const oneScaled: Run[] = [];
  const helmRuns: Run[] = [];
  let objects = 0;
  for (let index = 0; index < runs; index++) {
    const outdir = join(work, `out-${index}`, 'dist');
    const helmRun = () => helmRuns.push(helm(chart, values, join(work, 'helm-output.yaml')));
    if (withHelm && index % 2 === 1) helmRun();
    fresh.push(synth(configFile, outdir));
    floors.push(writeFloor(outdir, join(work, `floor-${index}`)));
    objects = countObjects(outdir);
    // Right after the fresh write, which synth does not remember (it compares what it wrote once).
    unchanged.push(synth(configFile, outdir));
    // Once it has compared every file: the usual synth of a fleet.yaml edited in a pull request.
    remembered.push(synth(configFile, outdir));
    // As on a fresh clone, in CI, or after a change of the code: nothing remembered beside dist/.
    rmSync(join(outdir, '..', '.dist.cache'), { force: true });
    forgotten.push(synth(configFile, outdir));
    oneScaled.push(synth(fleetFile(scaled(text, index + 1)), outdir));
    if (withHelm && index % 2 === 0) helmRun();
    rmSync(join(work, `out-${index}`), { recursive: true, force: true });
    rmSync(join(work, `floor-${index}`), { recursive: true, force: true });
  }
  const helmSeconds = withHelm ? median(helmRuns.map((run) => run.seconds)) : undefined;
  const floor = floors[0];
  row(label, count(objects), 'fresh', fresh, helmSeconds, `write floor ${seconds(median(floors.map((run) => run.seconds)))} (${count(floor.files)} files, ${count(floor.folders)} folders)`);
  row('', '', 'unchanged', unchanged, helmSeconds, 'right after the fresh write: every file compared once');
  row('', '', 'unchanged, warm', remembered, helmSeconds, 'every file remembered');
  row('', '', 'unchanged, cold', forgotten, helmSeconds, 'nothing remembered: a fresh clone, CI, a change of the code');
  row('', '', 'one app scaled', oneScaled, helmSeconds);
}

if (cases.has('synth')) {
  benchFleet('default fleet.yaml', readFileSync(join(root, 'fleet.yaml'), 'utf8'), Math.max(repeat, 5), false);
  for (const apps of appCounts) benchFleet(`${count(apps)} apps, 72 clusters`, largeFleetYaml(apps), apps >= 100_000 ? 1 : repeat, true);
}

// What every pull request runs: the diff of a one-app change against the base revision.
function benchDiff(): void {
  const diffApps = 3000;
  const repository = join(work, 'repository');
  mkdirSync(repository);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repository, stdio: 'ignore' });
  git('init', '-q');
  writeFileSync(join(repository, 'fleet.yaml'), largeFleetYaml(diffApps));
  git('add', 'fleet.yaml');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'fleet');
  writeFileSync(join(repository, 'fleet.yaml'), scaled(largeFleetYaml(diffApps), 1));
  const diffs = Array.from({ length: repeat }, () => timed(process.execPath, ['-r', reporter, join(root, 'scripts', 'run.mjs'), 'app/diff.ts', '--base', 'HEAD', '--markdown'], {
    cwd: repository,
    env: { ...process.env, FLEET_CONFIG: join(repository, 'fleet.yaml') },
    ok: (status) => status === 1,
  }));
  row(`${count(diffApps)} apps, 72 clusters`, '', 'diff --base', diffs, undefined, 'npm run diff -- --base HEAD --markdown, one app scaled');
}

/**
 * The CPU time (user and system) of this process's children that have ended, and of theirs, from
 * /proc/self/stat (cutime and cstime, in clock ticks of 1/100 s on Linux); NaN elsewhere. On a
 * machine shared with other work, it says more of a run than its wall time.
 */
function childrenCpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}

// What every pull request runs too: npm run check of the fleet, on a dist/ synth wrote.
function benchCheck(apps: number): void {
  const configFile = fleetFile(largeFleetYaml(apps));
  const outdir = join(work, 'check', 'dist');
  synth(configFile, outdir);
  let skipped = '';
  const cpu: number[] = [];
  const checks = Array.from({ length: repeat }, () => {
    const before = childrenCpuSeconds();
    const run = timed(process.execPath, ['-r', reporter, join(root, 'scripts', 'run.mjs'), 'app/check.ts'], { env: { ...process.env, FLEET_CONFIG: configFile, CDK8S_OUTDIR: outdir } });
    cpu.push(childrenCpuSeconds() - before);
    skipped = [...run.stdout.matchAll(/^skipped (.*)$/gm)].map((match) => match[1]).join('; ');
    return run;
  });
  const cpuNote = cpu.every(Number.isFinite) ? `CPU (user+sys, node, helm, nginx and the browser) ${seconds(median(cpu))}; ` : '';
  row(`${count(apps)} apps, 72 clusters`, '', 'npm run check', checks, undefined, `${cpuNote}${skipped ? `skipped: ${skipped}` : 'every check ran'}`);
  rmSync(join(work, 'check'), { recursive: true, force: true });
}

if (cases.has('diff')) benchDiff();
if (cases.has('check')) for (const apps of options['check-apps'].split(',').map(Number)) benchCheck(apps);
rmSync(work, { recursive: true, force: true });
