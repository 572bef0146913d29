import { Construct } from 'constructs';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IService } from 'kubernetes-models/v1/Service';
import { appClusterPath } from '../catalog/dist-layout';
import { Cluster, Placement, TestApp } from '../config/fleet';
import { AppIngress, appIngresses } from '../config/load-balancer-groups';
import { nginxPaths } from '../values/test-app-site';
import { FileChart } from './file-chart';
import { Manifest } from './manifest';
import { commonLabels, selectorLabels, testAppSyncWaves } from './test-app';
import { syncWaveAnnotation } from '../catalog/argocd';
import { groupNameAnnotation } from '../catalog/test-app';

/**
 * What the files of a test app read of a cluster it is placed on: its name and IP family, and
 * what picks the app's ALB there (its shared ALBs and targets quota), and where a service's IRSA
 * role is (its identity model, account and region), nothing else (its endpoint,
 * CA, subnets and node groups go into other files). A test app's
 * fingerprint hashes exactly this (app/fingerprint.ts), so a cluster's other fields can change
 * without rendering its apps again; the type keeps the charts from reading more.
 */
export type PlacedCluster = Pick<Cluster, 'name' | 'ipFamily' | 'sharedLoadBalancers' | 'loadBalancerQuotas' | 'identity' | 'accountId' | 'region'>;

/**
 * The TLS security policy of the HTTPS listeners: TLS 1.3 and 1.2 with forward-secret ciphers only. The "Res"
 * (restricted) policy's TLS 1.2 ciphers are all ECDHE ones, which the ALB documentation ("Security policies for your
 * Application Load Balancer") says provide forward secrecy; ELBSecurityPolicy-TLS13-1-2-2021-06 also takes TLS 1.2's
 * RSA key exchange (AES128-GCM-SHA256 and the like), which does not. The controller's own default would be
 * ELBSecurityPolicy-2016-08, which still takes TLS 1.0 (v3.5.0 pkg/config/controller_config.go).
 */
export const tlsSecurityPolicy = 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06';


/**
 * What an Ingress says of its ALB rather than of its own rules and target group: the same on every Ingress, so the
 * Ingresses of a group always agree. On a conflict the controller builds no model for the whole group, and none of
 * its Ingresses gets a change until it is resolved (v3.5.0 pkg/ingress/model_build_load_balancer.go "conflicting
 * scheme", "conflicting securityGroups"; model_build_load_balancer_attributes.go; model_builder.go
 * mergeListenPortConfigs "conflicting sslPolicy", buildSSLRedirectConfig "conflicting sslRedirect port"). The ALB's
 * IP address type is the cluster's IngressClassParams' (values/aws-load-balancer-controller.ts).
 */
export const loadBalancerAnnotations: Readonly<Record<string, string>> = {
  'alb.ingress.kubernetes.io/scheme': 'internet-facing',
  // HTTPS on 443 with the ACM certificate of *.<domain> the controller discovers by host (no certificate-arn:
  // dist/terraform/ creates it, terraform/certificates.ts), and port 80 only redirects there (301), so the HTTP
  // listener holds no rules.
  'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
  'alb.ingress.kubernetes.io/ssl-redirect': '443',
  'alb.ingress.kubernetes.io/ssl-policy': tlsSecurityPolicy,
  'alb.ingress.kubernetes.io/load-balancer-attributes': 'routing.http2.enabled=true',
};

/**
 * The Route 53 weight of a placement fleet.yaml gives none: an app on one cluster, or placed by
 * default on every IPv6 cluster (an equal share each).
 */
export const defaultDnsWeight = 1;

export interface TestAppPlacementProps {
  /** The app placed. */
  readonly app: TestApp;
  /** The cluster it is placed on: its IP family decides the Service and the ALB. */
  readonly cluster: PlacedCluster;
  /** The placement, with its DNS weight (defaultDnsWeight when it has none). */
  readonly placement: Placement;
  /** The DNS zone of the app's hostname, <app>.<domain>. */
  readonly domain: string;
}

/**
 * What differs per cluster: the Service in the cluster's IP family, and the ALB Ingress, on the
 * cluster's shared ALB or one of the app's own (config/load-balancer-groups.ts), whose
 * hostname external-dns publishes as an A and an AAAA alias of the ALB, weighted, so traffic
 * moves between clusters by changing weights in fleet.yaml.
 * The ALB's IP address type is the cluster's (its IngressClassParams), never the Ingress's: the
 * same for every Ingress of a cluster, as an IngressGroup's shared ALB needs.
 */
/**
 * What keeps external-dns from publishing a walk's second Ingress: it takes its hostnames from the hostname annotation
 * only, and the Ingress has none (external-dns v0.21.0 source/ingress.go endpointsFromIngress: with
 * ingress-hostname-source annotation-only the rules' hosts are dropped; an Ingress without endpoints is skipped, the
 * fleet's external-dns having no FQDN template). The record stays the app's own Ingress's, as the ALB controller
 * still serves the host on both ALBs.
 */
export const unpublished: Readonly<Record<string, string>> = { 'external-dns.alpha.kubernetes.io/ingress-hostname-source': 'annotation-only' };

/** The annotation that orders an Ingress's rules among those of its group (v3.5.0 group_loader.go; from -1000 to 1000, 0 when absent). */
export const groupOrderAnnotation = 'alb.ingress.kubernetes.io/group.order';
/** <app>-next's order: before every other Ingress of its group, which have none (0). */
export const walkNextOrder = '-1';

/**
 * What an app's Ingress (a test page's or a service's) says of its ALB and of DNS: the settings every Ingress of a group
 * shares, its group, IP targets (IPv6 pods can only be IP targets), its health check, and the weighted records of its
 * placement when it owns DNS (config/load-balancer-groups.ts appIngresses), else none. Hosts differ between the apps
 * of a group, so their rules never overlap and need no group.order (which only orders the members' rules: v3.5.0
 * pkg/ingress/group_loader.go sortGroupMembers, then by namespace/name), but for a walk's: on the ALB an app moves to,
 * <app>-next's warm rule comes before <app>'s (order 0).
 */
export function ingressAnnotations(ingress: AppIngress, cluster: Pick<PlacedCluster, 'name'>, placement: Placement, healthCheckPath: string): Record<string, string> {
  return {
    ...loadBalancerAnnotations,
    [groupNameAnnotation]: ingress.group,
    ...(ingress.role === 'next' ? { [groupOrderAnnotation]: walkNextOrder } : {}),
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/healthcheck-path': healthCheckPath,
    // Weighted from the first placement on, even alone: adding a placement then changes only
    // weights (UPSERTs) and adds records of the same kind, never turns a simple record into weighted
    // ones. That conversion works too, but not in one step for the whole name: external-dns v0.21.0
    // deletes the old record and creates the new one in one change batch (provider/aws/aws.go,
    // sortChangesByActionNameType: UPSERT, DELETE, CREATE), and Route 53 refuses a weighted record
    // beside a simple one, so another cluster's new weighted record is refused until the simple
    // record's owner has synced, then created on retry (verify/dns-records.ts, transitionOutcome).
    // Named after the cluster, a placement keeps its record through every step.
    ...(ingress.publishesDns
      ? { 'external-dns.alpha.kubernetes.io/set-identifier': cluster.name, 'external-dns.alpha.kubernetes.io/aws-weight': String(placement.weight ?? defaultDnsWeight) }
      : unpublished),
  };
}

/** Where an app's Ingresses route its host: the Service and port, the health check, and what the app adds of its own. */
export interface AppRoute {
  /** <host>.<domain>. */
  readonly host: string;
  readonly service: { readonly name: string; readonly port: { readonly name?: string; readonly number?: number } };
  readonly healthCheckPath: string;
  /** More annotations of every Ingress of the app (its sync wave, its target group's attributes). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The Ingresses of an app placed on a cluster, a test page's or a service's: its own, and while it moves to another
 * ALB the two of the walk (config/load-balancer-groups.ts appIngresses), each routing the app's host to its Service.
 */
export function appIngressManifests(scope: Construct, app: Parameters<typeof appIngresses>[0] & { readonly name: string }, cluster: PlacedCluster, placement: Placement, route: AppRoute): void {
  for (const ingress of appIngresses(app, cluster)) {
    new Manifest<IIngress>(scope, ingress.role === 'app' ? 'ingress' : `ingress-${ingress.role}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: ingress.name,
        namespace: app.name,
        annotations: { ...route.annotations, ...ingressAnnotations(ingress, cluster, placement, route.healthCheckPath) },
      },
      spec: {
        ingressClassName: 'alb',
        rules: [{ host: route.host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: route.service } }] } }],
      },
    });
  }
}

export class TestAppPlacementChart extends FileChart {
  constructor(scope: Construct, id: string, props: TestAppPlacementProps) {
    const { app, cluster, placement, domain } = props;
    const traffic = { [syncWaveAnnotation]: testAppSyncWaves.traffic };
    super(scope, id, appClusterPath(app.name, cluster.name), { labels: commonLabels(app) });
    const metadata = { name: app.name, namespace: app.name };

    new Manifest<IService>(this, 'service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { ...metadata, annotations: traffic },
      spec: {
        type: 'ClusterIP',
        ipFamilies: [cluster.ipFamily === 'ipv6' ? 'IPv6' : 'IPv4'],
        ipFamilyPolicy: 'SingleStack',
        selector: selectorLabels(app),
        ports: [{ name: 'http', port: app.containerPort, targetPort: 'http', protocol: 'TCP' }],
      },
    });

    appIngressManifests(this, app, cluster, placement, {
      host: `${app.name}.${domain}`,
      service: { name: app.name, port: { name: 'http' } },
      healthCheckPath: nginxPaths.healthPath,
      annotations: {
        ...traffic,
        // Explicit, and what the pods' preStop pause waits out (the ALB's default is 300 s).
        'alb.ingress.kubernetes.io/target-group-attributes': `deregistration_delay.timeout_seconds=${app.rollout.deregistrationDelaySeconds}`,
      },
    });
  }
}
