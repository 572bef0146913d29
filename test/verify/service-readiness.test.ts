import { spawnSync } from 'child_process';
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { CheckResult, servicesCheck } from '../../app/checks';
import { Fleet } from '../../config/fleet';
import { parseFleet } from '../../config/load';
import { chartApplications } from '../../verify/chart-renders';
import { helmBinary, helmUnavailable } from '../../verify/helm';
import { renderServices } from '../../verify/service-renders';
import { testAppsFleetText, demoFleetText } from '../support/fixtures';

import { serviceDist, serviceRepository, testGit } from '../support/service-dist';

// podinfo 6.14.1 (vendor/charts/, a copy of ../shared/charts/archives/) and the paths of
// test/fixtures/services/, rendered by the real helm and kubectl offline. On CI a missing helm
// fails these tests; elsewhere (another platform) they are skipped with a message.
const unavailable = helmUnavailable();
const onCi = Boolean(process.env.CI) && process.env.CI !== 'false';
if (unavailable && !onCi) console.warn(`Skipping the services checks: ${unavailable}.`);
const describeHelm = unavailable && !onCi ? describe.skip : describe;
jest.setTimeout(120_000);

/** podinfo's values that make it Pod Security "restricted" (its chart sets no securityContext by default). */
const restrictedValues = `
      securityContext:
        runAsNonRoot: true
        runAsUser: 100
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: { drop: [ALL] }
        seccompProfile: { type: RuntimeDefault }`;

/** podinfo from its vendored archive, as fleet.yaml's apps item; `values` and `extra` are YAML lines appended to its values and to the item. */
function podinfo({ name = 'podinfo', values = '', extra = '', replicas = 4, clusters = '[ipv6-east]', source = '' } = {}): string {
  return `  - name: ${name}
    source:
${source || `      chart:
        repoURL: https://stefanprodan.github.io/podinfo
        name: podinfo
        version: 6.14.1
        archive: vendor/charts/podinfo-6.14.1.tgz`}
    values:
      replicaCount: ${replicas}${restrictedValues}${values}
    expose: { service: podinfo, port: 9898, healthCheckPath: /readyz }
    replicas: ${replicas}
    clusters: ${clusters}
${extra}`;
}

/** A git service on a path of this repository (the demo fleet's repo.url). */
function gitService(name: string, path: string, extra = ''): string {
  return `  - name: ${name}
    source:
      git:
        repoURL: https://github.com/example-org/eks-ipv6-gitops.git
        revision: v1.2.3
        path: ${path}
    expose: { service: hello, port: 80 }
    replicas: 2
    clusters: [ipv6-east]
${extra}`;
}

describeHelm('the services check: each service rendered as Argo CD would, and what breaks on its cluster', () => {
  let repository: string;
  beforeAll(() => {
    repository = serviceRepository();
    // podinfo-plus: podinfo as a subchart, and objects a team's chart may add, each behind a value (planted defects).
    const chart = join(repository, 'build', 'podinfo-plus');
    mkdirSync(join(chart, 'charts'), { recursive: true });
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: podinfo-plus\nversion: 0.1.0\n');
    spawnSync('cp', [join(repository, 'vendor', 'charts', 'podinfo-6.14.1.tgz'), join(chart, 'charts')]);
    writeFileSync(join(chart, 'templates', 'extra.yaml'), `{{- with .Values.extraService }}
apiVersion: v1
kind: Service
metadata:
  name: {{ .name }}
spec:
  {{- with .ipFamilyPolicy }}
  ipFamilyPolicy: {{ . }}
  {{- end }}
  {{- with .ipFamilies }}
  ipFamilies: {{ toJson . }}
  {{- end }}
  selector: { app: extra }
  ports: [{ port: 80, targetPort: 8080 }]
{{- end }}
{{- if .Values.hostNetworkPod }}
---
apiVersion: v1
kind: Pod
metadata:
  name: on-host
spec:
  hostNetwork: true
  containers:
    - name: main
      image: busybox:1.37
{{- end }}
{{- if .Values.clusterRole }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ .Release.Name }}-reader
rules: []
{{- end }}
{{- with .Values.configData }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  {{- with $.Values.configNamespace }}
  namespace: {{ . }}
  {{- end }}
data: {{ toJson . }}
{{- end }}
{{- with .Values.certificate }}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: podinfo-tls
spec:
  secretName: podinfo-tls
  dnsNames: [podinfo.podinfo.svc]
  issuerRef: { kind: ClusterIssuer, name: {{ .issuer }} }
{{- end }}
{{- with .Values.serviceMonitor }}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: podinfo
spec:
  selector: {}
  endpoints: [{ port: http }]
{{- end }}
{{- if .Values.capabilities }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: capabilities
data:
  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
  certificates: {{ .Capabilities.APIVersions.Has "cert-manager.io/v1/Certificate" | quote }}
{{- end }}
{{- with .Values.serviceAccount }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-sa
  {{- with .annotations }}
  annotations: {{ toJson . }}
  {{- end }}
{{- end }}
`);
    const packed = spawnSync(helmBinary(), ['package', chart, '--destination', join(repository, 'vendor', 'charts')], { encoding: 'utf8', env: { PATH: process.env.PATH, HELM_CACHE_HOME: join(repository, 'build', 'cache'), HELM_CONFIG_HOME: join(repository, 'build', 'config'), HELM_DATA_HOME: join(repository, 'build', 'data') } });
    if (packed.status !== 0) throw new Error(packed.stderr);
  });
  afterAll(() => rmSync(repository, { recursive: true, force: true }));

  /** podinfo-plus from its archive: the wrapper's own values, and podinfo's under `podinfo:`. */
  function podinfoPlus({ values = '', extra = '', clusters = '[ipv6-east]', name = 'podinfo' } = {}): string {
    return `  - name: ${name}
    source:
      chart:
        repoURL: oci://registry.example.com/charts
        name: podinfo-plus
        version: 0.1.0
        archive: vendor/charts/podinfo-plus-0.1.0.tgz
    values:
      podinfo:
        replicaCount: 4${restrictedValues.replace(/\n/g, '\n  ')}${values}
    expose: { service: podinfo, port: 9898 }
    replicas: 4
    clusters: ${clusters}
${extra}`;
  }

  const fleetWith = (apps: string, edit: (text: string) => string = (text) => text): Fleet => parseFleet(edit(`${testAppsFleetText}${apps}`), 'fleet.yaml');
  const check = (fleet: Fleet): Promise<CheckResult> => servicesCheck(fleet, serviceDist(fleet), false, { repoRoot: repository });
  const errorsOf = (result: CheckResult) => (result.details ?? []).filter((line) => !line.startsWith('warning: ') && !line.includes(': not checked: '));
  const warningsOf = (result: CheckResult) => (result.details ?? []).filter((line) => line.startsWith('warning: '));

  test('podinfo with restricted, IPv6-correct values, migrating from the IPv4 cluster with weights, has no findings on either cluster', async () => {
    // GIVEN podinfo on legacy-ipv4 and ipv6-east, replicas from the per-cluster values (later files win)
    const fleet = fleetWith(podinfo({
      replicas: 4,
      clusters: '[{ name: legacy-ipv4, weight: 90 }, { name: ipv6-east, weight: 10 }]',
      values: '\n      ui: { message: everywhere }',
      extra: '    clusterValues:\n      ipv6-east: { replicaCount: 4 }\n      legacy-ipv4: { replicaCount: 4 }\n',
    }).replace('replicaCount: 4\n', 'replicaCount: 1\n'));
    // WHEN
    const result = await check(fleet);
    // THEN
    expect(result.details).toEqual([]);
    expect(result.status).toBe('ok');
    expect(result.summary).toMatch(/^1 of 1 services rendered as Argo CD would on 2 placements/);
  });

  test('helm renders with the release name, the namespace, the cluster\'s Kubernetes version and the values files in order', async () => {
    // GIVEN podinfo with a message in values.yaml and another in the cluster's values file
    const fleet = fleetWith(podinfo({ name: 'web', values: '\n      ui: { message: everywhere }', extra: '    clusterValues:\n      ipv6-east: { ui: { message: east } }\n' }).replace('service: podinfo', 'service: web-podinfo'));
    // WHEN
    const { renders, errors } = await renderServices(fleet, serviceDist(fleet), { repoRoot: repository });
    // THEN the cluster's file wins, the objects are the release's (podinfo names them <release>-podinfo) in the app's namespace
    expect(errors).toEqual([]);
    const deployment = renders[0].objects.find((object) => object.kind === 'Deployment')!;
    expect(deployment.metadata).toMatchObject({ name: 'web-podinfo', namespace: 'web' });
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({ name: 'PODINFO_UI_MESSAGE', value: 'east' });
  });

  test('helm gets the cluster\'s Kubernetes version and the API versions of its add-ons\' CRDs, as Argo CD passes them', async () => {
    // GIVEN a chart that renders what helm's Capabilities say, on a cluster with cert-manager and one without
    const noCertManager = (text: string) => text.replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    addons: { certManager: false }\n');
    const fleet = fleetWith(podinfoPlus({ clusters: '[{ name: legacy-ipv4, weight: 50 }, { name: ipv6-east, weight: 50 }]', values: '\n      capabilities: true' }), noCertManager);
    // WHEN
    const { renders } = await renderServices(fleet, serviceDist(fleet), { repoRoot: repository });
    // THEN
    const capabilities = (cluster: string) => renders.find((render) => render.cluster.name === cluster)!.objects.find((object) => object.metadata.name === 'capabilities')!.data;
    expect(capabilities('ipv6-east')).toEqual({ kubeVersion: 'v1.35.0', certificates: 'true' });
    expect(capabilities('legacy-ipv4')).toEqual({ kubeVersion: 'v1.35.0', certificates: 'false' });
  });

  test('a chart service whose values files are not in dist/ is an error: synth has not rendered it', async () => {
    const fleet = fleetWith(podinfo());
    const errors = errorsOf(await servicesCheck(fleet, new Map(), false, { repoRoot: repository }));
    expect(errors).toEqual(['podinfo on ipv6-east: dist/apps/podinfo/values.yaml and dist/apps/podinfo/values/ipv6-east.yaml not rendered: run npm run synth (Argo CD\'s Application names these values files)']);
  });

  test('a distinct source, values and cluster version renders once, however many placements share it', async () => {
    // GIVEN two services of the same chart and values, each on both clusters (both run Kubernetes 1.35)
    const fleet = fleetWith(podinfo({ clusters: '[{ name: legacy-ipv4, weight: 50 }, { name: ipv6-east, weight: 50 }]' }) + podinfo({ name: 'podinfo-two', clusters: '[{ name: legacy-ipv4, weight: 50 }, { name: ipv6-east, weight: 50 }]' }));
    // WHEN
    const outcome = await renderServices(fleet, serviceDist(fleet), { repoRoot: repository });
    // THEN four placements, rendered twice (the release name and namespace differ by app)
    expect(outcome.renders).toHaveLength(4);
    expect(outcome.distinctRenders).toBe(2);
  });

  test('a Service forced to IPv4 fails on the IPv6 cluster, not on the IPv4 one; RequireDualStack fails on both', async () => {
    // GIVEN podinfo-plus with an extra IPv4-only Service, on both clusters of a migration
    const fleet = fleetWith(podinfoPlus({ clusters: '[{ name: legacy-ipv4, weight: 50 }, { name: ipv6-east, weight: 50 }]', values: '\n      extraService: { name: legacy, ipFamilies: [IPv4] }' })
      + podinfoPlus({ name: 'dual', clusters: '[{ name: legacy-ipv4, weight: 50 }, { name: ipv6-east, weight: 50 }]', values: '\n      extraService: { name: both, ipFamilyPolicy: RequireDualStack }' }).replace('service: podinfo', 'service: dual'));
    // WHEN
    const result = await check(fleet);
    // THEN
    expect(result.status).toBe('failed');
    const errors = errorsOf(result);
    expect(errors).toContain('apps[3] podinfo on ipv6-east: Service/legacy: spec.ipFamilies: is [IPv4]: ipv6-east is an IPv6-only EKS cluster (EKS gives Services one family), so the API server refuses IPv4; leave ipFamilies out (the cluster\'s family is the default) or set [IPv6]');
    expect(errors.filter((line) => line.includes('Service/legacy'))).toHaveLength(1);
    expect(errors).toContainEqual(expect.stringMatching(/^apps\[4\] dual on legacy-ipv4: Service\/both: spec.ipFamilyPolicy: is RequireDualStack: legacy-ipv4 is an IPv4-only EKS cluster/));
    expect(errors).toContainEqual(expect.stringMatching(/^apps\[4\] dual on ipv6-east: Service\/both: spec.ipFamilyPolicy: is RequireDualStack/));
  });

  test('an IPv6 Service on the IPv4 cluster of a migration fails there', async () => {
    const fleet = fleetWith(podinfoPlus({ clusters: '[legacy-ipv4]', values: '\n      extraService: { name: new, ipFamilies: [IPv6] }' }));
    const errors = errorsOf(await check(fleet));
    expect(errors).toEqual([expect.stringMatching(/^apps\[3\] podinfo on legacy-ipv4: Service\/new: spec.ipFamilies: is \[IPv6\]: legacy-ipv4 is an IPv4-only EKS cluster/)]);
  });

  test('hostNetwork and hostPort are reported with the field and the fix', async () => {
    // GIVEN podinfo's own hostPort value, and a pod on the host network; baseline, so that Pod Security's own findings are about them alone
    const fleet = fleetWith(podinfoPlus({ values: '\n        service: { hostPort: 9898 }\n      hostNetworkPod: true', extra: '    podSecurity: baseline\n' }));
    // WHEN
    const errors = errorsOf(await check(fleet));
    // THEN
    expect(errors).toContainEqual(expect.stringMatching(/^apps\[3\] podinfo on ipv6-east: Pod\/on-host: spec.hostNetwork: is true: the pods take the node's addresses .*remove hostNetwork$/));
    expect(errors).toContainEqual(expect.stringMatching(/^apps\[3\] podinfo on ipv6-east: Deployment\/podinfo: spec.template.spec.containers\[0\] \(podinfo\).ports\[0\].hostPort: is 9898: the pod binds a port of the node/));
  });

  test('0.0.0.0 and 127.0.0.1 in args, env or a ConfigMap are warnings on an IPv6 cluster, not on an IPv4 one', async () => {
    // GIVEN podinfo told to listen on 0.0.0.0, an env and a ConfigMap with IPv4-only addresses, on both clusters
    const fleet = fleetWith(podinfoPlus({
      clusters: '[{ name: legacy-ipv4, weight: 50 }, { name: ipv6-east, weight: 50 }]',
      values: '\n        host: 0.0.0.0\n        extraEnvs: [{ name: UPSTREAM, value: "http://127.0.0.1:6379" }, { name: NOT_AN_ADDRESS, value: "10.0.0.0.1" }]\n      configData: { listen: "0.0.0.0:8080", peer: "[::1]:8080" }',
    }));
    // WHEN
    const result = await check(fleet);
    // THEN they pass, with warnings on ipv6-east only
    expect(errorsOf(result)).toEqual([]);
    expect(result.status).toBe('ok');
    const warnings = warningsOf(result);
    expect(warnings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^warning: apps\[3\] podinfo on ipv6-east: Deployment\/podinfo: spec.template.spec.containers\[0\] \(podinfo\).command\[\d\]: holds 0.0.0.0 \("--host=0.0.0.0"\): .*use \[::\]/),
      expect.stringMatching(/^warning: apps\[3\] podinfo on ipv6-east: Deployment\/podinfo: spec.template.spec.containers\[0\] \(podinfo\).env UPSTREAM: holds 127.0.0.1/),
      expect.stringMatching(/^warning: apps\[3\] podinfo on ipv6-east: ConfigMap\/settings: data.listen: holds 0.0.0.0/),
    ]));
    expect(warnings).toHaveLength(3);
  });

  test('Pod Security is checked at the app\'s level: restricted by default, baseline when declared', async () => {
    // GIVEN podinfo without its securityContext values (restricted), and with podSecurity: baseline
    const bare = podinfo().replace(restrictedValues, '');
    const restricted = errorsOf(await check(fleetWith(bare)));
    const baseline = errorsOf(await check(fleetWith(`${bare}    podSecurity: baseline\n`)));
    // THEN restricted refuses it, naming the container and the fix; baseline takes it
    expect(restricted).toContainEqual('apps[3] podinfo on ipv6-east: Deployment/podinfo: spec.template.spec: Pod Security "restricted" (the level of namespace podinfo): container podinfo does not set allowPrivilegeEscalation: false: admission refuses the pods; fix the values (or declare podSecurity: baseline if the service needs it)');
    expect(baseline).toEqual([]);
  });

  test('baseline still refuses a capability beyond the runtime\'s defaults', async () => {
    const fleet = fleetWith(`${podinfo({ values: '\n      securityContext: { capabilities: { add: [NET_ADMIN] } }' }).replace(restrictedValues, '')}    podSecurity: baseline\n`);
    const errors = errorsOf(await check(fleet));
    expect(errors).toEqual([expect.stringContaining('Deployment/podinfo: spec.template.spec: Pod Security "baseline" (the level of namespace podinfo): container podinfo adds capabilities NET_ADMIN')]);
  });

  test('a cluster-scoped kind the app does not declare fails (the project would refuse the sync); declared, it passes', async () => {
    const undeclared = errorsOf(await check(fleetWith(podinfoPlus({ values: '\n      clusterRole: true' }))));
    const declared = errorsOf(await check(fleetWith(podinfoPlus({ values: '\n      clusterRole: true', extra: '    clusterResources: [{ group: rbac.authorization.k8s.io, kind: ClusterRole }]\n' }))));
    expect(undeclared).toEqual(['apps[3] podinfo on ipv6-east: ClusterRole/podinfo-reader: kind: ClusterRole (group rbac.authorization.k8s.io) is cluster-scoped and not in the app\'s clusterResources: its AppProject fleet-service-podinfo refuses the sync; add { group: "rbac.authorization.k8s.io", kind: ClusterRole } to clusterResources or take it out of the source']);
    expect(declared).toEqual([]);
  });

  test('an object in another namespace than the app\'s fails', async () => {
    const errors = errorsOf(await check(fleetWith(podinfoPlus({ values: '\n      configData: { mode: fast }\n      configNamespace: kube-system' }))));
    expect(errors).toEqual(['apps[3] podinfo on ipv6-east: ConfigMap/settings: metadata.namespace: is kube-system: the app\'s objects go in its namespace podinfo (its AppProject fleet-service-podinfo admits no other); leave metadata.namespace out or set podinfo']);
  });

  test('the exposed Service and port must be in the render', async () => {
    const noService = errorsOf(await check(fleetWith(podinfo().replace('service: podinfo', 'service: web'))));
    const noPort = errorsOf(await check(fleetWith(podinfo().replace('port: 9898', 'port: 80'))));
    expect(noService).toEqual([expect.stringMatching(/^apps\[3\] podinfo on ipv6-east: expose.service: is web, but the source renders no such Service \(it renders podinfo\)/)]);
    expect(noPort).toEqual([expect.stringMatching(/^apps\[3\] podinfo on ipv6-east: Service\/podinfo: spec.ports: has 9898, 9999, not expose.port 80/)]);
  });

  test('replicas the render does not have fail; a rollout that peaks above the plan\'s 25%/25% is a warning', async () => {
    // GIVEN podinfo rendering 3 replicas where the app declares 4; and 2 replicas with podinfo's maxUnavailable: 1
    const mismatch = await check(fleetWith(podinfo().replace('replicaCount: 4', 'replicaCount: 3')));
    const peak = await check(fleetWith(podinfo({ replicas: 2 })));
    // THEN
    expect(errorsOf(mismatch)).toEqual(['apps[3] podinfo on ipv6-east: Deployment/podinfo: spec.replicas: is 3, but the app declares replicas: 4, which the capacity plan and the ALB targets count: set the chart\'s replicas value to 4, or replicas to 3']);
    expect(errorsOf(peak)).toEqual([]);
    expect(warningsOf(peak)).toEqual([expect.stringMatching(/^warning: apps\[3\] podinfo on ipv6-east: Deployment\/podinfo: spec.strategy.rollingUpdate: maxSurge 25% \(default\), maxUnavailable 1 make 5 pods at a rollout's peak, but the plan counts 4 \(25%\/25%\)/)]);
  });

  test('on an IRSA cluster the app\'s ServiceAccount must carry its role, where irsaAnnotationsValue puts it', async () => {
    // GIVEN legacy-ipv4 on IRSA; podinfo-plus's ServiceAccount takes annotations at serviceAccount.annotations, podinfo's own takes none
    const irsa = (text: string) => text.replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    identity: irsa\n');
    const aws = (value: string, account = 'app-sa') => `    aws: { serviceAccount: ${account}, policyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess], irsaAnnotationsValue: ${value} }\n`;
    const good = await check(fleetWith(podinfoPlus({ clusters: '[legacy-ipv4]', values: '\n      serviceAccount: { create: true }', extra: aws('serviceAccount.annotations') }), irsa));
    const wrongPath = await check(fleetWith(podinfoPlus({ clusters: '[legacy-ipv4]', values: '\n      serviceAccount: { create: true }', extra: aws('podinfo.serviceAccount.annotations') }), irsa));
    const missing = await check(fleetWith(podinfoPlus({ clusters: '[legacy-ipv4]', values: '\n      serviceAccount: { create: true }', extra: aws('serviceAccount.annotations', 'podinfo') }), irsa));
    // THEN
    expect(errorsOf(good)).toEqual([]);
    expect(errorsOf(wrongPath)).toEqual([expect.stringMatching(/^apps\[3\] podinfo on legacy-ipv4: ServiceAccount\/app-sa: metadata.annotations: has no eks.amazonaws.com\/role-arn on legacy-ipv4, an IRSA cluster: the values path aws.irsaAnnotationsValue \(podinfo.serviceAccount.annotations\) is not where the chart takes/)]);
    expect(errorsOf(missing)).toEqual([expect.stringMatching(/^apps\[3\] podinfo on legacy-ipv4: aws.serviceAccount: is podinfo, but the source renders no such ServiceAccount/)]);
  });

  test('the schema checks: an object the API server would refuse fails', async () => {
    const errors = errorsOf(await check(fleetWith(podinfoPlus({ values: '\n      extraService: { name: bad, ipFamilyPolicy: Sometimes }' }))));
    expect(errors).toEqual([expect.stringMatching(/^apps\[3\] podinfo on ipv6-east: Service\/bad: spec.ipFamilyPolicy: .*the API server refuses it$/)]);
  });

  test('a custom kind passes where the cluster\'s add-ons serve it, and fails where nothing does', async () => {
    // GIVEN a cert-manager Certificate (the demo's clusters run cert-manager) and a Prometheus ServiceMonitor (no add-on serves it)
    const fleet = fleetWith(podinfoPlus({ values: '\n      certificate: { issuer: self-signed }\n      serviceMonitor: { port: http }' }));
    const { renders } = await renderServices(fleet, serviceDist(fleet), { repoRoot: repository });
    expect(renders[0].objects.map((object) => object.kind)).toEqual(expect.arrayContaining(['Certificate', 'ServiceMonitor']));
    const errors = errorsOf(await check(fleet));
    expect(errors).toEqual(['apps[3] podinfo on ipv6-east: ServiceMonitor/podinfo: (root): no schema for apiVersion monitoring.coreos.com/v1, kind ServiceMonitor: the API server refuses it']);
  });

  test('a chart not vendored, an OCI chart and a git path of another repository are listed as not checked, with the reason', async () => {
    const notVendored = podinfo().replace('        archive: vendor/charts/podinfo-6.14.1.tgz\n', '');
    const oci = podinfo({ name: 'podinfo-oci' }).replace(/repoURL: https:\/\/stefanprodan.github.io\/podinfo\n(.*\n.*\n).*archive.*\n/, 'repoURL: oci://ghcr.io/stefanprodan/charts\n$1');
    const elsewhere = gitService('payments', 'deploy/production').replace('example-org/eks-ipv6-gitops.git', 'example-org/payments.git');
    const result = await check(fleetWith(notVendored + oci + elsewhere));
    expect(result.status).toBe('ok');
    expect(result.summary).toMatch(/^0 of 3 services rendered .*; 3 not checked \(listed: not reachable offline\)$/);
    expect(result.details).toEqual([
      'podinfo: not checked: chart podinfo 6.14.1 from https://stefanprodan.github.io/podinfo is not vendored: add source.chart.archive (the chart\'s .tgz in this repository) to have it checked offline',
      'podinfo-oci: not checked: chart podinfo 6.14.1 from oci://ghcr.io/stefanprodan/charts is not vendored: add source.chart.archive (the chart\'s .tgz in this repository) to have it checked offline',
      'payments: not checked: git path deploy/production of https://github.com/example-org/payments.git at v1.2.3 is not in this repository (https://github.com/example-org/eks-ipv6-gitops.git): Argo CD renders it; the check cannot reach it offline',
    ]);
  });

  test('an archive that is not the source\'s chart, or is missing, is an error naming the field', async () => {
    const otherVersion = podinfo().replace('version: 6.14.1', 'version: 6.14.0');
    const otherName = podinfo({ name: 'renamed' }).replace('name: podinfo\n        version', 'name: podinfo-x\n        version');
    const missing = podinfo({ name: 'gone' }).replace('podinfo-6.14.1.tgz', 'podinfo-9.9.9.tgz');
    const errors = errorsOf(await check(fleetWith(otherVersion + otherName + missing)));
    expect(errors).toEqual(expect.arrayContaining([
      'apps[3].source.chart.version: is 6.14.0, but vendor/charts/podinfo-6.14.1.tgz holds podinfo 6.14.1: vendor version 6.14.0, or pin the version the archive holds',
      'apps[4].source.chart.name: is podinfo-x, but vendor/charts/podinfo-6.14.1.tgz holds chart podinfo: vendor chart podinfo-x 6.14.1, or name the chart the archive holds',
      expect.stringMatching(/^apps\[5\].source.chart.archive: vendor\/charts\/podinfo-9.9.9.tgz is not a file of this repository: vendor the chart's .tgz there \(helm pull --repo https:\/\/stefanprodan.github.io\/podinfo podinfo --version 6.14.1\)/),
    ]));
  });

  test('git paths of this repository are rendered as Argo CD does (plain files, kustomize) and checked', async () => {
    // GIVEN the same service as plain files, as a kustomization, and as a kustomization whose patch forces IPv4
    const fleet = fleetWith(gitService('hello', 'test/fixtures/services/hello-plain')
      + gitService('hello-k', 'test/fixtures/services/hello-kustomize/base')
      + gitService('hello-v4', 'test/fixtures/services/hello-kustomize/ipv4')
      + gitService('nowhere', 'test/fixtures/services/none'));
    // WHEN
    const outcome = await renderServices(fleet, new Map(), { repoRoot: repository });
    const result = await check(fleet);
    // THEN the plain folder's two manifests (its README is not one), kustomize's labels, and only the patched one fails
    expect(outcome.renders.map((render) => [render.app.name, render.objects.map((object) => `${object.kind}/${object.metadata.name}`)])).toEqual([
      ['hello', ['Deployment/hello', 'Service/hello']],
      ['hello-k', ['Service/hello', 'Deployment/hello']],
      ['hello-v4', ['Service/hello', 'Deployment/hello']],
    ]);
    expect(outcome.renders[1].objects[0].metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'hello' });
    expect(errorsOf(result)).toEqual([
      expect.stringMatching(/^apps\[6\].source.git.path: test\/fixtures\/services\/none is not a folder of this repository/),
      expect.stringMatching(/^apps\[5\] hello-v4 on ipv6-east: Service\/hello: spec.ipFamilies: is \[IPv4\]/),
    ]);
  });

  test('an exposed Service without a selector is an error: the ALB would send the app\'s host to whatever endpoints someone writes', async () => {
    expect(errorsOf(await check(fleetWith(gitService('hello', 'test/fixtures/services/hello-selectorless'))))).toEqual([
      expect.stringMatching(/^apps\[3\] hello on ipv6-east: Service\/hello: spec.selector: is empty: a Service without a selector gets its endpoints from whoever writes them/),
    ]);
  });

  test('pods that are killed before the ALB has drained them are a warning, naming the grace period and the delay', async () => {
    const withDelay = (delay: number) => fleetWith(gitService('hello', 'test/fixtures/services/hello-plain').replace('expose: { service: hello, port: 80 }', `expose: { service: hello, port: 80, deregistrationDelaySeconds: ${delay} }`));
    expect(warningsOf(await check(withDelay(30)))).toEqual([]);
    expect(warningsOf(await check(withDelay(60)))).toEqual([
      'warning: apps[3] hello on ipv6-east: Deployment/hello: spec.template.spec.terminationGracePeriodSeconds: is 30 (Kubernetes\' default), shorter than expose.deregistrationDelaySeconds 60: a pod going away is killed while the ALB still finishes requests on it; lower the delay to 30 or raise the chart\'s grace period',
    ]);
  });

  test('a git path holding a chart is rendered with helm as Argo CD renders it: released under the Application\'s name, per cluster; one with dependencies it does not vendor is listed as not checked', async () => {
    // GIVEN the chart of test/fixtures/services/hello-chart at v1.2.3, and at v1.2.4 a copy forcing IPv4 and one with a dependency
    const copy = (to: string, values: string, chartExtra = '') => {
      spawnSync('cp', ['-r', join(repository, 'test', 'fixtures', 'services', 'hello-chart'), join(repository, to)]);
      writeFileSync(join(repository, to, 'values.yaml'), values);
      if (chartExtra) writeFileSync(join(repository, to, 'Chart.yaml'), `apiVersion: v2\nname: hello-chart\nversion: 0.1.0\n${chartExtra}`);
    };
    copy('charts-v4', 'replicas: 2\nipFamilies: [IPv4]\n');
    copy('charts-deps', 'replicas: 2\n', 'dependencies:\n  - { name: redis, version: 1.0.0, repository: https://charts.example.com }\n');
    testGit(repository, 'add', '--all');
    testGit(repository, 'commit', '--quiet', '--message', 'Charts in git');
    testGit(repository, 'tag', 'v1.2.4');
    const at124 = (name: string, path: string) => gitService(name, path).replace('revision: v1.2.3', 'revision: v1.2.4');
    const fleet = fleetWith(gitService('hello-chart', 'test/fixtures/services/hello-chart').replace('clusters: [ipv6-east]', 'clusters: [{ name: legacy-ipv4, weight: 1 }, { name: ipv6-east, weight: 1 }]')
      + at124('hello-v4', 'charts-v4') + at124('hello-deps', 'charts-deps'));
    // WHEN
    const outcome = await renderServices(fleet, new Map(), { repoRoot: repository });
    const result = await check(fleet);
    // THEN the chart is helm's render (its templates, not its files as manifests), released as <app>-<cluster> on each cluster
    expect(outcome.renders.map((render) => [render.app.name, render.cluster.name, render.objects.map((object) => `${object.kind}/${object.metadata.name} ${object.metadata.labels?.release}`)])).toEqual([
      ['hello-chart', 'legacy-ipv4', ['Service/hello hello-chart-legacy-ipv4', 'Deployment/hello hello-chart-legacy-ipv4']],
      ['hello-chart', 'ipv6-east', ['Service/hello hello-chart-ipv6-east', 'Deployment/hello hello-chart-ipv6-east']],
      ['hello-v4', 'ipv6-east', ['Service/hello hello-v4-ipv6-east', 'Deployment/hello hello-v4-ipv6-east']],
    ]);
    // AND the IPv4-only Service is caught; the chart with a dependency is not checked, with the reason
    expect(errorsOf(result)).toEqual([expect.stringMatching(/^apps\[4\] hello-v4 on ipv6-east: Service\/hello: spec.ipFamilies: is \[IPv4\]/)]);
    expect(outcome.notChecked).toEqual(['hello-deps: not checked: git path charts-deps at v1.2.4 is a Helm chart with dependencies it does not vendor in charts/: Argo CD downloads them; the check cannot offline (vendor them with helm dependency build and commit charts/ to have it checked)']);
  });

  test('a source that reaches past its namespace and host fails on each object, with the field and the fix: Namespace, Ingress, LoadBalancer and NodePort Services, TargetGroupBinding, endpoints, RBAC that writes them or the Namespace, aggregated ClusterRoles, ALB and external-dns annotations, a Secret\'s data', async () => {
    // GIVEN a git path that renders a Namespace app0 labelled privileged, an Ingress on the shared ALB group with order -1000 and another app's host, ...
    const errors = errorsOf(await check(fleetWith(gitService('hostile', 'test/fixtures/services/hostile'))));
    const at = (object: string, rest: string) => expect.stringContaining(`apps[3] hostile on ipv6-east: ${object}: ${rest}`);
    // THEN each is an error naming the object and field, with the fix
    expect(errors).toEqual(expect.arrayContaining([
      at('Namespace/app0', 'kind: a source may not render a Namespace: the generator renders namespace hostile'),
      at('Ingress/take-over', 'kind: a source may not render an Ingress'),
      at('Ingress/take-over', 'metadata.annotations.alb.ingress.kubernetes.io/group.name: is the AWS Load Balancer Controller\'s or external-dns\'s'),
      at('Ingress/take-over', 'metadata.annotations.alb.ingress.kubernetes.io/group.order: '),
      at('Service/hello-lb', 'spec.type: is LoadBalancer'),
      at('Service/hello-lb', 'metadata.annotations.external-dns.alpha.kubernetes.io/hostname: '),
      at('Service/hello-node', 'spec.type: is NodePort'),
      at('TargetGroupBinding/hello', 'kind: a source may not render a TargetGroupBinding'),
      at('Secret/credentials', 'stringData: holds password: a Secret\'s data in the render is in git'),
      at('EndpointSlice/hello-elsewhere', 'kind: a source may not render EndpointSlice'),
      at('Role/relabel', 'rules: lets its subjects write namespaces'),
      at('Role/relabel', 'kind: is refused by the app\'s AppProject fleet-service-hostile: a source renders Roles and RoleBindings only where the app declares rbac: true'),
      at('ClusterRole/hostile-into-edit', 'metadata.labels: aggregates ClusterRoles'),
      at('RoleBinding/edit-for-all', 'roleRef: binds ClusterRole edit, which is not one of the app\'s own in this render'),
      at('ConfigMap/on-delete', 'metadata.annotations.argocd.argoproj.io/hook: is a delete hook, which Argo CD creates when the Application is deleted without its project\'s check; ipv6-east refuses it (denied by fleet-service-delete-hooks: Argo CD creates an Application\'s PreDelete and PostDelete hooks without its AppProject\'s check: on ipv6-east only the platform\'s Applications may have them'),
      at('ClusterRoleBinding/hostile-admin-on-delete', 'metadata.annotations.helm.sh/hook: is a delete hook'),
      at('Ingress/take-over-on-delete', 'metadata.annotations.argocd.argoproj.io/hook: is a delete hook'),
      at('ConfigMap/own-cleanup', 'metadata.annotations.argocd.argoproj.io/hook: is a delete hook'),
      at('Service/hello-external', 'spec.externalIPs: lists 203.0.113.7: kube-proxy would send in-cluster traffic for those addresses'),
      at('Role/every-status', 'rules: lets its subjects write */status'),
      at('Role/load-balancer-status', 'rules: lets its subjects write services/status'),
      at('Role/status-writer', 'rules: lets its subjects write ingresses/status'),
    ]));
    expect(errors.filter((line) => /Ingress|TargetGroupBinding|LoadBalancer|NodePort/.test(line) && !line.includes('delete hook')).every((line) => line.includes('expose'))).toBe(true);
    // AND the plain service the same Deployment and Service make has none of these findings
    expect(errorsOf(await check(fleetWith(gitService('hello', 'test/fixtures/services/hello-plain'))))).toEqual([]);
  });

  test('a chart\'s Helm pre-delete hook (podinfo\'s hook Job) is checked as Argo CD runs it: the cluster\'s delete hooks policy refuses it, and the error says to turn it off', async () => {
    // GIVEN podinfo with its pre-delete hook Job on, a Helm hook Argo CD creates when the Application is deleted (controller/hook.go hookTypeAnnotations)
    const fleet = fleetWith(podinfo({ values: '\n      hooks: { preDelete: { job: { enabled: true } } }' }));
    // WHEN checked
    const errors = errorsOf(await check(fleet));
    // THEN the hook is in the render, and refused as the cluster refuses it
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringContaining('podinfo on ipv6-east: Job/podinfo-pre-delete: metadata.annotations.helm.sh/hook: is a delete hook, which Argo CD creates when the Application is deleted without its project\'s check; ipv6-east refuses it (denied by fleet-service-delete-hooks'),
      expect.stringContaining('turn the hook off'),
    ]));
  });

  test('without the cluster\'s delete hooks policy in dist/, a delete hook is an error', async () => {
    const fleet = fleetWith(podinfo({ values: '\n      hooks: { preDelete: { job: { enabled: true } } }' }));
    const rendered = serviceDist(fleet);
    rendered.delete('admission/ipv6-east.yaml');
    const result = await servicesCheck(fleet, rendered, false, { repoRoot: repository });
    expect(errorsOf(result)).toEqual(expect.arrayContaining([expect.stringContaining('Job/podinfo-pre-delete: metadata.annotations.helm.sh/hook: is a delete hook, and dist/admission/ipv6-east.yaml has no fleet-service-delete-hooks policy')]));
  });

  test('given the fleet\'s file, each finding starts at the app\'s line in it', async () => {
    const file = join(repository, 'fleet.yaml');
    const text = `${testAppsFleetText}${podinfo().replace('replicaCount: 4', 'replicaCount: 3')}`;
    writeFileSync(file, text);
    const fleet = parseFleet(text, file);
    const result = await servicesCheck(fleet, serviceDist(fleet), false, { repoRoot: repository, configFile: file });
    const line = text.split('\n').indexOf('  - name: podinfo') + 1;
    expect(result.details).toEqual([expect.stringMatching(new RegExp(`^${file}:${line}: apps\\[3\\] podinfo on ipv6-east: Deployment/podinfo: spec.replicas: is 3`))]);
  });

  test('the add-on chart check leaves the services\' Applications (part-of: services) to this check', () => {
    // GIVEN an Application of a service's chart, as the services' ApplicationSet generates it
    const fleet = parseFleet(demoFleetText, 'fleet.yaml');
    const application = (partOf: string) => ({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', file: 'argocd/apps/ipv6-east.yaml',
      metadata: { name: `podinfo-ipv6-east-${partOf}`, labels: { 'app.kubernetes.io/part-of': partOf } },
      spec: { destination: { name: 'ipv6-east', namespace: 'podinfo' }, sources: [{ repoURL: 'https://stefanprodan.github.io/podinfo', chart: 'podinfo', targetRevision: '6.14.1' }] },
    });
    // THEN only the add-on's is the chart check's
    expect(chartApplications(fleet, [application('services'), application('cluster-addons')]).map(({ application: found }) => found.metadata.name)).toEqual(['podinfo-ipv6-east-cluster-addons']);
  });

  test('the demo fleet\'s podinfo, as synth renders it, has no findings', async () => {
    const fleet = parseFleet(demoFleetText, 'fleet.yaml');
    const result = await servicesCheck(fleet, serviceDist(fleet), false, { repoRoot: repository });
    expect(result.status).toBe('ok');
    expect(result.details ?? []).toEqual([]);
  });

  test('a fleet of test apps alone has nothing to render', async () => {
    const result = await servicesCheck(parseFleet(testAppsFleetText, 'fleet.yaml'), new Map(), false);
    expect(result).toEqual({ status: 'ok', summary: 'no services to check (every app is a test page)' });
  });
});
