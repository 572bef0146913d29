import { parse } from 'yaml';
import { renderFleet } from './app/render';
import { planFleet } from './capacity/plan';
import { parseFleet } from './config/load';
import { largeFleetYaml } from './test/fixtures/large-fleet';
import { demoFleet, findObject, fixtureFleet, Manifest, renderParsed } from './test/support/fixtures';
import { indexHtml } from './values/test-app-site';
import { manifestErrors } from './verify/manifests';
import { renderedObjectProblems } from './verify/objects';
import { podSpecOf, restrictedViolations } from './verify/pod-security';

// GIVEN the demo fleet (test/fixtures/demo.yaml: app0 yellow, app1 red, app2 blue; one IPv4, one IPv6 cluster)
const fleet = demoFleet();
// WHEN it is rendered
const { files, objects } = renderParsed(fleet);
const appFile = (app: string) => `apps/${app}/app.yaml`;
const placementFile = (app: string, cluster: string) => `apps/${app}/clusters/${cluster}.yaml`;
const colours = { app0: 'yellow', app1: 'red', app2: 'blue' } as const;

describe('the rendered demo fleet', () => {
  test.each([...files.keys()])('%s matches its snapshot', (file) => {
    expect(files.get(file)).toMatchSnapshot();
  });

  test('every object is valid against its Kubernetes or Argo CD schema', () => {
    const problems = objects.flatMap(({ file, ...object }) => manifestErrors(object).map((problem) => `${file}: ${problem}`));
    expect(problems).toEqual([]);
  });

  test('every pod template passes Pod Security "restricted"', () => {
    const workloads = objects.filter((object) => podSpecOf(object));
    expect(workloads.length).toBeGreaterThan(0);
    for (const workload of workloads) expect([workload.metadata.name, restrictedViolations(podSpecOf(workload)!)]).toEqual([workload.metadata.name, []]);
  });

  test('every app namespace enforces Pod Security "restricted"', () => {
    for (const app of Object.keys(colours)) {
      const labels = findObject(objects, 'Namespace', app).metadata.labels;
      expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    }
  });

  test('places every app on the IPv6 cluster only, by default', () => {
    const placements = [...files.keys()].filter((file) => file.startsWith('apps/') && file.includes('/clusters/'));
    expect(placements).toEqual(['app0', 'app1', 'app2', 'podinfo'].map((app) => placementFile(app, 'ipv6-east')));
  });
});

describe.each(Object.entries(colours))('test app %s', (app, colour) => {
  const deployment = findObject(objects, 'Deployment', app);
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const configMap = findObject(objects, 'ConfigMap', app);

  test('runs 5 replicas', () => {
    expect(deployment.spec.replicas).toBe(5);
  });

  test(`shows its name and ${colour} background, and asks nginx for the pod name and IP`, () => {
    const html: string = configMap.data['index.html'];
    expect(html).toContain(`background-color: ${colour};`);
    expect(html).toContain(`<h1 id="app-name">${app}</h1>`);
    expect(html).toContain('<!--# echo var="hostname" -->');
    expect(html).toContain('<!--# echo var="server_addr" -->');
    expect(html).toBe(indexHtml({ name: app, backgroundColor: colour, containerPort: 80 }));
  });

  test('nginx listens on IPv6 (and IPv4) on the container port, with SSI on', () => {
    const conf: string = configMap.data['default.conf'];
    expect(conf).toMatch(/^\s*listen \[::\]:80 ipv6only=off;$/m);
    expect(conf).not.toMatch(/^\s*listen 80;/m);
    expect(conf).toMatch(/^\s*ssi on;$/m);
    expect(container.ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
  });

  test('mounts the page and the config from its ConfigMap, read-only, with a writable /tmp', () => {
    expect(container.volumeMounts).toEqual([
      { name: 'config', mountPath: '/etc/nginx/conf.d', readOnly: true },
      { name: 'html', mountPath: '/usr/share/nginx/html', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(pod.volumes.filter((volume: Manifest) => volume.configMap).map((volume: Manifest) => volume.configMap.name)).toEqual([app, app]);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('runs a pinned unprivileged image from a registry without pull rate limits', () => {
    expect(container.image).toMatch(/^public\.ecr\.aws\/nginx\/nginx-unprivileged:\d+\.\d+\.\d+-alpine(@sha256:[0-9a-f]{64})?$/);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('lets non-root nginx bind port 80 through the safe sysctl, not a capability', () => {
    expect(pod.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    expect(container.securityContext.capabilities.add).toBeUndefined();
  });

  test('requests little enough that 10000 pods fit about 100 m5.large nodes', () => {
    const { cpu, memory } = container.resources.requests;
    const perNode = 107; // 110 pods per m5.large on IPv6 less 3 DaemonSet pods
    const millicores = Number(cpu.replace('m', ''));
    const mebibytes = Number(memory.replace('Mi', ''));
    expect(millicores * perNode).toBeLessThanOrEqual(1930 - 200); // m5.large allocatable CPU less system pods
    expect(mebibytes * perNode).toBeLessThanOrEqual(7 * 1024 - 1024);
  });

  test('has HTTP readiness and liveness probes on the health path', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
  });

  test('leaves the ALB without dropping a request: readiness gates, a preStop pause of the deregistration delay, a longer grace period', () => {
    // GIVEN the rollout of fleet.yaml's defaults: a 30 s deregistration delay, the grace period 15 s longer
    const namespace = findObject(objects, 'Namespace', app);
    const ingress = findObject(objects, 'Ingress', app, placementFile(app, 'ipv6-east'));
    const delay = Number(/^deregistration_delay\.timeout_seconds=(\d+)$/.exec(ingress.metadata.annotations['alb.ingress.kubernetes.io/target-group-attributes'])?.[1]);
    const pause = Number(container.lifecycle.preStop.exec.command[1]);
    // THEN the ALB health-checks a pod before it counts as ready (the load balancer controller injects the gate)
    expect(namespace.metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject']).toBe('enabled');
    // ... a leaving pod keeps serving through the ALB's drain, and Kubernetes does not kill it before nginx has quit
    expect(container.lifecycle.preStop.exec.command[0]).toBe('sleep');
    expect(delay).toBe(30);
    expect(pause).toBe(delay);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(pause);
    expect(pod.terminationGracePeriodSeconds).toBe(45);
  });

  test('spreads over zones and nodes without ever blocking scheduling', () => {
    expect(pod.topologySpreadConstraints.map((constraint: Manifest) => [constraint.topologyKey, constraint.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ]);
  });

  test('rolls pods when the page or config changes: the template carries their checksum', () => {
    expect(deployment.spec.template.metadata.annotations['checksum/content']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('has a PodDisruptionBudget selecting its pods', () => {
    const budget = findObject(objects, 'PodDisruptionBudget', app);
    expect(budget.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(budget.spec.maxUnavailable).toBe('10%');
  });

  test('has an IPv6 single-stack Service on the container port', () => {
    const service = findObject(objects, 'Service', app, placementFile(app, 'ipv6-east'));
    expect(service.spec.ipFamilies).toEqual(['IPv6']);
    expect(service.spec.ipFamilyPolicy).toBe('SingleStack');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  test('has an ALB Ingress with IP targets at <app>.<domain>, its IP address type left to the cluster\'s IngressClassParams', () => {
    const ingress = findObject(objects, 'Ingress', app, placementFile(app, 'ipv6-east'));
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations).toMatchObject({ 'alb.ingress.kubernetes.io/target-type': 'ip' });
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/ip-address-type']).toBeUndefined();
    expect(ingress.spec.rules[0].host).toBe(`${app}.apps.example.com`);
  });

  test('keeps everything of the app in its own namespace, in the shared file or its placement file', () => {
    for (const object of objects.filter((candidate) => candidate.metadata?.labels?.['app.kubernetes.io/name'] === app)) {
      expect([appFile(app), placementFile(app, 'ipv6-east')]).toContain(object.file);
      if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe(app);
    }
  });
});

describe.each([
  ['migration', ['apps/app0/clusters/legacy-ipv4.yaml', 'apps/app0/clusters/ipv6-east.yaml', 'argocd/apps/legacy-ipv4.yaml', 'argocd/apps/ipv6-east.yaml']],
  ['addons-off', ['argocd/clusters/legacy-ipv4.yaml', 'argocd/clusters/ipv6-east.yaml', 'argocd/projects.yaml']],
  ['ipv4-argocd', ['argocd/argo-cd.yaml', 'addons/argo-cd/values.yaml']],
] as const)('the rendered %s fixture', (name, snapshotted) => {
  const rendered = renderParsed(fixtureFleet(name));

  test.each(snapshotted)('%s matches its snapshot', (file) => {
    expect(rendered.files.has(file)).toBe(true);
    expect(rendered.files.get(file)).toMatchSnapshot();
  });

  test('every object and generated Application is valid, every pod template passes Pod Security "restricted"', () => {
    expect(renderedObjectProblems(rendered.files)).toEqual([]);
  });
});

describe('the migration fixture (app0 on both clusters, weighted 90/10)', () => {
  const { objects } = renderParsed(fixtureFleet('migration'));
  test('gives each cluster an Ingress with its own weighted record of app0.<domain>', () => {
    const ingresses = ['legacy-ipv4', 'ipv6-east'].map((cluster) => findObject(objects, 'Ingress', 'app0', placementFile('app0', cluster)));
    expect(ingresses.map((ingress) => [
      ingress.spec.rules[0].host,
      ingress.metadata.annotations['external-dns.alpha.kubernetes.io/set-identifier'],
      ingress.metadata.annotations['external-dns.alpha.kubernetes.io/aws-weight'],
    ])).toEqual([
      ['app0.apps.example.com', 'legacy-ipv4', '90'],
      ['app0.apps.example.com', 'ipv6-east', '10'],
    ]);
  });

  test('gives each cluster a Service in its own IP family', () => {
    expect(['legacy-ipv4', 'ipv6-east'].map((cluster) => findObject(objects, 'Service', 'app0', placementFile('app0', cluster)).spec.ipFamilies))
      .toEqual([['IPv4'], ['IPv6']]);
  });
});

describe('the ipv4-argocd fixture (Argo CD on the IPv4 cluster)', () => {
  const { files, objects } = renderParsed(fixtureFleet('ipv4-argocd'));
  test('gives Argo CD\'s Services that cluster\'s family, and places Argo CD\'s pods there', () => {
    const values = parse(files.get('addons/argo-cd/values.yaml')!);
    expect(values.global.dualStack).toEqual({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] });
    expect(findObject(objects, 'Application', 'argo-cd').spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    const plan = planFleet(fixtureFleet('ipv4-argocd'));
    expect(plan.clusters.find((cluster) => cluster.cluster === 'legacy-ipv4')!.addons.map((addon) => addon.chart)).toContain('argo-cd');
  });
});

describe('the addons-off fixture', () => {
  const { objects } = renderParsed(fixtureFleet('addons-off'));
  test('labels each cluster so that the ApplicationSets skip the add-ons it turns off', () => {
    expect(findObject(objects, 'Secret', 'cluster-legacy-ipv4').metadata.labels).toMatchObject({
      enable_cert_manager: 'true', enable_cluster_autoscaler: 'false', enable_external_dns: 'false', enable_aws_load_balancer_controller: 'true',
    });
    expect(findObject(objects, 'Secret', 'cluster-ipv6-east').metadata.labels).toMatchObject({ enable_cert_manager: 'false' });
  });
});

describe('a large fixture fleet (300 apps over 8 clusters)', () => {
  const files = renderFleet(parseFleet(largeFleetYaml(300, 8)));
  test('renders every app on its cluster, and every object is valid', () => {
    expect([...files.keys()].filter((file) => /^apps\/[^/]+\/app\.yaml$/.test(file))).toHaveLength(300);
    expect(renderedObjectProblems(files)).toEqual([]);
  });
});
