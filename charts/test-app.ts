import { Construct } from 'constructs';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { podSecurityLabels, syncWaveAnnotation } from '../catalog/argocd';
import { appSharedPath } from '../catalog/dist-layout';
import { testAppRollingUpdate } from '../catalog/test-app';
import images from '../data/images.json';
import { App, TestApp } from '../config/fleet';
import { contentChecksum, nginxPaths, testAppFiles } from '../values/test-app-site';
import { FileChart } from './file-chart';
import { Manifest } from './manifest';

/**
 * The nginx image (data/images.json): unprivileged (uid 101), from Amazon ECR Public, which does
 * not rate-limit pulls from AWS the way Docker Hub does, so 10000 pods can start at once; pinned
 * by digest beside the tag once `npm run refresh:images` has resolved it, so every pod of every
 * cluster runs the same bytes.
 */
export const nginxImage = imageReference(images.nginx);
const nginxUid = 101;

/** `repository:tag@digest`, or `repository:tag` while the digest is not resolved. */
export function imageReference(image: { readonly repository: string; readonly tag: string; readonly digest: string | null }): string {
  return `${image.repository}:${image.tag}${image.digest ? `@${image.digest}` : ''}`;
}

export function selectorLabels(app: App): Record<string, string> {
  return { 'app.kubernetes.io/name': app.name };
}

export function commonLabels(app: App): Record<string, string> {
  return { ...selectorLabels(app), 'app.kubernetes.io/part-of': 'test-apps', 'app.kubernetes.io/managed-by': 'fleet-generator' };
}

/**
 * The order a test app syncs in. The load balancer controller injects a pod's readiness gate
 * only when the pod's target group binding already exists, which it creates from the Ingress
 * ("create ingress or service before pod", its pod readiness gate docs); Argo CD would apply
 * the Deployment first (its default kind order). So the Namespace goes first, then the Service
 * and the Ingress, which Argo CD deems healthy once the ALB exists, then the pods.
 */
export const testAppSyncWaves = { namespace: '-2', traffic: '-1' } as const;

/**
 * An app's Namespace, a test page's or a service's: first in its sync (testAppSyncWaves), at its Pod Security level,
 * with `annotations` of its own. The load balancer controller adds a readiness gate to the app's pods (its
 * mpod.elbv2.k8s.aws webhook, failurePolicy Fail, selects the label below): a pod counts as ready only once the ALB
 * health-checks it, so a rollout never takes serving pods away before their replacements serve. A pod the ALB cannot
 * register (over the targets quota) never becomes ready: the capacity plan warns of that.
 */
export function appNamespace(scope: Construct, name: string, level: 'restricted' | 'baseline', annotations: Readonly<Record<string, string>> = {}): void {
  new Manifest<INamespace>(scope, 'namespace', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      annotations: { [syncWaveAnnotation]: testAppSyncWaves.namespace, ...annotations },
      labels: { ...podSecurityLabels(level), 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' },
    },
  });
}

export interface TestAppProps {
  /** The app, with its page, port, replicas and rollout. */
  readonly app: TestApp;
}

/**
 * What every cluster the app runs on shares: its Namespace (Pod Security "restricted"), the
 * ConfigMap with the page and the nginx config, the Deployment and its PodDisruptionBudget.
 * Replicas appear once, so scaling is a one-field change in dist/.
 */
export class TestAppChart extends FileChart {
  constructor(scope: Construct, id: string, props: TestAppProps) {
    const { app } = props;
    super(scope, id, appSharedPath(app.name), { labels: commonLabels(app) });
    const metadata = { name: app.name, namespace: app.name };

    // Before the Service and Ingress it holds (testAppSyncWaves).
    appNamespace(this, app.name, 'restricted');

    const files = testAppFiles(app);
    new Manifest<IConfigMap>(this, 'content', { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: files });

    new Manifest<IDeployment>(this, 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: app.replicas,
        revisionHistoryLimit: 3,
        selector: { matchLabels: selectorLabels(app) },
        // Percentages scale with replicas: one extra pod at 5 replicas, 500 at a time at 10000,
        // which bounds both the surge capacity and the pods out of service during a rollout
        // (the capacity plan counts the surge in nodes, addresses and ALB targets).
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: `${testAppRollingUpdate.maxSurgePercent}%`, maxUnavailable: `${testAppRollingUpdate.maxUnavailablePercent}%` },
        },
        template: {
          metadata: {
            labels: commonLabels(app),
            annotations: { 'checksum/content': contentChecksum(files) },
          },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            // Longer than the preStop pause plus nginx's own graceful quit (the image's stop
            // signal is SIGQUIT), or Kubernetes kills pods still serving (config/rules.ts).
            terminationGracePeriodSeconds: app.rollout.terminationGracePeriodSeconds,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: nginxUid,
              runAsGroup: nginxUid,
              seccompProfile: { type: 'RuntimeDefault' },
              // A non-root nginx may bind a port below 1024 only if the pod lowers this
              // namespaced sysctl (allowed under Pod Security "restricted").
              sysctls: app.containerPort < 1024
                ? [{ name: 'net.ipv4.ip_unprivileged_port_start', value: String(app.containerPort) }]
                : undefined,
            },
            // Spread over zones and nodes when possible, never at the cost of a pending pod.
            topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
              topologyKey,
              maxSkew: 1,
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selectorLabels(app) },
            })),
            containers: [{
              name: 'nginx',
              image: nginxImage,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: app.containerPort, protocol: 'TCP' }],
              env: [{ name: 'NGINX_ENTRYPOINT_QUIET_LOGS', value: '1' }],
              readinessProbe: {
                httpGet: { path: nginxPaths.healthPath, port: 'http' },
                periodSeconds: 5,
                failureThreshold: 2,
              },
              // The ALB keeps routing to a pod for a moment after it starts to go, and lets the
              // requests in flight run for the deregistration delay: nginx keeps serving through
              // both (config/fleet.ts minimumDrainSeconds), and only then gets its stop signal.
              // (The image's busybox has sleep.)
              lifecycle: { preStop: { exec: { command: ['sleep', String(app.rollout.drainSeconds)] } } },
              livenessProbe: {
                httpGet: { path: nginxPaths.healthPath, port: 'http' },
                initialDelaySeconds: 5,
                periodSeconds: 10,
                failureThreshold: 3,
              },
              // Sized so 10000 pods fit about 100 m5.large nodes (2 vCPU, 8 GiB, 110 pods each).
              resources: {
                requests: { cpu: '10m', memory: '16Mi' },
                limits: { memory: '64Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'config', mountPath: nginxPaths.confDir, readOnly: true },
                { name: 'html', mountPath: nginxPaths.htmlDir, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: app.name, items: [{ key: nginxPaths.confFile, path: nginxPaths.confFile }] } },
              { name: 'html', configMap: { name: app.name, items: [{ key: nginxPaths.htmlFile, path: nginxPaths.htmlFile }] } },
              { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
            ],
          },
        },
      },
    });

    new Manifest<IPodDisruptionBudget>(this, 'disruption-budget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: { maxUnavailable: '10%', selector: { matchLabels: selectorLabels(app) } },
    });
  }
}
