import { readFileSync } from 'fs';
import { join } from 'path';
import { parseDocument } from 'yaml';
import {
  ClusterFacts, formatChange, ImportInput, ImportInputError, ImportRefusedError, importClusters, readClusterFacts,
} from '../../config/import-clusters';
import { fleetWarnings } from '../../config/fleet-warnings';
import { parseFleet } from '../../config/load';
import { demoFleetText, projectRoot } from '../support/fixtures';

const importFixtures = join(projectRoot, 'test', 'fixtures', 'import');

/** A fixture's parsed JSON, edited freely by a test. */
type Json = Record<string, any>;

function fixtureJson(name: string): Json {
  return JSON.parse(readFileSync(join(importFixtures, `${name}.json`), 'utf8'));
}

/** An input file from test/fixtures/import/, optionally edited first (a test's one contradiction). */
function input(name: string, edit: (json: Json) => void = () => undefined): ImportInput {
  const json = fixtureJson(name);
  edit(json);
  return { file: `${name}.json`, text: JSON.stringify(json, null, 2) };
}

/** What the terraform fixtures say, the values every form of the same cluster must give. */
function terraformValues(name: string) {
  const outputs = fixtureJson(name);
  return {
    server: outputs.cluster_endpoint.value as string,
    caData: outputs.cluster_certificate_authority_data.value as string,
    vpcId: outputs.vpc_id.value as string,
  };
}

const legacy = terraformValues('terraform-legacy-ipv4');
const ipv6East = terraformValues('terraform-ipv6-east');
const legacySubnets = ['10.240.16.0/22', '10.240.20.0/22', '10.240.24.0/22'];
const ipv6EastSubnets = ['2600:1f16:5de:9c03::/64', '2600:1f16:5de:9c04::/64', '2600:1f16:5de:9c05::/64'];

/** The 1-based numbers of the lines that differ; the texts must have as many lines. */
function differingLines(before: string, after: string): number[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, index) => (line === b[index] ? [] : [index + 1]));
}

/** The 1-based numbers of the lines of `text` that contain `fragment`. */
function linesWith(text: string, fragment: string): number[] {
  return text.split('\n').flatMap((line, index) => (line.includes(fragment) ? [index + 1] : []));
}

/** The 1-based numbers of the lines of a cluster in the demo fleet that hold the imported fields. */
function importedLinesOf(text: string, clusterName: string): number[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line === `  - name: ${clusterName}`);
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('    '));
  let inSubnets = false;
  return lines.slice(start, end).flatMap((line, offset) => {
    if (/^ {4}\S/.test(line)) inSubnets = line === '    subnets:';
    const imported = /^ {4}(server|vpcId|caData):/.test(line) || (inSubnets && line.startsWith('      - '));
    return imported ? [start + offset + 1] : [];
  });
}

function refusal(run: () => unknown): ImportRefusedError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ImportRefusedError);
  return caught as ImportRefusedError;
}

function inputError(run: () => unknown): string {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ImportInputError);
  return (caught as Error).message;
}

describe('who can reach an API server: endpointAccess from describe-cluster', () => {
  const legacyDescribed = (edit: (json: Json) => void = () => undefined) => [input('describe-cluster-legacy-ipv4', edit), input('describe-subnets-legacy-ipv4')];
  const privateOnly = (json: Json) => {
    json.cluster.resourcesVpcConfig.endpointPublicAccess = false;
  };

  test('a cluster that exists gets what describe-cluster says, after its last field; a second import changes nothing, nor does its terraform output, which does not say it', () => {
    // WHEN legacy-ipv4 (provisioning: existing) is imported from its describe-cluster
    const { changes, text } = importClusters(demoFleetText, 'fleet.yaml', legacyDescribed());
    // THEN
    const access = changes.find((change) => change.field === 'endpointAccess')!;
    expect(access).toEqual({ clusterIndex: 0, cluster: 'legacy-ipv4', field: 'endpointAccess', before: undefined, after: { public: true, publicCidrs: ['0.0.0.0/0'] } });
    expect(formatChange(access)).toBe('clusters[0].endpointAccess: { public: true, publicCidrs: [0.0.0.0/0] } (added)');
    expect(text).toContain(`    caData: ${legacy.caData}\n    endpointAccess:\n      public: true\n      publicCidrs:\n        - 0.0.0.0/0\n\n  # The IPv6 cluster`);
    expect(parseFleet(text).clusters[0].endpointAccess).toEqual({ public: true, publicCidrs: ['0.0.0.0/0'] });
    expect(importClusters(text, 'fleet.yaml', legacyDescribed()).changes).toEqual([]);
    expect(importClusters(text, 'fleet.yaml', [input('terraform-legacy-ipv4')]).changes).toEqual([]);
    // and a describe-cluster without the endpoint's fields leaves it as it is
    expect(importClusters(text, 'fleet.yaml', legacyDescribed((json) => {
      delete json.cluster.resourcesVpcConfig.endpointPublicAccess;
    })).changes).toEqual([]);
  });

  test('a private-only endpoint is written without the CIDRs EKS keeps for it, and the plan then warns that Argo CD, in another VPC, cannot reach it', () => {
    // GIVEN legacy-ipv4 as it was, which the plan cannot judge
    expect(fleetWarnings(parseFleet(demoFleetText), '2026-12-07')).toEqual([]);
    // WHEN its describe-cluster says the public endpoint is off (publicAccessCidrs still 0.0.0.0/0, as EKS keeps it)
    const { text } = importClusters(demoFleetText, 'fleet.yaml', legacyDescribed(privateOnly));
    // THEN
    expect(text).toContain('    endpointAccess:\n      public: false\n\n');
    const fleet = parseFleet(text);
    expect(fleet.clusters[0].endpointAccess).toEqual({ public: false, publicCidrs: undefined });
    expect(fleetWarnings(fleet, '2026-12-07')).toEqual([expect.stringMatching(/^legacy-ipv4: Argo CD \(on ipv6-east\) cannot reach the API server: the cluster's endpoint is private \(endpointAccess\.public: false, as import-clusters read it\)/)]);
  });

  test('a later import rewrites only endpointAccess\'s lines when the endpoint changed', () => {
    // GIVEN fleet.yaml with legacy-ipv4's public endpoint
    const first = importClusters(demoFleetText, 'fleet.yaml', legacyDescribed()).text;
    // WHEN the public endpoint was turned off since
    const { changes, text } = importClusters(first, 'fleet.yaml', legacyDescribed(privateOnly));
    // THEN
    expect(changes.map(formatChange)).toEqual(['clusters[0].endpointAccess: { public: true, publicCidrs: [0.0.0.0/0] } -> { public: false }']);
    expect(text).toBe(first.replace('      public: true\n      publicCidrs:\n        - 0.0.0.0/0\n', '      public: false\n'));
  });

  test('a created cluster\'s describe-cluster writes no endpointAccess: fleet.yaml sets its endpoint (endpointPublicAccessCidrs)', () => {
    const { changes, text } = importClusters(demoFleetText, 'fleet.yaml', [input('describe-cluster-ipv6-east'), input('describe-subnets-ipv6-east')]);
    expect(changes.map((change) => change.field)).toEqual(['server', 'caData', 'vpcId', 'subnets']);
    expect(text).not.toContain('endpointAccess');
  });

  test('terraform output first, describe-cluster after: the endpoint is taken from the file that says it', () => {
    const { changes } = importClusters(demoFleetText, 'fleet.yaml', [input('terraform-legacy-ipv4'), ...legacyDescribed()]);
    expect(changes.map((change) => change.field)).toEqual(['server', 'caData', 'vpcId', 'subnets', 'endpointAccess']);
  });

  test('an endpointPublicAccess that is not true or false is an error naming the file and field', () => {
    expect(inputError(() => readClusterFacts(legacyDescribed((json) => {
      json.cluster.resourcesVpcConfig.endpointPublicAccess = 'yes';
    })))).toBe('describe-cluster-legacy-ipv4.json: cluster.resourcesVpcConfig.endpointPublicAccess: expected true or false, got "yes"');
  });
});

describe('readClusterFacts recognises each form by its shape', () => {
  test('terraform output of an IPv4 cluster stack: its region, account and version, the IPv4 blocks of its private subnets', () => {
    // WHEN
    const facts = readClusterFacts([input('terraform-legacy-ipv4')]);
    // THEN
    expect(facts).toEqual<ClusterFacts[]>([{
      source: 'terraform-legacy-ipv4.json', name: 'legacy-ipv4', region: 'us-east-2', accountId: '111122223333', ipFamily: 'ipv4',
      ...legacy, subnets: legacySubnets, ipv4Blocks: legacySubnets, kubernetesVersion: '1.35',
    }]);
  });

  test('terraform output of a root module without kubernetes_version (rendered before it existed) is still read', () => {
    const [facts] = readClusterFacts([input('terraform-legacy-ipv4', (json) => {
      delete json.kubernetes_version;
    })]);
    expect(facts.kubernetesVersion).toBeUndefined();
  });

  test('terraform output of an IPv6 cluster stack: the /64s of its private subnets, not their IPv4 blocks', () => {
    // WHEN
    const [facts] = readClusterFacts([input('terraform-ipv6-east')]);
    // THEN
    expect(facts).toMatchObject({ name: 'ipv6-east', ipFamily: 'ipv6', ...ipv6East, subnets: ipv6EastSubnets });
  });

  test('describe-cluster of an IPv4 cluster with describe-subnets: region and account from the ARN, the subnets not tagged for public load balancers', () => {
    // WHEN
    const facts = readClusterFacts([input('describe-cluster-legacy-ipv4'), input('describe-subnets-legacy-ipv4')]);
    // THEN
    expect(facts).toEqual<ClusterFacts[]>([{
      source: 'describe-cluster-legacy-ipv4.json', name: 'legacy-ipv4', region: 'us-east-2', accountId: '111122223333', ipFamily: 'ipv4',
      kubernetesVersion: '1.35', ...legacy, subnets: legacySubnets, ipv4Blocks: legacySubnets, endpointAccess: { public: true, publicCidrs: ['0.0.0.0/0'] },
    }]);
  });

  test('describe-cluster of an IPv6 cluster with describe-subnets: untagged subnets are all the cluster\'s, each with its associated /64', () => {
    // GIVEN the subnets' file first: the order of the files does not matter
    const inputs = [input('describe-subnets-ipv6-east'), input('describe-cluster-ipv6-east')];
    // WHEN
    const [facts] = readClusterFacts(inputs);
    // THEN the first subnet's disassociated block is not taken
    expect(facts).toMatchObject({ name: 'ipv6-east', ipFamily: 'ipv6', kubernetesVersion: '1.35', ...ipv6East, subnets: ipv6EastSubnets });
  });

  test('a describe-cluster without a describe-subnets of its subnets is an error naming the missing ones', () => {
    // GIVEN only the cluster's file, and that of another cluster's subnets
    const inputs = [input('describe-cluster-ipv6-east'), input('describe-subnets-legacy-ipv4')];
    // WHEN / THEN
    expect(inputError(() => readClusterFacts(inputs))).toBe(
      'describe-cluster-ipv6-east.json: no describe-subnets file given describes the subnets subnet-0e60000000000c001, subnet-0e60000000000c002, subnet-0e60000000000c003 of cluster ipv6-east: add the output of `aws ec2 describe-subnets --subnet-ids subnet-0e60000000000c001 subnet-0e60000000000c002 subnet-0e60000000000c003 --output json` to the files',
    );
  });

  test('a subnet of an IPv6 cluster without an associated /64 is an error naming it', () => {
    // GIVEN
    const subnets = input('describe-subnets-ipv6-east', (json) => {
      json.Subnets[1].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlockState.State = 'disassociated';
    });
    // WHEN / THEN
    expect(inputError(() => readClusterFacts([input('describe-cluster-ipv6-east'), subnets]))).toBe(
      'describe-subnets-ipv6-east.json: subnet subnet-0e60000000000c002 has no associated IPv6 block, but cluster ipv6-east is an IPv6 cluster: expected every subnet of the cluster to have a /64',
    );
  });

  test('an IPv6 cluster stack without IPv6 subnets is an error: fleet.yaml needs its /64s', () => {
    // GIVEN
    const outputs = input('terraform-ipv6-east', (json) => {
      json.private_subnets_ipv6_cidr_blocks.value = [];
    });
    // WHEN / THEN
    expect(inputError(() => readClusterFacts([outputs]))).toBe('terraform-ipv6-east.json: cluster ipv6-east has no private IPv6 subnets: fleet.yaml needs at least one');
  });

  test('a file of another form is an error naming the forms it reads', () => {
    expect(inputError(() => readClusterFacts([input('describe-instances')]))).toBe(
      'describe-instances.json: is not a form import-clusters reads: expected the JSON of `terraform output -json` of a cluster stack, `aws eks describe-cluster --output json` or `aws ec2 describe-subnets --output json`',
    );
  });

  test('a file that is not JSON is an error saying so', () => {
    expect(inputError(() => readClusterFacts([{ file: 'outputs.txt', text: 'cluster_name = "legacy-ipv4"' }]))).toMatch(/^outputs\.txt: is not JSON \(/);
  });

  test('terraform output of another stack is an error naming the outputs it lacks', () => {
    // GIVEN the outputs of a stack without the cluster's
    const outputs = input('terraform-legacy-ipv4', (json) => {
      delete json.cluster_endpoint;
      delete json.ip_family;
    });
    // WHEN / THEN
    expect(inputError(() => readClusterFacts([outputs]))).toBe(
      'terraform-legacy-ipv4.json: this terraform output has no ip_family, cluster_endpoint: expected the outputs of a cluster stack (terraform -chdir=dist/terraform/clusters/<cluster> output -json)',
    );
  });

  test('a value of the wrong type is an error naming its path', () => {
    const outputs = input('terraform-ipv6-east', (json) => {
      json.private_subnets_ipv6_cidr_blocks.value = '2600:1f16:5de:9c03::/64';
    });
    expect(inputError(() => readClusterFacts([outputs]))).toBe(
      'terraform-ipv6-east.json: private_subnets_ipv6_cidr_blocks.value: expected a list, got "2600:1f16:5de:9c03::/64"',
    );
  });
});

describe('importClusters writes server, caData, vpcId and subnets into fleet.yaml in place', () => {
  test('only the lines of the four fields of the described cluster change; comments and every other line stay byte-identical', () => {
    // WHEN
    const { changes, text } = importClusters(demoFleetText, 'fleet.yaml', [input('terraform-legacy-ipv4')]);
    // THEN
    expect(changes.map((change) => `${change.cluster}.${change.field}`)).toEqual(['legacy-ipv4.server', 'legacy-ipv4.caData', 'legacy-ipv4.vpcId', 'legacy-ipv4.subnets']);
    expect(differingLines(demoFleetText, text)).toEqual(importedLinesOf(demoFleetText, 'legacy-ipv4'));
    expect(importedLinesOf(demoFleetText, 'legacy-ipv4')).toHaveLength(6);
    expect(text).toContain(`    caData: ${legacy.caData}\n`);
    expect(text).toContain('    subnets:\n      - 10.240.16.0/22\n      - 10.240.20.0/22\n      - 10.240.24.0/22\n');
    const before = parseFleet(demoFleetText);
    const after = parseFleet(text);
    expect(after.clusters[0]).toEqual({ ...before.clusters[0], ...legacy, subnets: legacySubnets });
    expect(after.clusters[1]).toEqual(before.clusters[1]);
    expect({ ...after, clusters: [] }).toEqual({ ...before, clusters: [] });
  });

  test('a second import of the same files has nothing to change', () => {
    // GIVEN fleet.yaml after a first import of both clusters
    const inputs = [input('terraform-legacy-ipv4'), input('terraform-ipv6-east')];
    const first = importClusters(demoFleetText, 'fleet.yaml', inputs);
    // WHEN
    const second = importClusters(first.text, 'fleet.yaml', inputs);
    // THEN
    expect(first.changes).toHaveLength(8);
    expect(second.changes).toEqual([]);
    expect(second.text).toBe(first.text);
  });

  test('describe-cluster with describe-subnets imports an IPv4 and an IPv6 cluster as their terraform outputs do', () => {
    // WHEN
    const described = importClusters(demoFleetText, 'fleet.yaml', [
      input('describe-cluster-legacy-ipv4'), input('describe-subnets-legacy-ipv4'),
      input('describe-cluster-ipv6-east'), input('describe-subnets-ipv6-east'),
    ]);
    const terraform = importClusters(demoFleetText, 'fleet.yaml', [input('terraform-legacy-ipv4'), input('terraform-ipv6-east')]);
    // THEN the same but for legacy-ipv4's endpointAccess, which only describe-cluster says
    expect(described.changes.filter((change) => change.field !== 'endpointAccess')).toEqual(terraform.changes.map((change) => ({ ...change })));
    expect(described.text).toBe(terraform.text.replace(`    caData: ${legacy.caData}\n`, `    caData: ${legacy.caData}\n    endpointAccess:\n      public: true\n      publicCidrs:\n        - 0.0.0.0/0\n`));
    expect(parseFleet(described.text).clusters[1]).toMatchObject({ name: 'ipv6-east', ...ipv6East, subnets: ipv6EastSubnets });
  });

  test('the same subnets in another order are no change', () => {
    // GIVEN fleet.yaml with the imported subnets, listed in another order
    const imported = importClusters(demoFleetText, 'fleet.yaml', [input('terraform-legacy-ipv4')]).text;
    const reordered = imported.replace('      - 10.240.16.0/22\n      - 10.240.20.0/22\n', '      - 10.240.20.0/22\n      - 10.240.16.0/22\n');
    // WHEN
    const { changes } = importClusters(reordered, 'fleet.yaml', [input('terraform-legacy-ipv4')]);
    // THEN
    expect(changes).toEqual([]);
  });

  test('lines the yaml package would write differently stay as they were: flow lists, spacing, quotes', () => {
    // GIVEN a fleet.yaml written by hand
    const handWritten = demoFleetText
      .replace('    replicas: 5\n  - name: app1', '    replicas:   5   # a few\n    clusters: [legacy-ipv4]\n  - name: app1')
      .replace('domain: apps.example.com', "domain: 'apps.example.com'")
      .replace('      - 10.230.20.0/22\n', '      # the second zone\n      - 10.230.20.0/22 # b\n');
    expect(parseDocument(handWritten).toString()).not.toBe(handWritten);
    // WHEN
    const { text } = importClusters(handWritten, 'fleet.yaml', [input('terraform-legacy-ipv4')]);
    // THEN
    expect(differingLines(handWritten, text)).toEqual([...linesWith(handWritten, 'server: https://4B1D'), ...linesWith(handWritten, 'vpcId: vpc-0a1b'),
      ...linesWith(handWritten, '      - 10.230.'), ...linesWith(handWritten, 'caData: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJmekND')].sort((a, b) => a - b));
    expect(text).toContain('      # the second zone\n      - 10.240.20.0/22 # b\n');
  });

  test('a file with CRLF line ends keeps them on the changed lines', () => {
    // GIVEN
    const crlf = demoFleetText.replace(/\n/g, '\r\n');
    // WHEN
    const { text } = importClusters(crlf, 'fleet.yaml', [input('terraform-legacy-ipv4')]);
    // THEN
    expect(text).toBe(importClusters(demoFleetText, 'fleet.yaml', [input('terraform-legacy-ipv4')]).text.replace(/\n/g, '\r\n'));
  });

  test('subnets of another count are written as a block sequence, one subnet a line', () => {
    // GIVEN four private subnets
    const outputs = input('terraform-legacy-ipv4', (json) => {
      json.private_subnets_cidr_blocks.value.push('10.240.28.0/22');
    });
    // WHEN
    const { text } = importClusters(demoFleetText, 'fleet.yaml', [outputs]);
    // THEN
    expect(text).toContain('    subnets:\n      - 10.240.16.0/22\n      - 10.240.20.0/22\n      - 10.240.24.0/22\n      - 10.240.28.0/22\n    nodeGroups:\n');
    expect(text.split('\n')).toHaveLength(demoFleetText.split('\n').length + 1);
  });

  test('a flow list of subnets stays a flow list', () => {
    // GIVEN
    const flow = demoFleetText.replace('subnets:\n      - 10.230.16.0/22\n      - 10.230.20.0/22\n      - 10.230.24.0/22', 'subnets: [10.230.16.0/22, 10.230.20.0/22, 10.230.24.0/22]');
    // WHEN
    const { text } = importClusters(flow, 'fleet.yaml', [input('terraform-legacy-ipv4')]);
    // THEN
    expect(text).toContain('    subnets: [ 10.240.16.0/22, 10.240.20.0/22, 10.240.24.0/22 ]\n');
  });

  test('an absent caData is added after the cluster\'s last field, as a plain scalar on one line', () => {
    // GIVEN ipv6-east registered elsewhere, without caData
    const withoutCa = demoFleetText.replace(/\n {4}caData: .*\n\n# The NGINX/, '\n    register: false\n\n# The NGINX');
    // WHEN
    const { changes, text } = importClusters(withoutCa, 'fleet.yaml', [input('terraform-ipv6-east')]);
    // THEN
    expect(changes.find((change) => change.field === 'caData')).toMatchObject({ before: undefined, after: ipv6East.caData });
    expect(text).toContain(`    register: false\n    caData: ${ipv6East.caData}\n\n# The NGINX test apps.`);
  });

  test('a quoted caData becomes a plain scalar', () => {
    // GIVEN
    const quoted = demoFleetText.replace(/\n {4}caData: (.*)\n\n# The NGINX/, (_, data: string) => `\n    caData: "${data}"\n\n# The NGINX`);
    // WHEN
    const { text } = importClusters(quoted, 'fleet.yaml', [input('terraform-ipv6-east')]);
    // THEN
    expect(text).toContain(`\n    caData: ${ipv6East.caData}\n\n# The NGINX`);
  });

  test('a cluster written on one line is refused: its fields cannot be edited without rewriting the line', () => {
    // GIVEN legacy-ipv4 as a flow mapping
    const oneLine = demoFleetText.replace(/ {2}- name: legacy-ipv4\n(?: {4}.*\n)+/, (block) => {
      const cluster = parseDocument(block.replace(/^ {2}- /, '').replace(/^ {4}/gm, '')).toJSON();
      return `  - ${JSON.stringify(cluster)}\n`;
    });
    expect(parseFleet(oneLine).clusters[0].name).toBe('legacy-ipv4');
    // WHEN
    const error = refusal(() => importClusters(oneLine, 'fleet.yaml', [input('terraform-legacy-ipv4')]));
    // THEN
    expect(error.message).toBe('fleet.yaml: clusters[0].server, clusters[0].caData, clusters[0].vpcId, clusters[0].subnets cannot be edited without rewriting lines around them: write these fields one per line in block style, or set them by hand');
  });

  test('values that would make fleet.yaml invalid are refused with the problem found in the edited file', () => {
    // GIVEN an IPv6 block of /56 (one that holds none of the other two /64s)
    const outputs = input('terraform-ipv6-east', (json) => {
      json.private_subnets_ipv6_cidr_blocks.value[0] = '2600:1f16:5de:9d00::/56';
    });
    // WHEN
    const error = refusal(() => importClusters(demoFleetText, 'fleet.yaml', [outputs]));
    // THEN
    expect(error.message).toBe(`the imported values would make fleet.yaml invalid:\nfleet.yaml:${linesWith(demoFleetText, '2600:1f16:5de:8b03::/64')[0]}:9: clusters[1].subnets[0]: "2600:1f16:5de:9d00::/56" is a /56: AWS gives every IPv6 subnet a /64`);
  });
});

describe('importClusters refuses what contradicts fleet.yaml, naming the file, the field and the fix', () => {
  test.each<[string, ImportInput[], string]>([
    ['another IP family', [input('terraform-legacy-ipv4', (json) => {
      json.ip_family.value = 'ipv6';
      json.private_subnets_ipv6_cidr_blocks.value = ipv6EastSubnets;
    })], 'terraform-legacy-ipv4.json: cluster legacy-ipv4 is an IPv6 cluster, but fleet.yaml says ipFamily: ipv4 (clusters[0].ipFamily): an EKS cluster keeps the IP family it was created with, so check that the file is of this cluster, or correct ipFamily and subnets in fleet.yaml by hand'],
    ['another region', [input('terraform-ipv6-east', (json) => {
      json.region.value = 'us-west-2';
    })], 'terraform-ipv6-east.json: cluster ipv6-east is in region us-west-2, but fleet.yaml says region: us-east-2 (clusters[1].region): check that the file is of this cluster, or correct region in fleet.yaml by hand'],
    ['another account, from the ARN', [input('describe-cluster-legacy-ipv4', (json) => {
      json.cluster.arn = 'arn:aws:eks:us-east-2:444455556666:cluster/legacy-ipv4';
    }), input('describe-subnets-legacy-ipv4')], 'describe-cluster-legacy-ipv4.json: cluster legacy-ipv4 is in account 444455556666, but fleet.yaml says accountId: "111122223333" (clusters[0].accountId): check that the file is of this cluster, or correct accountId in fleet.yaml by hand'],
    ['another Kubernetes version', [input('describe-cluster-ipv6-east', (json) => {
      json.cluster.version = '1.36';
    }), input('describe-subnets-ipv6-east')], 'describe-cluster-ipv6-east.json: cluster ipv6-east runs Kubernetes 1.36, but fleet.yaml says kubernetesVersion: "1.35" (clusters[1].kubernetesVersion): set kubernetesVersion to "1.36" (it picks the cluster-autoscaler release), or upgrade the cluster first'],
    ['another Kubernetes version, from terraform output', [input('terraform-ipv6-east', (json) => {
      json.kubernetes_version.value = '1.36';
    })], 'terraform-ipv6-east.json: cluster ipv6-east runs Kubernetes 1.36, but fleet.yaml says kubernetesVersion: "1.35" (clusters[1].kubernetesVersion): set kubernetesVersion to "1.36" (it picks the cluster-autoscaler release), or upgrade the cluster first'],
    ['a cluster fleet.yaml does not have', [input('terraform-ipv6-east', (json) => {
      json.cluster_name.value = 'ipv6-west';
    })], 'terraform-ipv6-east.json: cluster ipv6-west is not in fleet.yaml, whose clusters are legacy-ipv4 and ipv6-east: add it to clusters first (or import its describe-cluster, describe-subnets and describe-nodegroup files with --add), or leave the file out'],
    ['two files that disagree on a cluster', [input('terraform-legacy-ipv4'), input('describe-cluster-legacy-ipv4', (json) => {
      json.cluster.endpoint = 'https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-2.eks.amazonaws.com';
    }), input('describe-subnets-legacy-ipv4')], 'terraform-legacy-ipv4.json and describe-cluster-legacy-ipv4.json give cluster legacy-ipv4 a different server: import the files of one moment'],
  ])('%s', (_, inputs, message) => {
    // WHEN
    const error = refusal(() => importClusters(demoFleetText, 'fleet.yaml', inputs));
    // THEN
    expect(error.reasons).toEqual([message]);
  });

  test('every contradiction is listed, and those of one file do not hide another\'s', () => {
    // GIVEN
    const inputs = [
      input('terraform-legacy-ipv4', (json) => {
        json.region.value = 'eu-west-1';
        json.account_id.value = '444455556666';
      }),
      input('terraform-ipv6-east', (json) => {
        json.cluster_name.value = 'ipv6-west';
      }),
    ];
    // WHEN
    const error = refusal(() => importClusters(demoFleetText, 'fleet.yaml', inputs));
    // THEN
    expect(error.reasons.map((reason) => reason.split(', but')[0].split(' is not in')[0])).toEqual([
      'terraform-legacy-ipv4.json: cluster legacy-ipv4 is in region eu-west-1',
      'terraform-legacy-ipv4.json: cluster legacy-ipv4 is in account 444455556666',
      'terraform-ipv6-east.json: cluster ipv6-west',
    ]);
  });
});

describe('formatChange', () => {
  test('one line per field: old -> new, caData shortened to a digest, (added) for a field that was absent', () => {
    // GIVEN
    const caData = ipv6East.caData;
    // WHEN
    const lines = [
      formatChange({ clusterIndex: 1, cluster: 'ipv6-east', field: 'vpcId', before: 'vpc-0f1e2d3c4b5a69788', after: 'vpc-0e1d2c3b4a5968778' }),
      formatChange({ clusterIndex: 1, cluster: 'ipv6-east', field: 'caData', after: caData }),
      formatChange({ clusterIndex: 0, cluster: 'legacy-ipv4', field: 'subnets', before: ['10.230.16.0/22'], after: ['10.240.16.0/22', '10.240.20.0/22'] }),
      formatChange({ clusterIndex: 0, cluster: 'legacy-ipv4', field: 'server', before: `https://${'a'.repeat(90)}.example.com`, after: 'https://b.example.com' }),
    ];
    // THEN
    expect(lines[0]).toBe('clusters[1].vpcId: vpc-0f1e2d3c4b5a69788 -> vpc-0e1d2c3b4a5968778');
    expect(lines[1]).toMatch(new RegExp(`^clusters\\[1\\]\\.caData: LS0tLS1C\\.\\.\\. \\(${caData.length} characters, sha256 [0-9a-f]{12}\\) \\(added\\)$`));
    expect(lines[2]).toBe('clusters[0].subnets: [10.230.16.0/22] -> [10.240.16.0/22, 10.240.20.0/22]');
    expect(lines[3]).toBe(`clusters[0].server: https://${'a'.repeat(69)}... -> https://b.example.com`);
  });
});

describe('a cluster the project created, imported for the first time', () => {
  test('its four fields are added to its entry, nothing else changes, and it exists from then on', () => {
    // GIVEN the demo fleet before terraform apply created ipv6-east: no server, caData, vpcId or subnets
    const pending = demoFleetText
      .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}server: .*\n/, '$1')
      .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}vpcId: .*\n {4}subnets:\n( {6}- .*\n)+/, '$1')
      .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}caData: \S+\n/, '$1');
    expect(parseFleet(pending).pendingClusters.map((cluster) => cluster.name)).toEqual(['ipv6-east']);
    // WHEN the outputs of its root module are imported
    const { changes, text } = importClusters(pending, 'fleet.yaml', [input('terraform-ipv6-east')]);
    // THEN exactly the four fields of ipv6-east, added (no field had a value before)
    expect(changes.map((change) => [change.cluster, change.field, change.before])).toEqual([
      ['ipv6-east', 'server', undefined], ['ipv6-east', 'caData', undefined], ['ipv6-east', 'vpcId', undefined], ['ipv6-east', 'subnets', undefined],
    ]);
    const fleet = parseFleet(text);
    expect(fleet.pendingClusters).toEqual([]);
    expect(fleet.clusters.find((cluster) => cluster.name === 'ipv6-east')).toMatchObject({ server: ipv6East.server, caData: ipv6East.caData, vpcId: ipv6East.vpcId, subnets: ipv6EastSubnets });
    // Every line of the file before is still there, in order: only lines were added.
    const added = text.split('\n');
    let at = 0;
    for (const line of pending.split('\n')) {
      at = added.indexOf(line, at);
      expect([line, at >= 0]).toEqual([line, true]);
    }
    expect(added.length - pending.split('\n').length).toBe(1 + 1 + 1 + 4);
  });
});

describe('an import changes only the cluster it names', () => {
  /** The demo fleet with legacy-ipv4's caData anchored (&ca) and ipv6-east's an alias of it (*ca). */
  const anchored = demoFleetText
    .replace(`    caData: ${legacy.caData.slice(0, 40)}`, `    caData: &ca ${legacy.caData.slice(0, 40)}`)
    .replace(/(- name: ipv6-east[\s\S]*?caData: )\S+/, '$1*ca');

  test('an anchored value another cluster aliases is refused, with the reason and the fix', () => {
    // GIVEN
    expect(parseFleet(anchored).clusters[1].caData).toBe(parseFleet(demoFleetText).clusters[0].caData);
    // WHEN legacy-ipv4, whose caData is the anchor, is imported
    const error = refusal(() => importClusters(anchored, 'fleet.yaml', [input('terraform-legacy-ipv4')]));
    // THEN
    expect(error.reasons).toEqual([
      `fleet.yaml: clusters[0].caData holds the anchor &ca, which the alias *ca on line ${linesWith(anchored, 'caData: *ca')[0]} stands for: writing the new value there would change that place too, and an import changes only the cluster it names; write the value out in place of *ca (or set clusters[0].caData by hand), then import again`,
    ]);
  });

  test('the alias is written over with the value: the anchored cluster keeps its own', () => {
    // WHEN ipv6-east, whose caData is the alias, is imported
    const { text } = importClusters(anchored, 'fleet.yaml', [input('terraform-ipv6-east')]);
    // THEN only ipv6-east changes
    const before = parseFleet(anchored);
    const after = parseFleet(text);
    expect(after.clusters[0]).toEqual(before.clusters[0]);
    expect(after.clusters[1]).toMatchObject({ caData: ipv6East.caData, server: ipv6East.server });
    expect(text).toContain('caData: &ca ');
  });

  test('an anchored VPC id another cluster aliases is refused too', () => {
    // GIVEN legacy-ipv4's VPC id anchored, and ipv6-east's an alias of it
    const text = demoFleetText
      .replace('    vpcId: vpc-0a1b2c3d4e5f60718', '    vpcId: &vpc vpc-0a1b2c3d4e5f60718')
      .replace('    vpcId: vpc-0f1e2d3c4b5a69788', '    vpcId: *vpc');
    expect(parseFleet(text).clusters[1].vpcId).toBe('vpc-0a1b2c3d4e5f60718');
    // WHEN / THEN
    const error = refusal(() => importClusters(text, 'fleet.yaml', [input('terraform-legacy-ipv4')]));
    expect(error.reasons).toEqual([expect.stringMatching(/^fleet\.yaml: clusters\[0\]\.vpcId holds the anchor &vpc, which the alias \*vpc on line \d+ stands for/)]);
  });
});

describe('comments stay where they were', () => {
  test('a comment on the subnets: line stays on it, however many subnets the import writes', () => {
    // GIVEN
    const commented = demoFleetText.replace('    subnets:\n      - 10.230.16.0/22', '    subnets: # private, one per zone\n      - 10.230.16.0/22');
    for (const outputs of [input('terraform-legacy-ipv4'), input('terraform-legacy-ipv4', (json) => json.private_subnets_cidr_blocks.value.push('10.240.28.0/22'))]) {
      // WHEN
      const { text } = importClusters(commented, 'fleet.yaml', [outputs]);
      // THEN
      expect(text).toContain('    subnets: # private, one per zone\n      - 10.240.16.0/22\n');
      expect(linesWith(text, '# private, one per zone')).toHaveLength(1);
    }
  });

  test('a comment after a cluster\'s last node group stays after it; the added fields follow', () => {
    // GIVEN ipv6-east before it was created, with a comment after its last node group
    const pending = demoFleetText
      .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}server: .*\n/, '$1')
      .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}vpcId: .*\n {4}subnets:\n( {6}- .*\n)+/, '$1')
      .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}caData: \S+\n/, '$1')
      .replace('        maxSize: 120\n', '        maxSize: 120\n      # a larger group comes with the next instance family\n');
    // WHEN
    const { text } = importClusters(pending, 'fleet.yaml', [input('terraform-ipv6-east')]);
    // THEN
    expect(text).toContain('        maxSize: 120\n      # a larger group comes with the next instance family\n    server: https://');
    expect(parseFleet(text).clusters[1]).toMatchObject({ server: ipv6East.server, subnets: ipv6EastSubnets });
  });
});

describe('a problem the imported values would make is located at the line on disk', () => {
  test('after an edit that added a line, a problem further down points at its line in the file as it is', () => {
    // GIVEN an import that gives legacy-ipv4 a fourth subnet (a line more) in ipv6-east's VPC, one of whose IPv4 blocks it overlaps
    const outputs = input('terraform-legacy-ipv4', (json) => {
      json.vpc_id.value = 'vpc-0f1e2d3c4b5a69788';
      json.private_subnets_cidr_blocks.value.push('10.231.16.0/22');
    });
    // WHEN
    const error = refusal(() => importClusters(demoFleetText, 'fleet.yaml', [outputs]));
    // THEN the overlap is reported at ipv6-east's block, at its line in the file on disk
    const line = linesWith(demoFleetText, '      - 10.231.16.0/22')[0];
    expect(error.message).toContain(`fleet.yaml:${line}:9: clusters[1].ipv4Subnets[0]: "10.231.16.0/22" is also clusters[0].subnets[3]`);
  });
});

describe('import files that must be refused', () => {
  test('a key given twice in a JSON object: JSON.parse would keep the last', () => {
    // GIVEN a describe-cluster whose cluster has two names
    const text = JSON.stringify(fixtureJson('describe-cluster-legacy-ipv4'), null, 2).replace('"name": "legacy-ipv4",', '"name": "legacy-ipv4",\n    "name": "ipv6-east",');
    // WHEN / THEN
    expect(inputError(() => readClusterFacts([{ file: 'cluster.json', text }, input('describe-subnets-legacy-ipv4')]))).toBe(
      `cluster.json:${text.split('\n').findIndex((line) => line.includes('"ipv6-east"')) + 1}: cluster has the key "name" twice: JSON readers keep one or the other, so the file says two things; keep the one that is right`,
    );
  });

  test('keys that only look alike (escaped) are no duplicate, and strings holding quotes and braces are read past', () => {
    const json = fixtureJson('terraform-legacy-ipv4');
    json.note = { value: 'a "quoted" {brace} [and] \\ backslash', type: 'string', sensitive: false };
    const text = JSON.stringify(json).replace('"note":', '"n\\u006fte2":');
    expect(readClusterFacts([{ file: 'outputs.json', text }])[0].name).toBe('legacy-ipv4');
  });

  test('a describe-cluster whose name and ARN disagree', () => {
    const cluster = input('describe-cluster-legacy-ipv4', (json) => {
      json.cluster.name = 'ipv6-east';
    });
    expect(inputError(() => readClusterFacts([cluster, input('describe-subnets-legacy-ipv4')]))).toBe(
      'describe-cluster-legacy-ipv4.json: cluster.name is "ipv6-east", but cluster.arn names cluster "legacy-ipv4": the file is not one describe-cluster\'s output; describe the cluster again',
    );
  });

  test('two describe-subnets files that give one subnet different blocks', () => {
    const later = input('describe-subnets-legacy-ipv4', (json) => {
      json.Subnets[1].CidrBlock = '10.250.20.0/22';
    });
    const error = refusal(() => readClusterFacts([input('describe-cluster-legacy-ipv4'), input('describe-subnets-legacy-ipv4'), { ...later, file: 'later.json' }]));
    expect(error.reasons).toEqual([
      'describe-subnets-legacy-ipv4.json and later.json give subnet subnet-0a10000000000a002 different blocks, "10.240.20.0/22" and "10.250.20.0/22": a subnet keeps its blocks, so one file is of another moment or another account; import the describe-subnets of one moment',
    ]);
  });

  test('a subnet tagged kubernetes.io/role/elb with an empty value is public, as the load balancer controller reads it, not a private subnet', () => {
    // GIVEN the public subnets tagged with an empty value (the controller takes "" and "1")
    const subnets = input('describe-subnets-legacy-ipv4', (json) => {
      for (const subnet of json.Subnets) for (const tag of subnet.Tags) if (tag.Key === 'kubernetes.io/role/elb') tag.Value = '';
    });
    // WHEN
    const [facts] = readClusterFacts([input('describe-cluster-legacy-ipv4'), subnets]);
    // THEN
    expect(facts.subnets).toEqual(legacySubnets);
  });

  test('a created cluster\'s imported IPv4 blocks outside its vpc.cidr', () => {
    const outputs = input('terraform-ipv6-east', (json) => {
      json.private_subnets_cidr_blocks.value = ['10.241.16.0/22', '10.231.20.0/22', '10.241.24.0/22'];
    });
    const error = refusal(() => importClusters(demoFleetText, 'fleet.yaml', [outputs]));
    expect(error.reasons).toEqual([
      'terraform-ipv6-east.json: cluster ipv6-east has private subnets with the IPv4 blocks 10.241.16.0/22 and 10.241.24.0/22, outside the VPC fleet.yaml creates for it, 10.231.0.0/16 (clusters[1].vpc.cidr): the file is of another VPC; check that it is of this cluster, or correct vpc.cidr by hand',
    ]);
  });

  test('UTF-16 is refused with a word about the encoding; a UTF-8 byte-order mark is read past', () => {
    const text = JSON.stringify(fixtureJson('terraform-legacy-ipv4'));
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(inputError(() => readClusterFacts([{ file: 'outputs.json', text: utf16 }]))).toBe(
      'outputs.json: is UTF-16 text (it starts with the byte-order mark FF FE), as PowerShell 5\'s > writes it: import-clusters reads JSON as UTF-8; write the file with | Out-File -Encoding utf8 (or PowerShell 7\'s >), or convert it (iconv -f UTF-16 -t UTF-8)',
    );
    expect(inputError(() => readClusterFacts([{ file: 'outputs.json', text: Buffer.from(text, 'utf16le') }]))).toMatch(/^outputs\.json: is UTF-16 text, as PowerShell/);
    expect(inputError(() => readClusterFacts([{ file: 'outputs.json', text: Buffer.from([0x7b, 0xff, 0x7d]) }]))).toMatch(/^outputs\.json: is not UTF-8 text/);
    const withMark = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(readClusterFacts([{ file: 'outputs.json', text: withMark }])[0].name).toBe('legacy-ipv4');
  });

  test('a caData of 10 MB is refused with a sentence, not a stack overflow', () => {
    const outputs = input('terraform-legacy-ipv4', (json) => {
      json.cluster_certificate_authority_data.value = 'A'.repeat(10_000_000);
    });
    const error = refusal(() => importClusters(demoFleetText, 'fleet.yaml', [outputs]));
    expect(error.message).toMatch(/clusters\[0\]\.caData: does not decode to a PEM certificate: expected the certificateAuthority.data/);
    expect(error.message.length).toBeLessThan(1000);
  });
});
