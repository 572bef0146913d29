import { Construct } from 'constructs';
import { Fleet } from '../config/fleet';
import { addonKeys } from '../config/fleet-schema';
import { AddonChart } from './addons';
import {
  ArgoProjectsChart, ArgoRootChart, ArgoSelfManagementChart, ClusterSecretChart, TestAppsApplicationSetChart,
} from './argocd';
import { TestAppChart, TestAppPlacementChart } from './test-app';

/** Every chart of the fleet: what dist/ holds. */
export class FleetCharts extends Construct {
  constructor(scope: Construct, id: string, fleet: Fleet) {
    super(scope, id);
    new ArgoRootChart(this, 'argocd-root', { fleet });
    new ArgoProjectsChart(this, 'argocd-projects', { fleet });
    new ArgoSelfManagementChart(this, 'argocd-self', { fleet });
    for (const cluster of fleet.clusters.filter((candidate) => candidate.register)) {
      new ClusterSecretChart(this, `cluster-${cluster.name}`, { fleet, cluster });
    }
    new TestAppsApplicationSetChart(this, 'test-apps', { fleet });
    for (const addon of addonKeys) new AddonChart(this, `addon-${addon}`, { fleet, addon });

    const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
    for (const app of fleet.apps) {
      new TestAppChart(this, `app-${app.name}`, { app });
      for (const placement of app.placements) {
        new TestAppPlacementChart(this, `app-${app.name}-on-${placement.cluster}`, {
          app,
          placement,
          cluster: clusters.get(placement.cluster)!,
          domain: fleet.domain,
        });
      }
    }
  }
}
