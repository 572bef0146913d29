import { Construct } from 'constructs';
import { addonKeys } from '../catalog/addons';
import { App, appsOn, Fleet, isService } from '../config/fleet';
import { AddonChart } from './addon-appset';
import { AdmissionApplicationsChart, AdmissionPoliciesChart } from './admission';
import { WaveCopies } from './waves';
import { ArgoProjectsChart } from './argocd-projects';
import { ArgoRootChart } from './argocd-root';
import { ArgoSelfManagementChart } from './argocd-self';
import { ClusterAppsChart, ServiceProjectChart } from './cluster-apps';
import { ClusterSecretChart } from './cluster-secret';
import { TerraformFiles } from './terraform';
import { TestAppChart } from './test-app';
import { ServiceAppChart, ServiceAppPlacementChart } from './service-app';
import { PlacedCluster, TestAppPlacementChart } from './test-app-placement';

/** What the fleet has once: Argo CD's root app, projects (a service's too), cluster Secrets and ApplicationSets, the clusters' admission policies, the add-ons, and the Terraform. */
export class FleetControlCharts extends Construct {
  constructor(scope: Construct, id: string, fleet: Fleet) {
    super(scope, id);
    new ArgoRootChart(this, 'argocd-root', { fleet });
    new ArgoProjectsChart(this, 'argocd-projects', { fleet });
    new ArgoSelfManagementChart(this, 'argocd-self', { fleet });
    for (const cluster of fleet.clusters.filter((candidate) => candidate.register)) {
      new ClusterSecretChart(this, `cluster-${cluster.name}`, { fleet, cluster });
      new AdmissionPoliciesChart(this, `admission-${cluster.name}`, { fleet, cluster });
    }
    new AdmissionApplicationsChart(this, 'admission', { fleet });
    new WaveCopies(this, 'wave-copies', fleet);
    for (const cluster of fleet.clusters) {
      const apps = appsOn(fleet, cluster.name);
      if (apps.length) new ClusterAppsChart(this, `apps-${cluster.name}`, { fleet, cluster, apps });
    }
    for (const app of fleet.apps.filter(isService)) new ServiceProjectChart(this, `service-project-${app.name}`, { fleet, app });
    for (const addon of addonKeys) new AddonChart(this, `addon-${addon}`, { fleet, addon });
    new TerraformFiles(this, 'terraform', fleet);
  }
}

/**
 * Everything the files of one app (test page or service) are rendered from, and nothing else: the fingerprint
 * that lets synth skip an unchanged app (app/fingerprint.ts) hashes exactly this, so a value
 * the charts read without it being here would go stale in dist/.
 */
export interface AppInputs {
  /** The app, with its placements. */
  readonly app: App;
  /** What it reads of the clusters of its placements, in the same order. */
  readonly clusters: readonly PlacedCluster[];
  /** The DNS zone of its hostname, fleet.yaml's domain. */
  readonly domain: string;
}

/** The inputs of every app of the fleet, in fleet.yaml order. */
export function appInputs(fleet: Fleet): AppInputs[] {
  const clusters = new Map(fleet.clusters.map(({ name, ipFamily, sharedLoadBalancers, loadBalancerQuotas, identity, accountId, region }): [string, PlacedCluster] => [
    name, { name, ipFamily, sharedLoadBalancers, loadBalancerQuotas, identity, accountId, region },
  ]));
  return fleet.apps.map((app) => ({ app, clusters: app.placements.map((placement) => clusters.get(placement.cluster)!), domain: fleet.domain }));
}

export interface AppChartsProps {
  /** The apps to render: all of the fleet's, or some of them. */
  readonly apps: readonly AppInputs[];
}

/** The files of apps: each app's shared objects, and what differs per cluster it is placed on. */
export class AppCharts extends Construct {
  constructor(scope: Construct, id: string, props: AppChartsProps) {
    super(scope, id);
    for (const { app, clusters, domain } of props.apps) {
      if (app.kind === 'test') {
        new TestAppChart(this, `app-${app.name}`, { app });
        app.placements.forEach((placement, index) => {
          new TestAppPlacementChart(this, `app-${app.name}-on-${placement.cluster}`, { app, placement, cluster: clusters[index], domain });
        });
      } else {
        new ServiceAppChart(this, `app-${app.name}`, { app });
        app.placements.forEach((placement, index) => {
          new ServiceAppPlacementChart(this, `app-${app.name}-on-${placement.cluster}`, { app, placement, cluster: clusters[index], domain });
        });
      }
    }
  }
}
