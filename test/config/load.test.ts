import { CORE_SCHEMA, load } from 'js-yaml';
import { TestApp } from '../../config/fleet';
import { FleetConfigError, loadInPieces, parseFleet, parseFleetLocatingProblems } from '../../config/load';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { synthesize } from '../../app/synth';
import { folderState } from '../support/dist-state';
import { renderFleet } from '../../app/render';
import { demoFleetText, lineOf, parseManifests, scratchDist, writeTempFleet } from '../support/fixtures';

/** Runs the real synth on an edited fleet.yaml against a copy of dist/ and returns the error. */
async function rejectedSynth(text: string): Promise<FleetConfigError> {
  const configFile = writeTempFleet(text);
  const outdir = scratchDist();
  const before = folderState(outdir);
  let caught: unknown;
  try {
    await synthesize({ configFile, outdir });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(FleetConfigError);
  expect(folderState(outdir)).toEqual(before);
  const error = caught as FleetConfigError;
  for (const problem of error.problems) expect(problem.file).toBe(configFile);
  return error;
}

/** The problems as `line:column path: message`, without the temp file name. */
function problemsOf(error: FleetConfigError): string[] {
  return error.problems.map((problem) => `${problem.line}:${problem.column} ${problem.path}: ${problem.message}`);
}

describe('fleet.yaml errors name the file, line:column, field path and what was expected; dist/ stays untouched', () => {
  test('an unknown key, with a suggestion', async () => {
    const text = demoFleetText.replace('    replicas: 5\n  - name: app1', '    replicaz: 5\n  - name: app1');
    const problems = problemsOf(await rejectedSynth(text));
    const line = lineOf(text, 'replicaz');
    expect(problems).toContain(`${line}:5 apps[0].replicaz: unknown key: did you mean "replicas"? Expected one of name, source, backgroundColor, containerPort, replicas, rollout, values, clusterValues, expose, resources, podSecurity, clusterResources, rbac, aws, loadBalancer, nextLoadBalancer, previousLoadBalancer, clusters`);
    expect(problems).toContain(`${lineOf(text, '- name: app0')}:5 apps[0].replicas: is missing: expected an integer from 0 to 100000`);
  });

  test('an unknown key with nothing close to suggest', async () => {
    const text = demoFleetText.replace('  - name: app1\n', '  - name: app1\n    colour: red\n');
    expect(problemsOf(await rejectedSynth(text))).toEqual([
      `${lineOf(text, 'colour: red')}:5 apps[1].colour: unknown key: expected one of name, source, backgroundColor, containerPort, replicas, rollout, values, clusterValues, expose, resources, podSecurity, clusterResources, rbac, aws, loadBalancer, nextLoadBalancer, previousLoadBalancer, clusters`,
    ]);
  });

  test('a wrong type', async () => {
    const text = demoFleetText.replace('accountId: "111122223333"', 'accountId: 111122223333');
    const problems = problemsOf(await rejectedSynth(text));
    expect(problems[0]).toBe(`${lineOf(text, 'accountId: 111122223333')}:16 clusters[0].accountId: expected a 12-digit AWS account id in quotes, such as "111122223333", got 111122223333`);
  });

  test('out-of-range replicas and ports', async () => {
    const text = demoFleetText.replace('containerPort: 80\n    replicas: 5', 'containerPort: 70000\n    replicas: -1');
    expect(problemsOf(await rejectedSynth(text))).toEqual([
      `${lineOf(text, '70000')}:20 apps[0].containerPort: expected an integer from 1 to 65535, got 70000`,
      `${lineOf(text, 'replicas: -1')}:15 apps[0].replicas: expected an integer from 0 to 100000, got -1`,
    ]);
  });

  test('a name that is not a DNS-1123 label', async () => {
    const text = demoFleetText.replace('name: app1', 'name: App_1');
    expect(problemsOf(await rejectedSynth(text))[0]).toMatch(new RegExp(`^${lineOf(text, 'App_1')}:11 apps\\[1\\]\\.name: expected a DNS-1123 label .*, got "App_1" \\(text\\)$`));
  });

  test.each([
    ['red;} body{display:none', 'CSS injection'],
    ['"blue</style><script>alert(1)</script>"', 'HTML injection'],
    ['notacolour', 'an unknown name'],
  ])('a colour that is not a CSS colour: %s (%s)', async (colour) => {
    const text = demoFleetText.replace('backgroundColor: red', `backgroundColor: ${colour}`);
    expect(problemsOf(await rejectedSynth(text))[0]).toMatch(/^\d+:22 apps\[1\]\.backgroundColor: expected a CSS colour: /);
  });

  test('a malformed CIDR', async () => {
    const text = demoFleetText.replace('- 10.230.20.0/22', '- 10.230.300.0/22');
    expect(problemsOf(await rejectedSynth(text))).toEqual([
      `${lineOf(text, '10.230.300.0')}:9 clusters[0].subnets[1]: "10.230.300.0/22" has an invalid IPv4 address "10.230.300.0"`,
    ]);
  });

  test('a CIDR with host bits set', async () => {
    const text = demoFleetText.replace('- 10.230.20.0/22', '- 10.230.21.0/22');
    expect(problemsOf(await rejectedSynth(text))[0]).toContain('clusters[0].subnets[1]: "10.230.21.0/22" has host bits set: did you mean 10.230.20.0/22?');
  });

  test('a CIDR of the wrong family', async () => {
    const text = demoFleetText.replace('- 2600:1f16:5de:8b04::/64', '- 10.230.28.0/22');
    expect(problemsOf(await rejectedSynth(text))).toEqual([
      `${lineOf(text, '10.230.28.0')}:9 clusters[1].subnets[1]: "10.230.28.0/22" is an IPv4 block, but the cluster's ipFamily is ipv6: expected an IPv6 /64`,
    ]);
  });

  test('duplicate names', async () => {
    const text = demoFleetText.replace('name: app1', 'name: app0');
    expect(problemsOf(await rejectedSynth(text))).toEqual([
      `${lineOf(text, '- name: app0') + 4}:11 apps[1].name: app name "app0" is already used by apps[0].name: names must be unique`,
    ]);
  });

  test('a reference to a cluster that does not exist', async () => {
    const text = demoFleetText.replace('    replicas: 5\n  - name: app1', '    replicas: 5\n    clusters: [ipv6-west]\n  - name: app1');
    expect(problemsOf(await rejectedSynth(text))).toEqual([
      `${lineOf(text, 'ipv6-west')}:16 apps[0].clusters[0]: cluster "ipv6-west" is not in clusters: expected one of legacy-ipv4, ipv6-east`,
    ]);
  });

  test('a YAML syntax error', async () => {
    const text = demoFleetText.replace('domain: apps.example.com', 'domain: [apps.example.com');
    const [problem] = problemsOf(await rejectedSynth(text));
    expect(problem).toMatch(/^\d+:\d+ : YAML syntax error: /);
  });

  test('an empty file', async () => {
    expect(problemsOf(await rejectedSynth('# nothing yet\n'))).toEqual([
      '1:1 : is empty: expected a mapping with keys repo, domain, domainAccountId, administrators, argocd, capacity, waves, clusters, apps',
    ]);
  });

  test('all problems at once, in file order', async () => {
    const text = demoFleetText.replace('replicas: 5', 'replicas: "5"').replace('backgroundColor: blue', 'backgroundColor: 5');
    const problems = problemsOf(await rejectedSynth(text));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('apps[0].replicas: expected an integer from 0 to 100000, got "5" (text)');
    expect(problems[1]).toContain('apps[2].backgroundColor: expected a CSS colour');
  });

  test('the message a person reads starts with file:line:column', async () => {
    const error = await rejectedSynth(demoFleetText.replace('replicas: 5', 'replicas: many'));
    expect(error.message).toMatch(/^\/.+fleet\.yaml:\d+:15: apps\[0\]\.replicas: expected an integer from 0 to 100000, got "many" \(text\)$/);
  });
});

describe('fleet.yaml rules across fields', () => {
  test('an app on several clusters needs a DNS weight on each', () => {
    const text = demoFleetText.replace('    replicas: 5\n  - name: app1', '    replicas: 5\n    clusters: [legacy-ipv4, ipv6-east]\n  - name: app1');
    expect(() => parseFleet(text)).toThrow(/apps\[0\]\.clusters: names several clusters: give each a weight/);
  });

  test('a rollout whose grace period does not cover the pause and nginx\'s shutdown is refused', () => {
    const text = demoFleetText.replace('    replicas: 5\n  - name: app1', '    replicas: 5\n    rollout: { deregistrationDelaySeconds: 60, terminationGracePeriodSeconds: 45 }\n  - name: app1');
    expect(() => parseFleet(text)).toThrow(/apps\[0\]\.rollout\.terminationGracePeriodSeconds: is 45, but a going pod keeps serving for 60 s \(the deregistration delay, at least 10 s\) and nginx needs 5 s more to finish its requests: pods would be killed while they still serve\. Expected at least 65/);
    // One second more than the delay leaves nginx no time to finish.
    const tight = text.replace('terminationGracePeriodSeconds: 45', 'terminationGracePeriodSeconds: 61');
    expect(() => parseFleet(tight)).toThrow(/is 61, .* Expected at least 65/);
    // A delay alone moves the pause and the grace period with it.
    const delayOnly = demoFleetText.replace('    replicas: 5\n  - name: app1', '    replicas: 5\n    rollout: { deregistrationDelaySeconds: 120 }\n  - name: app1');
    expect((parseFleet(delayOnly).apps[0] as TestApp).rollout).toEqual({ deregistrationDelaySeconds: 120, drainSeconds: 120, terminationGracePeriodSeconds: 135 });
  });

  test('a deregistration delay of 0 still keeps the going pod serving while the ALB stops sending it requests', () => {
    const text = demoFleetText.replace('    replicas: 5\n  - name: app1', '    replicas: 5\n    rollout: { deregistrationDelaySeconds: 0 }\n  - name: app1');
    const fleet = parseFleet(text);
    expect((fleet.apps[0] as TestApp).rollout).toEqual({ deregistrationDelaySeconds: 0, drainSeconds: 10, terminationGracePeriodSeconds: 25 });
    const deployment = parseManifests(renderFleet(fleet).get('apps/app0/app.yaml')!).find((object) => object.kind === 'Deployment')!;
    expect(deployment.spec.template.spec.containers[0].lifecycle.preStop.exec.command).toEqual(['sleep', '10']);
  });

  test('a registered cluster needs its CA certificate', () => {
    const text = demoFleetText.replace(/\n    caData: \S+\n\n  # The IPv6/, '\n\n  # The IPv6');
    expect(() => parseFleet(text)).toThrow(/clusters\[0\]: is registered with Argo CD \(register is not false\) but has no caData/);
  });

  test('node group minSize may not exceed maxSize', () => {
    const text = demoFleetText.replace('minSize: 3\n        maxSize: 30', 'minSize: 31\n        maxSize: 30');
    expect(() => parseFleet(text)).toThrow(/clusters\[0\]\.nodeGroups\[0\]\.minSize: is 31, above maxSize 30/);
  });
});

test('an unknown instance type is an error at its line, with suggestions', async () => {
  const text = demoFleetText.replace('instanceType: m5.large', 'instanceType: m5.larg');
  expect(problemsOf(await rejectedSynth(text))[0]).toMatch(/^\d+:23 clusters\[0\]\.nodeGroups\[0\]\.instanceType: instance type "m5\.larg" is not in data\/ec2-instance-types\.json\. Did you mean m5\.large, /);
});

describe('the fast path for valid files reads what the locating reader reads', () => {
  /** The fleet, or the error's message, from one reader. */
  function outcome(read: (text: string) => unknown, text: string): unknown {
    try {
      return read(text);
    } catch (error) {
      expect(error).toBeInstanceOf(FleetConfigError);
      return (error as Error).message;
    }
  }

  test('the same Fleet for the default fleet and a 300-app benchmark fleet', () => {
    for (const text of [demoFleetText, largeFleetYaml(300, 8)]) {
      expect(parseFleet(text)).toStrictEqual(parseFleetLocatingProblems(text));
    }
  });

  // Scalars where YAML 1.1, YAML 1.2 and parsers are known to differ, in an integer field and a text field.
  const scalars = [
    '5', '+5', '05', '0o5', '0x5', '0b101', '5_0', '5.0', '5e0', '.inf', '.nan', '~', 'null', '', 'true', 'yes', 'on',
    '"5"', "'5'", '!!int "5"', '!!str 5', '!!float 5', '&five 5', '2025-01-01', '5 # five', '[5]', '{n: 5}',
  ];
  test.each(scalars)('the same outcome for replicas: %s and backgroundColor: %s', (scalar) => {
    for (const text of [
      demoFleetText.replace('replicas: 5', `replicas: ${scalar}`),
      demoFleetText.replace('backgroundColor: yellow', `backgroundColor: ${scalar}`),
    ]) {
      expect(outcome(parseFleet, text)).toStrictEqual(outcome(parseFleetLocatingProblems, text));
    }
  });

  test('the same outcome for anchors, aliases, merge keys, tags, several documents and duplicate keys', () => {
    const variants = [
      demoFleetText.replace('domain:', 'x-anchor: &d 1\ndomain:'),
      demoFleetText.replace('replicas: 5', 'replicas: &r 5').replace(/replicas: 5\b/, 'replicas: *r'),
      demoFleetText.replace('  - name: app1\n', '  - <<: {replicas: 5}\n    name: app1\n'),
      demoFleetText.replace('replicas: 5', 'replicas: !custom 5'),
      `${demoFleetText}\n---\n${demoFleetText}`,
      demoFleetText.replace('replicas: 5', 'replicas: 5\n    replicas: 6'),
      demoFleetText.replace('replicas: 5', 'replicas:\t5'),
    ];
    for (const text of variants) expect(outcome(parseFleet, text)).toStrictEqual(outcome(parseFleetLocatingProblems, text));
  });
});

describe('a long fleet.yaml is read in pieces, meaning what it means read whole', () => {
  /** What js-yaml reads from the text whole, or the first line of its error. */
  function whole(text: string): unknown {
    try {
      return load(text, { schema: CORE_SCHEMA });
    } catch (error) {
      return `error: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  function inPieces(text: string): unknown {
    try {
      return loadInPieces(text);
    } catch (error) {
      return `error: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  /** `count` apps as fleet.yaml lists them, each item `item(index)`. */
  const listed = (count: number, item: (index: number) => string) => Array.from({ length: count }, (_, index) => item(index)).join('');
  const app = (index: number) => `  - name: app${index}\n    replicas: ${index % 7}\n    clusters: [a, b]\n`;

  test.each<[string, boolean, string]>([
    ['items indented', true, `repo: {url: x}\napps:\n${listed(2500, app)}capacity: {a: 1}\n`],
    ['items at the key\'s indentation', true, `apps:\n${listed(2100, (index) => `- name: app${index}\n  replicas: 1\n`)}domain: d\n`],
    ['comments, blank lines and a trailing comment on the key', true, `apps: # the apps\n\n${listed(2100, (index) => `${index % 3 ? '' : '# about the next one\n'}${app(index)}\n    # deeper\n`)}`],
    ['Windows line ends', true, `apps:\r\n${listed(2100, (index) => `  - name: app${index}\r\n    replicas: 1\r\n`)}`],
    ['block scalars whose lines look like items', true, `apps:\n${listed(2100, (index) => `  - name: app${index}\n    page: |\n      - not an item\n        - nor this\n\n      end ${index}\n`)}`],
    ['a flow sequence over lines', true, `apps:\n${listed(2100, (index) => `  - name: app${index}\n    clusters: [a,\n      b]\n`)}`],
    ['a quoted scalar over lines', true, `apps:\n${listed(2100, (index) => `  - name: "app${index}\n      continued"\n`)}`],
    ['a quoted scalar continued too far left', true, `apps:\n${listed(1000, app)}  - name: "a\n  - b"\n${listed(1100, app)}`],
    ['an item less indented than the others', true, `apps:\n${listed(1500, app)} - name: odd\n${listed(700, app)}`],
    ['a key at the items\' indentation after them', true, `apps:\n${listed(2100, app)}  domain: d\n`],
    ['a block list of apps inside a flow mapping, refused whole', true, `{"repo": {"url": "x"},\napps:\n${listed(1200, app)}}\n`],
    ['an anchor redefined in a later piece, its alias after the list', false, `apps:\n  - name: &c ipv6-a\n${listed(999, app)}  - name: &c ipv6-b\n${listed(100, app)}argocd: {cluster: *c}\n`],
    ['an anchor before the list, redefined in a later piece', false, `x: &c one\napps:\n${listed(1500, app)}  - name: &c two\ny: *c\n`],
    ['a kept block scalar (|+) ending a piece and the list', true, `apps:\n${listed(999, app)}  - name: x\n    page: |+\n      kept\n\n${listed(1000, app)}  - name: last\n    page: |+\n      kept\n\ndomain: d\n`],
    ['a kept block scalar (|+) at the end of a file without a last line break', true, `domain: d\napps:\n${listed(1500, app)}  - name: last\n    page: |+\n      kept`],
    ['two apps keys', false, `apps:\n${listed(1100, app)}apps:\n${listed(1100, app)}`],
    ['several documents', false, `apps:\n${listed(2100, app)}---\napps: []\n`],
    ['few apps', false, `apps:\n${listed(20, app)}`],
  ])('%s (read in pieces first: %s)', (_, readInPieces, text) => {
    // (the module object itself: what config/load.ts calls)
    const reads = jest.spyOn(require('js-yaml') as typeof import('js-yaml'), 'load');
    try {
      expect(inPieces(text)).toStrictEqual(whole(text));
      // (in pieces: the file without its apps, then each 1,000 of them; once more whole for the comparison, or when a piece fails)
      expect(reads.mock.calls.length > 2).toBe(readInPieces);
    } finally {
      reads.mockRestore();
    }
  });

  test('a benchmark fleet of 2,500 apps reads as the locating reader reads it', () => {
    const text = largeFleetYaml(2500, 8);
    expect(parseFleet(text)).toStrictEqual(parseFleetLocatingProblems(text));
  });
});
