import { execFileSync, spawnSync } from 'child_process';
import { tmpdir } from 'os';
import { join } from 'path';
import { scratchDist } from './support/dist-state';
import { defaultFleetText, projectRoot, setReplicas, writeTempFleet } from './support/fleet-fixtures';

function runDiff(args: readonly string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['scripts/run.mjs', 'scripts/diff.ts', ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('npm run diff against dist/ on disk', () => {
  test('exits 0 and says "no changes" when fleet.yaml renders to dist/', () => {
    // GIVEN a copy of dist/ and an unedited fleet.yaml
    const env = { CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(defaultFleetText) };
    // WHEN the diff runs
    const result = runDiff([], env);
    // THEN nothing differs
    expect(result.stdout).toMatch(/: no changes\n$/);
    expect(result.status).toBe(0);
  });

  test('exits 1 and prints the changed field when app2 goes to 10000 replicas', () => {
    const env = { CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(setReplicas(defaultFleetText, 2, 10000)) };
    const result = runDiff([], env);
    expect(result.stdout).toContain('\napps/app2 -> ipv6-east\n  apps/app2  Deployment app2/app2  spec.replicas: 5 -> 10000\n');
    expect(result.status).toBe(1);
  });

  test('--markdown prints the Markdown section, with the same exit status', () => {
    const env = { CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(setReplicas(defaultFleetText, 2, 10000)) };
    const result = runDiff(['--markdown'], env);
    expect(result.stdout.startsWith('## Fleet diff\n')).toBe(true);
    expect(result.stdout).toContain('  - `spec.replicas`: `5` → `10000`\n');
    expect(result.status).toBe(1);
  });

  test('exits 2 with the fleet.yaml problem when fleet.yaml is not valid', () => {
    const env = { CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(defaultFleetText.replace('replicas: 5', 'replicas: lots')) };
    const result = runDiff([], env);
    expect(result.stderr).toMatch(/fleet\.yaml:\d+:15: apps\[0\]\.replicas: expected an integer from 0 to 100000, got "lots" \(text\)/);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  });

  test('exits 2 when the output folder does not exist, or on an unknown option', () => {
    const missing = runDiff([], { CDK8S_OUTDIR: join(tmpdir(), 'no-such-dist-folder'), FLEET_CONFIG: writeTempFleet(defaultFleetText) });
    expect(missing.stderr).toContain('no-such-dist-folder/ does not exist');
    expect(missing.status).toBe(2);
    const unknown = runDiff(['--colour'], {});
    expect(unknown.stderr).toContain('Usage: npm run diff');
    expect(unknown.status).toBe(2);
  });
});

describe('npm run diff --base <rev>', () => {
  const committedFleet = execFileSync('git', ['show', 'HEAD:fleet.yaml'], { cwd: projectRoot, encoding: 'utf8' });

  test('compares fleet.yaml at the revision with the working tree\'s, both rendered with the current code', () => {
    const result = runDiff(['--base', 'HEAD'], { FLEET_CONFIG: writeTempFleet(setReplicas(committedFleet, 2, 10000)) });
    expect(result.stdout).toContain('fleet.yaml at HEAD -> ');
    expect(result.stdout).toContain('  apps/app2  Deployment app2/app2  spec.replicas: 5 -> 10000\n');
    expect(result.status).toBe(1);
  });

  test('exits 0 when fleet.yaml did not change since the revision', () => {
    const result = runDiff(['--base', 'HEAD'], { FLEET_CONFIG: writeTempFleet(committedFleet) });
    expect(result.stdout).toContain(': no changes\n');
    expect(result.status).toBe(0);
  });

  test('exits 2 when the revision does not exist', () => {
    const result = runDiff(['--base', 'no-such-revision'], {});
    expect(result.stderr).toContain('cannot read fleet.yaml at no-such-revision');
    expect(result.status).toBe(2);
  });
});
