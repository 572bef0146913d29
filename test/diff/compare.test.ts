import { demoFleet, setReplicas } from '../support/fixtures';
import { alignSequences, compareDist, hasDifferences } from '../../diff/compare';
import { renderFleet } from '../../app/render';

const base = renderFleet(demoFleet());

function diffAfter(edit: (text: string) => string) {
  return compareDist(base, renderFleet(demoFleet(edit)));
}

const recolourApp1 = (text: string) => text.replace('backgroundColor: red', 'backgroundColor: green');
const addApp3 = (text: string) => `${text}  - name: app3\n    backgroundColor: purple\n    containerPort: 80\n    replicas: 2\n`;
const removeApp1 = (text: string) => text.replace(/  - name: app1\n(    .*\n)+/, '');

const secretFile = (stringData: string, data = '') => new Map([['argocd/clusters/db.yaml', `# Generated
apiVersion: v1
kind: Secret
metadata: { name: db-credentials, namespace: argocd }
type: Opaque
${stringData}${data}`]]);

describe('comparing two renders of dist/', () => {
  test('identical renders have no changes', () => {
    const diff = compareDist(base, renderFleet(demoFleet()));
    expect(diff).toEqual({ changes: [], addedFiles: [], removedFiles: [], reformatted: [] });
    expect(hasDifferences(diff)).toBe(false);
  });

  test('scaling app2 from 5 to 10000 is exactly one changed field, going to ipv6-east, and its Ingress\'s ALB', () => {
    // GIVEN the default fleet WHEN app2's replicas go from 5 to 10000
    const diff = diffAfter((text) => setReplicas(text, 2, 10000));
    // THEN one field of one Deployment changes, in apps/app2, on ipv6-east, and app2 leaves the shared ALB for its own
    expect(diff.changes).toEqual([{
      file: 'apps/app2/app.yaml',
      source: 'apps/app2',
      clusters: ['ipv6-east'],
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'app2', name: 'app2' },
      change: 'changed',
      fields: [{ path: ['spec', 'replicas'], change: 'changed', before: 5, after: 10000 }],
    }, {
      file: 'apps/app2/clusters/ipv6-east.yaml',
      source: 'apps/app2',
      clusters: ['ipv6-east'],
      object: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'app2', name: 'app2' },
      change: 'changed',
      fields: [{ path: ['metadata', 'annotations', 'alb.ingress.kubernetes.io/group.name'], change: 'changed', before: 'shared-0', after: 'own-app2' }],
    }]);
    expect(hasDifferences(diff)).toBe(true);
  });

  test('recolouring app1 changes its page in the ConfigMap and rolls its pods through the pod template', () => {
    const diff = diffAfter(recolourApp1);
    const [configMap, deployment] = diff.changes;
    expect(diff.changes.map((change) => `${change.object?.kind} ${change.change}`)).toEqual(['ConfigMap changed', 'Deployment changed']);
    expect(configMap.fields).toHaveLength(1);
    expect(configMap.fields[0].path).toEqual(['data', 'index.html']);
    expect(configMap.fields[0].before).toContain('background-color: red;');
    expect(configMap.fields[0].after).toContain('background-color: green;');
    expect(deployment.fields.map((field) => field.path)).toEqual([['spec', 'template', 'metadata', 'annotations', 'checksum/content']]);
  });

  test('adding an app adds its objects and files, and one list element to the test-app ApplicationSet', () => {
    const diff = diffAfter(addApp3);
    const added = diff.changes.filter((change) => change.change === 'added');
    expect(added.map((change) => `${change.object?.kind} ${change.object?.name}`)).toEqual(
      ['Namespace app3', 'ConfigMap app3', 'Deployment app3', 'PodDisruptionBudget app3', 'Service app3', 'Ingress app3']);
    expect(added.every((change) => change.source === 'apps/app3' && change.clusters.join() === 'ipv6-east')).toBe(true);
    expect(diff.addedFiles).toEqual(['apps/app3/app.yaml', 'apps/app3/clusters/ipv6-east.yaml']);
    const appSet = diff.changes.find((change) => change.object?.kind === 'ApplicationSet')!;
    expect(appSet.fields).toEqual([{
      path: ['spec', 'generators', 0, 'list', 'elements', 3], change: 'added', after: { app: 'app3' },
    }]);
    expect(appSet.clusters).toEqual(['in-cluster']);
  });

  test('removing an app removes its objects and files; the list element goes without shifting the others', () => {
    const diff = diffAfter(removeApp1);
    const removed = diff.changes.filter((change) => change.change === 'removed');
    expect(removed).toHaveLength(6);
    expect(removed.every((change) => change.source === 'apps/app1' && change.clusters.join() === 'ipv6-east')).toBe(true);
    expect(diff.removedFiles).toEqual(['apps/app1/app.yaml', 'apps/app1/clusters/ipv6-east.yaml']);
    const appSet = diff.changes.find((change) => change.object?.kind === 'ApplicationSet')!;
    expect(appSet.fields).toEqual([{
      path: ['spec', 'generators', 0, 'list', 'elements', 1], change: 'removed', before: { app: 'app1' },
    }]);
  });

  test('a Helm values file is compared as data, by path', () => {
    const diff = diffAfter((text) => text.replace(/^domain: apps\.example\.com$/m, 'domain: apps.example.org'));
    const values = diff.changes.find((change) => change.file === 'addons/external-dns/values.yaml')!;
    expect(values.object).toBeUndefined();
    expect(values.fields).toEqual([{ path: ['domainFilters', 0], change: 'changed', before: 'apps.example.com', after: 'apps.example.org' }]);
    expect(values.clusters).toEqual(['ipv6-east', 'legacy-ipv4']);
  });

  test('a Secret\'s data and stringData changes are kept key by key, without their values', () => {
    // GIVEN a Secret whose password changes, whose token is added and whose data goes away
    const before = secretFile('stringData:\n  password: hunter2\n', 'data:\n  key: c2VjcmV0\n');
    const after = secretFile('stringData:\n  password: swordfish\n  token: t0ken\n');
    // WHEN compared
    const diff = compareDist(before, after);
    // THEN each key says how it changed, and no value is in the result
    expect(diff.changes[0].fields).toEqual([
      { path: ['stringData', 'password'], change: 'changed', hidden: true },
      { path: ['stringData', 'token'], change: 'added', hidden: true },
      { path: ['data', 'key'], change: 'removed', hidden: true },
    ]);
    expect(JSON.stringify(diff)).not.toMatch(/hunter2|swordfish|t0ken|c2VjcmV0/);
  });

  test('a file whose text changes but whose objects do not is reported as reformatted', () => {
    const after = new Map(base);
    after.set('apps/app2/app.yaml', `${base.get('apps/app2/app.yaml')}# a comment\n`);
    const diff = compareDist(base, after);
    expect(diff.changes).toEqual([]);
    expect(diff.reformatted).toEqual(['apps/app2/app.yaml']);
    expect(hasDifferences(diff)).toBe(true);
  });

  test('a file that is not valid YAML is an error naming the file', () => {
    const after = new Map(base);
    after.set('apps/app2/app.yaml', 'kind: [unclosed\n');
    expect(() => compareDist(base, after)).toThrow(/^apps\/app2\/app\.yaml is not valid YAML: /);
  });
});

describe('aligning sequences', () => {
  test('keeps the common items and marks the others removed or added, removals first', () => {
    const aligned = alignSequences(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e'], (x, y) => x === y);
    expect(aligned).toEqual([{ a: 0, b: 0 }, { a: 1 }, { b: 1 }, { a: 2, b: 2 }, { a: 3, b: 3 }, { b: 4 }]);
  });

  test('an empty side is all additions or all removals', () => {
    expect(alignSequences([], ['a'], (x, y) => x === y)).toEqual([{ b: 0 }]);
    expect(alignSequences(['a'], [], (x, y) => x === y)).toEqual([{ a: 0 }]);
  });
});
