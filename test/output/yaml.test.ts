import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import { toYaml, toYamlStream } from '../../output/yaml';

/**
 * YAML 1.1 mode stands in for go-yaml (used by kubectl and Argo CD), which
 * reads yes/no/on/off, octal "0755" and sexagesimal "12:30" as non-strings.
 */
const PARSE_MODES = [
  { version: '1.2', strict: true, uniqueKeys: true },
  { version: '1.1', strict: true, uniqueKeys: true },
] as const;

/**
 * Turns data into a form where key order and key types are visible to
 * toEqual: a parser that read the key `true` as a boolean must not pass.
 */
function canonical(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (value instanceof Map) return { entries: [...value].map(([key, item]) => [key, canonical(item)]) };
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return {
      entries: Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, canonical(item)]),
    };
  }
  return value;
}

/** Each parse mode that does not read `yaml` back as `value`, with what it read instead. */
function roundTripFailures(value: unknown, yaml: string): unknown[] {
  const failures: unknown[] = [];
  for (const options of PARSE_MODES) {
    let parsed: unknown;
    try {
      parsed = canonical(YAML.parse(yaml, { ...options, mapAsMap: true }));
    } catch (error) {
      parsed = `parse error: ${(error as Error).message}`;
    }
    if (!isDeepStrictEqual(parsed, canonical(value))) failures.push({ version: options.version, yaml, parsed });
  }
  return failures;
}

function expectRoundTrip(value: unknown): void {
  expect(roundTripFailures(value, toYaml(value))).toEqual([]);
}

const MUST_BE_QUOTED = [
  '',
  ' ',
  ...['yes', 'Yes', 'YES', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF'],
  ...['y', 'Y', 'n', 'N', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'],
  ...['null', 'Null', 'NULL', '~'],
  ...['0', '1', '-1', '+1', '00', '0755', '0o17', '0x1F', '0X1f', '0b1010', '1e3', '1E3', '1.5e-3', '.5', '5.'],
  ...['e9', 'E0', 'e+5'],
  ...['1_000', '12:30', '190:20:30.15', '.inf', '.Inf', '-.inf', '+.inf', '.nan', '.NaN'],
  ...['2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2002-12-14T00:00:00Z'],
  ...['0.0.0.0', '1.0.0', '2001:db8::1', '::', '::1'],
  ...['<<', '=', '-', '--', '---', '...', '... x', '?', '? x', '- x', ':x', 'x:', 'x: y', 'a #b', '#c'],
  ...['&anchor', '*alias', '!tag', '!!str', '|', '>', '|-', '%YAML', '@at', '`tick', ',a'],
  ...['[a]', '{a: 1}', '{}', '[]', '"quoted"', "'single'", 'back\\slash', 'C:\\path'],
  ...['tab\there', '\ttab', ' lead', 'trail ', 'trail\t', 'cr\rhere', 'nul\0', 'bell\x07', 'del\x7F'],
  ...['nel\x85', '\u2028', 'line\u2029sep', '\uFEFFbom', '\uFFFE', '\uFFFF', 'café', '日本語', 'emoji 🎉', '\u00A0'],
];

const STAYS_PLAIN = [
  'https://example.com/a',
  'nginxinc/nginx-unprivileged:1.29-alpine',
  'app.kubernetes.io/name',
  'eks.amazonaws.com/role-arn',
  'arn:aws:iam::123456789012:role/web',
  'ip',
  'dualstack',
  'RuntimeDefault',
  '10m',
  '64Mi',
  '1Gi',
  'v1.2.3',
  '10.0.0.0/16',
  'fd00:ec2::/56',
  '.dockerconfigjson',
  '$(POD_IP)',
  'Hello, world',
  'yes-please',
  'nullable',
  'infinity',
];

const MULTI_LINE = [
  'a\nb',
  'a\nb\n',
  'a\nb\n\n',
  'a\nb\n\n\n',
  '\na',
  '\n\na\n',
  ' a\nb',
  '  a\n b\n',
  '\n  a\n',
  '   \nx',
  'a\n   ',
  'a\n \n',
  'a\n\n ',
  'a\n\n\n   ',
  'a \nb  ',
  'trailing space \nx',
  '---\n...\n',
  '# not a comment\nkey: value\n',
  '- item\n- item2',
  '|\n>\n',
  'a\r\nb',
  'a\n\tb',
  'a\n\u2028b',
  '\uFEFFa\nb',
  'a\n\x85b',
  'a\n\x07',
  '\n',
  '\n\n',
  'emoji\n🎉 and é\n',
  'quotes " and \' and \\\n',
  [
    'server {',
    '    listen [::]:8080 ipv6only=off;',
    '    location / {',
    '        return 200 "ok: $host #1\\n";',
    '    }',
    '    # health: checks',
    '}',
    '',
  ].join('\n'),
  '<!doctype html>\n<html lang="en">\n  <body class="x">{{ .Values.name }} & ${VAR} #anchor: yes</body>\n</html>\n',
];

function deploymentLike(name: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'web',
      labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'fleet' },
      annotations: { 'argocd.argoproj.io/sync-wave': '1', 'example.com/skipped': undefined },
    },
    spec: {
      replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': name } },
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'web',
              image: 'nginxinc/nginx-unprivileged:1.29-alpine',
              args: ['-g', 'daemon off;'],
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              env: [{ name: 'ENABLED', value: 'yes' }],
              resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '64Mi' } },
              volumeMounts: [],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
          nodeSelector: {},
        },
      },
    },
  };
}

const DEPLOYMENT_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/part-of: fleet
  annotations:
    argocd.argoproj.io/sync-wave: "1"
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: web
          image: nginxinc/nginx-unprivileged:1.29-alpine
          args:
            - "-g"
            - daemon off;
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            - name: ENABLED
              value: "yes"
          resources:
            requests:
              cpu: 10m
              memory: 64Mi
            limits:
              memory: 64Mi
          volumeMounts: []
      volumes:
        - name: config
          configMap:
            name: web-config
      nodeSelector: {}
`;

describe('toYaml output style', () => {
  it('writes a Deployment in the pinned style', () => {
    expect(toYaml(deploymentLike('web', 2))).toBe(DEPLOYMENT_YAML);
  });

  it('writes literal block scalars with the chomping and indentation indicators they need', () => {
    const data = { clip: 'a\nb\n', strip: 'a\nb', keep: 'a\n\n', indented: '  a\nb\n', items: ['x\ny'] };
    expect(toYaml({ data })).toBe(
      [
        'data:',
        '  clip: |',
        '    a',
        '    b',
        '  strip: |-',
        '    a',
        '    b',
        '  keep: |+',
        '    a',
        '',
        '  indented: |2',
        '      a',
        '    b',
        '  items:',
        '    - |-',
        '      x',
        '      y',
        '',
      ].join('\n'),
    );
  });

  it('falls back to double quotes for multi-line strings a literal block cannot hold', () => {
    expect(
      toYaml({ crlf: 'a\r\nb', tab: 'a\n\tb', lineSeparator: 'a\n\u2028b', newlines: '\n\n', blankTail: 'a\n\n  ' }),
    ).toBe(
      'crlf: "a\\r\\nb"\ntab: "a\\n\\tb"\nlineSeparator: "a\\n\\u2028b"\nnewlines: "\\n\\n"\nblankTail: "a\\n\\n  "\n',
    );
  });

  it('keeps unambiguous strings plain', () => {
    for (const text of STAYS_PLAIN) expect(toYaml({ [text]: text })).toBe(`${text}: ${text}\n`);
  });

  it('quotes strings that YAML 1.1 or 1.2 could read as something else', () => {
    for (const text of MUST_BE_QUOTED) expect(toYaml([text])).toMatch(/^- "/);
  });

  it('escapes characters that YAML does not allow verbatim or treats as line breaks', () => {
    expect(toYaml('\x7F\x85\u2028\u2029\uFEFF\uFFFE')).toBe('"\\u007F\\u0085\\u2028\\u2029\\uFEFF\\uFFFE"\n');
  });

  it('writes scalars, empty collections and root documents of every kind', () => {
    expect(toYaml(null)).toBe('null\n');
    expect(toYaml(true)).toBe('true\n');
    expect(toYaml('plain')).toBe('plain\n');
    expect(toYaml('a\nb')).toBe('|-\n  a\n  b\n');
    expect(toYaml({})).toBe('{}\n');
    expect(toYaml([])).toBe('[]\n');
    expect(toYaml({ skipped: undefined })).toBe('{}\n');
    expect(toYaml([[1, [2]], [], [{}], [{ a: [] }]])).toBe(
      '- - 1\n  - - 2\n- []\n- - {}\n- - a: []\n',
    );
  });

  it('writes numbers as decimal where possible and in a form YAML 1.1 reads as a float otherwise', () => {
    expect(toYaml([0, -0, 42, -7, 1.5, 0.1, 1e21, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER])).toBe(
      '- 0\n- 0\n- 42\n- -7\n- 1.5\n- 0.1\n- 1.0e+21\n- 1.0e-7\n- 5.0e-324\n- 9007199254740991\n',
    );
  });

  it('keeps insertion order of keys', () => {
    expect(toYaml({ z: 1, a: 2, m: 3 })).toBe('z: 1\na: 2\nm: 3\n');
  });

  it('writes keys too long for an implicit key as explicit keys', () => {
    const longKey = 'k'.repeat(1500);
    expect(toYaml({ [longKey]: 'v', short: 1 })).toBe(`? ${longKey}\n: v\nshort: 1\n`);
  });

  it('gives byte-identical output for the same input', () => {
    const first = toYaml(deploymentLike('web', 2));
    expect(toYaml(deploymentLike('web', 2))).toBe(first);
    expect(toYaml(JSON.parse(JSON.stringify(deploymentLike('web', 2))))).toBe(first);
  });
});

describe('toYamlStream', () => {
  it('separates documents with a --- line', () => {
    expect(toYamlStream([])).toBe('');
    expect(toYamlStream([{ a: 1 }])).toBe('a: 1\n');
    expect(toYamlStream([{ a: 1 }, ['b'], 'c\n\n'])).toBe('a: 1\n---\n- b\n---\n|+\n  c\n\n');
  });

  it('round-trips every document, including ones ending in kept blank lines', () => {
    const docs = [{ keep: 'a\n\n\n' }, 'b\n\n', { c: [1, { d: 'e\n' }] }, null, []];
    const stream = toYamlStream(docs);
    for (const options of PARSE_MODES) {
      const parsed = YAML.parseAllDocuments(stream, options);
      expect(Array.isArray(parsed)).toBe(true);
      expect((parsed as YAML.Document[]).map((doc) => doc.toJS())).toEqual(docs);
    }
  });
});

describe('round trip through YAML 1.2 and YAML 1.1 parsers', () => {
  const tricky = [...MUST_BE_QUOTED, ...STAYS_PLAIN, ...MULTI_LINE];

  it.each(tricky.map((text) => [JSON.stringify(text), text]))('string %s as root, value, item and key', (_, text) => {
    expectRoundTrip(text);
    expectRoundTrip({ key: text, nested: { deeper: text } });
    expectRoundTrip([text, [text], { item: text }]);
    if (!text.includes('\n')) expectRoundTrip({ [text]: { [text]: [text] } });
  });

  it('round-trips nested and empty containers', () => {
    expectRoundTrip({
      emptyObject: {},
      emptyArray: [],
      onlyUndefined: { gone: undefined },
      arrays: [[], [[]], [[[]]], [{}], [[1, [2, [3]]]], [{ a: [] }], [[{ a: 1, b: [] }]]],
      deep: { a: { b: { c: { d: {} } } } },
      nullPrototype: Object.assign(Object.create(null), { x: 1 }),
    });
  });

  it('round-trips numbers, booleans and null', () => {
    expectRoundTrip([0, 1, -1, 1.5, 0.1 + 0.2, 1e21, -1e300, 1e-7, 5e-324, Number.MAX_VALUE, Number.MIN_SAFE_INTEGER]);
    expectRoundTrip({ on: true, off: false, nothing: null });
  });

  it('round-trips keys that need explicit-key syntax', () => {
    const longKey = 'k'.repeat(1500);
    const longQuotedKey = '"'.repeat(600);
    expectRoundTrip({
      [longKey]: { nested: [1, 'two'] },
      [longQuotedKey]: 'multi\nline\n',
      after: [longKey],
      list: [{ [longKey]: [] }],
    });
  });

  it('round-trips a few thousand seeded random values', () => {
    const random = seededRandom(0x5eed);
    const failures: unknown[] = [];
    for (let index = 0; index < 3000; index++) {
      const text = randomString(random);
      for (const value of [randomValue(random, 3), text, { [text]: [text] }]) {
        failures.push(...roundTripFailures(value, toYaml(value)).map((failure) => ({ index, value, failure })));
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });
});

describe('errors', () => {
  it('names the path of a value that is not plain data', () => {
    expect(() => toYaml({ spec: { replicas: NaN } })).toThrow('Cannot serialise YAML at spec.replicas: NaN is not a finite number');
    expect(() => toYaml({ spec: { scale: -Infinity } })).toThrow(/at spec\.scale: -Infinity/);
    expect(() => toYaml({ spec: { args: ['a', undefined] } })).toThrow(/at spec\.args\[1\]: undefined is not plain data/);
    expect(() => toYaml({ hole: [1, , 3] })).toThrow(/at hole\[1\]: undefined/);
    expect(() => toYaml({ metadata: { annotations: { 'example.com/x': () => 1 } } })).toThrow(
      /at metadata\.annotations\["example\.com\/x"\]: a function is not plain data/,
    );
    expect(() => toYaml({ a: [{ b: Symbol('s') }] })).toThrow(/at a\[0\]\.b: a symbol/);
    expect(() => toYaml({ big: BigInt(1) })).toThrow(/at big: a bigint/);
    expect(() => toYaml({ when: new Date(0) })).toThrow(/at when: an instance of Date is not plain data/);
    expect(() => toYaml({ map: new Map() })).toThrow(/at map: an instance of Map/);
    expect(() => toYaml(undefined)).toThrow(/at \(root\): undefined/);
    expect(() => toYaml({ bad: 'x\uD800y' })).toThrow(/at bad: a lone UTF-16 surrogate/);
    expect(() => toYaml({ ['\uDC00']: 1 })).toThrow(/lone UTF-16 surrogate/);
  });

  it('rejects circular references instead of overflowing the stack', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = { again: [loop] };
    expect(() => toYaml(loop)).toThrow(/at self\.again\[0\]: a circular reference/);
  });

  it('accepts the same object twice when it is not its own ancestor', () => {
    const labels = { app: 'web' };
    expect(toYaml({ a: labels, b: labels })).toBe('a:\n  app: web\nb:\n  app: web\n');
  });

  it('names the document of a stream', () => {
    expect(() => toYamlStream([{}, { spec: { replicas: NaN } }])).toThrow(
      'Cannot serialise YAML document 1 at spec.replicas: NaN is not a finite number',
    );
  });
});

describe('output size', () => {
  it('serialises a full fleet of 20,000 objects into one stream of the expected shape', () => {
    const docs = Array.from({ length: 20_000 }, (_, index) => deploymentLike(`web-${index}`, index % 5));
    const stream = toYamlStream(docs);
    const documents = stream.split('\n---\n');
    expect(documents).toHaveLength(20_000);
    expect(documents[0] + '\n').toBe(toYaml(docs[0]));
    // About 1.1 kB per Deployment; a style regression (say, extra indentation) shows up here.
    expect(stream.length).toBeGreaterThan(20_000 * 1_000);
    expect(stream.length).toBeLessThan(20_000 * 1_250);
    for (const index of [0, 9_999, 19_999]) {
      expect(YAML.parse(documents[index])).toEqual(JSON.parse(JSON.stringify(docs[index])));
    }
  });
});

/** mulberry32: small, fast and good enough to shuffle test inputs reproducibly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fragments chosen to collide with YAML syntax, resolvers and escaping when concatenated. */
const NASTY_FRAGMENTS = [
  ...['a', 'Z', 'k8s', '0', '1', '9', 'e', 'x', 'o', 'b', '_', '.', '/', '\\', '~', '<', '=', '+', '-'],
  ...[' ', '  ', '\n', '\n\n', '\t', '\r', ':', ': ', ' #', '#', '?', '&', '*', '!', '|', '>', '%', '@', '`'],
  ...["'", '"', '{', '}', '[', ']', ',', '$', '(', ')'],
  ...['true', 'Yes', 'off', 'y', 'null', '~', '0x', '0o', '.inf', '.NaN', '<<', '12:30', '2001-12-14'],
  ...['---', '--- ', '...', '... ', '- ', '? ', '%YAML '],
  ...['\x00', '\x1B', '\x7F', '\x85', '\u00A0', '\u2028', '\u2029', '\uFEFF', 'é', '日', '🎉'],
];

function randomString(random: () => number): string {
  const length = Math.floor(random() * 7);
  let text = '';
  for (let index = 0; index < length; index++) text += NASTY_FRAGMENTS[Math.floor(random() * NASTY_FRAGMENTS.length)];
  return text;
}

function randomNumber(random: () => number): number {
  switch (Math.floor(random() * 3)) {
    case 0:
      return Math.floor(random() * 2000) - 1000;
    case 1:
      return (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
    default:
      return (random() - 0.5) * 10 ** Math.floor(random() * 600 - 300);
  }
}

function randomValue(random: () => number, depth: number): unknown {
  const kind = Math.floor(random() * (depth > 0 ? 7 : 5));
  switch (kind) {
    case 0:
    case 1:
      return randomString(random);
    case 2:
      return randomNumber(random);
    case 3:
      return random() < 0.5;
    case 4:
      return null;
    case 5:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth - 1));
    default: {
      const mapping: Record<string, unknown> = {};
      const size = Math.floor(random() * 4);
      for (let index = 0; index < size; index++) mapping[randomString(random)] = randomValue(random, depth - 1);
      return mapping;
    }
  }
}
