import { Construct } from 'constructs';
import type { IValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import type { IValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { addonCatalog, addonKeys } from '../catalog/addons';
import { AdmissionPolicy, deleteHookPolicy, externalIpsPolicy, routingResources, routingWritersPolicy } from '../catalog/admission';
import { clusterLabelKeys, platformApplicationNames, projectNames, resourcesFinalizer, rootSyncWaves, syncRetry, syncWaveAnnotation } from '../catalog/argocd';
import { distLayout } from '../catalog/dist-layout';
import { Cluster, Fleet } from '../config/fleet';
import { ApplicationSet, AppProject } from '../imports/argocd-argoproj.io';
import { FileChart } from './file-chart';
import { Manifest } from './manifest';

/**
 * The Applications of the platform's own on a cluster, whose delete hooks the delete hooks policy
 * leaves to their projects: its add-ons', its admission policies', and on Argo CD's cluster Argo
 * CD's own and the root app. No service can take one of these names (config/rules.ts checkApplicationNames).
 */
export function platformApplicationsOn(fleet: Fleet, cluster: Cluster): string[] {
  return [
    // Every add-on's, on or off: an add-on turned off has its Application deleted, and its delete hooks run, in the
    // sync that would otherwise take it off this list. No service takes an add-on's name (config/rules.ts).
    ...addonKeys.map((addon) => `${addonCatalog[addon].chart}-${cluster.name}`),
    platformApplicationNames.admission(cluster.name),
    ...(cluster.name === fleet.argocd.cluster ? [platformApplicationNames.argocd, platformApplicationNames.root] : []),
  ];
}

/** The admission policies one cluster enforces for the services (catalog/admission.ts), as the check evaluates them. */
export function admissionPoliciesOf(fleet: Fleet, cluster: Cluster): AdmissionPolicy[] {
  return [deleteHookPolicy(cluster.name, platformApplicationsOn(fleet, cluster)), routingWritersPolicy(fleet.argocd.namespace), externalIpsPolicy()];
}

export interface AdmissionPoliciesProps {
  readonly fleet: Fleet;
  /** A registered cluster: Argo CD applies the file there. */
  readonly cluster: Cluster;
}

/**
 * One cluster's admission policies (catalog/admission.ts), each with its binding: every request it
 * matches is denied when a validation fails (validationActions Deny), and refused when the policy
 * cannot be evaluated (failurePolicy Fail), so a broken policy fails closed on exactly what it
 * matches. What it matches: the delete hooks policy only creations that carry Argo CD's tracking
 * annotation and a delete hook annotation, from an Application that is not the platform's; the
 * routing writers policy only writes of its kinds by ServiceAccounts; the external IPs policy
 * writes of Services.
 */
export class AdmissionPoliciesChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet, cluster }: AdmissionPoliciesProps) {
    super(scope, id, distLayout.admissionPolicies(cluster.name));
    const [deleteHooks, routingWriters, externalIps] = admissionPoliciesOf(fleet, cluster);
    policy(this, deleteHooks, [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ['CREATE'] }]);
    policy(this, routingWriters, routingResources.map(({ group, resources }) => ({ apiGroups: [group], apiVersions: ['*'], resources: [...resources], operations: ['CREATE', 'UPDATE', 'DELETE'] })));
    policy(this, externalIps, [{ apiGroups: [''], apiVersions: ['v1'], resources: ['services'], operations: ['CREATE', 'UPDATE'] }]);
  }
}

interface ResourceRule {
  readonly apiGroups: string[];
  readonly apiVersions: string[];
  readonly resources: string[];
  readonly operations: Array<'CREATE' | 'UPDATE' | 'DELETE'>;
}

function policy(scope: Construct, { name, matchConditions, validations }: AdmissionPolicy, resourceRules: ResourceRule[]): void {
  new Manifest<IValidatingAdmissionPolicy>(scope, name, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules },
      matchConditions: matchConditions.length ? matchConditions.map(({ name: condition, expression }) => ({ name: condition!, expression })) : undefined,
      validations: validations.map(({ expression, message }) => ({ expression, message })),
    },
  });
  new Manifest<IValidatingAdmissionPolicyBinding>(scope, `${name}-binding`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: { policyName: name, validationActions: ['Deny'] },
  });
}

/**
 * The Applications of the admission policies: an ApplicationSet with one per registered cluster
 * (Argo CD's cluster generator over the cluster Secrets), each syncing admission/<cluster>.yaml, in
 * a project that admits this repository and the two kinds, named fleet-*, and nothing namespaced.
 * On every cluster, whether services run there or not: a policy that came and went with the
 * services could be pruned in the very sync that deletes the last service's Application and runs
 * its delete hooks. Deleting an Application (a cluster deregistered) leaves the policies in place
 * (preserveResourcesOnDeletion): they guard the cluster for as long as it runs.
 */
export class AdmissionApplicationsChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet }: { readonly fleet: Fleet }) {
    super(scope, id, distLayout.applicationSet('admission'));
    const namespace = fleet.argocd.namespace;
    new AppProject(this, 'project', {
      metadata: { annotations: { [syncWaveAnnotation]: rootSyncWaves.project }, finalizers: [resourcesFinalizer], name: projectNames.admission, namespace },
      spec: {
        description: 'The admission policies every cluster enforces for the services, from this repository only.',
        sourceRepos: [fleet.repo.url],
        destinations: [{ name: '*', namespace: 'kube-system' }],
        clusterResourceWhitelist: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'].map((kind) => ({ group: 'admissionregistration.k8s.io', kind, name: 'fleet-*' })),
        namespaceResourceBlacklist: [{ group: '*', kind: '*' }],
      },
    });
    new ApplicationSet(this, 'applicationset', {
      metadata: { name: projectNames.admission, namespace },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        syncPolicy: { preserveResourcesOnDeletion: true },
        generators: [{ clusters: { selector: { matchLabels: { [clusterLabelKeys.secretType]: 'cluster' } } } }],
        template: {
          metadata: {
            name: platformApplicationNames.admission('{{.name}}'),
            labels: { 'app.kubernetes.io/part-of': 'cluster-admission', 'fleet/cluster': '{{.name}}' },
          },
          spec: {
            project: projectNames.admission,
            source: {
              repoUrl: fleet.repo.url,
              targetRevision: fleet.repo.revision,
              path: `${fleet.repo.path}/${distLayout.admissionDir}`,
              directory: { include: '{{.name}}.yaml' },
            },
            // The objects are cluster-scoped: the namespace is only the project's destination.
            destination: { name: '{{.name}}', namespace: 'kube-system' },
            syncPolicy: { automated: { prune: true, selfHeal: true }, retry: syncRetry },
          },
        },
      },
    });
  }
}
