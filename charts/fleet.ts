import { Construct } from 'constructs';
import { addonKeys } from '../catalog/addons';
import { App, Fleet } from '../config/fleet';
import { AddonChart } from './addon-appset';
import { ArgoProjectsChart } from './argocd-projects';
import { ArgoRootChart } from './argocd-root';
import { ArgoSelfManagementChart } from './argocd-self';
import { ClusterAppsChart } from './cluster-apps';
import { ClusterSecretChart } from './cluster-secret';
import { TerraformFiles } from './terraform';
import { TestAppChart } from './test-app';
import { TestAppPlacementChart } from './test-app-placement';

/** What the fleet has once: Argo CD's root app, projects, cluster Secrets and ApplicationSets, the add-ons, and the Terraform. */
export class FleetControlCharts extends Construct {
  constructor(scope: Construct, id: string, fleet: Fleet) {
    super(scope, id);
    new ArgoRootChart(this, 'argocd-root', { fleet });
    new ArgoProjectsChart(this, 'argocd-projects', { fleet });
    new ArgoSelfManagementChart(this, 'argocd-self', { fleet });
    for (const cluster of fleet.clusters.filter((candidate) => candidate.register)) {
      new ClusterSecretChart(this, `cluster-${cluster.name}`, { fleet, cluster });
    }
    for (const cluster of fleet.clusters) {
      const apps = fleet.apps.filter((app) => app.placements.some((placement) => placement.cluster === cluster.name));
      if (apps.length) new ClusterAppsChart(this, `apps-${cluster.name}`, { fleet, cluster, apps });
    }
    for (const addon of addonKeys) new AddonChart(this, `addon-${addon}`, { fleet, addon });
    new TerraformFiles(this, 'terraform', fleet);
  }
}

export interface TestAppChartsProps {
  /** The validated fleet, every default applied. */
  readonly fleet: Fleet;
  /** The apps to render: all of the fleet's, or a slice of them. */
  readonly apps: readonly App[];
}

/** The files of test apps: each app's shared objects, and what differs per cluster it is placed on. */
export class TestAppCharts extends Construct {
  constructor(scope: Construct, id: string, props: TestAppChartsProps) {
    super(scope, id);
    const { fleet, apps } = props;
    const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
    for (const app of apps) {
      new TestAppChart(this, `app-${app.name}`, { app });
      for (const placement of app.placements) {
        new TestAppPlacementChart(this, `app-${app.name}-on-${placement.cluster}`, {
          app,
          placement,
          cluster: clusters.get(placement.cluster)!,
          domain: fleet.domain,
          onlyIpv6: app.placements.every((candidate) => clusters.get(candidate.cluster)!.ipFamily === 'ipv6'),
        });
      }
    }
  }
}
