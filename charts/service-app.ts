import { Construct } from 'constructs';
import { appClusterPath, appSharedPath, distLayout } from '../catalog/dist-layout';
import { replicasAnnotation, sourceVersionAnnotation } from '../catalog/test-app';
import { Placement, ServiceApp } from '../config/fleet';
import { FreeMapping } from '../config/schema-builder';
import { FileChart, ValuesFile } from './file-chart';
import { serviceIdentityValues } from '../values/service-identity';
import { appIngressManifests, PlacedCluster } from './test-app-placement';
import { appNamespace } from './test-app';

/** The labels of what the generator renders for a service (its Namespace and Ingresses). */
export function serviceLabels(app: ServiceApp): Record<string, string> {
  return { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/part-of': 'services', 'app.kubernetes.io/managed-by': 'fleet-generator' };
}

export interface ServiceAppProps {
  /** The service, with its Pod Security level, replicas and values. */
  readonly app: ServiceApp;
}

/**
 * What every cluster a service runs on shares: its Namespace at the service's Pod Security level
 * (restricted unless it declares baseline) and, for a chart, its fleet-wide Helm values
 * (apps/<app>/values.yaml, data that only Argo CD's Helm source reads).
 */
export class ServiceAppChart extends FileChart {
  constructor(scope: Construct, id: string, props: ServiceAppProps) {
    const { app } = props;
    super(scope, id, appSharedPath(app.name), { labels: serviceLabels(app) });
    // Before what the source renders into it; with the pods fleet.yaml declares per cluster, which synth and
    // npm run diff count when a placement changes.
    // And the version of its source: a later wave runs the one its pinned commit records here (charts/waves.ts).
    appNamespace(this, app.name, app.podSecurity, { [replicasAnnotation]: String(app.replicas), [sourceVersionAnnotation]: app.source.type === 'chart' ? app.source.version : app.source.revision });
    if (app.source.type === 'chart') new ValuesFile(this, 'values', distLayout.serviceValues(app.name), { ...app.values });
  }
}

export interface ServiceAppPlacementProps {
  readonly app: ServiceApp;
  /** The cluster it is placed on: what picks its ALB there, and for IRSA the role its values annotate. */
  readonly cluster: PlacedCluster;
  /** The placement, with its DNS weight (defaultDnsWeight when it has none). */
  readonly placement: Placement;
  /** The DNS zone of the app's hostname, <app>.<domain>. */
  readonly domain: string;
}

/**
 * What differs per cluster: the Ingress that puts https://<app>.<domain> on the cluster's ALB
 * (the test apps' annotations: HTTPS, the IngressGroup, the weighted record named after the
 * cluster), routed to the Service and port the source renders; and for a chart its per-cluster
 * values (apps/<app>/values/<cluster>.yaml, always there, `{}` when fleet.yaml gives none, so the
 * Application's valueFiles never name a missing file), with the role ARN written at the
 * ServiceAccount's annotations on an IRSA cluster.
 */
export class ServiceAppPlacementChart extends FileChart {
  constructor(scope: Construct, id: string, props: ServiceAppPlacementProps) {
    const { app, cluster, placement, domain } = props;
    super(scope, id, appClusterPath(app.name, cluster.name), { labels: serviceLabels(app) });
    // No sync wave of its own: the Ingress syncs with the Service it routes to (wave 0). An earlier
    // wave would wait for an ALB the controller cannot build before that Service exists.
    appIngressManifests(this, app, cluster, placement, {
      host: `${app.expose.host}.${domain}`,
      service: { name: app.expose.service, port: { number: app.expose.port } },
      healthCheckPath: app.expose.healthCheckPath,
      // Explicit: the ALB's default drain is 300 s, past the 30 s Kubernetes gives a pod before it
      // kills it, and longer than the rollout peak the capacity plan counts draining targets for.
      annotations: { 'alb.ingress.kubernetes.io/target-group-attributes': `deregistration_delay.timeout_seconds=${app.expose.deregistrationDelaySeconds}` },
    });
    if (app.source.type === 'chart') {
      new ValuesFile(this, 'values', distLayout.serviceClusterValues(app.name, cluster.name), serviceClusterValues(app, cluster));
    }
  }
}

/** `over` merged into `base`: mappings key by key, anything else replaced; neither changed. */
function mergeValues(base: FreeMapping, over: FreeMapping): FreeMapping {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const inner = merged[key];
    const mappings = [inner, value].every((candidate) => typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate));
    merged[key] = mappings ? mergeValues(inner as FreeMapping, value as FreeMapping) : value;
  }
  return merged;
}

/**
 * A chart service's values on one cluster: fleet.yaml's clusterValues, and on an IRSA cluster its
 * role at aws.irsaAnnotationsValue (values/service-identity.ts), merged so the chart's other
 * annotations there stay.
 */
export function serviceClusterValues(app: ServiceApp, cluster: PlacedCluster): FreeMapping {
  return mergeValues(app.clusterValues[cluster.name] ?? {}, serviceIdentityValues(app, cluster));
}
