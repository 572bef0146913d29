/**
 * What turning an add-on off on a cluster leaves half done. Its Application goes (the add-on's
 * ApplicationSet no longer selects the cluster), but the ApplicationSets keep what it deployed
 * (`preserveResourcesOnDeletion`, charts/addon-appset.ts): its pods keep running, unmanaged. At
 * the same time dist/terraform/ drops its AWS identity (the Pod Identity association or IRSA
 * role), so a running add-on that calls AWS is left without credentials. Read from the cluster
 * Secrets (argocd/clusters/<cluster>.yaml), whose enable_<add-on> labels the ApplicationSets
 * select by, so synth and diff say it from the dist/ they compare with.
 */
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { AddonKey, addonCatalog, addonKeys, addonsWithIamRole } from '../catalog/addons';
import { addonEnableLabel } from '../catalog/argocd';
import { distLayout, pathPattern } from '../catalog/dist-layout';
import { roleNames } from '../catalog/identities';
import { appsOn, Cluster, Fleet } from '../config/fleet';
import { firstNames } from '../config/messages';
import { BaselineError, committedDist } from './baseline';

const clusterSecretFile = pathPattern(distLayout.clusterSecret);

/** The regular expression of the cluster Secrets' paths, for synth to keep their previous texts (WriteSummary.previous). */
export const clusterSecretFilesPattern = clusterSecretFile.source;

/** The add-ons a cluster Secret's labels turn on. */
function addonsOnIn(text: string): Set<AddonKey> {
  let secret: any;
  try {
    secret = loadAll(text, null, { schema: CORE_SCHEMA }).find((object: any) => object?.kind === 'Secret');
  } catch {
    return new Set();
  }
  const labels = secret?.metadata?.labels ?? {};
  return new Set(addonKeys.filter((addon) => labels[addonEnableLabel(addon)] === 'true'));
}

/** What stops working on a cluster once the add-on is off. */
function consequence(addon: AddonKey, cluster: Cluster, fleet: Fleet): string {
  const apps = appsOn(fleet, cluster.name).map((app) => app.name);
  switch (addon) {
    case 'externalDns':
      return apps.length
        ? `the DNS records of ${firstNames(apps)} (their hosts in ${fleet.domain}) it serves are no longer managed: they keep pointing where they point, are not updated when an ALB changes, and are not deleted when an app leaves the cluster`
        : 'no app of the fleet runs there, but any record it owns is no longer managed';
    case 'awsLoadBalancerController':
      return 'Ingresses and Services of type LoadBalancer there are no longer reconciled: no ALB or target is created, changed or deleted for them, and a deleted Ingress keeps its finalizer';
    case 'clusterAutoscaler':
      return 'its node groups are no longer scaled: pods that do not fit stay Pending and idle nodes stay, so set the node groups\' sizes by hand';
    case 'certManager':
      return cluster.addons.awsLoadBalancerController
        // aws-load-balancer-controller chart 3.5.0, templates/_helpers.tpl "webhookCerts": genCA when enableCertManager is false.
        ? 'the load balancer controller\'s webhook certificate is no longer issued by cert-manager: its chart generates a self-signed one at every render instead (enableCertManager: false), and the Certificate cert-manager renewed is pruned'
        : 'nothing of the fleet uses it any more';
  }
}

/** How the add-on loses its AWS identity, or that it has none. */
function identityLost(addon: AddonKey, cluster: Cluster): string {
  if (!(addonsWithIamRole as readonly AddonKey[]).includes(addon)) return 'it has no AWS identity to lose';
  const identity = cluster.identity === 'irsa'
    ? `its IRSA role ${roleNames.irsaAddon(addon as typeof addonsWithIamRole[number], cluster.name)}`
    : 'its Pod Identity association';
  return `dist/terraform/ removes ${identity}, so it can no longer call AWS once terraform apply runs`;
}

/** Whether any registered cluster has an add-on off: else nothing can have been turned off, and nothing need be read. */
export function hasAddonsOff(fleet: Fleet): boolean {
  return fleet.clusters.some((cluster) => cluster.register && addonKeys.some((addon) => !cluster.addons[addon]));
}

/**
 * One sentence per add-on turned off on a cluster that stays: `previous` holds the previous text
 * of the cluster Secrets that changed (the others did not turn anything off).
 */
export function addonsTurnedOff(previous: ReadonlyMap<string, string | undefined>, fleet: Fleet): string[] {
  const sentences: string[] = [];
  for (const cluster of fleet.clusters) {
    const text = previous.get(distLayout.clusterSecret(cluster.name));
    if (text === undefined || !cluster.register) continue;
    const wasOn = addonsOnIn(text);
    for (const addon of addonKeys.filter((key) => wasOn.has(key) && !cluster.addons[key])) {
      const { chart, namespace, releaseName } = addonCatalog[addon];
      sentences.push(`${cluster.name}: ${chart} turned off: Argo CD deletes its Application but leaves its pods running (preserveResourcesOnDeletion), and ${identityLost(addon, cluster)}; `
        + `${consequence(addon, cluster, fleet)}. To remove it, delete what it installed on ${cluster.name} by hand: helm template of the ${chart} chart with release ${releaseName}, `
        + `namespace ${namespace} and its values files, piped to kubectl delete -f -.`);
    }
  }
  return sentences;
}

/** The folder of dist/ that holds the cluster Secrets. */
const clusterSecretsFolder = distLayout.clusterSecret('').replace(/\/[^/]*$/, '');

/**
 * The cluster Secrets of the output folder as committed at HEAD, for synth to say what the commit
 * turns off as npm run diff does; undefined outside git, or when git cannot read them (a warning
 * never fails a synth).
 */
export function committedClusterSecrets(outdir: string): Map<string, string> | undefined {
  try {
    return committedDist(outdir, 'HEAD', clusterSecretsFolder);
  } catch (error) {
    if (error instanceof BaselineError) return undefined;
    throw error;
  }
}

/** The previous texts of the cluster Secrets that differ between two renders. */
export function previousClusterSecrets(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Map<string, string | undefined> {
  return new Map([...before].filter(([path, text]) => clusterSecretFile.test(path) && after.get(path) !== text));
}

/** The sentences under a heading, for the end of npm run diff's output (text, or Markdown for a pull-request comment); empty without any. */
export function formatAddonsTurnedOff(sentences: readonly string[], markdown: boolean): string {
  if (!sentences.length) return '';
  if (markdown) return `\n**Add-ons turned off (their pods keep running):**\n\n${sentences.map((sentence) => `- ${sentence.replace(/[<>&]/g, (character) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[character]!)}`).join('\n')}\n`;
  return `\nAdd-ons turned off (their pods keep running):\n${sentences.map((sentence) => `  ${sentence}`).join('\n')}\n`;
}
