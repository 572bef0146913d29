import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { demoFleetText, projectRoot, writeTempFleet } from '../support/fixtures';

const importFixtures = join(projectRoot, 'test', 'fixtures', 'import');
const fixture = (name: string) => join(importFixtures, `${name}.json`);

/** Runs `npm run import-clusters -- <files>` on a copy of `fleetText`; returns the result and the file. */
function runImport(files: readonly string[], fleetText = demoFleetText) {
  const fleetFile = writeTempFleet(fleetText);
  const result = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/import-clusters.ts', ...files], {
    cwd: projectRoot,
    env: { ...process.env, FLEET_CONFIG: fleetFile },
    encoding: 'utf8',
  });
  return { ...result, fleetFile, fleetAfter: readFileSync(fleetFile, 'utf8') };
}

describe('npm run import-clusters', () => {
  test('prints one line per changed field and writes the fields into fleet.yaml', () => {
    // WHEN
    const result = runImport([fixture('terraform-legacy-ipv4')]);
    // THEN
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual([
      'clusters[0].server: https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2.eks.amazonaws.com -> https://1F2E3D4C5B6A79880F1E2D3C4B5A6978.gr7.us-east-2.eks.amazonaws.com',
      expect.stringMatching(/^clusters\[0\]\.caData: LS0tLS1C\.\.\. \(\d+ characters, sha256 [0-9a-f]{12}\) -> LS0tLS1C\.\.\. \(780 characters, sha256 [0-9a-f]{12}\)$/),
      'clusters[0].vpcId: vpc-0a1b2c3d4e5f60718 -> vpc-0b2c3d4e5f6071829',
      'clusters[0].subnets: [10.230.16.0/22, 10.230.20.0/22, 10.230.24.0/22] -> [10.240.16.0/22, 10.240.20.0/22, 10.240.24.0/22]',
      `${result.fleetFile}: 4 fields of legacy-ipv4 updated`,
    ]);
    expect(result.fleetAfter).toContain('    vpcId: vpc-0b2c3d4e5f6071829\n    subnets:\n      - 10.240.16.0/22\n');
    expect(result.fleetAfter).toContain('# The cluster that ran out of IPv4 addresses');
  });

  test('describe-cluster and describe-subnets files of an IPv4 and an IPv6 cluster are imported in one run', () => {
    // WHEN
    const result = runImport(['describe-cluster-legacy-ipv4', 'describe-subnets-legacy-ipv4', 'describe-cluster-ipv6-east', 'describe-subnets-ipv6-east'].map(fixture));
    // THEN
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('clusters[1].subnets: [2600:1f16:5de:8b03::/64, 2600:1f16:5de:8b04::/64, 2600:1f16:5de:8b05::/64] -> [2600:1f16:5de:9c03::/64, 2600:1f16:5de:9c04::/64, 2600:1f16:5de:9c05::/64]');
    expect(result.stdout).toContain('clusters[0].endpointAccess: { public: true, publicCidrs: [0.0.0.0/0] } (added)');
    expect(result.stdout).toContain(`${result.fleetFile}: 9 fields of legacy-ipv4, ipv6-east updated`);
  });

  test('a second run of the same files has nothing to change and leaves fleet.yaml as it was', () => {
    // GIVEN fleet.yaml after a first import
    const files = [fixture('terraform-legacy-ipv4'), fixture('terraform-ipv6-east')];
    const imported = runImport(files).fleetAfter;
    // WHEN
    const result = runImport(files, imported);
    // THEN
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(`nothing to change: ${result.fleetFile} already says what the 2 files say`);
    expect(result.fleetAfter).toBe(imported);
  });

  test('exits 1 on a contradiction, says why and leaves fleet.yaml untouched', () => {
    // GIVEN the outputs of a cluster in another region
    const outputs = JSON.parse(readFileSync(fixture('terraform-ipv6-east'), 'utf8'));
    outputs.region.value = 'us-west-2';
    const file = join(mkdtempSync(join(tmpdir(), 'import-test-')), 'outputs.json');
    writeFileSync(file, JSON.stringify(outputs));
    // WHEN
    const result = runImport([fixture('terraform-legacy-ipv4'), file]);
    // THEN
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`import-clusters refused; ${result.fleetFile} was left as it was:\n${file}: cluster ipv6-east is in region us-west-2, but ${result.fleetFile} says region: us-east-2 (clusters[1].region)`);
    expect(result.stdout).toBe('');
    expect(result.fleetAfter).toBe(demoFleetText);
  });

  test('exits 2 on a file it cannot read or recognise, writing nothing', () => {
    // WHEN
    const missing = runImport([fixture('terraform-legacy-ipv4'), join(importFixtures, 'absent.json')]);
    const unrecognised = runImport([fixture('describe-instances')]);
    // THEN
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`${join(importFixtures, 'absent.json')} cannot be read: ENOENT`);
    expect(missing.fleetAfter).toBe(demoFleetText);
    expect(unrecognised.status).toBe(2);
    expect(unrecognised.stderr).toContain('describe-instances.json: is not a form import-clusters reads');
    expect(unrecognised.fleetAfter).toBe(demoFleetText);
  });

  test('exits 2 on an invalid fleet.yaml, with its problems', () => {
    // GIVEN
    const invalid = demoFleetText.replace('accountId: "111122223333"', 'accountId: 111122223333');
    // WHEN
    const result = runImport([fixture('terraform-legacy-ipv4')], invalid);
    // THEN
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`import-clusters failed: ${result.fleetFile} is not valid; it was left as it was:\n`);
    expect(result.stderr).toContain('clusters[0].accountId: expected a 12-digit AWS account id in quotes');
    expect(result.fleetAfter).toBe(invalid);
  });

  test('exits 2 with the usage when no file or an unknown option is given', () => {
    for (const args of [[], ['--dry-run', fixture('terraform-legacy-ipv4')]]) {
      // WHEN
      const result = runImport(args);
      // THEN
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('Usage: npm run import-clusters -- [--add] <file> [<file> ...]');
      expect(result.fleetAfter).toBe(demoFleetText);
    }
  });
});
