import { parse } from 'yaml';
import { AddonKey, addonCatalog as addonCharts, addonKeys, AddonWithIamRole, argocdChart, ChartName } from '../../catalog/addons';
import { distLayout, isValuesFile } from '../../catalog/dist-layout';
import { roleArn, roleNames } from '../../catalog/identities';
import { Cluster, Fleet } from '../../config/fleet';
import { irsaRoleAnnotation } from '../../values/addon-values';
import { expandApplicationSet } from '../../diff/applicationset';
import { chartData, mergeHelmValues, schemaErrors, unknownValueKeys, valuesProblems } from '../../verify/chart-values';
import { manifestErrors } from '../../verify/manifests';
import { demoFleet, findObject, Manifest, renderParsed } from '../support/fixtures';

/** Where an add-on's values live in dist/: fleet-wide, and per cluster beside them. */
function addonValuesFiles(addon: AddonKey): { fleet: string; cluster: (clusterName: string) => string } {
  const { chart } = addonCharts[addon];
  return { fleet: distLayout.chartValues(chart), cluster: (clusterName) => distLayout.chartClusterValues(chart, clusterName) };
}

type Values = Record<string, any>;

/** The role an add-on's ServiceAccount names on an IRSA cluster; under Pod Identity it names none (the association binds it). */
function irsaRole(cluster: Cluster, addon: AddonWithIamRole): string | undefined {
  return cluster.identity === 'irsa' ? roleArn(cluster, roleNames.irsaAddon(addon, cluster.name)) : undefined;
}

function addonsOf(fleet: Fleet) {
  const { files, objects } = renderParsed(fleet);
  const secrets = objects.filter((object) => object.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster');
  const applicationsOf = (addon: AddonKey) =>
    expandApplicationSet(findObject(objects, 'ApplicationSet', `addon-${addonCharts[addon].chart}`), secrets);
  const valuesOf = (addon: AddonKey, cluster: string): Values => {
    const { fleet: fleetFile, cluster: clusterFile } = addonValuesFiles(addon);
    const clusterText = files.get(clusterFile(cluster));
    return mergeHelmValues(parse(files.get(fleetFile)!), clusterText ? parse(clusterText) : {}) as Values;
  };
  return { files, objects, applicationsOf, valuesOf };
}

const fleet = demoFleet();
const { files, objects, applicationsOf, valuesOf } = addonsOf(fleet);
const clusterNames = fleet.clusters.map((cluster) => cluster.name);

describe('add-on values match the pinned charts', () => {
  // (the services' values files are their own charts': npm run check reads those against their archives)
  const valuesFiles = [...files.keys()].filter((file) => isValuesFile(file) && file.startsWith(`${distLayout.valuesDir}/`));

  test.each(valuesFiles)('every key of %s exists in the chart\'s values.yaml', (file) => {
    const chart = file.split('/')[1] as ChartName;
    expect(unknownValueKeys(chart, parse(files.get(file)!))).toEqual([]);
  });

  test.each(addonKeys.flatMap((addon) => clusterNames.map((cluster) => [addon, cluster] as const)))(
    '%s values for %s, merged as Helm merges them, validate against the chart\'s values.schema.json', (addon, cluster) => {
      expect(schemaErrors(addonCharts[addon].chart as ChartName, valuesOf(addon, cluster))).toEqual([]);
    });

  test('valuesProblems, which npm run check runs, finds none in the render, and finds a misspelt key', () => {
    expect(valuesProblems(files)).toEqual([]);
    const path = addonValuesFiles('externalDns').cluster('ipv6-east');
    const misspelt = new Map([...files, [path, `${files.get(path)}txtOwnerID: x\n`]]);
    // (external-dns's values.schema.json allows unknown top-level keys: only the key check sees it)
    expect(valuesProblems(misspelt)).toEqual([`${path}: txtOwnerID: not a key of the external-dns chart's values.yaml (Helm ignores it)`]);
  });

  test('the schema check bites: a wrong type is reported', () => {
    expect(schemaErrors('external-dns', { ...valuesOf('externalDns', 'ipv6-east'), policy: 'delete-everything' })).not.toEqual([]);
  });

  test('the pinned chart versions are the versions the key data was derived from', () => {
    for (const chart of [...Object.values(addonCharts), argocdChart]) expect(chartData(chart.chart as ChartName).version).toBe(chart.version);
  });
});

describe('add-on ApplicationSets', () => {
  test.each(addonKeys)('%s: one Application per cluster labelled enable_<add-on>, from the pinned chart and this repo\'s values', (addon) => {
    const chart = addonCharts[addon];
    const applications = applicationsOf(addon);
    expect(applications.map((application) => application.spec.destination.server).sort()).toEqual(fleet.clusters.map((cluster) => cluster.server).sort());
    for (const application of applications) {
      expect(manifestErrors(application)).toEqual([]);
      const [helmSource, valuesSource] = application.spec.sources;
      expect(helmSource).toMatchObject({ repoURL: chart.repoURL, chart: chart.chart, targetRevision: chart.version });
      // A missing values file fails the sync instead of rendering the chart's defaults.
      expect(helmSource.helm.ignoreMissingValueFiles).toBeUndefined();
      const cluster = application.metadata.labels['fleet/cluster'];
      expect(files.has(addonValuesFiles(addon).cluster(cluster))).toBe(true);
      expect(helmSource.helm.valueFiles).toEqual([
        `$values/dist/${addonValuesFiles(addon).fleet}`,
        `$values/dist/${addonValuesFiles(addon).cluster(cluster)}`,
      ]);
      expect(valuesSource).toEqual({ repoURL: fleet.repo.url, targetRevision: fleet.repo.revision, ref: 'values' });
      expect(application.spec.destination.namespace).toBe(chart.namespace);
      expect(application.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['SkipDryRunOnMissingResource=true', 'ServerSideApply=true']));
      // Its own namespace is created and enforces Pod Security "restricted"; EKS's kube-system is left alone.
      if (chart.namespace === 'kube-system') {
        expect(application.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
        expect(application.spec.syncPolicy.managedNamespaceMetadata).toBeUndefined();
      } else {
        expect(application.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
        expect(application.spec.syncPolicy.managedNamespaceMetadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
      }
      expect(application.spec.syncPolicy.retry.limit).toBe(-1);
    }
  });

  test.each(addonKeys)('%s: deleting its Application (the add-on turned off, the cluster removed) never deletes what the chart installed', (addon) => {
    const appSet = findObject(objects, 'ApplicationSet', `addon-${addonCharts[addon].chart}`);
    expect(appSet.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    for (const application of applicationsOf(addon)) expect(application.metadata.finalizers).toBeUndefined();
  });

  test('disabling an add-on for one cluster removes exactly that cluster from that add-on\'s Applications', () => {
    const edited = addonsOf(demoFleet((text) => text.replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    addons:\n      externalDns: false\n')));
    expect(edited.applicationsOf('externalDns').map((application) => application.metadata.name)).toEqual(['external-dns-ipv6-east']);
    for (const addon of addonKeys.filter((other) => other !== 'externalDns')) {
      expect(edited.applicationsOf(addon).map((application) => application.metadata.name)).toEqual(applicationsOf(addon).map((application) => application.metadata.name));
    }
    expect(edited.files.has(addonValuesFiles('externalDns').cluster('legacy-ipv4'))).toBe(false);
  });

  test('the add-ons project allows exactly the pinned chart repositories and this repo', () => {
    const project = findObject(objects, 'AppProject', 'fleet-addons');
    expect([...project.spec.sourceRepos].sort()).toEqual([fleet.repo.url, ...Object.values(addonCharts).map((chart) => chart.repoURL)].sort());
    const destinations = project.spec.destinations.map((destination: Manifest) => `${destination.name ?? destination.server}/${destination.namespace}`);
    for (const addon of addonKeys) for (const cluster of clusterNames) expect(destinations).toContain(`${cluster}/${addonCharts[addon].namespace}`);
  });
});

describe.each(fleet.clusters.map((cluster) => [cluster.name, cluster] as const))('IPv6 specifics on %s', (name, cluster) => {
  test('AWS Load Balancer Controller: cluster name, region and VPC set explicitly (no instance metadata in IPv6 pods), its IRSA role only under IRSA, IP targets', () => {
    const values = valuesOf('awsLoadBalancerController', name);
    expect(values).toMatchObject({ clusterName: name, region: cluster.region, vpcId: cluster.vpcId, defaultTargetType: 'ip' });
    expect(values.serviceAccount?.annotations?.[irsaRoleAnnotation]).toBe(irsaRole(cluster, 'awsLoadBalancerController'));
    expect(values.ingressClassParams.spec.ipAddressType).toBe(cluster.ipFamily === 'ipv6' ? 'dualstack' : 'ipv4');
  });

  test('AWS Load Balancer Controller: its webhook certificate never leaves the app OutOfSync', () => {
    expect(valuesOf('awsLoadBalancerController', name).enableCertManager).toBe(cluster.addons.certManager);
    const [application] = applicationsOf('awsLoadBalancerController').filter((candidate) => candidate.metadata.labels['fleet/cluster'] === name);
    const ignored = application.spec.ignoreDifferences.map((entry: Manifest) => entry.kind);
    expect(ignored).toEqual(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'Secret']);
    expect(application.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
  });

  test('cert-manager: CRDs through crds.enabled and crds.keep, not the deprecated installCRDs', () => {
    const values = valuesOf('certManager', name);
    expect(values.crds).toEqual({ enabled: true, keep: true });
    expect(values.installCRDs).toBeUndefined();
  });

  test('external-dns: AWS, an owner id unique to the cluster, the fleet\'s domain, own-records-only policy, A and AAAA records on every cluster, explicit region', () => {
    const values = valuesOf('externalDns', name);
    expect(values.provider).toEqual({ name: 'aws' });
    expect(values.txtOwnerId).toBe(name);
    expect(values.registry).toBe('txt');
    expect(values.policy).toBe('sync');
    expect(values.domainFilters).toEqual([fleet.domain]);
    // external-dns v0.21.0 adds an AAAA alias beside every A alias: each placement must own both,
    // of one weight, or the other cluster's AAAA alone takes every client that asks for AAAA.
    expect(values.managedRecordTypes).toEqual(['A', 'AAAA', 'CNAME']);
    expect(values.env).toContainEqual({ name: 'AWS_DEFAULT_REGION', value: cluster.region });
    expect(values.serviceAccount?.annotations?.[irsaRoleAnnotation]).toBe(irsaRole(cluster, 'externalDns'));
  });

  test('cluster-autoscaler: auto-discovery of this cluster, explicit region, its IRSA role only under IRSA, and room for ~100 nodes', () => {
    const values = valuesOf('clusterAutoscaler', name);
    expect(values.autoDiscovery.clusterName).toBe(name);
    expect(values.awsRegion).toBe(cluster.region);
    expect(values.rbac?.serviceAccount?.annotations?.[irsaRoleAnnotation]).toBe(irsaRole(cluster, 'clusterAutoscaler'));
    expect(values.extraArgs['max-nodes-total']).toBe(cluster.nodeGroups.reduce((total, group) => total + group.maxSize, 0));
    expect(values.extraArgs['balance-similar-node-groups']).toBe(true);
    expect(values.extraArgs['skip-nodes-with-local-storage']).toBe(false);
  });
});

test('every add-on\'s txtOwnerId is unique across the fleet', () => {
  const owners = clusterNames.map((name) => valuesOf('externalDns', name).txtOwnerId);
  expect(new Set(owners).size).toBe(owners.length);
});
