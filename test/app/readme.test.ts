import { spawnSync } from 'child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { demoFleetText, projectRoot, scratchDist, setReplicas } from '../support/fixtures';

/** The README's promises of what a command prints, held to what it prints. */
describe('the README quick start', () => {
  test('promises the file counts synth prints after scaling one app of the demo fleet', () => {
    // GIVEN the line the quick start quotes
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const promised = /after scaling one app:\s+`([^`]+)`/.exec(readme)?.[1].replace(/\s+/g, ' ');
    expect(promised).toMatch(/^dist\/: \d+ added, \d+ changed, \d+ removed, \d+ unchanged files \(from fleet\.yaml\)$/);
    // WHEN, in a folder holding the demo fleet and its dist/, one app is scaled and synth runs as the quick start runs it
    const folder = mkdtempSync(join(tmpdir(), 'fleet-readme-'));
    cpSync(scratchDist(), join(folder, 'dist'), { recursive: true });
    writeFileSync(join(folder, 'fleet.yaml'), setReplicas(demoFleetText, 2, 10000));
    const synth = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'main.ts'], {
      cwd: folder,
      env: { ...process.env, FLEET_CONFIG: '', CDK8S_OUTDIR: '' },
      encoding: 'utf8',
    });
    // THEN its first line is the README's
    expect(synth.status).toBe(0);
    expect(synth.stdout.split('\n')[0]).toBe(promised);
  });
});
