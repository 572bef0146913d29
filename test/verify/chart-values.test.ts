import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartDataDir, chartDataFile, chartDirs, defaultChartsDir } from '../../scripts/refresh-chart-data';
import { chartNames, type ChartName } from '../../catalog/addons';
import { chartData, schemaErrors, unknownValueKeys, type ChartData } from '../../verify/chart-values';

interface KeyCheckCase {
  known: object;
  misspelt: object;
  misspeltPath: string;
}

const keyCheckCases: Record<ChartName, KeyCheckCase> = {
  'argo-cd': {
    known: { controller: { replicas: 2 }, global: { domain: 'argocd.example.com' } },
    misspelt: { controller: { replicaz: 2 } },
    misspeltPath: 'controller.replicaz',
  },
  'cert-manager': {
    known: { crds: { enabled: true }, webhook: { replicaCount: 2 } },
    misspelt: { webhook: { replicaCont: 2 } },
    misspeltPath: 'webhook.replicaCont',
  },
  'aws-load-balancer-controller': {
    known: { clusterName: 'fleet-a', serviceAccount: { create: false, name: 'aws-load-balancer-controller' } },
    misspelt: { serviceAccount: { craete: false } },
    misspeltPath: 'serviceAccount.craete',
  },
  'cluster-autoscaler': {
    known: { autoDiscovery: { clusterName: 'fleet-a' }, awsRegion: 'eu-west-1' },
    misspelt: { rbac: { serviceAcount: { name: 'cluster-autoscaler' } } },
    misspeltPath: 'rbac.serviceAcount',
  },
  'external-dns': {
    known: { provider: { name: 'aws' }, txtOwnerId: 'fleet-a', policy: 'sync' },
    misspelt: { txtOwnerID: 'fleet-a' },
    misspeltPath: 'txtOwnerID',
  },
};

describe('unknownValueKeys', () => {
  test.each(chartNames)('%s: accepts known keys and reports a misspelt one by its path', (chart) => {
    const { known, misspelt, misspeltPath } = keyCheckCases[chart];
    expect(unknownValueKeys(chart, known)).toEqual([]);
    expect(unknownValueKeys(chart, { ...known, ...misspelt })).toEqual([misspeltPath]);
  });

  test('accepts any key inside free-form maps, including ones with non-empty upstream defaults', () => {
    expect(
      unknownValueKeys('cert-manager', {
        extraArgs: ['--dns01-recursive-nameservers-only'],
        nodeSelector: { 'kubernetes.io/os': 'linux', 'karpenter.sh/nodepool': 'system' },
        resources: { requests: { cpu: '10m', memory: '64Mi' } },
        startupapicheck: { jobAnnotations: { 'argocd.argoproj.io/hook': 'Skip' } },
      }),
    ).toEqual([]);
    expect(
      unknownValueKeys('cluster-autoscaler', {
        extraArgs: { expander: 'least-waste', 'balance-similar-node-groups': true },
        rbac: { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/ca' } } },
      }),
    ).toEqual([]);
    expect(
      unknownValueKeys('aws-load-balancer-controller', {
        podAnnotations: { 'prometheus.io/scrape': 'true' },
        livenessProbe: { tcpSocket: { port: 61779 } },
      }),
    ).toEqual([]);
    expect(
      unknownValueKeys('external-dns', {
        extraArgs: { 'aws-zone-type': 'private' },
        podSecurityContext: { runAsUser: 65534 },
      }),
    ).toEqual([]);
  });

  test('accepts argo-cd config maps passed through to Argo CD and the redis-ha subchart values', () => {
    expect(
      unknownValueKeys('argo-cd', {
        configs: { cm: { 'oidc.config': 'issuer: x' }, params: { 'server.insecure': true } },
        'redis-ha': { haproxy: { replicas: 2 } },
      }),
    ).toEqual([]);
  });

  test('keeps checking inside chart-defined objects that merely resemble Kubernetes ones', () => {
    expect(unknownValueKeys('argo-cd', { global: { affinity: { podAntiAfinity: 'hard' } } })).toEqual([
      'global.affinity.podAntiAfinity',
    ]);
    expect(unknownValueKeys('cert-manager', { livenessProbe: { exec: { command: ['true'] } } })).toEqual([
      'livenessProbe.exec',
    ]);
  });

  test('reports keys below a scalar, inside a list given for a map, and keys containing dots', () => {
    expect(
      unknownValueKeys('argo-cd', {
        global: { image: [{ tag: 'v3.4.4' }], logging: { level: { controller: 'debug' } } },
        'controller.replicas': 2,
      }),
    ).toEqual(['global.image[0].tag', 'global.logging.level.controller', '["controller.replicas"]']);
  });
});

describe('schemaErrors', () => {
  test('cert-manager: rejects a value of the wrong type and an unknown key', () => {
    expect(schemaErrors('cert-manager', { replicaCount: 'two' })).toEqual(['replicaCount: must be number']);
    expect(schemaErrors('cert-manager', { webhook: { replicaCont: 2 } })).toEqual([
      'webhook: must NOT have additional properties "replicaCont"',
    ]);
  });

  test('external-dns: rejects a value of the wrong type and a value outside its enum', () => {
    expect(schemaErrors('external-dns', { txtOwnerId: 5 })).toEqual(['txtOwnerId: must be string,null']);
    expect(schemaErrors('external-dns', { policy: 'delete-all' })).toEqual([
      'policy: must be equal to one of the allowed values: "create-only", "sync", "upsert-only"',
    ]);
  });

  test('accepts valid values, and nulls, which Helm treats as deleting the key', () => {
    expect(schemaErrors('cert-manager', { replicaCount: 2, crds: { enabled: true }, image: { tag: null } })).toEqual([]);
    expect(schemaErrors('external-dns', { txtOwnerId: 'fleet-a', extraArgs: ['--aws-zone-type=private'] })).toEqual([]);
  });

  test('is empty for charts without a values.schema.json', () => {
    expect(schemaErrors('argo-cd', { controller: { replicas: 'two' } })).toEqual([]);
  });
});

describe('committed chart data', () => {
  test.each(chartNames)('%s: the upstream defaults pass both checks', (chart) => {
    const { defaults } = chartData(chart);
    expect(unknownValueKeys(chart, defaults)).toEqual([]);
    expect(schemaErrors(chart, defaults)).toEqual([]);
  });

  test.each(chartNames)('%s: its data file names that chart', (chart) => {
    expect(chartData(chart).chart).toBe(chart);
  });
});

// Derivation rules and data must not drift apart: the committed files are exactly what the script writes.
describe(`data/charts against scripts/refresh-chart-data.ts run on ${defaultChartsDir}`, () => {
  if (!existsSync(defaultChartsDir)) {
    test.skip(`skipped: ${defaultChartsDir} is absent in this checkout, so there is nothing to derive from`, () => {});
    return;
  }
  for (const chartDir of chartDirs(defaultChartsDir)) {
    const derived = chartDataFile(chartDir);
    const committedFile = join(chartDataDir, `${derived.chart}.json`);
    const committedVersion = existsSync(committedFile) ? committedChartVersion(committedFile) : undefined;
    const derivedVersion = (JSON.parse(derived.contents) as ChartData).version;
    if (committedVersion !== undefined && committedVersion !== derivedVersion) {
      // A chart bumped from `helm show values` output is newer than the reference folder; nothing to compare.
      test.skip(`${derived.chart}: skipped, data/charts has ${committedVersion} but ${chartDir} has ${derivedVersion}`, () => {});
      continue;
    }
    test(`${derived.chart}: data/charts/${derived.chart}.json is what the script derives from ${chartDir}`, () => {
      expect(existsSync(committedFile) ? readFileSync(committedFile, 'utf8') : 'missing').toBe(derived.contents);
    });
  }
});

function committedChartVersion(file: string): string {
  return (JSON.parse(readFileSync(file, 'utf8')) as ChartData).version;
}
