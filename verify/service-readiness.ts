/**
 * What would break when a service's render (verify/service-renders.ts) is synced to a cluster:
 * first what breaks on the cluster's IP family, then what the cluster, its Pod Security admission,
 * the service's AppProject, the generator's Ingress and the capacity plan would refuse or miscount,
 * and what would reach beyond the service's namespace and host (a Namespace, an Ingress, a load
 * balancer, ALB or DNS annotations) or put a secret in git.
 * Every finding names the app, the cluster, the object (kind/name), the field and the fix.
 *
 * IP families: an EKS cluster is single-stack, IPv4 or IPv6, fixed when it is created ("Amazon EKS
 * doesn't support dual-stacked Pods or services", https://docs.aws.amazon.com/eks/latest/userguide/cni-ipv6.html).
 * So a Service that asks for the other family in `ipFamilies`, or `RequireDualStack`, is refused
 * by the API server; `PreferDualStack` falls back to the one family
 * (https://kubernetes.io/docs/concepts/services-networking/dual-stack/, Services).
 */
import { admissionPolicyNames, AdmissionPolicy } from '../catalog/admission';
import { projectNames } from '../catalog/argocd';
import { distLayout } from '../catalog/dist-layout';
import { admissionDenial, deleteHookCreation } from './admission';
import { Cluster, ServiceApp } from '../config/fleet';
import { rolloutPeak } from '../catalog/test-app';
import { Json } from '../diff/applicationset';
import { selects } from './chart-checks';
import { objectLimitProblems } from './limits';
import { crdSchemas, manifestErrors } from './manifests';
import { baselineViolations, podSpecOf, restrictedViolations } from './pod-security';
import { Manifest } from './rendered';
import { clusterApiVersions, isDeleteHook, ServiceRender } from './service-renders';

/** What one placement's render gives: errors fail the check, warnings are listed. */
export interface ServiceFindings {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** The built-in kinds that are not namespaced; custom kinds say so in their CRD's scope. */
const builtInClusterScopedKinds: ReadonlyMap<string, string> = new Map([
  ['Namespace', ''], ['Node', ''], ['PersistentVolume', ''], ['ComponentStatus', ''],
  ['ClusterRole', 'rbac.authorization.k8s.io'], ['ClusterRoleBinding', 'rbac.authorization.k8s.io'],
  ['CustomResourceDefinition', 'apiextensions.k8s.io'],
  ['MutatingWebhookConfiguration', 'admissionregistration.k8s.io'], ['ValidatingWebhookConfiguration', 'admissionregistration.k8s.io'],
  ['ValidatingAdmissionPolicy', 'admissionregistration.k8s.io'], ['ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io'],
  ['MutatingAdmissionPolicy', 'admissionregistration.k8s.io'], ['MutatingAdmissionPolicyBinding', 'admissionregistration.k8s.io'],
  ['APIService', 'apiregistration.k8s.io'], ['IngressClass', 'networking.k8s.io'], ['IPAddress', 'networking.k8s.io'], ['ServiceCIDR', 'networking.k8s.io'],
  ['PriorityClass', 'scheduling.k8s.io'], ['StorageClass', 'storage.k8s.io'], ['CSIDriver', 'storage.k8s.io'], ['CSINode', 'storage.k8s.io'],
  ['VolumeAttachment', 'storage.k8s.io'], ['VolumeAttributesClass', 'storage.k8s.io'], ['RuntimeClass', 'node.k8s.io'],
  ['CertificateSigningRequest', 'certificates.k8s.io'], ['FlowSchema', 'flowcontrol.apiserver.k8s.io'], ['PriorityLevelConfiguration', 'flowcontrol.apiserver.k8s.io'],
  ['DeviceClass', 'resource.k8s.io'], ['ResourceSlice', 'resource.k8s.io'],
  // The add-ons' cluster-scoped custom kinds (cert-manager, AWS Load Balancer Controller).
  ['ClusterIssuer', 'cert-manager.io'], ['IngressClassParams', 'elbv2.k8s.aws'],
]);

/** The API group of an apiVersion: '' for the core group ("v1"). */
function groupOf(apiVersion: unknown): string {
  const text = String(apiVersion ?? '');
  return text.includes('/') ? text.slice(0, text.indexOf('/')) : '';
}

/** The cluster-scoped kinds of a render, by "group/kind": the built-in ones and those of the CRDs it renders with `scope: Cluster`. */
function clusterScoped(objects: readonly Manifest[]): (object: Manifest) => boolean {
  const custom = new Set(objects.filter((object) => object.kind === 'CustomResourceDefinition' && object.spec?.scope === 'Cluster').map((crd) => `${crd.spec.group}/${crd.spec.names?.kind}`));
  return (object) => builtInClusterScopedKinds.get(object.kind) === groupOf(object.apiVersion) || custom.has(`${groupOf(object.apiVersion)}/${object.kind}`);
}

const containerLists = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** The literals that make a server listen on IPv4 only (0.0.0.0) or reach itself over IPv4 only (127.0.0.1), as whole addresses. */
const ipv4OnlyAddress = /(?<![0-9.])(0\.0\.0\.0|127\.0\.0\.1)(?![0-9])/;

function podPath(object: Manifest): string {
  switch (object.kind) {
    case 'Pod': return 'spec';
    case 'CronJob': return 'spec.jobTemplate.spec.template.spec';
    default: return 'spec.template.spec';
  }
}

/** `apps[i] <app> on <cluster>: Kind/name: field: problem: fix`. */
type Report = (object: Manifest | undefined, field: string, message: string) => void;

function checkIpFamilies(objects: readonly Manifest[], cluster: Cluster, error: Report): void {
  const own = cluster.ipFamily === 'ipv6' ? 'IPv6' : 'IPv4';
  for (const service of objects.filter((object) => object.kind === 'Service' && groupOf(object.apiVersion) === '')) {
    const families: unknown[] = Array.isArray(service.spec?.ipFamilies) ? service.spec.ipFamilies : [];
    const other = families.filter((family) => family !== own);
    if (other.length) {
      error(service, 'spec.ipFamilies', `is [${families.join(', ')}]: ${cluster.name} is an ${own}-only EKS cluster (EKS gives Services one family), so the API server refuses ${other.join(', ')}; leave ipFamilies out (the cluster's family is the default) or set [${own}]`);
    }
    if (service.spec?.ipFamilyPolicy === 'RequireDualStack') {
      error(service, 'spec.ipFamilyPolicy', `is RequireDualStack: ${cluster.name} is an ${own}-only EKS cluster, so the API server refuses it; leave ipFamilyPolicy out or set SingleStack (PreferDualStack falls back to ${own})`);
    }
  }
  for (const object of objects) {
    const pod = podSpecOf(object);
    if (!pod) continue;
    if (pod.hostNetwork) error(object, `${podPath(object)}.hostNetwork`, `is true: the pods take the node's addresses and ports instead of their own ${own} address from the VPC CNI; remove hostNetwork`);
    for (const list of containerLists) {
      (pod[list] ?? []).forEach((container: Json, index: number) => {
        (container.ports ?? []).forEach((port: Json, portIndex: number) => {
          if (port.hostPort) error(object, `${podPath(object)}.${list}[${index}] (${container.name}).ports[${portIndex}].hostPort`, `is ${port.hostPort}: the pod binds a port of the node (one pod per node, outside the Service and the ALB's ${own} targets); remove hostPort and reach the pods through the Service`);
        });
      });
    }
  }
}

/** Address literals that may make a server listen on, or call, IPv4 only: warnings, on an IPv6 cluster. */
function checkAddressLiterals(objects: readonly Manifest[], warn: Report): void {
  const advice = 'the server may listen on (0.0.0.0) or call (127.0.0.1) IPv4 only, which an IPv6 pod is not reached on: use [::] (both families on Linux) or ::1 / localhost';
  for (const object of objects) {
    const pod = podSpecOf(object);
    if (pod) {
      for (const list of containerLists) {
        (pod[list] ?? []).forEach((container: Json, index: number) => {
          const where = `${podPath(object)}.${list}[${index}] (${container.name})`;
          for (const field of ['command', 'args'] as const) {
            (container[field] ?? []).forEach((value: unknown, valueIndex: number) => {
              const found = ipv4OnlyAddress.exec(String(value));
              if (found) warn(object, `${where}.${field}[${valueIndex}]`, `holds ${found[1]} (${JSON.stringify(String(value))}): ${advice}`);
            });
          }
          (container.env ?? []).forEach((variable: Json) => {
            const found = typeof variable.value === 'string' ? ipv4OnlyAddress.exec(variable.value) : null;
            if (found) warn(object, `${where}.env ${variable.name}`, `holds ${found[1]} (${JSON.stringify(variable.value)}): ${advice}`);
          });
        });
      }
    }
    if (object.kind === 'ConfigMap' && groupOf(object.apiVersion) === '') {
      for (const [key, value] of Object.entries(object.data ?? {})) {
        const found = ipv4OnlyAddress.exec(String(value));
        if (found) warn(object, `data.${key}`, `holds ${found[1]}: ${advice}`);
      }
    }
  }
}

function checkPodSecurity(objects: readonly Manifest[], app: ServiceApp, error: Report): void {
  const violations = app.podSecurity === 'baseline' ? baselineViolations : restrictedViolations;
  for (const object of objects) {
    const pod = podSpecOf(object);
    if (!pod) continue;
    for (const violation of violations(pod)) {
      error(object, podPath(object), `Pod Security "${app.podSecurity}" (the level of namespace ${app.name}): ${violation}: admission refuses the pods; fix the values${app.podSecurity === 'restricted' ? ' (or declare podSecurity: baseline if the service needs it)' : ''}`);
    }
  }
}

/**
 * Every object against its Kubernetes schema, or its CRD's when the render has the CRD. A custom
 * kind the cluster's add-ons serve (clusterApiVersions) has no schema here and is taken as it is;
 * any other kind without a schema is one the cluster does not serve, which the API server refuses.
 */
function checkSchemas(objects: readonly Manifest[], cluster: Cluster, error: Report): void {
  const crds = crdSchemas(objects);
  const served = new Set(clusterApiVersions(cluster));
  for (const object of objects) {
    const schemaProblems = served.has(`${object.apiVersion}/${object.kind}`) && !crds.has(`${object.apiVersion}/${object.kind}`) ? [] : manifestErrors(object, crds);
    for (const problem of [...schemaProblems, ...objectLimitProblems(object)]) {
      error(object, '', `${problem.slice(problem.indexOf(': ') + 2)}: the API server refuses it`);
    }
  }
}

/** Cluster-scoped kinds the app did not declare (the AppProject's clusterResourceWhitelist would refuse the sync), and objects in another namespace. */
function checkScope(objects: readonly Manifest[], app: ServiceApp, error: Report): void {
  const isClusterScoped = clusterScoped(objects);
  const declared = new Set(app.clusterResources.map((resource) => `${resource.group}/${resource.kind}`));
  const reported = new Set<string>();
  for (const object of objects) {
    if (isClusterScoped(object)) {
      const group = groupOf(object.apiVersion);
      const key = `${group}/${object.kind}`;
      // The generator renders the app's Namespace, with its Pod Security labels: a source's own
      // Namespace (its name or another service's, which the cluster's project admits) would relabel it.
      if (key === '/Namespace') {
        error(object, 'kind', `a source may not render a Namespace: the generator renders namespace ${app.name} (with its Pod Security level ${app.podSecurity}), and a Namespace from the source would replace its labels or take another service's namespace; take it out of the source`);
        continue;
      }
      if (declared.has(key) || reported.has(key)) continue;
      reported.add(key);
      error(object, 'kind', `${object.kind} (group ${group === '' ? 'core ""' : group}) is cluster-scoped and not in the app's clusterResources: its AppProject ${projectNames.service(app.name)} refuses the sync; add { group: ${JSON.stringify(group)}, kind: ${object.kind} } to clusterResources or take it out of the source`);
      continue;
    }
    const namespace = object.metadata?.namespace;
    if (namespace !== undefined && namespace !== app.name) {
      error(object, 'metadata.namespace', `is ${namespace}: the app's objects go in its namespace ${app.name} (its AppProject ${projectNames.service(app.name)} admits no other); leave metadata.namespace out or set ${app.name}`);
    }
  }
}

const exposeFix = 'expose the service through `expose` in fleet.yaml (the generator renders its Ingress on the cluster\'s ALB and its DNS name)';

/** The annotation prefixes that claim an ALB, a listener rule or a DNS name: the generator's, for its own Ingresses. */
const reservedAnnotationPrefixes = ['alb.ingress.kubernetes.io/', 'external-dns.alpha.kubernetes.io/'];

/**
 * What would reach beyond the service's namespace and host: its own Ingress (which could join a
 * shared ALB's group, take another app's host or outrank its rules), a LoadBalancer or NodePort
 * Service, a TargetGroupBinding, the ALB and external-dns annotations; and a Secret with its
 * data, which would put a secret in git.
 */
function checkReach(objects: readonly Manifest[], app: ServiceApp, cluster: Cluster, deleteHooks: AdmissionPolicy | undefined, error: Report): void {
  const scoped = clusterScoped(objects);
  for (const object of objects) {
    const group = groupOf(object.apiVersion);
    if (object.kind === 'Ingress' && group === 'networking.k8s.io') {
      error(object, 'kind', `a source may not render an Ingress (its AppProject refuses the kind): it could join a shared ALB's group, claim another app's host or order its rules before theirs; ${exposeFix}`);
    }
    if (object.kind === 'Service' && group === '' && (object.spec?.type === 'LoadBalancer' || object.spec?.type === 'NodePort')) {
      error(object, 'spec.type', `is ${object.spec.type}: it opens the service ${object.spec.type === 'LoadBalancer' ? 'on a load balancer of its own' : 'on a port of every node'}, outside the cluster's ALB; leave type out (ClusterIP) and ${exposeFix}`);
    }
    if (object.kind === 'Service' && group === '' && Array.isArray(object.spec?.externalIPs) && object.spec.externalIPs.length) {
      error(object, 'spec.externalIPs', `lists ${object.spec.externalIPs.join(', ')}: kube-proxy would send in-cluster traffic for those addresses to the service's pods whoever owns them (CVE-2020-8554), and the cluster's ${admissionPolicyNames.externalIps} policy refuses it; remove it and ${exposeFix}`);
    }
    if ((object.kind === 'EndpointSlice' && group === 'discovery.k8s.io') || (object.kind === 'Endpoints' && group === '')) {
      error(object, 'kind', `a source may not render ${object.kind} (its AppProject refuses the kind): endpoints of its own would send its host on the ALB to any address; let the Service's selector choose the pods`);
    }
    if (object.kind === 'ClusterRole' && group === 'rbac.authorization.k8s.io' && (object.aggregationRule || Object.keys(object.metadata?.labels ?? {}).some((key) => key.startsWith('rbac.authorization.k8s.io/aggregate-to-')))) {
      error(object, object.aggregationRule ? 'aggregationRule' : 'metadata.labels', `aggregates ClusterRoles: its rules would join Kubernetes' admin, edit or view roles that others hold, or gather others' rules; remove the aggregation`);
    }
    if ((object.kind === 'Role' || object.kind === 'RoleBinding') && group === 'rbac.authorization.k8s.io' && !app.rbac) {
      error(object, 'kind', `is refused by the app's AppProject ${projectNames.service(app.name)}: a source renders Roles and RoleBindings only where the app declares rbac: true; declare it (and grant only what the service's own objects need) or turn the chart's RBAC off`);
    }
    if ((object.kind === 'Role' || object.kind === 'ClusterRole') && group === 'rbac.authorization.k8s.io') {
      // `*/status` is every resource's status to RBAC (rbac/v1 ResourceMatches); a Service's status names the addresses kube-proxy takes traffic for.
      const reaching = (object.rules ?? []).flatMap((rule: Json) => (rule.resources ?? []).filter((resource: string) => rbacReach.has(resource.split('/')[0]) || resource === '*' || resource.startsWith('*/') || /^services\/(status|\*)$/.test(resource))
        .filter(() => (rule.verbs ?? []).some((verb: string) => !['get', 'list', 'watch'].includes(verb))));
      if (reaching.length) {
        error(object, 'rules', `lets its subjects write ${[...new Set(reaching)].join(', ')}: pods bound to it could put rules or endpoints on the shared ALB, or relabel their Namespace out of its Pod Security level; grant only what the service's own objects need`);
      }
    }
    if (object.kind === 'RoleBinding' && group === 'rbac.authorization.k8s.io' && object.roleRef?.kind === 'ClusterRole') {
      const name = String(object.roleRef.name ?? '');
      const own = (name === app.name || name.startsWith(`${app.name}-`)) && objects.some((other) => other.kind === 'ClusterRole' && other.metadata?.name === name);
      if (!own) error(object, 'roleRef', `binds ClusterRole ${name}, which is not one of the app's own in this render: a built-in role such as admin or edit lets its subjects write ingresses and role bindings; bind a Role or a ClusterRole of the app's own`);
    }
    if (isDeleteHook(object)) checkDeleteHook(object, app, cluster, scoped(object), deleteHooks, error);
    if (object.kind === 'TargetGroupBinding' && group === 'elbv2.k8s.aws') {
      error(object, 'kind', `a source may not render a TargetGroupBinding: it registers the pods in a target group of any ALB or NLB; ${exposeFix}`);
    }
    for (const key of Object.keys(object.metadata?.annotations ?? {})) {
      if (reservedAnnotationPrefixes.some((prefix) => key.startsWith(prefix))) {
        error(object, `metadata.annotations.${key}`, `is the AWS Load Balancer Controller's or external-dns's: a source may not claim a load balancer, a listener rule or a DNS name; remove it and ${exposeFix}`);
      }
    }
    if (object.kind === 'Secret' && group === '') {
      for (const field of ['data', 'stringData'] as const) {
        if (Object.keys(object[field] ?? {}).length) {
          error(object, field, `holds ${Object.keys(object[field]).join(', ')}: a Secret's data in the render is in git (or in a values file in dist/); reference an existing Secret instead (most charts take existingSecret) or have External Secrets create it`);
        }
      }
    }
  }
}

/**
 * A PreDelete or PostDelete hook: Argo CD creates it when the Application is deleted (a placement
 * removed) without its project's check (argo-cd v3.4.4 controller/hook.go executeHooks), so what
 * stops it is the cluster's delete hooks policy (catalog/admission.ts), evaluated here as the API
 * server would on the request Argo CD makes (verify/admission.ts).
 */
function checkDeleteHook(object: Manifest, app: ServiceApp, cluster: Cluster, clusterScopedKind: boolean, policy: AdmissionPolicy | undefined, error: Report): void {
  const annotations = object.metadata?.annotations ?? {};
  const field = annotations['argocd.argoproj.io/hook'] !== undefined ? 'metadata.annotations.argocd.argoproj.io/hook' : 'metadata.annotations.helm.sh/hook';
  if (!policy) {
    error(object, field, `is a delete hook, and dist/${distLayout.admissionPolicies(cluster.name)} has no ${admissionPolicyNames.deleteHooks} policy to hold it to the service's namespace: run npm run synth`);
    return;
  }
  const denial = admissionDenial(policy, deleteHookCreation(object, `${app.name}-${cluster.name}`, app.name, clusterScopedKind));
  if (denial) {
    error(object, field, `is a delete hook, which Argo CD creates when the Application is deleted without its project's check; ${cluster.name} refuses it (${denial}), and the Application's deletion would wait for it without end (the service's Namespace is deleted beside it, so not even a cleanup Job of its own could run): turn the hook off`);
  } else {
    error(object, field, `is a delete hook, which Argo CD creates when the Application is deleted without its project's check, and ${cluster.name}'s ${admissionPolicyNames.deleteHooks} policy in dist/ admits it: run npm run synth`);
  }
}

/** Resources a Role of the source's may not let its pods write: what the project refuses Argo CD, and the Namespace itself. */
const rbacReach = new Set(['namespaces', 'ingresses', 'endpoints', 'endpointslices', 'targetgroupbindings', 'gateways', 'httproutes', 'issuers', 'certificates', 'rolebindings', 'roles', 'serviceaccounts']);

/** The Service and port the generator's Ingress routes to. */
function checkExpose(objects: readonly Manifest[], app: ServiceApp, error: Report): Manifest | undefined {
  const service = objects.find((object) => object.kind === 'Service' && groupOf(object.apiVersion) === '' && object.metadata?.name === app.expose.service);
  if (!service) {
    const names = objects.filter((object) => object.kind === 'Service').map((object) => object.metadata?.name);
    error(undefined, 'expose.service', `is ${app.expose.service}, but the source renders no such Service${names.length ? ` (it renders ${names.join(', ')})` : ''}: the Ingress would route to nothing; name the Service the source renders`);
    return undefined;
  }
  if (!service.spec?.selector || !Object.keys(service.spec.selector).length) {
    error(service, 'spec.selector', `is empty: a Service without a selector gets its endpoints from whoever writes them, and the ALB would send the app's host there; select the pods`);
  }
  const ports: Json[] = service.spec?.ports ?? [];
  if (!ports.some((port) => port.port === app.expose.port)) {
    error(service, 'spec.ports', `has ${ports.map((port) => port.port).join(', ') || 'no port'}, not expose.port ${app.expose.port}: the Ingress would route to nothing; set expose.port to the Service's port`);
  }
  return service;
}

/** An int-or-string of a rolling update resolved against the replicas, as the Deployment controller does: surge rounded up, unavailable down. */
function resolveIntOrPercent(value: unknown, replicas: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const percent = Number.parseFloat(String(value));
  const exact = (percent * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** The Deployments and StatefulSets behind the exposed Service (all of them when none is exposed): their replicas and rollout against what the plan counts. */
function checkReplicas(objects: readonly Manifest[], app: ServiceApp, exposed: Manifest | undefined, error: Report, warn: Report): void {
  const workloads = objects.filter((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet');
  const served = exposed ? workloads.filter((workload) => exposed.spec?.selector && selects({ matchLabels: exposed.spec.selector }, workload.spec?.template?.metadata?.labels ?? {})) : [];
  const autoscaled = new Set(objects.filter((object) => object.kind === 'HorizontalPodAutoscaler').map((hpa) => `${hpa.spec?.scaleTargetRef?.kind}/${hpa.spec?.scaleTargetRef?.name}`));
  for (const workload of served.length ? served : workloads) {
    if (autoscaled.has(`${workload.kind}/${workload.metadata?.name}`)) {
      warn(workload, 'spec.replicas', `is set by a HorizontalPodAutoscaler: the plan counts replicas ${app.replicas}; size the plan for the autoscaler's maxReplicas`);
      continue;
    }
    const replicas = workload.spec?.replicas ?? 1;
    if (replicas !== app.replicas) {
      error(workload, 'spec.replicas', `is ${replicas}, but the app declares replicas: ${app.replicas}, which the capacity plan and the ALB targets count: set the chart's replicas value to ${app.replicas}, or replicas to ${replicas}`);
    }
    if (workload.kind !== 'Deployment') continue;
    const strategy = workload.spec?.strategy ?? {};
    if (strategy.type === 'Recreate') continue;
    const surge = resolveIntOrPercent(strategy.rollingUpdate?.maxSurge ?? '25%', replicas, true);
    const unavailable = resolveIntOrPercent(strategy.rollingUpdate?.maxUnavailable ?? '25%', replicas, false);
    const rendered = replicas + surge + Math.min(replicas, surge + unavailable);
    const planned = rolloutPeak(app.replicas, app.rollingUpdate).pods;
    if (rendered > planned) {
      warn(workload, 'spec.strategy.rollingUpdate', `maxSurge ${strategy.rollingUpdate?.maxSurge ?? '25% (default)'}, maxUnavailable ${strategy.rollingUpdate?.maxUnavailable ?? '25% (default)'} make ${rendered} pods at a rollout's peak, but the plan counts ${planned} (${app.rollingUpdate.maxSurgePercent}%/${app.rollingUpdate.maxUnavailablePercent}%): the plan undercounts the peak; keep the chart's strategy within ${app.rollingUpdate.maxSurgePercent}%/${app.rollingUpdate.maxUnavailablePercent}%`);
    }
  }
}

/**
 * The pods behind the exposed Service must outlive the ALB's drain of them: Kubernetes kills a pod
 * terminationGracePeriodSeconds (default 30) after it starts going away, while the ALB may still
 * be finishing requests it sent there for expose.deregistrationDelaySeconds.
 */
function checkDrain(objects: readonly Manifest[], app: ServiceApp, exposed: Manifest | undefined, warn: Report): void {
  if (!exposed?.spec?.selector) return;
  for (const workload of objects.filter((object) => (object.kind === 'Deployment' || object.kind === 'StatefulSet') && selects({ matchLabels: exposed.spec.selector }, object.spec?.template?.metadata?.labels ?? {}))) {
    const grace = workload.spec?.template?.spec?.terminationGracePeriodSeconds ?? 30;
    if (grace < app.expose.deregistrationDelaySeconds) {
      warn(workload, 'spec.template.spec.terminationGracePeriodSeconds', `is ${grace}${workload.spec?.template?.spec?.terminationGracePeriodSeconds === undefined ? ' (Kubernetes\' default)' : ''}, shorter than expose.deregistrationDelaySeconds ${app.expose.deregistrationDelaySeconds}: a pod going away is killed while the ALB still finishes requests on it; lower the delay to ${grace} or raise the chart's grace period`);
    }
  }
}

/** On an IRSA cluster the app's ServiceAccount carries its role (eks.amazonaws.com/role-arn); on any cluster the source renders it. */
function checkServiceAccount(objects: readonly Manifest[], app: ServiceApp, cluster: Cluster, error: Report): void {
  if (!app.aws) return;
  const account = objects.find((object) => object.kind === 'ServiceAccount' && object.metadata?.name === app.aws!.serviceAccount);
  if (!account) {
    error(undefined, 'aws.serviceAccount', `is ${app.aws.serviceAccount}, but the source renders no such ServiceAccount: its pods get no AWS identity; name the ServiceAccount the source renders (and have the chart create it)`);
    return;
  }
  const usesIrsa = cluster.identity === 'irsa' || cluster.nextIdentity === 'irsa';
  if (usesIrsa && !account.metadata?.annotations?.['eks.amazonaws.com/role-arn']) {
    const where = app.aws.irsaAnnotationsValue ? `the values path aws.irsaAnnotationsValue (${app.aws.irsaAnnotationsValue}) is not where the chart takes the ServiceAccount's annotations` : 'aws.irsaAnnotationsValue is not set';
    error(account, 'metadata.annotations', `has no eks.amazonaws.com/role-arn on ${cluster.name}, an IRSA cluster: ${where}; point it at the chart's value for this ServiceAccount's annotations`);
  }
}

/** Everything one placement's render would break, or miscount, on its cluster. */
export function serviceFindings(render: ServiceRender, where: string, deleteHooks: AdmissionPolicy | undefined): ServiceFindings {
  const { app, cluster, objects } = render;
  const errors: string[] = [];
  const warnings: string[] = [];
  const line = (object: Manifest | undefined, field: string, message: string) =>
    `${where} ${app.name} on ${cluster.name}: ${object ? `${object.kind}/${object.metadata?.name}: ` : ''}${field ? `${field}: ` : ''}${message}`;
  const error: Report = (object, field, message) => errors.push(line(object, field, message));
  const warn: Report = (object, field, message) => warnings.push(line(object, field, message));
  checkIpFamilies(objects, cluster, error);
  if (cluster.ipFamily === 'ipv6') checkAddressLiterals(objects, warn);
  checkPodSecurity(objects, app, error);
  checkSchemas(objects, cluster, error);
  checkScope(objects, app, error);
  checkReach(objects, app, cluster, deleteHooks, error);
  const exposed = checkExpose(objects, app, error);
  checkReplicas(objects, app, exposed, error, warn);
  checkDrain(objects, app, exposed, warn);
  checkServiceAccount(objects, app, cluster, error);
  return { errors: [...new Set(errors)], warnings: [...new Set(warnings)] };
}
