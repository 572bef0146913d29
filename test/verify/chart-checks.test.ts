import { parse } from 'yaml';
import { renderFleet } from '../../app/render';
import { addonCatalog, addonKeys, clusterAutoscalerImageTags } from '../../catalog/addons';
import { distLayout } from '../../catalog/dist-layout';
import { fileText } from '../../output/file-content';
import { argocdPods } from '../../values/argo-cd';
import { chartApplications, chartArchive, ChartRender, clusterPlaceholders, renderCharts, valueTexts, withClusterValues, withPlaceholders } from '../../verify/chart-renders';
import { checkCharts, webhookCycles } from '../../verify/chart-checks';
import { helmBinary, helmTemplate, helmUnavailable } from '../../verify/helm';
import { argocdObjects } from '../../verify/rendered';
import { podSpecOf } from '../../verify/pod-security';
import { demoFleet, fixtureFleet, fixtureNames, largeFleetFixture } from '../support/fixtures';

// The charts rendered with the real helm, offline, as each Application asks. On CI a missing
// helm fails these tests; elsewhere (another platform) they are skipped with a message.
const unavailable = helmUnavailable();
const onCi = Boolean(process.env.CI) && process.env.CI !== 'false';
if (unavailable && !onCi) console.warn(`Skipping the rendered-chart checks: ${unavailable}.`);
const describeHelm = unavailable && !onCi ? describe.skip : describe;
jest.setTimeout(60_000);

type Values = Record<string, any>;

/** The render with one values file edited, as a defect put back would leave it. */
function withValues(files: ReadonlyMap<string, string>, path: string, edit: (values: Values) => void): Map<string, string> {
  const values = parse(files.get(path) ?? '{}') ?? {};
  edit(values);
  return new Map([...files, [path, fileText({ path, values })]]);
}

const chartOf = (addon: keyof typeof addonCatalog) => addonCatalog[addon].chart;
const only = (...applications: string[]) => (application: string) => applications.includes(application);

describeHelm('the charts of every fixture fleet, rendered with helm as their Applications ask', () => {
  test.each(fixtureNames)('%s: no chart renders anything the API server, Pod Security, Argo CD or an empty cluster would refuse', async (name) => {
    const fleet = fixtureFleet(name);
    expect(await checkCharts(fleet, renderFleet(fleet))).toEqual([]);
  });

  test('a large fleet: 72 clusters, Argo CD sharded over them', async () => {
    const fleet = largeFleetFixture(100, 72);
    const files = renderFleet(fleet);
    const problems = await checkCharts(fleet, files, only('argo-cd', 'cluster-autoscaler-ipv4-00', 'aws-load-balancer-controller-ipv6-01', 'cert-manager-ipv6-01'));
    expect(problems).toEqual([]);
  });
});

describeHelm('each defect of the review, put back, is caught', () => {
  const fleet = demoFleet();
  const files = renderFleet(fleet);
  const lbcValues = distLayout.chartValues(chartOf('awsLoadBalancerController'));

  test('the load balancer controller\'s Service webhook deadlocks an empty cluster with cert-manager', async () => {
    // GIVEN the Service mutator webhook back on
    const edited = withValues(files, lbcValues, (values) => { values.enableServiceMutatorWebhook = true; });
    // WHEN the charts of one cluster are checked
    const problems = await checkCharts(fleet, edited, only('aws-load-balancer-controller-ipv6-east', 'cert-manager-ipv6-east'));
    // THEN the cycle is named, both ways
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^ipv6-east: deadlock on an empty cluster: /);
    expect(problems[0]).toMatch(/aws-load-balancer-controller-ipv6-east creates Certificate kube-system\/aws-load-balancer-[a-z-]+-cert, whose CRD cert-manager-ipv6-east installs/);
    expect(problems[0]).toMatch(/webhook mservice\.elbv2\.k8s\.aws \(failurePolicy Fail\) of aws-load-balancer-controller-ipv6-east intercepts Service cert-manager\/cert-manager[a-z-]* of cert-manager-ipv6-east/);
  });

  test('a container without requests', async () => {
    const edited = withValues(files, distLayout.chartValues(chartOf('externalDns')), (values) => { delete values.resources; });
    const problems = await checkCharts(fleet, edited, only('external-dns-ipv6-east'));
    expect(problems).toContain('external-dns on ipv6-east (Application external-dns-ipv6-east): Deployment external-dns/external-dns: spec.template.spec.containers[0] (external-dns).resources.requests.cpu: is not set: every container needs CPU and memory requests');
  });

  test('the load balancer controller\'s two replicas without a PodDisruptionBudget', async () => {
    const edited = withValues(files, lbcValues, (values) => { values.podDisruptionBudget = {}; });
    const problems = await checkCharts(fleet, edited, only('aws-load-balancer-controller-legacy-ipv4'));
    expect(problems).toContain('aws-load-balancer-controller on legacy-ipv4 (Application aws-load-balancer-controller-legacy-ipv4): Deployment kube-system/aws-load-balancer-controller: spec.replicas: is 2, but no PodDisruptionBudget selects its pods: a drain (cluster-autoscaler scaling down) may evict every replica at once');
  });

  test('a PodDisruptionBudget that allows no eviction at full health blocks every drain', async () => {
    const edited = withValues(files, lbcValues, (values) => { values.podDisruptionBudget = { minAvailable: 2 }; });
    // (with cert-manager, whose CRDs the controller's Certificate needs)
    const problems = await checkCharts(fleet, edited, only('aws-load-balancer-controller-legacy-ipv4', 'cert-manager-legacy-ipv4'));
    expect(problems).toEqual([expect.stringMatching(/PodDisruptionBudget kube-system\/aws-load-balancer-controller: spec: allows 0 of the 2 pods of Deployment aws-load-balancer-controller to be evicted at full health: a drain never finishes/)]);
    const percent = withValues(files, lbcValues, (values) => { values.podDisruptionBudget = { maxUnavailable: '0%' }; });
    expect(await checkCharts(fleet, percent, only('aws-load-balancer-controller-legacy-ipv4', 'cert-manager-legacy-ipv4'))).toHaveLength(1);
  });

  test('the pod readiness gate webhook back on its default Ignore: a pod made while it is down would count as ready unchecked', async () => {
    const renders = await renderCharts(fleet, files, only('aws-load-balancer-controller-ipv6-east'));
    const webhook = renders[0].objects.filter((object) => object.kind === 'MutatingWebhookConfiguration')
      .flatMap((object) => object.webhooks).find((candidate) => candidate.name === 'mpod.elbv2.k8s.aws');
    expect(webhook.failurePolicy).toBe('Fail');
    // Only the namespaces labelled for injection: the test apps', never kube-system, where the controller itself runs.
    expect(webhook.namespaceSelector.matchExpressions).toContainEqual({ key: 'elbv2.k8s.aws/pod-readiness-gate-inject', operator: 'In', values: ['enabled'] });
  });

  test('Argo CD\'s Services in IPv4 on the IPv6 cluster it runs on', async () => {
    const edited = withValues(files, distLayout.chartValues('argo-cd'), (values) => { values.global.dualStack.ipFamilies = ['IPv4']; });
    const problems = await checkCharts(fleet, edited, only('argo-cd'));
    expect(problems).toContain('argo-cd on ipv6-east (Application argo-cd): Service argocd/argocd-server: spec.ipFamilies: is [IPv4]: the cluster is IPv6 only');
  });

  test('Argo CD\'s IPv6 values on an IPv4 cluster', async () => {
    // GIVEN Argo CD on the IPv4 cluster, with the values an IPv6 cluster gets
    const ipv4 = fixtureFleet('ipv4-argocd');
    const edited = new Map([...renderFleet(ipv4), [distLayout.chartValues('argo-cd'), files.get(distLayout.chartValues('argo-cd'))!]]);
    const problems = await checkCharts(ipv4, edited, only('argo-cd'));
    expect(problems).toContain('argo-cd on legacy-ipv4 (Application argo-cd): Service argocd/argocd-repo-server: spec.ipFamilies: is [IPv6]: the cluster is IPv4 only');
  });

  test('cluster-autoscaler without the security context Pod Security "restricted" asks for', async () => {
    const edited = withValues(files, distLayout.chartValues(chartOf('clusterAutoscaler')), (values) => { delete values.containerSecurityContext; });
    const problems = await checkCharts(fleet, edited, only('cluster-autoscaler-ipv6-east'));
    expect(problems).toContain('cluster-autoscaler on ipv6-east (Application cluster-autoscaler-ipv6-east): Deployment kube-system/cluster-autoscaler-aws-cluster-autoscaler: spec.template.spec: Pod Security "restricted": container aws-cluster-autoscaler does not drop ALL capabilities');
  });

  test('an object against its CRD\'s schema: IngressClassParams with an unknown ipAddressType', async () => {
    const edited = withValues(files, distLayout.chartClusterValues(chartOf('awsLoadBalancerController'), 'ipv6-east'), (values) => { values.ingressClassParams.spec.ipAddressType = 'ipv6-only'; });
    const problems = await checkCharts(fleet, edited, only('aws-load-balancer-controller-ipv6-east', 'cert-manager-ipv6-east'));
    expect(problems).toEqual(['aws-load-balancer-controller on ipv6-east (Application aws-load-balancer-controller-ipv6-east): IngressClassParams alb: spec.ipAddressType: must be equal to one of the allowed values: "ipv4", "dualstack", "dualstack-without-public-ipv4" (got string "ipv6-only")']);
  });

  test('a kind the add-ons\' AppProject does not permit', async () => {
    const edited = new Map([...files].map(([path, text]) => [path, path === distLayout.argocdProjects ? text.replace(/\n *- group: elbv2\.k8s\.aws\n *kind: IngressClassParams/, '') : text]));
    expect(edited.get(distLayout.argocdProjects)).not.toBe(files.get(distLayout.argocdProjects));
    const problems = await checkCharts(fleet, edited, only('aws-load-balancer-controller-ipv6-east', 'cert-manager-ipv6-east'));
    expect(problems).toContain('aws-load-balancer-controller on ipv6-east (Application aws-load-balancer-controller-ipv6-east): IngressClassParams alb: kind: is cluster-scoped and not in the clusterResourceWhitelist of AppProject fleet-addons: Argo CD refuses to sync it');
  });

  test('an image that names no version', async () => {
    const edited = withValues(files, distLayout.chartClusterValues(chartOf('clusterAutoscaler'), 'ipv6-east'), (values) => { values.image.tag = 'latest'; });
    const problems = await checkCharts(fleet, edited, only('cluster-autoscaler-ipv6-east'));
    expect(problems).toContain('cluster-autoscaler on ipv6-east (Application cluster-autoscaler-ipv6-east): Deployment kube-system/cluster-autoscaler-aws-cluster-autoscaler: container aws-cluster-autoscaler.image: is "registry.k8s.io/autoscaling/cluster-autoscaler:latest": pin a version (a tag other than latest, or a digest)');
  });

  test('an add-on namespace that does not enforce Pod Security "restricted"', async () => {
    const appSet = distLayout.applicationSet(chartOf('externalDns'));
    const edited = new Map([...files, [appSet, files.get(appSet)!.replace(/\n {8}managedNamespaceMetadata:\n( {10}.*\n)+/, '\n')]]);
    expect(edited.get(appSet)).not.toBe(files.get(appSet));
    const problems = await checkCharts(fleet, edited, only('external-dns-ipv6-east'));
    expect(problems).toContain('external-dns on ipv6-east (Application external-dns-ipv6-east): namespace external-dns: enforces Pod Security nothing (no label): the Application\'s managedNamespaceMetadata must label it pod-security.kubernetes.io/enforce: restricted');
  });
});

describeHelm('the add-ons whose values name the cluster share one render of each distinct values', () => {
  // 6 clusters, half IPv6: their load balancer controller, cluster-autoscaler and external-dns values differ by the cluster's name and VPC id, and by IP family.
  const fleet = largeFleetFixture(12, 6);
  const files = renderFleet(fleet);
  const namingTheCluster = ['awsLoadBalancerController', 'clusterAutoscaler', 'externalDns'].map((addon) => chartOf(addon as keyof typeof addonCatalog));
  const ofThoseCharts = (application: string) => namingTheCluster.some((chart) => application.startsWith(`${chart}-`));

  test('each cluster gets exactly what helm renders of its own values, from fewer helm runs than clusters', async () => {
    // GIVEN a count of the helm runs (on the module object, which verify/helm.ts calls through)
    const spawn = jest.spyOn(require('child_process') as typeof import('child_process'), 'spawn');
    // WHEN the three charts are rendered for every cluster
    let renders: ChartRender[];
    let helmRuns: number;
    try {
      renders = await renderCharts(fleet, files, ofThoseCharts);
      helmRuns = spawn.mock.calls.filter(([command]) => command === helmBinary()).length;
    } finally {
      spawn.mockRestore();
    }
    // THEN each render is the cluster's own, as helm renders its own values files
    expect(renders).toHaveLength(3 * 6);
    const applications = chartApplications(fleet, argocdObjects(files));
    const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
    for (const render of renders) {
      const { application } = applications.find((candidate) => candidate.application.metadata.name === render.application)!;
      const source = application.spec.sources.find((candidate: { chart?: string }) => candidate.chart);
      const own = await helmTemplate({
        releaseName: render.releaseName, namespace: render.namespace, chartArchive: chartArchive(render.chart, render.version),
        values: valueTexts(application, source, files, fleet.repo.path), kubeVersion: clusters.get(render.cluster)!.kubernetesVersion,
      });
      expect({ application: render.application, objects: render.objects }).toEqual({ application: render.application, objects: own });
    }
    const args = (application: string) => JSON.stringify(renders.find((render) => render.application === application)!.objects);
    expect(args('aws-load-balancer-controller-ipv6-03')).toContain('--cluster-name=ipv6-03');
    expect(args('aws-load-balancer-controller-ipv6-03')).toContain(`--aws-vpc-id=${clusters.get('ipv6-03')!.vpcId}`);
    expect(args('external-dns-ipv4-04')).toContain('--txt-owner-id=ipv4-04');
    expect(renders.map((render) => JSON.stringify(render.objects)).join()).not.toMatch(new RegExp(Object.values(clusterPlaceholders).join('|')));
    // and helm ran twice per distinct values (the shared render, and the first cluster's own that proves it),
    // the load balancer controller and external-dns once per IP family, cluster-autoscaler once: 10 runs for 18 renders
    expect(helmRuns).toBe(10);
  });

  test('a chart that does more with a cluster\'s value than print it (base64, a hash) gives each cluster its own render', async () => {
    // GIVEN external-dns's Secret holding the cluster's name on every cluster: the chart prints it base64-encoded, and a hash of it
    const edited = fleet.clusters.reduce((render, cluster) => withValues(render, distLayout.chartClusterValues(chartOf('externalDns'), cluster.name), (values) => {
      values.secretConfiguration = { enabled: true, mountPath: '/etc/owner', data: { owner: cluster.name } };
    }), files as Map<string, string>);
    // WHEN the chart is rendered for every cluster
    const renders = await renderCharts(fleet, edited, (application) => application.startsWith('external-dns-'));
    // THEN each cluster's Secret holds its own name
    expect(renders).toHaveLength(6);
    for (const render of renders) {
      const secret = render.objects.find((object) => object.kind === 'Secret')!;
      expect({ cluster: render.cluster, owner: Buffer.from(secret.data.owner, 'base64').toString() }).toEqual({ cluster: render.cluster, owner: render.cluster });
    }
  });

  test('a defect in one cluster\'s values is caught on that cluster, and on no other', async () => {
    // GIVEN external-dns's Service in IPv4 on one IPv6 cluster
    const edited = withValues(files, distLayout.chartClusterValues(chartOf('externalDns'), 'ipv6-03'), (values) => { values.service.ipFamilies = ['IPv4']; });
    // WHEN external-dns is checked on every cluster
    const problems = await checkCharts(fleet, edited, (application) => application.startsWith('external-dns-'));
    // THEN that cluster's render is refused, and only that one
    expect(problems).toEqual(['external-dns on ipv6-03 (Application external-dns-ipv6-03): Service external-dns/external-dns: spec.ipFamilies: is [IPv4]: the cluster is IPv6 only']);
  });
});

describe('the placeholders of a shared render', () => {
  const identifiers = [['cluster-name-placeholder', 'ipv6-03']] as const;

  test('stand for a value that is a whole scalar of the values, plain or quoted, in a map or a list, and nowhere else', () => {
    const values = 'clusterName: ipv6-03\nautoDiscovery:\n  clusterName: "ipv6-03"\nargs:\n  - ipv6-03\n  - --cluster=ipv6-03\nlonger: ipv6-030\nipv6-03: key\n# ipv6-03\n';
    expect(withPlaceholders(values, identifiers)).toBe('clusterName: cluster-name-placeholder\nautoDiscovery:\n  clusterName: "cluster-name-placeholder"\nargs:\n  - cluster-name-placeholder\n  - --cluster=ipv6-03\nlonger: ipv6-030\nipv6-03: key\n# ipv6-03\n');
  });

  test('are each replaced by the cluster\'s value wherever helm printed them', () => {
    expect(withClusterValues('- --cluster-name=cluster-name-placeholder\n- cluster-name-placeholder-a\n', identifiers)).toBe('- --cluster-name=ipv6-03\n- ipv6-03-a\n');
  });
});

describeHelm('what the charts render, against what the project assumes of them', () => {
  const fleet = demoFleet();
  const files = renderFleet(fleet);
  let renders: Awaited<ReturnType<typeof renderCharts>>;
  beforeAll(async () => {
    renders = await renderCharts(fleet, files);
  });
  const podsOf = (application: string) => renders.find((render) => render.application === application)!.objects
    .filter((object) => (object.kind === 'Deployment' || object.kind === 'StatefulSet') && !object.metadata.annotations?.['helm.sh/hook'])
    .reduce((total, object) => total + (object.spec.replicas ?? 1), 0);

  test.each(addonKeys)('%s runs the pods the capacity plan counts', (addon) => {
    expect(podsOf(`${chartOf(addon)}-ipv6-east`)).toBe(addonCatalog[addon].pods);
  });

  test('Argo CD runs the pods the capacity plan counts', () => {
    expect(podsOf('argo-cd')).toBe(argocdPods(fleet));
  });

  test.each(addonKeys.filter((addon) => 'awsServiceAccount' in addonCatalog[addon]))('%s: the ServiceAccount that calls AWS is the catalog\'s, and its pods run as it', (addon) => {
    const render = renders.find((candidate) => candidate.application === `${chartOf(addon)}-ipv6-east`)!;
    const name = (addonCatalog[addon] as { awsServiceAccount: string }).awsServiceAccount;
    expect(render.objects.filter((object) => object.kind === 'ServiceAccount').map((object) => object.metadata.name)).toContain(name);
    const workloads = render.objects.filter((object) => object.kind === 'Deployment');
    expect(workloads.map((workload) => podSpecOf(workload)!.serviceAccountName)).toEqual(workloads.map(() => name));
  });

  test('cluster-autoscaler runs the release of each cluster\'s Kubernetes version', () => {
    for (const cluster of fleet.clusters) {
      const render = renders.find((candidate) => candidate.application === `cluster-autoscaler-${cluster.name}`)!;
      const deployment = render.objects.find((object) => object.kind === 'Deployment')!;
      expect(podSpecOf(deployment)!.containers[0].image).toBe(`registry.k8s.io/autoscaling/cluster-autoscaler:${clusterAutoscalerImageTags[cluster.kubernetesVersion]}`);
    }
  });

  test('external-dns manages A and AAAA records on every cluster, whatever its family', () => {
    const args = (cluster: string) => podSpecOf(renders.find((candidate) => candidate.application === `external-dns-${cluster}`)!.objects.find((object) => object.kind === 'Deployment')!)!.containers[0].args;
    for (const cluster of ['ipv6-east', 'legacy-ipv4']) expect(args(cluster)).toEqual(expect.arrayContaining(['--managed-record-types=A', '--managed-record-types=AAAA']));
  });

  test('Argo CD has as many application controller shards as the chart is told, and spreads clusters round-robin', () => {
    const render = renders.find((candidate) => candidate.application === 'argo-cd')!;
    const controller = render.objects.find((object) => object.kind === 'StatefulSet' && object.metadata.name === 'argocd-application-controller')!;
    const env = podSpecOf(controller)!.containers[0].env;
    expect(env).toContainEqual({ name: 'ARGOCD_CONTROLLER_REPLICAS', value: String(controller.spec.replicas) });
    const params = render.objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'argocd-cmd-params-cm')!;
    expect(params.data['controller.sharding.algorithm']).toBe('round-robin');
  });
});

describe('webhookCycles', () => {
  const webhook = (failurePolicy: string) => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'guard' },
    webhooks: [{ name: 'guard.example.com', failurePolicy, rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], operations: ['CREATE'] }] }],
  });
  const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' } } };
  const application = (name: string, objects: Record<string, unknown>[]) => ({ name, namespace: name, namespaceLabels: { 'kubernetes.io/metadata.name': name }, objects });

  test('finds a cycle: a Fail webhook of A on what B creates, while A needs B\'s CRD', () => {
    const problems = webhookCycles([
      application('a', [webhook('Fail'), { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]),
      application('b', [crd, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }]),
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/guard\.example\.com \(failurePolicy Fail\) of a intercepts ConfigMap b\/c of b/);
  });

  test('finds none where the webhook fails open, or where nothing waits back', () => {
    expect(webhookCycles([
      application('a', [webhook('Ignore'), { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]),
      application('b', [crd, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }]),
    ])).toEqual([]);
    expect(webhookCycles([
      application('a', [webhook('Fail')]),
      application('b', [crd, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }]),
    ])).toEqual([]);
  });
});

