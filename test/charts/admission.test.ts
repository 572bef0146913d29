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
function write(username: string, group: string, kind: string, operation: 'CREATE' | 'UPDATE' | 'DELETE' = 'CREATE'): AdmissionRequest {
  return { kind: { group, version: 'v1', kind }, namespace: kind === 'Namespace' ? '' : 'podinfo', operation, userInfo: { username }, object: { apiVersion: group ? `${group}/v1` : 'v1', kind, metadata: { name: 'x' } } };
}

describe('the admission policies every registered cluster enforces for the services (dist/admission/<cluster>.yaml)', () => {
  test('each registered cluster has the three policies, each bound with Deny, failing closed, and valid as the API server reads them', () => {
    for (const cluster of ['ipv6-east', 'legacy-ipv4']) {
      const file = renderedFileObjects(files, `admission/${cluster}.yaml`);
      expect(file.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
        'ValidatingAdmissionPolicy/fleet-service-delete-hooks', 'ValidatingAdmissionPolicyBinding/fleet-service-delete-hooks',
        'ValidatingAdmissionPolicy/fleet-service-routing-writers', 'ValidatingAdmissionPolicyBinding/fleet-service-routing-writers',
        'ValidatingAdmissionPolicy/fleet-service-external-ips', 'ValidatingAdmissionPolicyBinding/fleet-service-external-ips',
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

  test.each<[string, Manifest, boolean]>([
    ['a cleanup Job in its own namespace (its Namespace is deleted beside it)', hook('Job', 'batch/v1', 'cleanup'), false],
    ['one in another namespace', hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system' }), false],
    ['a Namespace of its own name, which would come back without its Pod Security labels', hook('Namespace', 'v1', 'podinfo', { annotations: { 'argocd.argoproj.io/hook': 'PostDelete' } }), true],
    ['a ClusterRoleBinding', hook('ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'admin'), true],
    ['an Ingress', hook('Ingress', 'networking.k8s.io/v1', 'x'), false],
    ['a Helm post-delete Job', hook('Job', 'batch/v1', 'helm-cleanup', { annotations: { 'argocd.argoproj.io/hook': '', 'helm.sh/hook': 'post-delete' } }), false],
    ['a Role that is also a Helm pre-install hook', hook('Role', 'rbac.authorization.k8s.io/v1', 'x', { annotations: { 'argocd.argoproj.io/hook': '', 'helm.sh/hook': 'pre-install,pre-delete' } }), false],
    ['one of a list of hook types', hook('ConfigMap', 'v1', 'x', { annotations: { 'argocd.argoproj.io/hook': 'Sync, PostDelete' } }), false],
  ])('a service\'s delete hook is denied, whatever it is: %s', (_, object, clusterScoped) => {
    expect(admissionDenial(deleteHooks, asPodinfo(object, clusterScoped))).toMatch(/^denied by fleet-service-delete-hooks: Argo CD creates an Application's PreDelete and PostDelete hooks without its AppProject's check: on ipv6-east only the platform's Applications may have them/);
  });

  test('the API server names a Namespace\'s creation as a request in that namespace: the model does too', () => {
    expect(asPodinfo(hook('Namespace', 'v1', 'podinfo'), true).namespace).toBe('podinfo');
    expect(asPodinfo(hook('ClusterRole', 'rbac.authorization.k8s.io/v1', 'x'), true).namespace).toBe('');
  });

  test('Argo CD\'s tracking annotation is its own: a chart that writes a platform Application\'s into its hook is still refused', () => {
    const planted = hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system', annotations: { 'argocd.argoproj.io/tracking-id': 'aws-load-balancer-controller-ipv6-east:/ConfigMap:kube-system/x' } });
    expect(admissionDenial(deleteHooks, asPodinfo(planted))).toMatch(/^denied/);
  });

  test('what is not a delete hook Argo CD creates is left alone: sync hooks, objects without the tracking annotation, the platform\'s Applications', () => {
    const syncHook = asPodinfo(hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system', annotations: { 'argocd.argoproj.io/hook': 'PostSync' } }));
    expect(admissionDenial(deleteHooks, syncHook)).toBeUndefined();
    const untracked = asPodinfo(hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system' }));
    const { 'argocd.argoproj.io/tracking-id': _tracking, ...withoutTracking } = untracked.object!.metadata.annotations;
    expect(admissionDenial(deleteHooks, { ...untracked, object: { ...untracked.object!, metadata: { ...untracked.object!.metadata, annotations: withoutTracking } } })).toBeUndefined();
    expect(admissionDenial(deleteHooks, { ...untracked, object: { ...untracked.object!, metadata: { name: 'x' } } })).toBeUndefined();
    for (const platform of ['aws-load-balancer-controller-ipv6-east', 'cert-manager-ipv6-east', 'argo-cd', 'fleet-root']) {
      expect(admissionDenial(deleteHooks, deleteHookCreation(hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system' }), platform, 'kube-system', false))).toBeUndefined();
    }
  });

  test('each cluster\'s policy names its own platform Applications: Argo CD\'s own and the root app are on Argo CD\'s cluster only', () => {
    const legacy = clusterPolicy(files, 'legacy-ipv4', admissionPolicyNames.deleteHooks)!;
    expect(admissionDenial(legacy, deleteHookCreation(hook('Job', 'batch/v1', 'x'), 'podinfo-legacy-ipv4', 'podinfo', false))).toMatch(/^denied by fleet-service-delete-hooks: .*on legacy-ipv4/);
    expect(admissionDenial(legacy, deleteHookCreation(hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system' }), 'aws-load-balancer-controller-legacy-ipv4', 'kube-system', false))).toBeUndefined();
    expect(admissionDenial(legacy, deleteHookCreation(hook('ConfigMap', 'v1', 'x', { namespace: 'kube-system' }), 'aws-load-balancer-controller-ipv6-east', 'kube-system', false))).toMatch(/^denied/);
    expect(admissionDenial(legacy, deleteHookCreation(hook('ConfigMap', 'v1', 'x', { namespace: 'argocd' }), 'argo-cd', 'argocd', false))).toMatch(/^denied/);
  });

  test('the routing writers policy: a ServiceAccount outside the platform\'s namespaces may not write an Ingress, endpoints, load balancer objects or a Namespace', () => {
    for (const [group, kind] of [['networking.k8s.io', 'Ingress'], ['discovery.k8s.io', 'EndpointSlice'], ['', 'Endpoints'], ['elbv2.k8s.aws', 'TargetGroupBinding'], ['', 'Namespace'], ['cert-manager.io', 'Certificate']]) {
      expect(admissionDenial(routingWriters, write('system:serviceaccount:podinfo:default', group, kind))).toMatch(/^denied by fleet-service-routing-writers: only the platform's controllers/);
      expect(admissionDenial(routingWriters, write('system:serviceaccount:podinfo:default', group, kind, 'UPDATE'))).toMatch(/^denied by fleet-service-routing-writers/);
    }
    // A namespace whose name begins like a platform one is not it
    expect(admissionDenial(routingWriters, write('system:serviceaccount:kube-system-two:default', 'networking.k8s.io', 'Ingress'))).toMatch(/^denied/);
  });

  test.each<[string, string, string, string | undefined, 'CREATE' | 'UPDATE' | 'DELETE', boolean]>([
    // [what, group, resource, subresource, operation, denied to a service's pod]
    ['its Namespace\'s labels through the status subresource (Pod Security admission skips subresources)', '', 'namespaces', 'status', 'UPDATE', true],
    ['its Namespace\'s finalizers', '', 'namespaces', 'finalize', 'UPDATE', true],
    ['its Namespace itself', '', 'namespaces', undefined, 'DELETE', true],
    ['a LoadBalancer Service\'s status, whose addresses kube-proxy takes traffic for', '', 'services', 'status', 'UPDATE', true],
    ['an Ingress\'s status, which external-dns publishes', 'networking.k8s.io', 'ingresses', 'status', 'UPDATE', true],
    ['a TargetGroupBinding\'s status', 'elbv2.k8s.aws', 'targetgroupbindings', 'status', 'UPDATE', true],
    ['a Service itself (its own kind, left to its project and RBAC)', '', 'services', undefined, 'UPDATE', false],
    ['a Deployment\'s scale', 'apps', 'deployments', 'scale', 'UPDATE', false],
    ['a ConfigMap', '', 'configmaps', undefined, 'CREATE', false],
  ])('the routing writers policy, by its rules in dist/: a service\'s pod writing %s', (_, group, resource, subResource, operation, denied) => {
    const request: AdmissionRequest = {
      ...write('system:serviceaccount:podinfo:default', group, 'X', operation),
      resource: { group, version: 'v1', resource }, subResource, object: operation === 'DELETE' ? null : { apiVersion: 'v1', kind: 'X', metadata: { name: 'podinfo' } },
    };
    expect(admissionDenial(routingWriters, request) !== undefined).toBe(denied);
    // and the load balancer controller, in kube-system, is never denied
    expect(admissionDenial(routingWriters, { ...request, userInfo: { username: 'system:serviceaccount:kube-system:aws-load-balancer-controller' } })).toBeUndefined();
  });

  test('a Service with externalIPs is denied to anyone; one without, or with an empty list, is admitted', () => {
    const externalIps = clusterPolicy(files, 'ipv6-east', admissionPolicyNames.externalIps)!;
    const service = (spec: Record<string, unknown>): AdmissionRequest => ({ ...write('arn:aws:sts::111122223333:assumed-role/ipv6-east-argocd/1', '', 'Service'), object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec } });
    expect(admissionDenial(externalIps, service({ externalIPs: ['203.0.113.7'] }))).toMatch(/^denied by fleet-service-external-ips: a Service may not list spec.externalIPs/);
    expect(admissionDenial(externalIps, service({ ports: [{ port: 80 }] }))).toBeUndefined();
    expect(admissionDenial(externalIps, service({ externalIPs: [] }))).toBeUndefined();
    // A Service that lists addresses from before the policy can still be updated (its finalizers taken off as it goes), not given more
    const listed = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { externalIPs: ['203.0.113.7'] } };
    const update = (spec: Record<string, unknown>): AdmissionRequest => ({ ...service(spec), operation: 'UPDATE', oldObject: listed });
    expect(admissionDenial(externalIps, update({ externalIPs: ['203.0.113.7'] }))).toBeUndefined();
    expect(admissionDenial(externalIps, update({ externalIPs: ['203.0.113.7', '198.51.100.1'] }))).toMatch(/^denied/);
    expect(admissionDenial(externalIps, { ...service({ externalIPs: ['203.0.113.7'] }), operation: 'UPDATE', oldObject: { ...listed, spec: {} } })).toMatch(/^denied/);
    const policy = findObject(renderedFileObjects(files, 'admission/ipv6-east.yaml'), 'ValidatingAdmissionPolicy', admissionPolicyNames.externalIps);
    expect(policy.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: [''], apiVersions: ['v1'], resources: ['services'], operations: ['CREATE', 'UPDATE'] }]);
  });

  test('Argo CD tracks by annotation, which the delete hooks policy reads: neither the chart\'s defaults nor the fleet\'s values choose another method', () => {
    const defaults = require('../../data/charts/argo-cd.json').defaults;
    expect(defaults.configs?.cm?.['application.resourceTrackingMethod']).toBeUndefined();
    expect(files.get('addons/argo-cd/values.yaml')).not.toMatch(/resourceTrackingMethod/);
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

  test('the routing writers policy matches creations, updates and deletions of those resources, and the subresources that publish or unguard them', () => {
    const policy = findObject(renderedFileObjects(files, 'admission/ipv6-east.yaml'), 'ValidatingAdmissionPolicy', admissionPolicyNames.routingWriters);
    const rules: Json[] = policy.spec.matchConstraints.resourceRules;
    expect(rules.every((rule) => JSON.stringify(rule.operations) === '["CREATE","UPDATE","DELETE"]')).toBe(true);
    expect(rules.flatMap((rule) => rule.apiGroups.flatMap((group: string) => rule.resources.map((resource: string) => `${group}/${resource}`)))).toEqual([
      'networking.k8s.io/ingresses', 'networking.k8s.io/ingresses/status', 'discovery.k8s.io/endpointslices', '/endpoints', '/namespaces/*', '/services/status',
      'elbv2.k8s.aws/*/*', 'gateway.k8s.aws/*/*', 'aga.k8s.aws/*/*', 'gateway.networking.k8s.io/*/*', 'cert-manager.io/*/*', 'acme.cert-manager.io/*/*',
    ]);
    // '*/*' alone in a rule's resources (the API server refuses it beside others)
    for (const rule of rules) if (rule.resources.includes('*/*')) expect(rule.resources).toEqual(['*/*']);
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

  test('a service named after an add-on is refused, on or off: its Application would bear the add-on\'s name, which the delete hooks policy leaves to the add-on', () => {
    const text = `${demoFleetText.replace('  - name: podinfo\n', '  - name: cluster-autoscaler\n')}`;
    expect(problemsOf(text)).toEqual(expect.arrayContaining([expect.stringMatching(/^apps\[\d\]\.name: "cluster-autoscaler" is the name of an add-on: a service's Application <app>-<cluster> would be the add-on's on any cluster/)]));
    // Every add-on's Application is the platform's on every cluster, whether the add-on is on there or not
    const legacy = clusterPolicy(files, 'legacy-ipv4', admissionPolicyNames.deleteHooks)!;
    expect(legacy.matchConditions[1].expression).toContain("'cluster-autoscaler-legacy-ipv4'");
  });

  test('an app whose Application would be a cluster\'s admission Application is refused', () => {
    const text = demoFleetText.replace('  - name: app1\n', '  - name: fleet-admission\n');
    expect(problemsOf(text)).toContain('apps[1].name: "fleet-admission" on ipv6-east makes the Application fleet-admission-ipv6-east, which is already the Application of the admission policies of ipv6-east: the two would take over each other\'s Application; choose another name');
  });
});
