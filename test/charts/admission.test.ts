import { renderFleet } from '../../app/render';
import { admissionPolicyNames } from '../../catalog/admission';
import { Json } from '../../diff/applicationset';
import { admissionDenial, AdmissionRequest, clusterPolicy, deleteHookCreation, policyOf, unparsedExpressions } from '../../verify/admission';
import { manifestErrors } from '../../verify/manifests';
import { generatedApplications } from '../../verify/objects';
import { projectRefusal } from '../../verify/project-permits';
import { Manifest, renderedFileObjects, renderedObjects } from '../../verify/rendered';
import { demoFleet, demoFleetText, findObject, problemsOf } from '../support/fixtures';

// The demo fleet: ipv6-east (Argo CD's cluster, every add-on, podinfo) and legacy-ipv4, both registered.
const files = renderFleet(demoFleet());
const objects = renderedObjects(files);
const deleteHooks = clusterPolicy(files, 'ipv6-east', admissionPolicyNames.deleteHooks)!;
const routingWriters = clusterPolicy(files, 'ipv6-east', admissionPolicyNames.routingWriters)!;

/** A delete hook of a chart, before Argo CD creates it. */
function hook(kind: string, apiVersion: string, name: string, extra: { namespace?: string; annotations?: Record<string, string> } = {}): Manifest {
  return { apiVersion, kind, metadata: { name, ...(extra.namespace ? { namespace: extra.namespace } : {}), annotations: { 'argocd.argoproj.io/hook': 'PreDelete', ...extra.annotations } } };
}

/** Argo CD's creation of the hook for the service podinfo on ipv6-east (Application podinfo-ipv6-east, namespace podinfo). */
const asPodinfo = (object: Manifest, clusterScoped = false) => deleteHookCreation(object, 'podinfo-ipv6-east', 'podinfo', clusterScoped);

/** A write of `kind` by `username` in namespace podinfo. */
function write(username: string, group: string, kind: string, operation: 'CREATE' | 'UPDATE' = 'CREATE'): AdmissionRequest {
  return { kind: { group, version: 'v1', kind }, namespace: kind === 'Namespace' ? '' : 'podinfo', operation, userInfo: { username }, object: { apiVersion: group ? `${group}/v1` : 'v1', kind, metadata: { name: 'x' } } };
}

describe('the admission policies every registered cluster enforces for the services (dist/admission/<cluster>.yaml)', () => {
  test('each registered cluster has both policies, each bound with Deny, failing closed, and valid as the API server reads them', () => {
    for (const cluster of ['ipv6-east', 'legacy-ipv4']) {
      const file = renderedFileObjects(files, `admission/${cluster}.yaml`);
      expect(file.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
        'ValidatingAdmissionPolicy/fleet-service-delete-hooks', 'ValidatingAdmissionPolicyBinding/fleet-service-delete-hooks',
        'ValidatingAdmissionPolicy/fleet-service-routing-writers', 'ValidatingAdmissionPolicyBinding/fleet-service-routing-writers',
      ]);
      for (const object of file) expect(manifestErrors(object)).toEqual([]);
      for (const policy of file.filter((object) => object.kind === 'ValidatingAdmissionPolicy')) {
        expect(policy.spec.failurePolicy).toBe('Fail');
        expect(unparsedExpressions(policyOf(policy))).toEqual([]);
      }
      for (const binding of file.filter((object) => object.kind === 'ValidatingAdmissionPolicyBinding')) {
        expect(binding.spec).toEqual({ policyName: binding.metadata.name, validationActions: ['Deny'] });
      }
    }
  });

  test('the delete hooks policy matches every creation (any kind can be a hook), and only creations', () => {
    const policy = findObject(renderedFileObjects(files, 'admission/ipv6-east.yaml'), 'ValidatingAdmissionPolicy', admissionPolicyNames.deleteHooks);
    expect(policy.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ['CREATE'] }]);
  });

  test('a service\'s delete hook in its own namespace, of a kind its project allows, is admitted: a Job, a ConfigMap, one without a namespace', () => {
    expect(admissionDenial(deleteHooks, asPodinfo(hook('Job', 'batch/v1', 'cleanup')))).toBeUndefined();
    expect(admissionDenial(deleteHooks, asPodinfo(hook('ConfigMap', 'v1', 'marker', { namespace: 'podinfo' })))).toBeUndefined();
    expect(admissionDenial(deleteHooks, asPodinfo(hook('Job', 'batch/v1', 'helm-cleanup', { annotations: { 'argocd.argoproj.io/hook': '', 'helm.sh/hook': 'post-delete' } })))).toBeUndefined();
  });

  test('a service\'s delete hook in another namespace, or outside any, is denied', () => {
    expect(admissionDenial(deleteHooks, asPodinfo(hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system' })))).toMatch(/^denied by fleet-service-delete-hooks: .*may only be created in the service's own namespace/);
    expect(admissionDenial(deleteHooks, asPodinfo(hook('ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'admin'), true))).toMatch(/own namespace/);
    expect(admissionDenial(deleteHooks, asPodinfo(hook('Deployment', 'apps/v1', 'x', { namespace: 'app0' })))).toMatch(/own namespace/);
  });

  test('names that begin alike do not pass for each other: the namespace must be the Application\'s exactly', () => {
    // podinfo-two's Application is podinfo-two-ipv6-east: a hook of it in namespace podinfo, and one of podinfo in podinfo-two
    expect(admissionDenial(deleteHooks, deleteHookCreation(hook('Job', 'batch/v1', 'x', { namespace: 'podinfo' }), 'podinfo-two-ipv6-east', 'podinfo-two', false))).toMatch(/own namespace/);
    expect(admissionDenial(deleteHooks, asPodinfo(hook('Job', 'batch/v1', 'x', { namespace: 'podinfo-two' })))).toMatch(/own namespace/);
    // and an Application of the same app on another cluster does not pass here
    expect(admissionDenial(deleteHooks, deleteHookCreation(hook('Job', 'batch/v1', 'x'), 'podinfo-legacy-ipv4', 'podinfo', false))).toMatch(/own namespace/);
  });

  test.each([
    ['Ingress', 'networking.k8s.io/v1'], ['EndpointSlice', 'discovery.k8s.io/v1'], ['Endpoints', 'v1'], ['Role', 'rbac.authorization.k8s.io/v1'],
    ['RoleBinding', 'rbac.authorization.k8s.io/v1'], ['TargetGroupBinding', 'elbv2.k8s.aws/v1beta1'], ['HTTPRoute', 'gateway.networking.k8s.io/v1'],
    ['Certificate', 'cert-manager.io/v1'], ['Application', 'argoproj.io/v1alpha1'],
  ])('a service\'s delete hook %s, even in its own namespace, is denied', (kind, apiVersion) => {
    expect(admissionDenial(deleteHooks, asPodinfo(hook(kind, apiVersion, 'x')))).toMatch(/^denied by fleet-service-delete-hooks: a service's delete hook may not be RBAC, an Ingress/);
  });

  test('Argo CD\'s tracking annotation is its own: a chart that writes a platform Application\'s into its hook is still held to its namespace', () => {
    const planted = hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system', annotations: { 'argocd.argoproj.io/tracking-id': 'aws-load-balancer-controller-ipv6-east:/ConfigMap:kube-system/x' } });
    expect(admissionDenial(deleteHooks, asPodinfo(planted))).toMatch(/own namespace/);
  });

  test('what is not a delete hook Argo CD creates is left alone: sync hooks, objects without the tracking annotation, the platform\'s Applications', () => {
    const syncHook = asPodinfo(hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system', annotations: { 'argocd.argoproj.io/hook': 'PostSync' } }));
    expect(admissionDenial(deleteHooks, syncHook)).toBeUndefined();
    const untracked = asPodinfo(hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system' }));
    const { 'argocd.argoproj.io/tracking-id': _tracking, ...withoutTracking } = untracked.object.metadata.annotations;
    expect(admissionDenial(deleteHooks, { ...untracked, object: { ...untracked.object, metadata: { ...untracked.object.metadata, annotations: withoutTracking } } })).toBeUndefined();
    expect(admissionDenial(deleteHooks, { ...untracked, object: { ...untracked.object, metadata: { name: 'x' } } })).toBeUndefined();
    for (const platform of ['aws-load-balancer-controller-ipv6-east', 'cert-manager-ipv6-east', 'argo-cd', 'fleet-root']) {
      expect(admissionDenial(deleteHooks, deleteHookCreation(hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system' }), platform, 'kube-system', false))).toBeUndefined();
    }
    // A hook type list, as Argo CD reads it: any item
    expect(admissionDenial(deleteHooks, asPodinfo(hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system', annotations: { 'argocd.argoproj.io/hook': 'Sync, PostDelete' } })))).toMatch(/own namespace/);
  });

  test('each cluster\'s policy names its own cluster and its own platform Applications', () => {
    const legacy = clusterPolicy(files, 'legacy-ipv4', admissionPolicyNames.deleteHooks)!;
    expect(admissionDenial(legacy, deleteHookCreation(hook('Job', 'batch/v1', 'x'), 'podinfo-legacy-ipv4', 'podinfo', false))).toBeUndefined();
    expect(admissionDenial(legacy, asPodinfo(hook('Job', 'batch/v1', 'x')))).toMatch(/own namespace/);
    // Argo CD's own Application and the root app are on ipv6-east only
    expect(admissionDenial(legacy, deleteHookCreation(hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system' }), 'argo-cd', 'argocd', false))).toMatch(/own namespace/);
  });

  test('the routing writers policy: a ServiceAccount outside the platform\'s namespaces may not write an Ingress, endpoints, load balancer objects or a Namespace', () => {
    for (const [group, kind] of [['networking.k8s.io', 'Ingress'], ['discovery.k8s.io', 'EndpointSlice'], ['', 'Endpoints'], ['elbv2.k8s.aws', 'TargetGroupBinding'], ['', 'Namespace'], ['cert-manager.io', 'Certificate']]) {
      expect(admissionDenial(routingWriters, write('system:serviceaccount:podinfo:default', group, kind))).toMatch(/^denied by fleet-service-routing-writers: only the platform's controllers/);
      expect(admissionDenial(routingWriters, write('system:serviceaccount:podinfo:default', group, kind, 'UPDATE'))).toMatch(/^denied by fleet-service-routing-writers/);
    }
    // A namespace whose name begins like a platform one is not it
    expect(admissionDenial(routingWriters, write('system:serviceaccount:kube-system-two:default', 'networking.k8s.io', 'Ingress'))).toMatch(/^denied/);
  });

  test('the platform\'s controllers, Argo CD through its access entry, and people still write them', () => {
    for (const username of [
      'system:serviceaccount:kube-system:aws-load-balancer-controller', 'system:serviceaccount:kube-system:endpointslice-controller',
      'system:serviceaccount:cert-manager:cert-manager', 'system:serviceaccount:argocd:argocd-application-controller',
      'arn:aws:sts::111122223333:assumed-role/ipv6-east-argocd/1700000000000', 'system:kube-controller-manager',
    ]) {
      expect(admissionDenial(routingWriters, write(username, 'networking.k8s.io', 'Ingress', 'UPDATE'))).toBeUndefined();
    }
  });

  test('the routing writers policy matches creations and updates of those resources only', () => {
    const policy = findObject(renderedFileObjects(files, 'admission/ipv6-east.yaml'), 'ValidatingAdmissionPolicy', admissionPolicyNames.routingWriters);
    const rules: Json[] = policy.spec.matchConstraints.resourceRules;
    expect(rules.every((rule) => JSON.stringify(rule.operations) === '["CREATE","UPDATE"]')).toBe(true);
    expect(rules.flatMap((rule) => rule.apiGroups.flatMap((group: string) => rule.resources.map((resource: string) => `${group}/${resource}`)))).toEqual([
      'networking.k8s.io/ingresses', 'discovery.k8s.io/endpointslices', '/endpoints', '/namespaces', 'elbv2.k8s.aws/*', 'gateway.k8s.aws/*',
      'aga.k8s.aws/*', 'gateway.networking.k8s.io/*', 'cert-manager.io/*', 'acme.cert-manager.io/*',
    ]);
  });

  test('Argo CD applies them: one Application per registered cluster, of its own file, in a project that admits the two kinds named fleet-* and nothing namespaced', () => {
    const applications = generatedApplications(objects).filter((application) => application.metadata.name.startsWith('fleet-admission-'));
    expect(applications.map((application) => [application.metadata.name, application.spec.destination, application.spec.source.path, application.spec.source.directory])).toEqual([
      ['fleet-admission-ipv6-east', { name: 'ipv6-east', namespace: 'kube-system' }, 'dist/admission', { include: 'ipv6-east.yaml' }],
      ['fleet-admission-legacy-ipv4', { name: 'legacy-ipv4', namespace: 'kube-system' }, 'dist/admission', { include: 'legacy-ipv4.yaml' }],
    ]);
    const project = findObject(objects, 'AppProject', 'fleet-admission');
    for (const object of renderedFileObjects(files, 'admission/ipv6-east.yaml')) {
      expect(projectRefusal(project, { group: 'admissionregistration.k8s.io', kind: object.kind, name: object.metadata.name }, 'ipv6-east')).toBeUndefined();
    }
    expect(projectRefusal(project, { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy', name: 'other' }, 'ipv6-east')).toMatch(/not in the clusterResourceWhitelist/);
    expect(projectRefusal(project, { group: '', kind: 'ConfigMap', name: 'x', namespace: 'kube-system' }, 'ipv6-east')).toMatch(/not permitted/);
    // Deregistering a cluster leaves its policies in place
    expect(findObject(objects, 'ApplicationSet', 'fleet-admission').spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
  });

  test('an app whose Application would be a cluster\'s admission Application is refused', () => {
    const text = demoFleetText.replace('  - name: app1\n', '  - name: fleet-admission\n');
    expect(problemsOf(text)).toContain('apps[1].name: "fleet-admission" on ipv6-east makes the Application fleet-admission-ipv6-east, which is already the Application of the admission policies of ipv6-east: the two would take over each other\'s Application; choose another name');
  });
});
