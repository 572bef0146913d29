/**
 * The clusters' admission policies (catalog/admission.ts, rendered to dist/admission/<cluster>.yaml)
 * as the API server applies them to a request: the policy is read from dist/, its CEL evaluated
 * with a CEL interpreter (@marcbachmann/cel-js, the language of cel-spec that Kubernetes' cel-go
 * implements), in Kubernetes' order (k8s.io/apiserver pkg/admission/plugin/policy/validating,
 * v1.35): the request must match every match condition (one that is false skips the policy, one
 * that fails to evaluate fails the request under failurePolicy Fail), then every validation must
 * be true (false: denied with its message; an error: denied under failurePolicy Fail).
 *
 * The policy's resourceRules are matched when the request names its resource (ruleMatches). What it
 * does not model: Kubernetes' CEL libraries beyond cel-spec's (the policies use none), type
 * checking against Kubernetes' CEL environment, and the cost limits.
 */
import { evaluate, parse } from '@marcbachmann/cel-js';
import { AdmissionPolicy, AdmissionRule, CelRule, trackingIdAnnotation } from '../catalog/admission';
import { distLayout } from '../catalog/dist-layout';
import { Manifest } from './rendered';
import { renderedFileObjects } from './rendered';

/** The fields of an admission request the policies read (admission.k8s.io/v1 AdmissionRequest). */
export interface AdmissionRequest {
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  /** The resource and subresource requested, which a policy's rules match; absent, the rules are not consulted. */
  readonly resource?: { readonly group: string; readonly version: string; readonly resource: string };
  readonly subResource?: string;
  /** '' for a cluster-scoped object. */
  readonly namespace: string;
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly userInfo: { readonly username: string };
  /** null on DELETE. */
  readonly object: Manifest | null;
  /** The object before an UPDATE or DELETE. */
  readonly oldObject?: Manifest | null;
}

/** A ValidatingAdmissionPolicy of dist/ as the evaluator takes it, its rules included. */
export function policyOf(object: Manifest): AdmissionPolicy {
  const rules = (list: unknown): CelRule[] => (Array.isArray(list) ? list : []).map((rule) => ({ name: rule?.name, expression: String(rule?.expression ?? ''), message: rule?.message }));
  const strings = (list: unknown): string[] => (Array.isArray(list) ? list.map(String) : []);
  const resourceRules = (Array.isArray(object.spec?.matchConstraints?.resourceRules) ? object.spec.matchConstraints.resourceRules : []).map((rule: Manifest) => ({
    apiGroups: strings(rule.apiGroups), apiVersions: strings(rule.apiVersions), resources: strings(rule.resources), operations: strings(rule.operations),
  }));
  return { name: String(object.metadata?.name), matchConditions: rules(object.spec?.matchConditions), validations: rules(object.spec?.validations), resourceRules };
}

/**
 * Whether a rule matches the request's resource, as the API server matches it
 * (k8s.io/apiserver pkg/admission/plugin/webhook/predicates/rules/rules.go: each resource entry
 * split at "/", `*` matching any resource, a sub of `*` any subresource or none, no sub none).
 */
function ruleMatches(rule: AdmissionRule, request: AdmissionRequest): boolean {
  const resource = request.resource!;
  const among = (list: readonly string[], value: string) => list.includes('*') || list.includes(value);
  return among(rule.apiGroups, resource.group) && among(rule.apiVersions, resource.version) && among(rule.operations, request.operation)
    && rule.resources.some((entry) => {
      const [name, sub = ''] = entry.split('/');
      return (name === '*' || name === resource.resource) && (sub === '*' || sub === (request.subResource ?? ''));
    });
}

/** The policy of a cluster's admission file in a render of dist/ (path -> text), by name; undefined when the file or the policy is missing. */
export function clusterPolicy(rendered: ReadonlyMap<string, string>, cluster: string, name: string): AdmissionPolicy | undefined {
  const object = renderedFileObjects(rendered, distLayout.admissionPolicies(cluster)).find((candidate) => candidate.kind === 'ValidatingAdmissionPolicy' && candidate.metadata?.name === name);
  return object && policyOf(object);
}

/** Every expression of a policy that does not parse, with the parser's message. */
export function unparsedExpressions(policy: AdmissionPolicy): string[] {
  return [...policy.matchConditions, ...policy.validations].flatMap(({ expression }) => {
    try {
      parse(expression);
      return [];
    } catch (error) {
      return [`${policy.name}: ${expression}: ${(error as Error).message.split('\n')[0]}`];
    }
  });
}

/** Why the API server would refuse the request under the policy, or undefined when it admits it. */
export function admissionDenial(policy: AdmissionPolicy, request: AdmissionRequest): string | undefined {
  if (request.resource && policy.resourceRules && !policy.resourceRules.some((rule) => ruleMatches(rule, request))) return undefined;
  const context = {
    object: request.object,
    oldObject: request.oldObject ?? null,
    request: { kind: request.kind, namespace: request.namespace, operation: request.operation, userInfo: request.userInfo, ...(request.resource ? { resource: request.resource, subResource: request.subResource ?? '' } : {}) },
  };
  const outcome = (expression: string): boolean | Error => {
    try {
      const value = evaluate(expression, context);
      return typeof value === 'boolean' ? value : new Error(`evaluates to ${typeof value}, not a boolean`);
    } catch (error) {
      return error as Error;
    }
  };
  const conditions = policy.matchConditions.map(({ expression }) => outcome(expression));
  if (conditions.some((value) => value === false)) return undefined;
  const failed = conditions.find((value): value is Error => value instanceof Error);
  if (failed) return `policy ${policy.name} cannot evaluate a match condition (failurePolicy Fail): ${failed.message.split('\n')[0]}`;
  for (const { expression, message } of policy.validations) {
    const value = outcome(expression);
    if (value instanceof Error) return `policy ${policy.name} cannot evaluate a validation (failurePolicy Fail): ${value.message.split('\n')[0]}`;
    if (!value) return `denied by ${policy.name}: ${message ?? expression}`;
  }
  return undefined;
}

/**
 * The request with which Argo CD creates a delete hook of Application `application` whose
 * destination namespace is `namespace` (argo-cd v3.4.4 controller/hook.go executeHooks): a hook
 * without a namespace goes to the destination namespace, the tracking annotation is set (its
 * default annotation tracking, util/argo/resource_tracking.go), and the object is created in its
 * namespace, or outside any if its kind is cluster-scoped (gitops-engine kubectl CreateResource
 * names a namespace only for a namespaced resource). The user is Argo CD's: the policy reads none.
 */
export function deleteHookCreation(object: Manifest, application: string, namespace: string, clusterScoped: boolean): AdmissionRequest {
  const [group, version] = String(object.apiVersion ?? '').includes('/') ? String(object.apiVersion).split('/') : ['', String(object.apiVersion ?? '')];
  const objectNamespace = clusterScoped ? '' : (object.metadata?.namespace || namespace);
  // The API server names a Namespace's own creation as a request in that namespace (k8s.io/apiserver endpoints/handlers/create.go).
  const requestNamespace = group === '' && object.kind === 'Namespace' ? String(object.metadata?.name) : objectNamespace;
  const tracking = `${application}:${group}/${object.kind}:${objectNamespace}/${object.metadata?.name}`;
  return {
    kind: { group, version, kind: String(object.kind) },
    namespace: requestNamespace,
    operation: 'CREATE',
    userInfo: { username: 'argocd' },
    object: {
      ...object,
      metadata: { ...object.metadata, ...(clusterScoped ? {} : { namespace: objectNamespace }), annotations: { ...object.metadata?.annotations, [trackingIdAnnotation]: tracking } },
    },
  };
}
