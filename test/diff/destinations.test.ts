import { isTerraformFile } from '../../catalog/dist-layout';
import { demoFleet } from '../support/fixtures';
import { inClusterName as argocdClusterName } from '../../catalog/argocd';
import { destinationsIn } from '../../diff/destinations';
import { renderFleet } from '../../app/render';

/** app0 on both clusters, with DNS weights. */
const app0OnTwoClusters = (text: string) =>
  text.replace(/(  - name: app0\n(    .*\n)+)/, '$1    clusters:\n      - { name: ipv6-east, weight: 200 }\n      - { name: legacy-ipv4, weight: 55 }\n');

const header = '# Generated\n';

/** A hand-written dist/ with one list-generated and one label-selected ApplicationSet. */
const handWritten = new Map([
  ['argocd/applicationsets/web.yaml', `${header}apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: web, namespace: argocd }
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - { app: shop, cluster: east }
  template:
    metadata: { name: "{{.app}}-{{.cluster}}" }
    spec:
      source:
        path: "deploy/apps/{{.app}}"
        directory: { recurse: true, include: "{app.yaml,clusters/{{.cluster}}.yaml}" }
      destination: { name: "{{.cluster}}", namespace: "{{.app}}" }
`],
  ['argocd/applicationsets/dns.yaml', `${header}apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: dns, namespace: argocd }
spec:
  goTemplate: true
  generators:
    - clusters: { selector: { matchLabels: { enable_dns: "true" } } }
  template:
    metadata: { name: "dns-{{.name}}" }
    spec:
      sources:
        - chart: dns
          helm: { valueFiles: ["$values/deploy/addons/dns/values.yaml", "$values/deploy/addons/dns/clusters/{{.name}}.yaml"] }
        - ref: values
      destination: { server: "{{.server}}", namespace: dns }
`],
  ...['east', 'west'].map((name): [string, string] => [`argocd/clusters/${name}.yaml`, `${header}apiVersion: v1
kind: Secret
metadata:
  name: cluster-${name}
  namespace: argocd
  labels: { argocd.argoproj.io/secret-type: cluster, enable_dns: "${name === 'east'}" }
stringData: { name: ${name}, server: "https://${name}.example.com" }
`]),
]);

describe('where Argo CD takes a file of dist/', () => {
  test('a list element {app, cluster} owns apps/<app>/app.yaml and apps/<app>/clusters/<cluster>.yaml', () => {
    // GIVEN the hand-written tree WHEN its files are looked up
    const destinationOf = destinationsIn([handWritten]);
    // THEN the app's files go to the element's cluster, and another cluster's placement file nowhere
    expect(destinationOf('apps/shop/app.yaml')).toEqual({ source: 'apps/shop', clusters: ['east'] });
    expect(destinationOf('apps/shop/clusters/east.yaml')).toEqual({ source: 'apps/shop', clusters: ['east'] });
    expect(destinationOf('apps/shop/clusters/west.yaml')).toEqual({ source: 'apps/shop', clusters: [] });
  });

  test('add-on values files go to the clusters whose Secret carries the enable label', () => {
    const destinationOf = destinationsIn([handWritten]);
    expect(destinationOf('addons/dns/values.yaml')).toEqual({ source: 'addons/dns', clusters: ['east'] });
    expect(destinationOf('addons/dns/clusters/east.yaml')).toEqual({ source: 'addons/dns', clusters: ['east'] });
    expect(destinationOf('addons/dns/clusters/west.yaml')).toEqual({ source: 'addons/dns', clusters: [] });
  });

  test('files it does not know have no clusters, and unreadable or unsupported Argo CD objects are skipped', () => {
    // GIVEN a tree with a broken file and a generator kind it does not expand
    const tree = new Map([
      ...handWritten,
      ['argocd/broken.yaml', 'kind: [unclosed\n'],
      ['argocd/applicationsets/git.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: { name: git }\nspec:\n  generators: [{ git: { directories: [{ path: "apps/*" }] } }]\n  template: { spec: { source: { path: "deploy/{{.path.basename}}" }, destination: { name: east } } }\n'],
    ]);
    // WHEN files nothing reads are looked up
    const destinationOf = destinationsIn([tree]);
    // THEN they have no clusters, grouped by their folder
    expect(destinationOf('apps/ghost/app.yaml')).toEqual({ source: 'apps/ghost', clusters: [] });
    expect(destinationOf('README.md')).toEqual({ source: 'README.md', clusters: [] });
    expect(destinationOf('apps/shop/app.yaml').clusters).toEqual(['east']);
  });

  test('with two trees, a file goes to the clusters of either', () => {
    // GIVEN the shop app moved from east to west
    const moved = new Map(handWritten);
    moved.set('argocd/applicationsets/web.yaml', handWritten.get('argocd/applicationsets/web.yaml')!.replace('cluster: east', 'cluster: west'));
    // WHEN its shared file is looked up in both
    const destinationOf = destinationsIn([handWritten, moved]);
    // THEN the change reaches both clusters
    expect(destinationOf('apps/shop/app.yaml').clusters).toEqual(['east', 'west']);
  });
});

describe('destinations of the default fleet', () => {
  const files = renderFleet(demoFleet());
  const destinationOf = destinationsIn([files]);

  test('every rendered file but the Terraform goes to at least one cluster; no Application reads dist/terraform/', () => {
    const unplaced = [...files.keys()].filter((file) => destinationOf(file).clusters.length === 0);
    const terraform = [...files.keys()].filter(isTerraformFile);
    expect(terraform.length).toBeGreaterThan(0);
    expect(unplaced).toEqual(terraform);
  });

  test('a test app goes to the IPv6 cluster, and argocd/ to the cluster Argo CD runs in', () => {
    expect(destinationOf('apps/app2/app.yaml')).toEqual({ source: 'apps/app2', clusters: ['ipv6-east'] });
    expect(destinationOf('apps/app2/clusters/ipv6-east.yaml')).toEqual({ source: 'apps/app2', clusters: ['ipv6-east'] });
    expect(destinationOf('argocd/clusters/legacy-ipv4.yaml')).toEqual({ source: 'argocd', clusters: [argocdClusterName] });
  });

  test('Argo CD\'s own values go in-cluster; add-on values to every enabled cluster, per-cluster values to theirs', () => {
    expect(destinationOf('addons/argo-cd/values.yaml')).toEqual({ source: 'addons/argo-cd', clusters: [argocdClusterName] });
    expect(destinationOf('addons/external-dns/values.yaml')).toEqual({ source: 'addons/external-dns', clusters: ['ipv6-east', 'legacy-ipv4'] });
    expect(destinationOf('addons/external-dns/clusters/legacy-ipv4.yaml').clusters).toEqual(['legacy-ipv4']);
  });

  test('an app on two clusters shares app.yaml between them and has a placement file for each', () => {
    const destinationOfTwo = destinationsIn([renderFleet(demoFleet(app0OnTwoClusters))]);
    expect(destinationOfTwo('apps/app0/app.yaml').clusters).toEqual(['ipv6-east', 'legacy-ipv4']);
    expect(destinationOfTwo('apps/app0/clusters/legacy-ipv4.yaml').clusters).toEqual(['legacy-ipv4']);
  });

  test('an add-on disabled on a cluster no longer goes there', () => {
    const withoutDns = renderFleet(demoFleet((text) => text.replace('  - name: legacy-ipv4\n', '  - name: legacy-ipv4\n    addons:\n      externalDns: false\n')));
    expect(destinationsIn([withoutDns])('addons/external-dns/values.yaml').clusters).toEqual(['ipv6-east']);
  });
});
