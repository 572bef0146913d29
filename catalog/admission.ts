/**
 * The admission policies every registered cluster enforces for the services (charts/admission.ts
 * renders them, npm run check evaluates them: verify/admission.ts). They close what the services'
 * AppProjects cannot:
 *
 * - **Delete hooks.** Argo CD v3.4.4 creates an Application's PreDelete and PostDelete hooks when
 *   the Application is deleted without its project's check (controller/hook.go executeHooks calls
 *   CreateResource directly; only a sync goes through validateSyncPermissions, controller/sync.go),
 *   as the cluster administrator it is. The API server is the one place left to stop a remote
 *   chart's hook from landing in another namespace, outside any namespace, or as an Ingress: a
 *   service's delete hooks are refused.
 * - **What a service's pods write.** A service with `rbac: true` may grant its own pods rights in
 *   its namespace; a pod that creates an Ingress, endpoints or a load balancer controller object
 *   there could claim another app's host on the shared ALB, and one that updates its Namespace
 *   could lift its Pod Security level. Only the platform's controllers write those.
 * - **External IPs.** A Service with spec.externalIPs takes in-cluster traffic for any address.
 *
 * All are ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1, GA since Kubernetes 1.30):
 * in-process CEL, no webhook to run, nothing to start before the API server can admit.
 */
import { allCharts } from './addons';

/** The annotation Argo CD's default (annotation) tracking writes on everything it creates, hooks too: `<app>:<group>/<kind>:<namespace>/<name>` (argo-cd v3.4.4 util/argo/resource_tracking.go BuildAppInstanceValue; SetAppInstance in controller/hook.go executeHooks). */
export const trackingIdAnnotation = 'argocd.argoproj.io/tracking-id';

/** The policies and their bindings, by name. */
export const admissionPolicyNames = {
  deleteHooks: 'fleet-service-delete-hooks',
  routingWriters: 'fleet-service-routing-writers',
  externalIps: 'fleet-service-external-ips',
} as const;

/**
 * What only the platform's controllers write (routingWriters): the Ingress (the load balancer
 * controller adds its finalizer), endpoints (Kubernetes' endpoint controllers), the load balancer
 * controller's kinds (it creates TargetGroupBindings), the Gateway API's, cert-manager's (it creates
 * Orders, Challenges and solver Ingresses), and Namespaces (a Role in a namespace can grant updates
 * of that Namespace: Kubernetes authorizes a request on `namespaces/<n>` as one in namespace n).
 * As resources, which is how a policy's rules match requests.
 */
export const routingResources: ReadonlyArray<{ readonly group: string; readonly resources: readonly string[] }> = [
  // The status too: external-dns publishes the addresses an Ingress's status names for its host.
  { group: 'networking.k8s.io', resources: ['ingresses', 'ingresses/status'] },
  { group: 'discovery.k8s.io', resources: ['endpointslices'] },
  // A Namespace's subresources too (namespaces/* is the Namespace and each of them): its status
  // update may change its labels (Pod Security admission does not look at subresources), its
  // finalize may take its finalizer off before what is in it is cleaned up. A Service's status:
  // kube-proxy takes in-cluster traffic for the addresses a LoadBalancer Service's status names
  // (CVE-2020-8554), and the load balancer controller writes it.
  { group: '', resources: ['endpoints', 'namespaces/*', 'services/status'] },
  { group: 'elbv2.k8s.aws', resources: ['*/*'] },
  { group: 'gateway.k8s.aws', resources: ['*/*'] },
  { group: 'aga.k8s.aws', resources: ['*/*'] },
  { group: 'gateway.networking.k8s.io', resources: ['*/*'] },
  { group: 'cert-manager.io', resources: ['*/*'] },
  { group: 'acme.cert-manager.io', resources: ['*/*'] },
];

/**
 * The namespaces whose ServiceAccounts are the platform's: Kubernetes' and EKS's controllers
 * (kube-system, with the load balancer controller and the cluster autoscaler), the add-ons', Argo
 * CD's. Every chart's, installed or not, so turning an add-on on or off does not change the policy.
 * No app may take one of these names (config/rules.ts reservedNamespaces).
 */
export function platformNamespaces(argocdNamespace: string): string[] {
  return [...new Set(['kube-system', ...allCharts.map((chart) => chart.namespace), argocdNamespace])].sort();
}

/** A CEL string literal. */
function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A CEL list of string literals. */
function list(texts: readonly string[]): string {
  return `[${texts.map(literal).join(', ')}]`;
}

/** A CEL match condition or validation. */
export interface CelRule {
  readonly name?: string;
  readonly expression: string;
  readonly message?: string;
}

/** What a ValidatingAdmissionPolicy's spec says, as the check evaluates it. */
export interface AdmissionPolicy {
  readonly name: string;
  readonly matchConditions: readonly CelRule[];
  readonly validations: readonly CelRule[];
  /** matchConstraints.resourceRules, as read back from dist/ (verify/admission.ts); the charts give them beside. */
  readonly resourceRules?: readonly AdmissionRule[];
}

/** A rule of what a policy matches (admissionregistration.k8s.io/v1 NamedRuleWithOperations). */
export interface AdmissionRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly string[];
}

const annotations = 'object.metadata.annotations';
const annotated = `has(${annotations})`;

/**
 * Argo CD's delete hooks: the annotations argo-cd v3.4.4 controller/hook.go reads
 * (hookTypeAnnotations: argocd.argoproj.io/hook PreDelete or PostDelete, helm.sh/hook pre-delete
 * or post-delete, each in a comma-separated list). `contains` matches a superset of its exact,
 * trimmed items: never fewer hooks than Argo CD runs.
 */
export const deleteHookCondition = `${annotated} && (`
  + `('argocd.argoproj.io/hook' in ${annotations} && (${annotations}['argocd.argoproj.io/hook'].contains('PreDelete') || ${annotations}['argocd.argoproj.io/hook'].contains('PostDelete')))`
  + ` || ('helm.sh/hook' in ${annotations} && (${annotations}['helm.sh/hook'].contains('pre-delete') || ${annotations}['helm.sh/hook'].contains('post-delete'))))`;

/**
 * The delete hooks policy of one cluster: a delete hook that Argo CD creates (tracked: it carries
 * the tracking annotation, which Argo CD sets, overwriting a chart's own, before it creates the
 * hook) for an Application other than the platform's is refused, whatever its kind or namespace.
 * Not even a cleanup Job in the service's own namespace: the service's Namespace is deleted by its
 * other Application (`<app>-<cluster>-platform`) in the same removal, so such a hook races a
 * terminating Namespace and never completes; and a hook that is a Namespace of the service's name
 * would pass a namespace test (the API server admits `POST /api/v1/namespaces` with the new
 * Namespace's name as request.namespace, k8s.io/apiserver endpoints/handlers/create.go) and
 * bring the Namespace back without its Pod Security labels. A chart that has delete hooks must
 * turn them off (npm run check says so where it reaches the chart). The platform's Applications
 * on the cluster (the add-ons', Argo CD's own, the root app, this one) are left to their projects.
 */
export function deleteHookPolicy(cluster: string, platformApplications: readonly string[]): AdmissionPolicy {
  const tracking = `${annotations}['${trackingIdAnnotation}']`;
  return {
    name: admissionPolicyNames.deleteHooks,
    matchConditions: [
      { name: 'argo-cd-delete-hook', expression: `${annotated} && '${trackingIdAnnotation}' in ${annotations} && (${deleteHookCondition})` },
      { name: 'not-a-platform-application', expression: `!${list([...platformApplications].sort())}.exists(app, ${tracking}.startsWith(app + ':'))` },
    ],
    validations: [
      {
        expression: 'false',
        message: `Argo CD creates an Application's PreDelete and PostDelete hooks without its AppProject's check: on ${cluster} only the platform's Applications may have them; turn the service's delete hooks off (helm.sh/hook pre-delete or post-delete, argocd.argoproj.io/hook PreDelete or PostDelete)`,
      },
    ],
  };
}

/**
 * The routing writers policy: a ServiceAccount outside the platform's namespaces may not create,
 * update or delete an Ingress (or its status), endpoints, the load balancer controller's, the
 * Gateway API's or cert-manager's objects, a Namespace (or its status or finalizers), or a
 * Service's status. Users that are not ServiceAccounts (Argo CD through its EKS access
 * entry, people, the control plane's own controllers) are left to RBAC.
 */
export function routingWritersPolicy(argocdNamespace: string): AdmissionPolicy {
  return {
    name: admissionPolicyNames.routingWriters,
    matchConditions: [
      { name: 'a-service-account', expression: 'request.userInfo.username.startsWith(\'system:serviceaccount:\')' },
    ],
    validations: [
      {
        expression: `${list(platformNamespaces(argocdNamespace))}.exists(ns, request.userInfo.username.startsWith('system:serviceaccount:' + ns + ':'))`,
        message: 'only the platform\'s controllers may write Ingresses, endpoints, Namespaces, and load balancer, Gateway API and cert-manager objects: a service\'s pods could otherwise claim another app\'s host on the shared ALB or lift their Pod Security level',
      },
    ],
  };
}

/**
 * The external IPs policy: no Service may add an address to spec.externalIPs, whoever writes it. kube-proxy
 * sends traffic for such an address to the Service's pods on every node, so a Service of a
 * service's own could take in-cluster clients' traffic to any address, an ALB's included
 * (CVE-2020-8554; EKS does not turn on the API server's DenyServiceExternalIPs). Nothing on the
 * fleet uses them.
 */
export function externalIpsPolicy(): AdmissionPolicy {
  return {
    name: admissionPolicyNames.externalIps,
    matchConditions: [],
    validations: [
      {
        // Only an address added: a Service that lists some already (from before the policy) may still be updated, its finalizers taken off as it is deleted.
        expression: '!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0 || (request.operation == \'UPDATE\' && oldObject != null && has(oldObject.spec.externalIPs) && object.spec.externalIPs.all(ip, ip in oldObject.spec.externalIPs))',
        message: 'a Service may not list spec.externalIPs: kube-proxy would send in-cluster traffic for those addresses, whoever owns them, to its pods (CVE-2020-8554)',
      },
    ],
  };
}
