import { AddonWithIamRole } from '../catalog/addons';
import { roleArn, roleNames } from '../catalog/identities';
import { Cluster, Fleet } from '../config/fleet';
import { IpFamily } from '../config/schema';

/** Helm values: plain data, as a values file holds it. */
export type Values = Record<string, unknown>;

/**
 * How one add-on's Helm values are built. Each key exists in the pinned chart's values.yaml (a
 * test checks it: Helm ignores misspelt keys silently), and the charts as they render with them
 * are checked in verify/chart-checks.ts.
 */
export interface AddonValues {
  /** Values shared by every cluster that runs the add-on: dist/addons/<chart>/values.yaml. */
  fleet(fleet: Fleet): Values;
  /**
   * Values of one cluster, dist/addons/<chart>/clusters/<cluster>.yaml: what pods in an IPv6
   * cluster cannot discover from the instance metadata service, its IP family, and the IAM roles.
   */
  cluster(cluster: Cluster, fleet: Fleet): Values;
}

/** The ServiceAccount annotation IRSA's webhook reads the role from. */
export const irsaRoleAnnotation = 'eks.amazonaws.com/role-arn';

/**
 * The ServiceAccount of an add-on that calls AWS, as the cluster's values file sets it: on an
 * IRSA cluster annotated with its role; under Pod Identity nothing, since the association in
 * dist/terraform/ binds the role to the namespace and name (an annotation left behind would even
 * win: web identity comes before the container credentials in the SDKs' chain).
 */
export function awsServiceAccount(cluster: Cluster, addon: AddonWithIamRole): { annotations: Record<string, string> } | undefined {
  if (cluster.identity !== 'irsa') return undefined;
  return { annotations: { [irsaRoleAnnotation]: roleArn(cluster, roleNames.irsaAddon(addon, cluster.name)) } };
}

/** A Service in the cluster's IP family only, as charts with an IP family knob take it. */
export function singleStack(family: IpFamily): { ipFamilyPolicy: 'SingleStack'; ipFamilies: string[] } {
  return { ipFamilyPolicy: 'SingleStack', ipFamilies: [family === 'ipv6' ? 'IPv6' : 'IPv4'] };
}

/**
 * CPU and memory requests, and a memory limit twice the request. Requests keep the pods out of
 * the BestEffort class that is evicted first; sizes are the upstream projects' own suggestions
 * for clusters of a few hundred nodes.
 */
export function resources(cpu: string, memory: string): { requests: { cpu: string; memory: string }; limits: { memory: string } } {
  const [amount, unit] = /^(\d+)(Mi|Gi)$/.exec(memory)!.slice(1);
  return { requests: { cpu, memory }, limits: { memory: `${Number(amount) * 2}${unit}` } };
}

/** The container security settings Pod Security "restricted" asks for, where a chart does not set them itself. */
export const restrictedContainer = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
} as const;
