import { renderFleet } from '../../app/render';
import { appClusterPath, appSharedPath } from '../../catalog/dist-layout';
import { Json } from '../../diff/applicationset';
import { generatedApplications } from '../../verify/objects';
import { globMatches, ProjectObject, projectRefusal } from '../../verify/project-permits';
import { renderedObjects, RenderedObject } from '../../verify/rendered';
import { demoFleet, findObject, fixtureFleet } from '../support/fixtures';

const fixtures = {
  demo: renderFleet(demoFleet()),
  'services-sources': renderFleet(fixtureFleet('services-sources')),
  'services-migration': renderFleet(fixtureFleet('services-migration')),
};

/** The Application generated for `name`, and the project it names, as Argo CD finds them. */
function applicationAndProject(files: ReadonlyMap<string, string>, name: string): { application: Json; project: RenderedObject } {
  const objects = renderedObjects(files);
  const application = generatedApplications(objects).find((candidate) => candidate.metadata.name === name);
  if (!application) throw new Error(`no Application ${name}`);
  return { application, project: findObject(objects, 'AppProject', application.spec.project) };
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

describe('Argo CD\'s project rules, as verify/project-permits.ts reads them (argo-cd v3.4.4 app_project_types.go)', () => {
  const project = {
    metadata: { name: 'p' },
    spec: {
      destinations: [{ name: 'east', namespace: 'web' }, { name: 'west-*', namespace: 'team-?' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'web' }, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }],
      namespaceResourceBlacklist: [{ group: 'argoproj.io', kind: '*' }],
    },
  };
  const object = (group: string, kind: string, name: string, namespace?: string): ProjectObject => ({ group, kind, name, namespace });

  test('a cluster-scoped kind only through the cluster whitelist, by name where the entry has one', () => {
    expect(projectRefusal(project, object('', 'Namespace', 'web'), 'east')).toBeUndefined();
    expect(projectRefusal(project, object('', 'Namespace', 'other'), 'east')).toMatch(/not in the clusterResourceWhitelist of AppProject p/);
    expect(projectRefusal(project, object('rbac.authorization.k8s.io', 'ClusterRole', 'anything'), 'east')).toBeUndefined();
    expect(projectRefusal({ metadata: { name: 'q' }, spec: { clusterResourceWhitelist: [] } }, object('', 'Namespace', 'web'), 'east')).toMatch(/not in the clusterResourceWhitelist/);
  });

  test('a namespaced kind: no whitelist allows all but the blacklist, an empty one allows none; only in a destination\'s namespace', () => {
    expect(projectRefusal(project, object('apps', 'Deployment', 'x', 'web'), 'east')).toBeUndefined();
    expect(projectRefusal(project, object('argoproj.io', 'Application', 'x', 'web'), 'east')).toMatch(/not permitted in AppProject p/);
    expect(projectRefusal(project, object('apps', 'Deployment', 'x', 'other'), 'east')).toMatch(/namespace other on east is not a destination/);
    expect(projectRefusal(project, object('apps', 'Deployment', 'x', 'web'), 'west-2')).toMatch(/not a destination/);
    expect(projectRefusal(project, object('apps', 'Deployment', 'x', 'team-a'), 'west-2')).toBeUndefined();
    expect(projectRefusal({ ...project, spec: { ...project.spec, namespaceResourceWhitelist: [] } }, object('apps', 'Deployment', 'x', 'web'), 'east')).toMatch(/not permitted/);
  });

  test('globs as Go\'s filepath.Match: * and ? within a name, classes, everything else literal', () => {
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches('team-?', 'team-a')).toBe(true);
    expect(globMatches('team-?', 'team-ab')).toBe(false);
    expect(globMatches('[ab]x', 'bx')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
  });
});

describe('what the generator renders for a service is applied by its platform Application, which its project allows and nothing more', () => {
  test.each(Object.entries(fixtures))('%s: every object of every platform and test app Application\'s folder is permitted by the Application\'s project', (_, files) => {
    const applications = generatedApplications(renderedObjects(files)).filter((application) => application.spec.source?.directory && application.metadata.labels?.['fleet/app']);
    expect(applications.some((application) => application.metadata.name.endsWith('-platform'))).toBe(true);
    for (const application of applications) {
      const { project } = applicationAndProject(files, application.metadata.name);
      const app = application.metadata.labels['fleet/app'];
      const cluster = application.metadata.labels['fleet/cluster'];
      const objects = renderedObjects(new Map([appSharedPath(app), appClusterPath(app, cluster)].map((path) => [path, files.get(path)!])));
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) {
        const namespace = object.kind === 'Namespace' ? undefined : (object.metadata.namespace ?? application.spec.destination.namespace);
        expect([application.metadata.name, object.kind, projectRefusal(project, { group: groupOf(object.apiVersion), kind: object.kind, name: object.metadata.name, namespace }, cluster)])
          .toEqual([application.metadata.name, object.kind, undefined]);
      }
    }
  });

  test('the platform project admits only the Namespace and Ingress kinds, so its Applications could apply nothing else', () => {
    const { project } = applicationAndProject(fixtures['services-sources'], 'hello-ipv6-east-platform');
    expect(projectRefusal(project, { group: 'apps', kind: 'Deployment', name: 'x', namespace: 'hello' }, 'ipv6-east')).toMatch(/not permitted/);
    expect(projectRefusal(project, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'x' }, 'ipv6-east')).toMatch(/not in the clusterResourceWhitelist/);
    expect(projectRefusal(project, { group: 'networking.k8s.io', kind: 'Ingress', name: 'x', namespace: 'hello' }, 'legacy-ipv4')).toMatch(/not a destination/);
  });
});

describe('a service\'s source, even a chart npm run check cannot reach, cannot reach past its own namespace and host', () => {
  // podinfo-oci (an OCI chart: not vendored, so not rendered offline) beside hello on ipv6-east.
  const { application, project } = applicationAndProject(fixtures['services-sources'], 'podinfo-oci-ipv6-east');
  const refusal = (group: string, kind: string, name: string, namespace?: string) => projectRefusal(project, { group, kind, name, namespace }, 'ipv6-east');

  test('its Application is in the service\'s own project', () => {
    expect(application.spec.project).toBe('fleet-service-podinfo-oci');
  });

  test('what a chart normally renders, and the cluster-scoped kind the app declares, are allowed in its namespace', () => {
    expect(refusal('apps', 'Deployment', 'podinfo-oci', 'podinfo-oci')).toBeUndefined();
    expect(refusal('', 'Service', 'podinfo-oci', 'podinfo-oci')).toBeUndefined();
    expect(refusal('rbac.authorization.k8s.io', 'ClusterRole', 'podinfo-oci-reader')).toBeUndefined();
    expect(refusal('rbac.authorization.k8s.io', 'ClusterRole', 'podinfo-oci')).toBeUndefined();
  });

  test('a declared cluster-scoped kind only under its own name: never another\'s, such as system:discovery, which every authenticated user is bound to', () => {
    expect(refusal('rbac.authorization.k8s.io', 'ClusterRole', 'system:discovery')).toMatch(/not in the clusterResourceWhitelist/);
    expect(refusal('rbac.authorization.k8s.io', 'ClusterRole', 'hello-reader')).toMatch(/not in the clusterResourceWhitelist/);
    expect(refusal('rbac.authorization.k8s.io', 'ClusterRoleBinding', 'podinfo-oci-admin')).toMatch(/not in the clusterResourceWhitelist/);
  });

  test('another service\'s namespace: neither its Namespace nor any object in it', () => {
    expect(refusal('', 'Namespace', 'hello')).toMatch(/not in the clusterResourceWhitelist of AppProject fleet-service-podinfo-oci/);
    expect(refusal('', 'ConfigMap', 'take-over', 'hello')).toMatch(/namespace hello on ipv6-east is not a destination/);
    expect(refusal('apps', 'Deployment', 'x', 'kube-system')).toMatch(/not a destination/);
  });

  test('its own Namespace, whose Pod Security labels the generator renders, is not the source\'s to relabel', () => {
    expect(refusal('', 'Namespace', 'podinfo-oci')).toMatch(/not in the clusterResourceWhitelist/);
  });

  test('nothing that reaches a load balancer or a DNS name: no Ingress, no load balancer controller or Gateway API kind, no cert-manager Issuer or Certificate (its HTTP-01 solver makes Ingresses), no endpoints of its own; no Argo CD object', () => {
    expect(refusal('networking.k8s.io', 'Ingress', 'take-over', 'podinfo-oci')).toMatch(/Ingress \(group networking.k8s.io\) is not permitted in AppProject fleet-service-podinfo-oci/);
    for (const [group, kind] of [['elbv2.k8s.aws', 'TargetGroupBinding'], ['gateway.k8s.aws', 'LoadBalancerConfiguration'], ['aga.k8s.aws', 'GlobalAccelerator'], ['gateway.networking.k8s.io', 'HTTPRoute'], ['gateway.networking.k8s.io', 'Gateway'],
      ['cert-manager.io', 'Issuer'], ['cert-manager.io', 'Certificate'], ['acme.cert-manager.io', 'Challenge'], ['argoproj.io', 'Application'],
      ['discovery.k8s.io', 'EndpointSlice'], ['', 'Endpoints']]) {
      expect([kind, refusal(group, kind, 'x', 'podinfo-oci')]).toEqual([kind, expect.stringMatching(/not permitted/)]);
    }
  });

  test('no Role or RoleBinding, which could grant its own pods what the project refuses Argo CD, unless the app declares rbac: true', () => {
    expect(refusal('rbac.authorization.k8s.io', 'RoleBinding', 'x', 'podinfo-oci')).toMatch(/not permitted/);
    expect(refusal('rbac.authorization.k8s.io', 'Role', 'x', 'podinfo-oci')).toMatch(/not permitted/);
    const withRbac = renderFleet(fixtureFleet('services-sources', (text) => text.replace('  - name: podinfo-oci\n', '  - name: podinfo-oci\n    rbac: true\n')));
    const { project: declared } = applicationAndProject(withRbac, 'podinfo-oci-ipv6-east');
    for (const kind of ['Role', 'RoleBinding']) expect(projectRefusal(declared, { group: 'rbac.authorization.k8s.io', kind, name: 'x', namespace: 'podinfo-oci' }, 'ipv6-east')).toBeUndefined();
    expect(projectRefusal(declared, { group: 'networking.k8s.io', kind: 'Ingress', name: 'x', namespace: 'podinfo-oci' }, 'ipv6-east')).toMatch(/not permitted/);
  });

  test('its namespace is its only destination, on whichever cluster the ApplicationSets place it', () => {
    expect(project.spec.destinations).toEqual([{ name: '*', namespace: 'podinfo-oci' }]);
  });

  test('a sync that would apply an object another Application manages fails instead of taking it over (FailOnSharedResource)', () => {
    // argo-cd v3.4.4 controller/sync.go: with FailOnSharedResource=true a sync fails on the SharedResourceWarning condition.
    for (const files of Object.values(fixtures)) {
      const sources = generatedApplications(renderedObjects(files)).filter((candidate) => candidate.metadata.labels['app.kubernetes.io/part-of'] === 'services' && !candidate.metadata.name.endsWith('-platform'));
      expect(sources.length).toBeGreaterThan(0);
      for (const source of sources) expect(source.spec.syncPolicy.syncOptions).toEqual(['FailOnSharedResource=true']);
    }
  });
});
