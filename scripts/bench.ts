// npm run bench: the real synth, as `npm run synth` runs it (a fresh node process), on the
// default fleet and on benchmark fleets of 300, 3,000 and 30,000 apps over 72 clusters.
// Prints wall time (process start to exit), objects per second and peak RSS, for a fresh
// output folder and for a re-synth that changes nothing. A benchmark, not a test: it asserts
// nothing; the targets are in the README.
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { benchFleetYaml } from '../lib/bench-fleet';
import { listFiles } from '../lib/write-dist';

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
const rssReporter = join(work, 'report-rss.cjs');
writeFileSync(rssReporter, "process.on('exit', () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\\n`));\n");

function countObjects(dir: string): number {
  const manifests = listFiles(dir).filter((path) => !path.startsWith('addons/'));
  return manifests.reduce((objects, path) => objects + (readFileSync(join(dir, path), 'utf8').match(/^apiVersion: /gm) ?? []).length, 0);
}

function synth(configFile: string, outdir: string): { seconds: number; rssMb: number } {
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
  return { seconds, rssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

function row(label: string, objects: number, run: { seconds: number; rssMb: number }): string {
  const rate = objects / run.seconds;
  return `${label.padEnd(28)} ${String(objects).padStart(8)} ${run.seconds.toFixed(2).padStart(8)} s ${Math.round(rate).toLocaleString('en-US').padStart(10)} ${run.rssMb.toFixed(0).padStart(7)} MB`;
}

const cases: Array<{ label: string; configFile: string }> = [{ label: 'default fleet.yaml', configFile: join(root, 'fleet.yaml') }];
for (const apps of [300, 3000, 30000]) {
  const configFile = join(work, `fleet-${apps}.yaml`);
  writeFileSync(configFile, benchFleetYaml(apps));
  cases.push({ label: `${apps.toLocaleString('en-US')} apps, 72 clusters`, configFile });
}

// Bundle once, so that every measured run is a plain synth.
synth(cases[0].configFile, join(work, 'warm-up'));
console.log(`${'fleet'.padEnd(28)} ${'objects'.padStart(8)} ${'wall'.padStart(10)} ${'objects/s'.padStart(10)} ${'peak RSS'.padStart(10)}`);
for (const { label, configFile } of cases) {
  const outdir = join(work, 'out', label.replace(/\W+/g, '-'), 'dist');
  const fresh = synth(configFile, outdir);
  const objects = countObjects(outdir);
  const again = synth(configFile, outdir);
  console.log(row(`${label} (fresh)`, objects, fresh));
  console.log(row(`${label} (unchanged)`, objects, again));
}
rmSync(work, { recursive: true, force: true });
