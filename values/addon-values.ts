import { Cluster, Fleet } from '../config/fleet';

/** Helm values: plain data, as a values file holds it. */
export type Values = Record<string, unknown>;

/**
 * How one add-on's Helm values are built. Each key exists in the pinned chart's values.yaml (a
 * test checks it: Helm ignores misspelt keys silently).
 */
export interface AddonValues {
  /** Values shared by every cluster that runs the add-on: dist/addons/<chart>/values.yaml. */
  fleet(fleet: Fleet): Values;
  /**
   * Values of one cluster, dist/addons/<chart>/clusters/<cluster>.yaml: what pods in an IPv6
   * cluster cannot discover from the instance metadata service, and their IAM roles. Undefined
   * when the add-on needs none for this cluster (the Application tolerates the missing file).
   */
  cluster(cluster: Cluster, fleet: Fleet): Values | undefined;
}

/** The ServiceAccount annotation IRSA reads the role from. */
export function irsaAnnotation(roleArn: string): Record<string, string> {
  return { 'eks.amazonaws.com/role-arn': roleArn };
}
