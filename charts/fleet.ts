import { Construct } from 'constructs';
import { App, Fleet } from '../config/fleet';
import { addonKeys } from '../config/fleet-schema';
import { AddonChart } from './addons';
import {
  ArgoProjectsChart, ArgoRootChart, ArgoSelfManagementChart, ClusterSecretChart, TestAppsApplicationSetChart,
} from './argocd';
import { TestAppChart, TestAppPlacementChart } from './test-app';

/** What the fleet has once: Argo CD's root app, projects, cluster Secrets and ApplicationSets, and the add-ons. */
export class FleetControlCharts extends Construct {
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
  }
}

export interface TestAppChartsProps {
  readonly fleet: Fleet;
  /** The apps to render: all of the fleet's, or a share of them when several threads render. */
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
        });
      }
    }
  }
}
