import { generateKeyPairSync } from 'crypto';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { nodeGroupWarnings } from '../../capacity/max-pods';
import { FleetConfigError, parseFleet, parseFleetLocatingProblems } from '../../config/load';
import { groupWarnings } from '../../config/messages';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { demoFleet, demoFleetText, runSynth, writeTempFleet } from '../support/fixtures';

jest.setTimeout(60_000);

/** The problems parseFleet reports for `text`, each as printed. */
function problems(text: string, parse = parseFleet): string[] {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof FleetConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

const legacyCaData = /(- name: legacy-ipv4[\s\S]*?)caData: \S+/;

describe('a caData of megabytes', () => {
  test.each([['the fast reader', parseFleet], ['the locating reader', parseFleetLocatingProblems]])('%s: a located sentence, not a stack overflow', (_, parse) => {
    // GIVEN caData of 10 MB of base64 that is no certificate
    const text = demoFleetText.replace(legacyCaData, `$1caData: ${'A'.repeat(10_000_000)}`);
    // WHEN / THEN
    const found = problems(text, parse);
    expect(found).toEqual([expect.stringMatching(/^fleet\.yaml:45:13: clusters\[0\]\.caData: does not decode to a PEM certificate: /)]);
    expect(found[0].length).toBeLessThan(300);
  });
});

describe('no message prints key material', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem: string = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const body = pem.split('\n').slice(1, -2).join('');

  test.each([
    ['caData, raw in a block scalar', (key: string) => demoFleetText.replace(legacyCaData, `$1caData: |\n${key.split('\n').map((line) => `      ${line}`).join('\n')}`)],
    ['caData, raw in one quoted line', (key: string) => demoFleetText.replace(legacyCaData, `$1caData: ${JSON.stringify(key)}`)],
    ['a node group name', (key: string) => demoFleetText.replace('      - name: default\n        instanceType: m5.large\n        minSize: 3\n        maxSize: 30', `      - name: ${JSON.stringify(key)}\n        instanceType: m5.large\n        minSize: 3\n        maxSize: 30`)],
    ['the repository URL', (key: string) => demoFleetText.replace('url: https://github.com/example-org/eks-ipv6-gitops.git', `url: ${JSON.stringify(key)}`)],
  ])('%s', (_, place) => {
    // WHEN
    const found = problems(place(pem)).join('\n');
    // THEN the field is reported, and nothing of the key is shown
    expect(found).toMatch(/characters that look like key material or a certificate: not shown/);
    expect(found).not.toContain('-----BEGIN');
    for (let at = 0; at + 16 <= body.length; at += 8) expect(found).not.toContain(body.slice(at, at + 16));
  });
});

describe('clusters fleet.yaml refuses', () => {
  test('a cluster named in-cluster: Argo CD\'s own name for the cluster it runs on', () => {
    const text = demoFleetText.replace('  - name: legacy-ipv4', '  - name: in-cluster').replace(/clusters: \[legacy-ipv4\]/g, 'clusters: [in-cluster]');
    expect(problems(text)).toEqual(['fleet.yaml:29:11: clusters[0].name: is "in-cluster", the name Argo CD gives the cluster it runs on (https://kubernetes.default.svc): Argo CD would hold two clusters of that name, and a destination by name could reach either; choose another name']);
  });

  test('a Kubernetes version the project knows no release of, with cluster-autoscaler off as with it on', () => {
    const off = demoFleetText.replace('    kubernetesVersion: "1.35"\n    server: https://4B1D', '    kubernetesVersion: "1.99"\n    addons: { clusterAutoscaler: false }\n    server: https://4B1D');
    expect(problems(off)).toEqual([expect.stringMatching(/^fleet\.yaml:31:24: clusters\[0\]\.kubernetesVersion: is "1\.99", which the EKS release calendar in data\/eks-versions\.json does not list/)]);
    expect(problems(off.replace('"1.99"', '"1.34"'))).toEqual([]);
  });
});

describe('maxPods above what the instance type\'s ENIs give is warned of', () => {
  test('on IPv4 above enis x (addresses - 1) + 2, on IPv6 above the prefixes\' pods; none at or below', () => {
    // GIVEN m5.large (3 ENIs of 10 addresses: 29 pods on IPv4, 434 with /80 prefixes on IPv6)
    const fleet = (ipv4: number, ipv6: number) => demoFleet((text) => text
      .replace('        maxSize: 30\n', `        maxSize: 30\n        maxPods: ${ipv4}\n`)
      .replace('        maxSize: 120\n', `        maxSize: 120\n        maxPods: ${ipv6}\n`));
    // WHEN / THEN
    expect(nodeGroupWarnings(fleet(29, 434))).toEqual([]);
    expect(nodeGroupWarnings(fleet(110, 500))).toEqual([
      'legacy-ipv4: maxPods above what the ENIs give: node group default sets maxPods 110, but m5.large\'s ENIs give 29 pods on IPv4 (one secondary address each, no prefix delegation): pods beyond never get an address, and the capacity plan counts them. Fix: remove maxPods (clusters[0].nodeGroups), or set at most 29.',
      'ipv6-east: maxPods above what the ENIs give: node group default sets maxPods 500, but m5.large\'s ENIs give 434 pods on IPv6 (prefix delegation): pods beyond never get an address, and the capacity plan counts them. Fix: remove maxPods (clusters[1].nodeGroups), or set at most 434.',
    ]);
  });
});

describe('warnings of one kind at fleet scale are grouped', () => {
  test('3,000 clusters\' warnings of one kind: three whole, the rest named in one line', () => {
    // GIVEN
    const warnings = Array.from({ length: 3000 }, (_, index) => `c${index}: maxPods above what the ENIs give: node group default sets maxPods 110, but ... Fix: ...`);
    warnings.splice(1, 0, 'us-east-2 (account 111122223333): load balancer quota exceeded: c0 and c1 place 60 apps');
    // WHEN
    const grouped = groupWarnings(warnings);
    // THEN each kind together, in the order it first appears
    expect(grouped).toEqual([
      warnings[0], warnings[2], warnings[3],
      'and 2,997 more: maxPods above what the ENIs give: c3, c4, c5 and 2,994 more',
      warnings[1],
    ]);
    expect(grouped.join('\n').length).toBeLessThan(1_000);
    // (four of a kind are all printed: a line naming one more would be no shorter)
    expect(groupWarnings(warnings.slice(2, 6))).toEqual(warnings.slice(2, 6));
  });

  test('synth prints a few lines, not one per cluster', () => {
    // GIVEN 60 clusters, each with a node group whose maxPods its ENIs cannot give
    const text = largeFleetYaml(10, 60).replace(/instanceType: m5\.large, minSize: 3, maxSize: 200 \}/g, 'instanceType: m5.large, minSize: 3, maxSize: 200, maxPods: 600 }');
    // WHEN
    const result = runSynth({ FLEET_CONFIG: writeTempFleet(text), CDK8S_OUTDIR: join(mkdtempSync(join(tmpdir(), 'fleet-warn-')), 'dist') });
    // THEN
    expect(result.status).toBe(0);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('warning: '));
    expect(lines.filter((line) => line.includes('maxPods above what the ENIs give'))).toHaveLength(4);
    expect(lines[lines.length - 1]).toBe('warning: and 57 more: maxPods above what the ENIs give: ipv6-03, ipv4-04, ipv6-05 and 54 more');
  });
});
