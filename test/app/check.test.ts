import { spawn, spawnSync } from 'child_process';
import { appendFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { capacityCheck, objectsCheck, syncCheck } from '../../app/checks';
import { renderFleet } from '../../app/render';
import { parseFleet } from '../../config/load';
import { groupWarningLines } from '../../config/messages';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { demoFleet, demoFleetText, projectRoot, scratchDist, setReplicas, writeTempFleet } from '../support/fixtures';

function runCheck(env: Record<string, string>) {
  return spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/check.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('syncCheck: dist/ against what fleet.yaml renders', () => {
  const rendered = renderFleet(demoFleet());

  test('passes a dist/ synth wrote', () => {
    expect(syncCheck(scratchDist(), rendered)).toMatchObject({ status: 'ok' });
  });

  test('names a file edited by hand, one missing and one nothing renders', () => {
    // GIVEN a dist/ with one file edited, one deleted and one added
    const outdir = scratchDist();
    appendFileSync(join(outdir, 'apps/app0/app.yaml'), '# edited\n');
    rmSync(join(outdir, 'apps/app1/app.yaml'));
    writeFileSync(join(outdir, 'apps/stray.yaml'), 'kind: ConfigMap\n');
    // WHEN
    const result = syncCheck(outdir, rendered);
    // THEN
    expect(result.status).toBe('failed');
    expect(result.details).toEqual(['differs: apps/app0/app.yaml', 'missing: apps/app1/app.yaml', 'not rendered by fleet.yaml: apps/stray.yaml']);
  });
});

describe('capacityCheck and objectsCheck', () => {
  test('the capacity plan\'s refusal fails the check, its warnings do not', () => {
    const refused = demoFleet((text) => setReplicas(text, 2, 10000).replace(/(  - name: app2\n(    .*\n)+)/, '$1    clusters: [legacy-ipv4]\n'));
    expect(capacityCheck(refused)).toMatchObject({
      status: 'failed',
      details: [expect.stringMatching(/^legacy-ipv4: out of IPv4 addresses/), expect.stringMatching(/^warning: legacy-ipv4: IPv4 addresses not planned: /), expect.stringMatching(/^warning: legacy-ipv4: load balancer quota exceeded: /)],
    });
    const warned = demoFleet((text) => setReplicas(text, 2, 10000));
    expect(capacityCheck(warned)).toMatchObject({ status: 'ok', summary: 'the capacity plan accepts the fleet with 1 warning' });
  });

  test('an object the API server would refuse fails the check', async () => {
    const rendered = renderFleet(demoFleet());
    expect((await objectsCheck(rendered)).status).toBe('ok');
    const broken = new Map(rendered);
    broken.set('apps/app0/app.yaml', rendered.get('apps/app0/app.yaml')!.replace('replicas: 5', 'replicas: five'));
    expect(await objectsCheck(broken)).toMatchObject({ status: 'failed', details: [expect.stringContaining('apps/app0/app.yaml: Deployment/app0: spec.replicas: must be integer')] });
  });
});

describe('npm run check', () => {
  test('exits 2 when fleet.yaml is not valid, naming the problem', () => {
    const result = runCheck({ FLEET_CONFIG: writeTempFleet(demoFleetText.replace('replicas: 5', 'replicas: lots')), CDK8S_OUTDIR: scratchDist() });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^FAILED {2}\S+ is not valid\n {10}\S+:\d+:15: apps\[0\]\.replicas: expected an integer/);
  });

  test('exits 1 on a stale dist/, and still runs every other check', () => {
    const outdir = scratchDist();
    const result = runCheck({ FLEET_CONFIG: writeTempFleet(setReplicas(demoFleetText, 0, 7)), CDK8S_OUTDIR: outdir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`FAILED  ${outdir}/ is not what`);
    expect(result.stderr).toContain('differs: apps/app0/app.yaml');
    expect(result.stdout).toMatch(/^ok {6}.* is valid \(2 clusters, 4 apps\)$/m);
    expect(result.stdout).toMatch(/^ok {6}every rendered object/m);
    expect(result.stdout).toMatch(/^(ok|skipped) {1,6}(every chart|the charts)/m);
    expect(result.stdout).toMatch(/^(ok|skipped) {1,6}the (pages of 3 apps|apps' pages)/m);
  }, 60_000);
});

describe('npm run check groups the capacity plan\'s warnings of many clusters as synth does', () => {
  test('20 IPv6 clusters without ipv4Subnets: 3 whole, the other 17 on one line (groupWarningLines, which check prints through)', () => {
    // GIVEN 40 clusters, the 20 IPv6 ones existing (no created VPC gives their blocks) and without ipv4Subnets: each warns its IPv4 addresses are not planned
    const text = largeFleetYaml(40, 40, { createdVpcs: false }).replace(/ {4}ipv4Subnets: .*\n/g, '');
    const details = capacityCheck(parseFleet(text)).details ?? [];
    const unplanned = (lines: readonly string[]) => lines.filter((line) => line.includes('IPv4 addresses not planned'));
    expect(unplanned(details)).toHaveLength(20);
    // WHEN check prints them
    const printed = unplanned(groupWarningLines(details));
    // THEN
    expect(printed).toHaveLength(4);
    expect(printed[3]).toMatch(/^warning: and 17 more: IPv4 addresses not planned: .*ipv6-\d+/);
  });
});

describe('npm run check prints the capacity plan\'s warnings grouped', () => {
  test('20 IPv6 clusters without ipv4Subnets: 4 lines of that warning on its output', async () => {
    const text = largeFleetYaml(40, 40, { createdVpcs: false }).replace(/ {4}ipv4Subnets: .*\n/g, '');
    // WHEN check runs, read until the capacity plan's result is printed (the checks after it, helm and the pages, are not waited for)
    const child = spawn(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/check.ts'], {
      cwd: projectRoot,
      env: { ...process.env, FLEET_CONFIG: writeTempFleet(text), CDK8S_OUTDIR: scratchDist() },
      detached: true,
    });
    let output = '';
    const capacity = /the capacity plan (accepts|refuses)[\s\S]*?\n(?=\S)/;
    await new Promise<void>((resolve) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (capacity.test(output)) resolve();
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', () => resolve());
    });
    if (child.exitCode === null) process.kill(-child.pid!);
    // THEN the 20 clusters' warnings are 4 lines
    const printed = capacity.exec(output)![0].split('\n').filter((line) => line.includes('IPv4 addresses not planned'));
    expect(printed).toHaveLength(4);
    expect(printed[3]).toMatch(/warning: and 17 more: IPv4 addresses not planned/);
  }, 60_000);
});
