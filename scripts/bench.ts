// npm run bench: the real synth, as `npm run synth` runs it (a fresh node process), on the
// default fleet and on benchmark fleets of 300, 3,000 and 30,000 apps over 72 clusters.
// Prints wall time (process start to exit), objects per second and peak RSS, for a fresh
// output folder, for a re-synth that changes nothing, and for one that scales one app (one
// file rewritten). A benchmark, not a test: it asserts nothing; the targets are in the README.
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { largeFleetYaml } from '../test/fixtures/large-fleet';
import { isManifestFile } from '../catalog/dist-layout';
import { listFiles } from '../output/write-dist';

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
const rssReporter = join(work, 'report-rss.cjs');
writeFileSync(rssReporter, "process.on('exit', () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\\n`));\n");

function countObjects(dir: string): number {
  const manifests = listFiles(dir).filter(isManifestFile);
  return manifests.reduce((objects, path) => objects + (readFileSync(join(dir, path), 'utf8').match(/^apiVersion: /gm) ?? []).length, 0);
}

interface Run {
  readonly seconds: number;
  readonly rssMb: number;
  /** Files added or changed, from synth's summary line. */
  readonly written: number;
}

function synth(configFile: string, outdir: string): Run {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', rssReporter, join(root, 'scripts', 'run.mjs'), 'main.ts'], {
    cwd: root,
    env: { ...process.env, FLEET_CONFIG: configFile, CDK8S_OUTDIR: outdir },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`synth failed on ${configFile}:\n${result.stderr}`);
  const rss = /maxrss_kb=(\d+)/.exec(result.stderr);
  const summary = /(\d+) added, (\d+) changed/.exec(result.stdout);
  return { seconds, rssMb: rss ? Number(rss[1]) / 1024 : NaN, written: summary ? Number(summary[1]) + Number(summary[2]) : NaN };
}

function row(label: string, objects: number, run: Run): string {
  const rate = objects / run.seconds;
  return `${label.padEnd(40)} ${String(objects).padStart(8)} ${run.seconds.toFixed(2).padStart(8)} s ${Math.round(rate).toLocaleString('en-US').padStart(10)} ${run.rssMb.toFixed(0).padStart(7)} MB ${String(run.written).padStart(14)}`;
}

const cases: Array<{ label: string; text: string }> = [{ label: 'default fleet.yaml', text: readFileSync(join(root, 'fleet.yaml'), 'utf8') }];
for (const apps of [300, 3000, 30000]) cases.push({ label: `${apps.toLocaleString('en-US')} apps, 72 clusters`, text: largeFleetYaml(apps) });

/** Writes fleet text for a run; `scaled` gives the first app one more replica. */
function fleetFile(label: string, text: string, scaled = false): string {
  const configFile = join(work, `${label.replace(/\W+/g, '-')}${scaled ? '-scaled' : ''}.yaml`);
  writeFileSync(configFile, scaled ? text.replace(/replicas: (\d+)/, (_, replicas) => `replicas: ${Number(replicas) + 1}`) : text);
  return configFile;
}

// Bundle once, so that every measured run is a plain synth.
synth(fleetFile('warm-up', cases[0].text), join(work, 'warm-up'));
console.log(`${'fleet'.padEnd(40)} ${'objects'.padStart(8)} ${'wall'.padStart(10)} ${'objects/s'.padStart(10)} ${'peak RSS'.padStart(10)} ${'files written'.padStart(14)}`);
for (const { label, text } of cases) {
  const outdir = join(work, 'out', label.replace(/\W+/g, '-'), 'dist');
  const configFile = fleetFile(label, text);
  const fresh = synth(configFile, outdir);
  const objects = countObjects(outdir);
  const again = synth(configFile, outdir);
  const scaled = synth(fleetFile(label, text, true), outdir);
  console.log(row(`${label} (fresh)`, objects, fresh));
  console.log(row(`${label} (unchanged)`, objects, again));
  console.log(row(`${label} (one app scaled)`, objects, scaled));
}
rmSync(work, { recursive: true, force: true });
