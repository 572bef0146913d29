import { demoFleet, setReplicas } from '../support/fixtures';
import { clipPair, formatMarkdown, formatText, lineDiff, valueWidth } from '../../diff/format';
import { compareDist, DistDiff } from '../../diff/compare';
import { renderFleet } from '../../app/render';

const labels = { before: 'dist/', after: 'fleet.yaml' };
const base = renderFleet(demoFleet());

function diffAfter(edit: (text: string) => string): DistDiff {
  return compareDist(base, renderFleet(demoFleet(edit)));
}

const recolourApp1 = (text: string) => text.replace('backgroundColor: red', 'backgroundColor: green');

describe('cutting long values', () => {
  test('cuts at the width with an ellipsis', () => {
    const [before, after] = clipPair('x'.repeat(200), 'y', valueWidth);
    expect(before).toHaveLength(valueWidth);
    expect(before.endsWith('…')).toBe(true);
    expect(after).toBe('y');
  });

  test('starts both sides late enough to show where they first differ', () => {
    const prefix = 'https://example.com/'.padEnd(150, 'p');
    const [before, after] = clipPair(`${prefix}?v=1`, `${prefix}?v=2`, valueWidth);
    expect(before.startsWith('…')).toBe(true);
    expect(before.endsWith('?v=1')).toBe(true);
    expect(after.endsWith('?v=2')).toBe(true);
  });
});

describe('line diff of a multi-line string', () => {
  const lines = (count: number) => Array.from({ length: count }, (_, index) => `line ${index + 1}`);

  test('shows each change with 2 lines of context under a hunk header', () => {
    const before = `${lines(10).join('\n')}\n`;
    const after = before.replace('line 5\n', 'line five\n');
    expect(lineDiff(before, after)).toEqual(['@@ -3,5 +3,5 @@', ' line 3', ' line 4', '-line 5', '+line five', ' line 6', ' line 7']);
  });

  test('makes separate hunks for changes far apart, and counts additions', () => {
    const before = lines(20).join('\n');
    const after = before.replace('line 2\n', 'line 2\nnew\n').replace('line 18', 'line eighteen');
    expect(lineDiff(before, after)).toEqual([
      '@@ -1,4 +1,5 @@', ' line 1', ' line 2', '+new', ' line 3', ' line 4',
      '@@ -16,5 +17,5 @@', ' line 16', ' line 17', '-line 18', '+line eighteen', ' line 19', ' line 20',
    ]);
  });

  test('cuts a long changed line where the change is visible', () => {
    const long = `${'a'.repeat(150)} red;`;
    const [removed, added] = lineDiff(long, long.replace('red', 'green')).slice(1);
    expect(removed).toMatch(/^-….* red;$/);
    expect(added).toMatch(/^\+….* green;$/);
  });
});

describe('text output', () => {
  test('scaling app2 to 10000 is one line under apps/app2, going to ipv6-east, and its Ingress leaving the shared ALB another', () => {
    const text = formatText(diffAfter((text) => setReplicas(text, 2, 10000)), labels);
    expect(text).toBe([
      'dist/ -> fleet.yaml: 2 changed, 0 added, 0 removed objects in 1 Argo CD source, going to ipv6-east',
      '',
      'apps/app2 -> ipv6-east',
      '  apps/app2  Deployment app2/app2  spec.replicas: 5 -> 10000',
      '  apps/app2  Ingress app2/app2  metadata.annotations["alb.ingress.kubernetes.io/group.name"]: shared-0 -> own-app2',
      '',
    ].join('\n'));
  });

  test('recolouring app1 shows the page\'s line diff and the pod-template checksum', () => {
    const text = formatText(diffAfter(recolourApp1), labels);
    expect(text).toContain('  apps/app1  ConfigMap app1/app1  data["index.html"]:\n      @@ ');
    expect(text).toMatch(/^ {6}- {2}body \{ background-color: red;/m);
    expect(text).toMatch(/^ {6}\+ {2}body \{ background-color: green;/m);
    expect(text).toMatch(/apps\/app1 {2}Deployment app1\/app1 {2}spec\.template\.metadata\.annotations\["checksum\/content"\]: [0-9a-f]{64} -> [0-9a-f]{64}\n/);
  });

  test('identical trees say "no changes"', () => {
    expect(formatText(compareDist(base, base), labels)).toBe('dist/ -> fleet.yaml: no changes\n');
  });

  test('added and removed objects are listed with the files', () => {
    const text = formatText(diffAfter((text) => text.replace(/  - name: app1\n(    .*\n)+/, '')), labels);
    expect(text).toContain('  apps/app1  Deployment app1/app1  removed\n');
    expect(text).toContain('  argocd  ApplicationSet argocd/test-apps-ipv6-east  spec.generators[0].list.elements[1]: {app: app1} -> (none)\n');
    expect(text).toContain('Files removed:\n  apps/app1/app.yaml\n  apps/app1/clusters/ipv6-east.yaml\n');
  });

  test('a file nothing deploys says so', () => {
    const after = new Map([...base, ['apps/ghost/app.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: ghost }\n']]);
    expect(formatText(compareDist(base, after), labels)).toContain('apps/ghost -> (unknown destination)\n  apps/ghost  Namespace ghost  added\n');
  });
});

describe('Secrets', () => {
  test('a changed Secret says which keys changed and never prints their values', () => {
    // GIVEN a Secret whose stringData and data change
    const secret = (password: string, key: string) => new Map([['argocd/db.yaml',
      `apiVersion: v1\nkind: Secret\nmetadata: { name: db, namespace: argocd }\nstringData:\n  password: ${password}\ndata:\n  key: ${key}\n`]]);
    const diff = compareDist(secret('hunter2', 'c2VjcmV0'), secret('swordfish', 'bmV3c2VjcmV0'));
    // WHEN it is formatted both ways
    const outputs = [formatText(diff, labels), formatMarkdown(diff, labels)];
    // THEN the keys are named as changed, the values appear nowhere
    expect(outputs[0]).toContain('Secret argocd/db  stringData.password: changed (secret value hidden)\n');
    expect(outputs[0]).toContain('Secret argocd/db  data.key: changed (secret value hidden)\n');
    expect(outputs[1]).toContain('  - `stringData.password`: changed (secret value hidden)\n');
    for (const output of outputs) expect(output).not.toMatch(/hunter2|swordfish|c2VjcmV0|bmV3c2VjcmV0/);
  });

  test('a cluster registration whose config changes shows no part of the config', () => {
    // GIVEN ipv6-east's certificate authority replaced by another (legacy-ipv4's): the config holds it, and the role
    const withNewCa = (text: string) => {
      const [legacyCa] = /(?<=\n {4}caData: )\S+/.exec(text)!;
      return text.replace(/(- name: ipv6-east[\s\S]*?\n {4}caData: )\S+/, `$1${legacyCa}`);
    };
    const text = formatText(diffAfter(withNewCa), labels);
    expect(text).toContain('  argocd  Secret argocd/cluster-ipv6-east  stringData.config: changed (secret value hidden)\n');
    expect(text).not.toMatch(/role\/|awsAuthConfig|caData|LS0t/);
  });
});

describe('Markdown output', () => {
  test('recolouring app1: a heading, a summary with counts, a collapsed section for apps/app1 with the page diff', () => {
    // GIVEN app1 recoloured WHEN formatted as Markdown
    const markdown = formatMarkdown(diffAfter(recolourApp1), labels);
    // THEN
    expect(markdown).toMatchSnapshot();
    expect(markdown.startsWith('## Fleet diff\n')).toBe(true);
    expect(markdown).toContain('`dist/` → `fleet.yaml`: **2 changed, 0 added, 0 removed objects** in 1 Argo CD source, going to `ipv6-east`.');
    expect(markdown).toContain('### `apps/app1` → `ipv6-east`');
    expect(markdown).toContain('<details><summary>2 changed: ConfigMap app1/app1, Deployment app1/app1</summary>');
    expect(markdown).toMatch(/ {4}```diff\n {4}@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    expect(markdown).toMatch(/^ {4}- {2}body \{ background-color: red;/m);
    expect(markdown).toMatch(/^ {4}\+ {2}body \{ background-color: green;/m);
    expect(markdown).toMatch(/ {2}- `spec\.template\.metadata\.annotations\["checksum\/content"\]`: `[0-9a-f]{64}` → `[0-9a-f]{64}`/);
    expect(markdown.match(/<details>/g)).toHaveLength(1);
    expect(markdown.match(/<\/details>/g)).toHaveLength(1);
  });

  test('a short section stays open', () => {
    const markdown = formatMarkdown(diffAfter((text) => setReplicas(text, 2, 10000)), labels);
    expect(markdown).toContain('### `apps/app2` → `ipv6-east`\n\n- Deployment `app2/app2`\n  - `spec.replicas`: `5` → `10000`\n');
    expect(markdown).not.toContain('<details>');
  });

  test('identical trees say "no changes"', () => {
    expect(formatMarkdown(compareDist(base, base), labels)).toBe('## Fleet diff\n\n`dist/` → `fleet.yaml`: no changes.\n');
  });
});
