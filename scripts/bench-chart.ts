/**
 * The yardstick of npm run bench: one Helm chart that renders, from a values file, the same
 * objects per test app as synth renders into dist/apps/ (Namespace, ConfigMap with the page and
 * the nginx config, Deployment, PodDisruptionBudget, and a Service and an Ingress per placement),
 * so `helm template` of it does the work synth does for the apps. A test holds the two to the
 * same objects (test/scripts/bench-chart.test.ts).
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { restrictedNamespaceLabels } from '../catalog/argocd';
import { Fleet, isTestApp } from '../config/fleet';
import { nginxImage } from '../charts/test-app';
import { defaultDnsWeight, loadBalancerAnnotations } from '../charts/test-app-placement';
import { loadBalancerAssignment } from '../config/load-balancer-groups';
import { indexHtml, nginxPaths, nginxServerConf, TestAppContent } from '../values/test-app-site';

const labels = (indent: string) => ['app.kubernetes.io/managed-by: fleet-generator', 'app.kubernetes.io/name: {{ $app.name }}', 'app.kubernetes.io/part-of: test-apps']
  .map((line) => `${indent}${line}`).join('\n');
const selector = (indent: string) => `${indent}app.kubernetes.io/name: {{ $app.name }}`;
const metadata = `metadata:
  labels:
${labels('    ')}
  name: {{ $app.name }}
  namespace: {{ $app.name }}`;

/**
 * The server config and the page as Helm templates: synth's own texts (values/test-app-site.ts),
 * with Helm's placeholders where an app's values go, so the two cannot drift apart.
 */
const placeholders = { name: '{{ .name }}', backgroundColor: '{{ .backgroundColor }}', containerPort: '{{ .containerPort }}' } as unknown as TestAppContent;
const helpers = `{{- define "conf" -}}
${nginxServerConf(placeholders)}{{ end -}}
{{- define "page" -}}
${indexHtml(placeholders)}{{ end -}}
`;

const probe = (indent: string, extra: string[]) => [`${indent}httpGet:`, `${indent}  path: ${nginxPaths.healthPath}`, `${indent}  port: http`, ...extra.map((line) => `${indent}${line}`)].join('\n');

const apps = `{{- range $app := .Values.apps }}
{{- $conf := include "conf" $app }}
{{- $page := include "page" $app }}
---
apiVersion: v1
kind: Namespace
metadata:
  annotations:
    argocd.argoproj.io/sync-wave: "-2"
  labels:
${labels('    ')}
    elbv2.k8s.aws/pod-readiness-gate-inject: enabled
${Object.entries(restrictedNamespaceLabels).map(([key, value]) => `    ${key}: ${value}`).join('\n')}
  name: {{ $app.name }}
---
apiVersion: v1
kind: ConfigMap
${metadata}
data:
  ${nginxPaths.confFile}: |
{{ $conf | indent 4 }}
  ${nginxPaths.htmlFile}: |
{{ $page | indent 4 }}
---
apiVersion: apps/v1
kind: Deployment
${metadata}
spec:
  replicas: {{ $app.replicas }}
  revisionHistoryLimit: 3
  selector:
    matchLabels:
${selector('      ')}
  strategy:
    rollingUpdate:
      maxSurge: 5%
      maxUnavailable: 5%
    type: RollingUpdate
  template:
    metadata:
      annotations:
        checksum/content: {{ printf "${nginxPaths.confFile}\\x00%s\\x00${nginxPaths.htmlFile}\\x00%s\\x00" $conf $page | sha256sum | quote }}
      labels:
${labels('        ')}
    spec:
      automountServiceAccountToken: false
      containers:
        - env:
            - name: NGINX_ENTRYPOINT_QUIET_LOGS
              value: "1"
          image: ${nginxImage}
          imagePullPolicy: IfNotPresent
          lifecycle:
            preStop:
              exec:
                command:
                  - sleep
                  - {{ $app.rollout.drainSeconds | quote }}
          livenessProbe:
            failureThreshold: 3
${probe('            ', ['initialDelaySeconds: 5', 'periodSeconds: 10'])}
          name: nginx
          ports:
            - containerPort: {{ $app.containerPort }}
              name: http
              protocol: TCP
          readinessProbe:
            failureThreshold: 2
${probe('            ', ['periodSeconds: 5'])}
          resources:
            limits:
              memory: 64Mi
            requests:
              cpu: 10m
              memory: 16Mi
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop:
                - ALL
            readOnlyRootFilesystem: true
            runAsNonRoot: true
          volumeMounts:
            - mountPath: ${nginxPaths.confDir}
              name: config
              readOnly: true
            - mountPath: ${nginxPaths.htmlDir}
              name: html
              readOnly: true
            - mountPath: /tmp
              name: tmp
      enableServiceLinks: false
      securityContext:
        runAsGroup: 101
        runAsNonRoot: true
        runAsUser: 101
        seccompProfile:
          type: RuntimeDefault
        {{- if lt (int $app.containerPort) 1024 }}
        sysctls:
          - name: net.ipv4.ip_unprivileged_port_start
            value: {{ $app.containerPort | quote }}
        {{- end }}
      terminationGracePeriodSeconds: {{ $app.rollout.terminationGracePeriodSeconds }}
      topologySpreadConstraints:
        {{- range $key := list "topology.kubernetes.io/zone" "kubernetes.io/hostname" }}
        - labelSelector:
            matchLabels:
${selector('              ')}
          maxSkew: 1
          topologyKey: {{ $key }}
          whenUnsatisfiable: ScheduleAnyway
        {{- end }}
      volumes:
        - configMap:
            items:
              - key: ${nginxPaths.confFile}
                path: ${nginxPaths.confFile}
            name: {{ $app.name }}
          name: config
        - configMap:
            items:
              - key: ${nginxPaths.htmlFile}
                path: ${nginxPaths.htmlFile}
            name: {{ $app.name }}
          name: html
        - emptyDir:
            medium: Memory
            sizeLimit: 16Mi
          name: tmp
---
apiVersion: policy/v1
kind: PodDisruptionBudget
${metadata}
spec:
  maxUnavailable: 10%
  selector:
    matchLabels:
${selector('      ')}
{{- range $placement := $app.placements }}
---
apiVersion: v1
kind: Service
metadata:
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
  labels:
${labels('    ')}
  name: {{ $app.name }}
  namespace: {{ $app.name }}
spec:
  ipFamilies:
    - {{ if eq $placement.ipFamily "ipv6" }}IPv6{{ else }}IPv4{{ end }}
  ipFamilyPolicy: SingleStack
  ports:
    - name: http
      port: {{ $app.containerPort }}
      protocol: TCP
      targetPort: http
  selector:
${selector('    ')}
  type: ClusterIP
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    external-dns.alpha.kubernetes.io/aws-weight: {{ $placement.weight | quote }}
    external-dns.alpha.kubernetes.io/set-identifier: {{ $placement.cluster }}
    alb.ingress.kubernetes.io/healthcheck-path: ${nginxPaths.healthPath}
${Object.entries(loadBalancerAnnotations).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`).join('\n')}
    alb.ingress.kubernetes.io/group.name: {{ $placement.loadBalancerGroup }}
    alb.ingress.kubernetes.io/target-group-attributes: deregistration_delay.timeout_seconds={{ $app.rollout.deregistrationDelaySeconds }}
    alb.ingress.kubernetes.io/target-type: ip
    argocd.argoproj.io/sync-wave: "-1"
  labels:
${labels('    ')}
  name: {{ $app.name }}
  namespace: {{ $app.name }}
spec:
  ingressClassName: alb
  rules:
    - host: {{ $app.name }}.{{ $.Values.domain }}
      http:
        paths:
          - backend:
              service:
                name: {{ $app.name }}
                port:
                  name: http
            path: /
            pathType: Prefix
{{- end }}
{{- end }}
`;

/** Writes the chart into `dir` (a folder of its own): Chart.yaml and its templates. */
export function writeBenchChart(dir: string): void {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: test-apps\nversion: 1.0.0\ndescription: The test apps of a fleet, as npm run synth renders them, for npm run bench\n');
  writeFileSync(join(dir, 'templates', '_helpers.tpl'), helpers);
  writeFileSync(join(dir, 'templates', 'apps.yaml'), apps);
}

/** The chart's values for a fleet: its domain, and each app with its placements (their DNS weights, defaulted), their clusters' IP families and the app's ALB there (JSON, which is YAML). */
export function benchChartValues(fleet: Fleet): string {
  const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
  return JSON.stringify({
    domain: fleet.domain,
    // The test apps: the bench measures helm with the template of their objects (a service's are its chart's).
    apps: fleet.apps.filter(isTestApp).map((app) => ({
      ...app,
      placements: app.placements.map((placement) => {
        const cluster = clusters.get(placement.cluster)!;
        return { ...placement, weight: placement.weight ?? defaultDnsWeight, ipFamily: cluster.ipFamily, loadBalancerGroup: loadBalancerAssignment(app, cluster).group };
      }),
    })),
  });
}
