import { readFileSync, writeFileSync } from 'fs';
import { FleetConfigError, loadFleet, maxPrintedProblems, parseFleet, parseFleetLocatingProblems } from '../../config/load';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { demoFleetText, fixtureNames, fixturePath, problemsOf, runSynth, scratchDist, writeTempFleet } from '../support/fixtures';


/** The fleet, or the printed error, from one reader. */
function outcome(read: (text: string) => unknown, text: string): unknown {
  try {
    return read(text);
  } catch (error) {
    expect(error).toBeInstanceOf(FleetConfigError);
    return (error as Error).message;
  }
}

const withUrl = (url: string) => demoFleetText.replace('url: https://github.com/example-org/eks-ipv6-gitops.git', `url: ${JSON.stringify(url)}`);
const firstCaData = /caData: (\S+)/.exec(demoFleetText)![1];
const withCaData = (caData: string) => demoFleetText.replace(firstCaData, caData);
const base64 = (text: string) => Buffer.from(text).toString('base64');
const pemOf = (caData: string) => Buffer.from(caData, 'base64').toString();

describe('secrets never reach dist/', () => {
  test('a token in repo.url is refused, and the message does not print it', () => {
    // GIVEN a repository URL carrying a GitHub token WHEN the fleet is read
    const problems = problemsOf(withUrl('https://x-access-token:ghp_SECRET123@github.com/example-org/eks-ipv6-gitops.git'));
    // THEN repo.url is refused, naming what to do, and the token is masked
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^repo\.url: expected a Git URL .*no password or token.*, got "https:\/\/\*\*\*@github\.com\//);
    expect(problems.join('\n')).not.toContain('SECRET123');
  });

  test.each([
    'https://user@github.com/example-org/repo.git',
    'ssh://git:password@github.com/example-org/repo.git',
  ])('userinfo in an https URL, or a password in an ssh one, is refused: %s', (url) => {
    expect(problemsOf(withUrl(url))[0]).toMatch(/^repo\.url: expected a Git URL/);
  });

  test('caData holding a private key is refused, naming the block type only', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSECRETSECRETSECRET\n-----END PRIVATE KEY-----\n';
    const problems = problemsOf(withCaData(base64(key)));
    expect(problems).toEqual([expect.stringMatching(/^clusters\[0\]\.caData: decodes to a PEM block of type PRIVATE KEY, not a CERTIFICATE: caData is public/)]);
    expect(problems.join('\n')).not.toContain('SECRET');
  });

  test('caData with a key beside the certificate is refused', () => {
    const key = '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n';
    expect(problemsOf(withCaData(base64(pemOf(firstCaData) + key)))[0]).toMatch(/caData: decodes to a PEM block of type EC PRIVATE KEY/);
  });

  test.each([
    ['A', /expected base64 text/],
    ['QUJD', /does not decode to a PEM certificate/],
    [base64('-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n'), /decodes to a PEM CERTIFICATE block that is not a valid X\.509 certificate/],
  ])('caData %s that is no certificate is refused', (caData, message) => {
    expect(problemsOf(withCaData(caData))[0]).toMatch(new RegExp(`^clusters\\[0\\]\\.caData: ${message.source}`));
  });

  test('text around the certificates is refused', () => {
    expect(problemsOf(withCaData(base64(`hello\n${pemOf(firstCaData)}`)))[0]).toMatch(/caData: decodes to PEM certificates with other text around them/);
  });

  test('a bundle of two certificates is accepted', () => {
    const bundle = base64(pemOf(firstCaData) + pemOf(firstCaData));
    expect(parseFleet(withCaData(bundle)).clusters[0].caData).toBe(bundle);
  });
});

describe('repo.url, repo.path and repo.revision: exactly what git and Argo CD read, nothing templates or globs read', () => {
  test.each([
    'https://github.com/example-org/eks-ipv6-gitops.git',
    'https://gitlab.example.com:8443/group/subgroup/repo',
    'https://github.com/example-org/.github',
    'ssh://git@github.com/example-org/eks-ipv6-gitops.git',
    'ssh://git@git.example.com:2222/srv/repo.git',
    'git@github.com:example-org/eks-ipv6-gitops.git',
  ])('accepts %s', (url) => {
    expect(parseFleet(withUrl(url)).repo.url).toBe(url);
  });

  test.each([
    ['Go template text', 'https://github.com/{{.cluster}}/repo.git'],
    ['a glob', 'https://github.com/**'],
    ['a glob character class', 'https://github.com/example-org/[a-z]*'],
    ['an ssh option as host', 'ssh://-oProxyCommand=touch%20/tmp/pwned/x'],
    ['an option as scp host', 'git@-oProxyCommand=x:repo'],
    ['a control byte', 'https://github.com/example-org/repo\u0007.git'],
    ['a .. segment', 'https://github.com/example-org/../../etc'],
    ['a query', 'https://github.com/example-org/repo.git?ref=x'],
    ['a host that is a dash', 'https://-/repo'],
    ['a plain http URL', 'http://github.com/example-org/repo.git'],
  ])('refuses repo.url with %s', (_, url) => {
    expect(problemsOf(withUrl(url))[0]).toMatch(/^repo\.url: expected a Git URL/);
  });

  test.each([
    ['{{.cluster}}', 'Go template text'],
    ['--upload-pack=touch', 'an option'],
    ['-x', 'a leading dash'],
    ['main..dev', 'a .. range'],
    ['release/*', 'a glob'],
    ['topic.lock', 'a .lock name'],
    ['main\u001b[31m', 'an escape sequence'],
  ])('refuses repo.revision %s (%s)', (revision) => {
    const text = demoFleetText.replace('revision: main', `revision: ${JSON.stringify(revision)}`);
    expect(problemsOf(text)[0]).toMatch(/^repo\.revision: expected a branch, tag or commit/);
  });

  test.each(['main', 'v1.2.3', 'release/2025-01', 'dependabot/npm_and_yarn/js-yaml-5.5.0', 'HEAD', '4b825dc642cb6eb9a060e54bf8d69288fbee4904'])('accepts repo.revision %s', (revision) => {
    expect(parseFleet(demoFleetText.replace('revision: main', `revision: ${revision}`)).repo.revision).toBe(revision);
  });

  test.each(['../../etc', 'dist/../..', '-dist', '.', 'dist/{{.cluster}}', 'dist/*', '/dist', 'dist/'])('refuses repo.path %s', (path) => {
    expect(problemsOf(demoFleetText.replace('path: dist', `path: ${JSON.stringify(path)}`))[0]).toMatch(/^repo\.path: expected a relative path/);
  });
});

describe('names that would take over a namespace of the system, an add-on or Argo CD', () => {
  const appNamed = (name: string, argocdNamespace?: string) => {
    const text = demoFleetText.replace('  - name: app1\n', `  - name: ${name}\n`);
    return argocdNamespace ? text.replace('argocd:\n  cluster: ipv6-east\n', `argocd:\n  cluster: ipv6-east\n  namespace: ${argocdNamespace}\n`) : text;
  };

  test.each([
    ['kube-system', 'a namespace of Kubernetes itself'],
    ['kube-public', 'a namespace of Kubernetes itself'],
    ['kube-node-lease', 'a namespace of Kubernetes itself'],
    ['default', 'a namespace of Kubernetes itself'],
    ['kube-anything', 'a namespace Kubernetes reserves \\(kube-\\*\\)'],
    ['argocd', 'the namespace Argo CD runs in \\(argocd\\.namespace\\)'],
    ['cert-manager', 'the namespace of cert-manager'],
    ['external-dns', 'the namespace of external-dns'],
  ])('an app named %s is refused', (name, owner) => {
    expect(problemsOf(appNamed(name))).toEqual([expect.stringMatching(new RegExp(`^apps\\[1\\]\\.name: "${name}" is ${owner}: an app's name is its namespace`))]);
  });

  test('an app named argocd is refused while Argo CD runs in another namespace too: argocd is where its chart installs by default', () => {
    expect(problemsOf(appNamed('argocd', 'gitops'))).toEqual([expect.stringMatching(/^apps\[1\]\.name: "argocd" is the namespace Argo CD installs into by default: an app's name is its namespace/)]);
  });

  test('an app named like argocd.namespace is refused', () => {
    expect(problemsOf(appNamed('gitops', 'gitops'))).toEqual([expect.stringMatching(/^apps\[1\]\.name: "gitops" is the namespace Argo CD runs in \(argocd\.namespace\)/)]);
  });

  test.each(['kube-system', 'default', 'cert-manager', 'external-dns', 'kube-argocd'])('argocd.namespace %s is refused', (namespace) => {
    expect(problemsOf(appNamed('app1', namespace))).toEqual([expect.stringMatching(new RegExp(`^argocd\\.namespace: "${namespace}" is .*: Argo CD needs a namespace of its own`))]);
  });

  test('argocd.namespace argocd, its own, is accepted', () => {
    expect(parseFleet(appNamed('app1', 'argocd')).argocd.namespace).toBe('argocd');
  });
});

describe('subnets are counted once', () => {
  test('the same /22 three times in a cluster is refused', () => {
    const text = demoFleetText.replace('- 10.230.20.0/22', '- 10.230.16.0/22').replace('- 10.230.24.0/22', '- 10.230.16.0/22');
    expect(problemsOf(text)).toEqual([
      'clusters[0].subnets[1]: "10.230.16.0/22" is also clusters[0].subnets[0]: a subnet\'s addresses are there once, so list each subnet once',
      'clusters[0].subnets[2]: "10.230.16.0/22" is also clusters[0].subnets[0]: a subnet\'s addresses are there once, so list each subnet once',
    ]);
  });

  test('a block inside another of the same cluster is refused', () => {
    const text = demoFleetText.replace('- 10.230.24.0/22', '- 10.230.16.0/24');
    expect(problemsOf(text)).toEqual(['clusters[0].subnets[2]: "10.230.16.0/24" overlaps clusters[0].subnets[0] (10.230.16.0/22): a subnet\'s addresses are there once, so list each subnet once']);
  });

  const secondIpv4Cluster = (vpcId: string) => demoFleetText.replace('  # The IPv6 cluster', `  - name: legacy-two
    ipFamily: ipv4
    kubernetesVersion: "1.33"
    server: https://5B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2.eks.amazonaws.com
    region: us-east-2
    accountId: "111122223333"
    vpcId: ${vpcId}
    subnets: [10.230.20.0/22]
    register: false
    nodeGroups:
      - { name: default, instanceType: m5.large, minSize: 1, maxSize: 3 }

  # The IPv6 cluster`);

  test('the same IPv4 subnet on two clusters of one VPC is refused', () => {
    expect(problemsOf(secondIpv4Cluster('vpc-0a1b2c3d4e5f60718'))).toEqual([
      'clusters[1].subnets[0]: "10.230.20.0/22" is also clusters[0].subnets[1], a subnet of cluster legacy-ipv4: two clusters in one subnet share its addresses, which the capacity plan would count twice; give each cluster subnets of its own',
    ]);
  });

  test('the same IPv4 range in another VPC is another subnet, and accepted', () => {
    expect(parseFleet(secondIpv4Cluster('vpc-0a1b2c3d4e5f60719')).clusters).toHaveLength(3);
  });

  test('the same IPv6 /64 on two clusters is refused, whatever their VPCs', () => {
    const text = demoFleetText.replace('- 2600:1f16:5de:8b05::/64', '- 2600:1f16:5de:8b05::/64\n      - 2600:1f16:5de:8b03::/64');
    expect(problemsOf(text)[0]).toMatch(/^clusters\[1\]\.subnets\[3\]: "2600:1f16:5de:8b03::\/64" is also clusters\[1\]\.subnets\[0\]/);
  });
});

describe('values that cannot work', () => {
  const withServer = (server: string) => demoFleetText.replace(/server: https:\/\/4B1D\S+/, `server: ${server}`);

  test.each(['https://169.254.169.254', 'https://127.0.0.1:6443', 'https://10.0.0.1', 'https://-', 'https://localhost',
    'https://abc.gr7.us-east-2.eks.amazonaws.com:0', 'https://abc.gr7.us-east-2.eks.amazonaws.com:99999', `https://${'a'.repeat(64)}.eks.amazonaws.com`])('server %s is refused', (server) => {
    expect(problemsOf(withServer(server))).toEqual([expect.stringMatching(/^clusters\[0\]\.server: expected an https:\/\/ URL of the EKS API endpoint: a DNS name/)]);
  });

  test('an endpoint with a port is accepted', () => {
    expect(parseFleet(withServer('https://abc.gr7.us-east-2.eks.amazonaws.com:443')).clusters[0].server).toBe('https://abc.gr7.us-east-2.eks.amazonaws.com:443');
  });

  test('a domain label of 64 characters is refused', () => {
    expect(problemsOf(demoFleetText.replace('domain: apps.example.com', `domain: ${'a'.repeat(64)}.example.com`))[0]).toMatch(/^domain: expected a lower-case DNS domain/);
  });

  test('an unknown region is refused, with the closest known one', () => {
    expect(problemsOf(demoFleetText.replace('region: us-east-2', 'region: zz-nowhere-9'))).toEqual([
      expect.stringMatching(/^clusters\[0\]\.region: "zz-nowhere-9" is not an AWS region in data\/aws-regions\.json\. If it is newer than the data, refresh it/),
    ]);
    expect(problemsOf(demoFleetText.replace('region: us-east-2', 'region: us-east-7'))[0]).toContain('Did you mean us-east-1?');
  });

  test.each([
    ['eu-central-2', 'amazonaws.com'], ['cn-north-1', 'amazonaws.com.cn'], ['us-gov-west-1', 'amazonaws.com'],
    ['us-isob-east-1', 'sc2s.sgov.gov'], ['eusc-de-east-1', 'amazonaws.com'],
  ])('region %s of any partition is accepted, with its endpoints in its partition\'s domain (%s)', (region, domain) => {
    const text = demoFleetText.replace(/us-east-2/g, region).replace(/\.eks\.amazonaws\.com/g, `.eks.${domain}`);
    expect(parseFleet(text).clusters[0].region).toBe(region);
  });

  test('invalid UTF-8 is an error at its line and column, not a silent U+FFFD', () => {
    // GIVEN a fleet file with a Latin-1 byte in a comment, after a real U+FFFD
    const text = demoFleetText.replace('# App hostnames', '# \ufffd ok, then caf\u0000 App hostnames');
    const bytes = Buffer.from(text);
    bytes[bytes.indexOf(0)] = 0xe9;
    const file = writeTempFleet('');
    writeFileSync(file, bytes);
    // WHEN it is loaded THEN the byte is located
    const line = text.split('\n').findIndex((candidate) => candidate.includes('caf')) + 1;
    expect(() => loadFleet(file)).toThrow(new RegExp(`fleet\\.yaml:${line}:17: is not UTF-8 text: byte \\d+ \\(0xe9\\) starts no UTF-8 character; save the file as UTF-8$`));
  });
});

describe('keys every object has do not crash the validator', () => {
  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('%s is an unknown key', (key) => {
    const text = demoFleetText.replace('  - name: app1\n', `  - name: app1\n    ${key}: 1\n`);
    expect(problemsOf(text)).toEqual([`apps[1].${key}: unknown key: expected one of name, source, backgroundColor, containerPort, replicas, rollout, values, clusterValues, expose, resources, podSecurity, clusterResources, rbac, aws, loadBalancer, nextLoadBalancer, previousLoadBalancer, clusters`]);
    expect(outcome(parseFleet, text)).toStrictEqual(outcome(parseFleetLocatingProblems, text));
  });
});

describe('one YAML meaning, whichever reader reads the file', () => {
  test('a %YAML 1.1 directive is refused, with or without a "!" in the file', () => {
    for (const text of [`%YAML 1.1\n---\n${demoFleetText.replace('replicas: 5', 'replicas: 010')}`, `%YAML 1.1\n---\n# !\n${demoFleetText.replace('replicas: 5', 'replicas: 010')}`]) {
      expect(problemsOf(text)).toEqual([': has a %YAML directive for another version than 1.2: fleet.yaml is read as YAML 1.2 only; remove the %YAML line']);
    }
  });

  test('a merge key is refused with what to do', () => {
    const text = demoFleetText.replace('  - name: app1\n', '  - <<: {replicas: 5}\n    name: app1\n');
    expect(problemsOf(text)).toContain('apps[1]: has a merge key (<<): fleet.yaml is read as YAML 1.2, which has no merge keys; write the keys out');
  });

  test('200 aliases mean the same with or without a "!" in a comment', () => {
    // GIVEN 201 apps whose replicas are one anchored value and 200 aliases of it
    let seen = 0;
    const aliased = largeFleetYaml(201, 2).replace(/replicas: 5/g, () => (seen++ === 0 ? 'replicas: &five 5' : 'replicas: *five'));
    // WHEN it is read with and without a "!" in a comment THEN both give the same fleet, as the locating reader does
    const fleet = parseFleet(aliased);
    expect(fleet.apps.every((app) => app.replicas === 5)).toBe(true);
    expect(parseFleet(`# !\n${aliased}`)).toStrictEqual(fleet);
    expect(parseFleetLocatingProblems(aliased)).toStrictEqual(fleet);
  });

  test('an alias bomb is refused quickly, naming the limit', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++) levels.push(`a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]`);
    const started = Date.now();
    expect(problemsOf(`${levels.join('\n')}\n${demoFleetText}`)[0]).toMatch(/^: has aliases \(\*name\) that add [\d,]+ values to the [\d,]+ it holds: at most 100,000 are read/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  // Where the two readers could differ, the outcome must be the same: tags, directives, aliases,
  // numbers and booleans YAML 1.1 reads otherwise, keys of every kind, line ends and marks.
  const tricky = [
    `%YAML 1.2\n---\n${demoFleetText}`,
    `%YAML 1.1\n---\n${demoFleetText}`,
    `%YAML 1.1\n---\n${demoFleetText.replace('replicas: 5', 'replicas: 010')}`,
    `%YAML 1.1\n---\n# !\n${demoFleetText.replace('replicas: 5', 'replicas: 010')}`,
    `%TAG !e! tag:example.com,2000:\n---\n${demoFleetText}`,
    demoFleetText.replace('replicas: 5', 'replicas: 010'),
    demoFleetText.replace('replicas: 5', 'replicas: 0o10'),
    demoFleetText.replace('replicas: 5', 'replicas: 1_0'),
    demoFleetText.replace('register: false', 'register: yes'),
    demoFleetText.replace('argocd:\n  cluster: ipv6-east\n', 'argocd: {cluster: ipv6-east, namespace: off}\n'),
    demoFleetText.replace('replicas: 5', 'replicas: &r 5').replace(/replicas: 5\b/, 'replicas: *r'),
    demoFleetText.replace('replicas: 5', 'replicas: !!int "5"'),
    demoFleetText.replace('  - name: app1\n', '  - <<: {replicas: 5}\n    name: app1\n'),
    demoFleetText.replace('  - name: app1\n', '  - ? name\n    : app1\n'),
    demoFleetText.replace('  - name: app1\n', '  - "name": app1\n'),
    demoFleetText.replace(/\n/g, '\r\n'),
    `\ufeff${demoFleetText}`,
    `${demoFleetText}...\n`,
    `---\n${demoFleetText}`,
    demoFleetText.replace('  - name: app1\n', '  - name: app1\n    __proto__: {replicas: 9}\n'),
    demoFleetText.replace('  - name: app1\n', '  - name: app1\n    constructor: 1\n'),
  ];
  test.each(tricky.map((text, index) => [index, text]))('case %i: the fast reader and the locating reader agree', (_, text) => {
    expect(outcome(parseFleet, text)).toStrictEqual(outcome(parseFleetLocatingProblems, text));
  });
});

describe('messages print what a value is, never what it would do to a terminal', () => {
  test('an ANSI or OSC escape and a newline in a value are escaped', () => {
    const text = demoFleetText.replace('backgroundColor: red', 'backgroundColor: "red\\u001b[2J\\u001b]0;pwned\\u0007\\nfleet.yaml:1:1: all good\\u009b31m"');
    const [message] = (() => {
      try {
        parseFleet(text);
      } catch (error) {
        return [(error as Error).message];
      }
      return [''];
    })();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(message).toContain('got "red\\u001b[2J\\u001b]0;pwned\\u0007\\nfleet.yaml:1:1: all good\\u009b31m" (text)');
  });

  test('a key of a megabyte gives a short message', () => {
    const text = demoFleetText.replace('  - name: app1\n', `  - name: app1\n    ? ${'k'.repeat(1_000_000)}\n    : 1\n`);
    const message = (() => {
      try {
        parseFleet(text);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message.length).toBeLessThan(400);
    expect(message).toContain('kkk... (1,000,000 characters)');
  });

  test(`at most ${maxPrintedProblems} problems are printed, and the rest counted`, () => {
    const apps = Array.from({ length: 1000 }, (_, index) => `  - name: app${index}\n    backgroundColor: no-colour\n    containerPort: 80\n    replicas: 1\n`).join('');
    const text = demoFleetText.replace(/^apps:\n[\s\S]*$/m, `apps:\n${apps}`);
    let error: FleetConfigError | undefined;
    try {
      parseFleet(text);
    } catch (caught) {
      error = caught as FleetConfigError;
    }
    expect(error!.problems).toHaveLength(1000);
    const lines = error!.message.split('\n');
    expect(lines).toHaveLength(maxPrintedProblems + 1);
    expect(lines[maxPrintedProblems]).toBe('and 950 more problems');
  });

  test('capacity errors name the file, line and column of their cluster', () => {
    // GIVEN app2 at 10000 replicas on the IPv4 cluster WHEN synth runs
    const text = demoFleetText.replace('backgroundColor: blue\n    containerPort: 80\n    replicas: 5\n', 'backgroundColor: blue\n    containerPort: 80\n    replicas: 10000\n    clusters: [legacy-ipv4]\n');
    const configFile = writeTempFleet(text);
    const result = runSynth({ FLEET_CONFIG: configFile, CDK8S_OUTDIR: scratchDist() });
    // THEN the error starts with where the cluster is, like every other fleet.yaml error
    const line = readFileSync(configFile, 'utf8').split('\n').findIndex((candidate) => candidate.includes('- name: legacy-ipv4')) + 1;
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${configFile}:${line}:5: clusters[0]: legacy-ipv4: out of IPv4 addresses: `);
  });
});

test('the fixture fleets stay valid under every rule above', () => {
  for (const name of fixtureNames) expect(() => loadFleet(fixturePath(name))).not.toThrow();
});

describe('review of the hardening: what still got through', () => {
  test('the IPv4 blocks of an IPv6 cluster\'s subnets listed twice, or shared with an IPv4 cluster of the same VPC, are refused', () => {
    // An existing IPv6 cluster (no VPC layout of the project's) with one /22 three times.
    const existing = demoFleetText.replace(/ {4}provisioning: create\n {4}vpc:\n {6}cidr: .*\n(?: {4}#.*\n)? {4}endpointPublicAccessCidrs:\n {6}- .*\n/, '');
    const twice = existing.replace('      - 10.231.20.0/22\n      - 10.231.24.0/22\n', '      - 10.231.16.0/22\n      - 10.231.16.0/22\n');
    expect(problemsOf(twice)).toEqual([
      'clusters[1].ipv4Subnets[1]: "10.231.16.0/22" is also clusters[1].ipv4Subnets[0]: a subnet\'s addresses are there once, so list each subnet once',
      'clusters[1].ipv4Subnets[2]: "10.231.16.0/22" is also clusters[1].ipv4Subnets[0]: a subnet\'s addresses are there once, so list each subnet once',
    ]);
    const shared = existing.replace('vpcId: vpc-0f1e2d3c4b5a69788', 'vpcId: vpc-0a1b2c3d4e5f60718').replace(/10\.231\.(16|20|24)\.0\/22/g, '10.230.$1.0/22');
    expect(problemsOf(shared)).toEqual([0, 1, 2].map((index) => expect.stringMatching(new RegExp(`^clusters\\[1\\]\\.ipv4Subnets\\[${index}\\]: "10\\.230\\.\\d+\\.0/22" is also clusters\\[0\\]\\.subnets\\[${index}\\], a subnet of cluster legacy-ipv4: two clusters in one subnet share its addresses`))));
  });

  test.each(['cluster-autoscaler', 'aws-load-balancer-controller'])('an app named %s, which would take over that add-on\'s Application, is refused', (name) => {
    const text = demoFleetText.replace('  - name: app1\n', `  - name: ${name}\n`);
    expect(problemsOf(text)).toEqual([`apps[1].name: "${name}" on ipv6-east makes the Application ${name}-ipv6-east, which is already the Application of add-on ${name} on ipv6-east: the two would take over each other's Application; choose another name`]);
  });

  test.each([
    ['fleet', 'root', 'the root app'],
    ['argo', 'cd', 'Argo CD\'s own Application'],
  ])('an app %s on a cluster %s, whose Application would be the project\'s own, is refused', (app, cluster, owner) => {
    const text = demoFleetText.replace(/ipv6-east/g, cluster).replace('  - name: app1\n', `  - name: ${app}\n`);
    expect(problemsOf(text)).toContain(`apps[1].name: "${app}" on ${cluster} makes the Application ${app}-${cluster}, which is already ${owner}: the two would take over each other's Application; choose another name`);
  });

  test('an app named after an add-on a cluster does not run is accepted there: no Application of that name exists', () => {
    const text = demoFleetText.replace('  - name: app1\n', '  - name: cluster-autoscaler\n');
    const withoutAutoscaler = text.replace(/( {2}- name: ipv6-east\n)/, '$1    addons: { clusterAutoscaler: false }\n');
    expect(parseFleet(withoutAutoscaler).apps.map((app) => app.name)).toContain('cluster-autoscaler');
  });

  test('two apps whose Applications would share a name on different clusters are refused', () => {
    // app "app0-legacy" on ipv4 cluster "x", and app "app0" on cluster "legacy-x"? Names of clusters here: app1 on ipv6-east vs app "app1-ipv6" on cluster "east".
    const text = demoFleetText
      .replace(/legacy-ipv4/g, 'east')
      .replace('  - name: app2\n', '  - name: app1-ipv6\n')
      .replace('    replicas: 5\n  - name: app1', '    replicas: 5\n    clusters: [ipv6-east]\n  - name: app1');
    const problems = problemsOf(text.replace(/( {2}- name: app1-ipv6\n(?: {4}.*\n)*? {4}replicas: 5\n)/, '$1    clusters: [east]\n'));
    expect(problems).toEqual(['apps[2].name: "app1-ipv6" on east makes the Application app1-ipv6-east, which is already the Application of app app1 on ipv6-east: the two would take over each other\'s Application; choose another name']);
  });

  test.each([
    ['https://kubernetes.default.svc', 'Argo CD\'s own in-cluster address'],
    ['https://instance-data.ec2.internal', 'the instance metadata service'],
    ['https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-west-2.eks.amazonaws.com', 'an endpoint of another region'],
  ])('server %s (%s) is refused: only an EKS endpoint of the cluster\'s region gets its token', (server) => {
    const text = demoFleetText.replace(/server: https:\/\/4B1D\S+/, `server: ${server}`);
    expect(problemsOf(text)).toEqual([expect.stringMatching(/^clusters\[0\]\.server: is ".*", not the endpoint of an EKS cluster in us-east-2: expected https:\/\/<id>\.<zone>\.us-east-2\.eks\.amazonaws\.com/)]);
  });
});

describe('the dual-stack endpoint of an IPv6 cluster', () => {
  // EKS user guide, "Cluster API server endpoint": IPv6 clusters created since October 2024 get
  // <id>.<zone>.<region>.api.aws (China: api.amazonwebservices.com.cn), not eks.amazonaws.com.
  const withIpv6Server = (server: string) => demoFleetText.replace(/server: https:\/\/9E8D\S+/, `server: ${server}`);

  test.each([
    'https://9E8D7C6B5A4F3E2D1C0B9A8F7E6D5C4B.gr7.us-east-2.api.aws',
    'https://9E8D7C6B5A4F3E2D1C0B9A8F7E6D5C4B.gr7.us-east-2.api.amazonwebservices.com.cn',
  ])('%s is accepted as an IPv6 cluster\'s server', (server) => {
    expect(parseFleet(withIpv6Server(server)).clusters.find((cluster) => cluster.ipFamily === 'ipv6')!.server).toBe(server);
  });

  test('an api.aws endpoint of another region is refused, naming the dual-stack form', () => {
    expect(problemsOf(withIpv6Server('https://9E8D7C6B5A4F3E2D1C0B9A8F7E6D5C4B.gr7.us-west-2.api.aws'))).toEqual([
      expect.stringMatching(/^clusters\[1\]\.server: is ".*", not the endpoint of an EKS cluster in us-east-2: expected https:\/\/<id>\.<zone>\.us-east-2\.eks\.amazonaws\.com or, for an IPv6 cluster's dual-stack endpoint, https:\/\/<id>\.<zone>\.us-east-2\.api\.aws/),
    ]);
  });

  test.each([
    'https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2.eks.example.com',
    'https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2.eks.amazonaws.com.cn',
    'https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2.eks.amazonaws.com.example.org',
  ])('%s is not an EKS endpoint of us-east-2: only the partition\'s own domain gets the cluster\'s token', (server) => {
    const text = demoFleetText.replace(/server: https:\/\/4B1D\S+/, `server: ${server}`);
    expect(problemsOf(text)).toEqual([expect.stringMatching(/^clusters\[0\]\.server: is ".*", not the endpoint of an EKS cluster in us-east-2/)]);
  });

  test('an IPv4 cluster has no api.aws endpoint', () => {
    const text = demoFleetText.replace(/server: https:\/\/4B1D\S+/, 'server: https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2.api.aws');
    expect(problemsOf(text)).toEqual([expect.stringMatching(/^clusters\[0\]\.server: is ".*", not the endpoint of an EKS cluster in us-east-2: expected https:\/\/<id>\.<zone>\.us-east-2\.eks\.amazonaws\.com \(/)]);
  });
});

describe('review of the hardening: one meaning, no secret in a message', () => {
  test.each([
    ['a carriage return inside a line', demoFleetText.replace('    containerPort: 80\n    replicas: 5\n  - name: app1', '    containerPort: 80 # port\r    replicas: 7\n  - name: app1')],
    ['carriage returns as the only line ends', demoFleetText.replace(/\n/g, '\r')],
  ])('%s: refused by both readers alike, at its line', (_, text) => {
    const expected = outcome(parseFleet, text);
    expect(expected).toMatch(/^fleet\.yaml:\d+:\d+: has a carriage return \(\\r\) that does not end a line with a line feed/);
    expect(outcome(parseFleetLocatingProblems, text)).toBe(expected);
    // With a "!", which sends a file to the locating reader alone: the same.
    expect(outcome(parseFleet, `${text}# !\n`)).toBe(expected);
  });

  test('CRLF line ends are still fine', () => {
    expect(parseFleet(demoFleetText.replace(/\n/g, '\r\n')).apps.map((app) => app.name)).toEqual(['app0', 'app1', 'app2', 'podinfo']);
  });

  test.each([
    'https://user:pa/ss@github.com/example-org/eks-ipv6-gitops.git',
    'https://user:p@ss@github.com/example-org/eks-ipv6-gitops.git',
    'https://github.com/example-org/eks-ipv6-gitops.git?private_token=glpat-0123456789abcdef',
    'git:SECRET@github.com:example-org/eks-ipv6-gitops.git',
    ' https://user:pass@github.com/example-org/eks-ipv6-gitops.git',
  ])('a refused repo.url %j is quoted without its credential', (url) => {
    const message = outcome(parseFleet, demoFleetText.replace('url: https://github.com/example-org/eks-ipv6-gitops.git', `url: "${url}"`)) as string;
    expect(message).toMatch(/repo\.url/);
    expect(message).not.toMatch(/pa\/ss|ss@github|glpat|SECRET|pass@/);
  });
});
