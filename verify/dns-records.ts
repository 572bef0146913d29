/**
 * The Route 53 records each cluster's external-dns would own for the apps of a render of dist/,
 * and whether Route 53 then answers clients of each IP family by the weights of fleet.yaml.
 *
 * A model of the pinned programs, read from their source at the pinned tags:
 * - external-dns v0.21.0 (chart external-dns 1.21.1): the chart's templates/deployment.yaml (values
 *   to flags), source/ingress.go and endpoint/utils.go (an Ingress to endpoints),
 *   provider/aws/aws.go AdjustEndpoints (an ELB target becomes an A alias, and an AAAA alias beside
 *   it with the same set identifier and weight), plan/plan.go filterRecordsForPlan (the managed and
 *   excluded record types, the domain filter), pkg/apis/externaldns/types.go (the defaults);
 * - the AWS Load Balancer Controller v3.5.0 (chart 3.5.0): pkg/ingress/model_build_load_balancer.go
 *   buildLoadBalancerIPAddressType (IngressClassParams' ipAddressType wins over the Ingress's
 *   annotation; ipv4 without either).
 * A flag the model does not know, or an Ingress target annotation, is an error, never a guess.
 */
import { parse } from 'yaml';
import { addonCatalog } from '../catalog/addons';
import { Fleet } from '../config/fleet';
import { Json } from '../diff/applicationset';
import { chartApplications, valueTexts } from './chart-renders';
import { mergeHelmValues } from './chart-values';
import { generatedApplications } from './objects';
import { RenderedObject, renderedFileObjects, renderedObjects } from './rendered';

export const recordTypes = ['A', 'AAAA', 'CNAME'] as const;
export type RecordType = typeof recordTypes[number];

export const albIpAddressTypes = ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'] as const;
export type AlbIpAddressType = typeof albIpAddressTypes[number];

/** What one cluster's external-dns is told, as far as it decides which records it owns. */
export interface ExternalDnsFlags {
  readonly sources: readonly string[];
  /** --txt-owner-id: whose records these are in the TXT registry. */
  readonly owner: string;
  readonly domainFilters: readonly string[];
  readonly managedRecordTypes: readonly string[];
  readonly excludeRecordTypes: readonly string[];
  /** --aws-prefer-cname: a CNAME to the load balancer instead of A and AAAA aliases. */
  readonly preferCname: boolean;
}

/** One record a cluster's external-dns owns. */
export interface OwnedRecord {
  /** The cluster whose external-dns owns it. */
  readonly cluster: string;
  readonly name: string;
  readonly type: RecordType;
  /** The set identifier of a weighted record. */
  readonly setIdentifier?: string;
  readonly weight?: number;
  /** The IP address type of the ALB it points at. */
  readonly alb: AlbIpAddressType;
  /**
   * Whether Route 53 answers it with addresses: an alias answers with the ALB's addresses of the
   * record's family, so the AAAA alias of an IPv4 ALB answers empty (external-dns
   * docs/tutorials/aws.md, v0.21.0: "Route53 returns empty sets when querying such records").
   */
  readonly answers: boolean;
  /** The Ingress it comes from, namespace/name. */
  readonly ingress: string;
}

/** One cluster as its external-dns and its load balancer controller see it. */
export interface ClusterDns {
  readonly cluster: string;
  /** Its external-dns's flags; none when external-dns does not run there. */
  readonly externalDns?: ExternalDnsFlags;
  /** The load balancer controller's IngressClass and its IngressClassParams' ipAddressType; none when it does not run there. */
  readonly albs?: { readonly ingressClass: string; readonly ipAddressType?: AlbIpAddressType };
  /** The Ingresses Argo CD syncs to it. */
  readonly ingresses: readonly Json[];
}

const annotationPrefix = 'external-dns.alpha.kubernetes.io/';

/** external-dns's arguments from the chart's values (external-dns chart 1.21.1, templates/deployment.yaml). */
export function externalDnsArgs(values: Json): string[] {
  const args = [
    ...(values.sources ?? []).map((source: string) => `--source=${source}`),
    `--policy=${values.policy}`,
    `--registry=${values.registry}`,
    ...(values.txtOwnerId ? [`--txt-owner-id=${values.txtOwnerId}`] : []),
    ...(values.txtPrefix ? [`--txt-prefix=${values.txtPrefix}`] : values.txtSuffix ? [`--txt-suffix=${values.txtSuffix}`] : []),
    ...(values.domainFilters ?? []).map((domain: string) => `--domain-filter=${domain}`),
    ...(values.excludeDomains ?? []).map((domain: string) => `--exclude-domains=${domain}`),
    ...(values.labelFilter ? [`--label-filter=${values.labelFilter}`] : []),
    ...(values.annotationFilter ? [`--annotation-filter=${values.annotationFilter}`] : []),
    ...(values.managedRecordTypes ?? []).map((type: string) => `--managed-record-types=${type}`),
    `--provider=${typeof values.provider === 'string' ? values.provider : values.provider?.name}`,
  ];
  const extra = values.extraArgs;
  if (Array.isArray(extra)) return [...args, ...extra.map(String)];
  for (const [key, value] of Object.entries<unknown>(extra ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) args.push(...value.map((item) => `--${key}=${item}`));
    else if (typeof value === 'boolean') args.push(value ? `--${key}` : `--no-${key}`);
    else args.push(`--${key}=${value}`);
  }
  return args;
}

/** Flags that change nothing of which A, AAAA and CNAME records external-dns owns. */
const flagsWithoutEffect = new Set(['log-level', 'log-format', 'interval', 'events', 'policy', 'registry', 'provider', 'txt-prefix', 'txt-suffix', 'aws-assume-role', 'aws-evaluate-target-health', 'aws-zone-type']);

/** The flags of external-dns that decide its records; throws on one the model does not know. */
export function externalDnsFlags(args: readonly string[], cluster: string): ExternalDnsFlags {
  const flags = new Map<string, string[]>();
  for (const arg of args) {
    const match = /^--(no-)?([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`external-dns on ${cluster}: argument ${arg} is not a flag`);
    const [, no, name, value] = match;
    flags.set(name, [...(flags.get(name) ?? []), value ?? (no ? 'false' : 'true')]);
  }
  const known = new Set([...flagsWithoutEffect, 'source', 'txt-owner-id', 'domain-filter', 'managed-record-types', 'exclude-record-types', 'aws-prefer-cname']);
  const unknown = [...flags.keys()].filter((name) => !known.has(name));
  if (unknown.length) {
    throw new Error(`external-dns on ${cluster} has ${unknown.map((name) => `--${name}`).join(', ')}: verify/dns-records.ts does not model what that changes of its records; teach it (from external-dns v0.21.0's source) before relying on it`);
  }
  const list = (name: string) => (flags.get(name) ?? []).flatMap((value) => value.split(',')).filter(Boolean);
  return {
    sources: list('source'),
    owner: flags.get('txt-owner-id')?.at(-1) ?? 'default',
    domainFilters: list('domain-filter'),
    // The default of --managed-record-types (pkg/apis/externaldns/types.go, v0.21.0).
    managedRecordTypes: flags.has('managed-record-types') ? list('managed-record-types') : ['A', 'AAAA', 'CNAME'],
    excludeRecordTypes: list('exclude-record-types'),
    preferCname: flags.get('aws-prefer-cname')?.at(-1) === 'true',
  };
}

/** endpoint.DomainFilter.Match for plain filters: the domain or one below it (endpoint/domain_filter.go, v0.21.0). */
function inDomains(name: string, filters: readonly string[]): boolean {
  const domain = name.replace(/\.$/, '').toLowerCase();
  return !filters.length || filters.some((filter) => {
    const plain = filter.replace(/\.$/, '').toLowerCase();
    return plain.startsWith('.') ? domain.endsWith(plain) : domain === plain || domain.endsWith(`.${plain}`);
  });
}

/** The hostnames external-dns publishes for an Ingress: its rules' hosts, its TLS hosts and the hostname annotation (source/ingress.go endpointsFromIngress). */
function ingressHostnames(ingress: Json): string[] {
  const annotations: Record<string, string> = ingress.metadata?.annotations ?? {};
  const defined = [
    ...(ingress.spec?.rules ?? []).map((rule: Json) => rule.host),
    ...(ingress.spec?.tls ?? []).flatMap((tls: Json) => tls.hosts ?? []),
  ].filter(Boolean);
  const annotated = (annotations[`${annotationPrefix}hostname`] ?? '').replace(/ /g, '').split(',').filter(Boolean);
  const source = annotations[`${annotationPrefix}ingress-hostname-source`]?.toLowerCase();
  const hosts = source === 'defined-hosts-only' ? defined : source === 'annotation-only' ? annotated : [...defined, ...annotated];
  return [...new Set(hosts)];
}

/** The IP address type of the ALB of an Ingress (v3.5.0 buildLoadBalancerIPAddressType). */
function albIpAddressType(ingress: Json, classParams: AlbIpAddressType | undefined): AlbIpAddressType {
  const annotated = ingress.metadata?.annotations?.['alb.ingress.kubernetes.io/ip-address-type'];
  const type = classParams ?? annotated ?? 'ipv4';
  if (!(albIpAddressTypes as readonly string[]).includes(type)) throw new Error(`Ingress ${ingress.metadata?.namespace}/${ingress.metadata?.name}: unknown ip-address-type ${type}`);
  return type;
}

/** Whether an alias of the record's type answers with an address of an ALB of this IP address type. */
function aliasAnswers(type: RecordType, alb: AlbIpAddressType): boolean {
  if (type === 'A') return alb !== 'dualstack-without-public-ipv4';
  if (type === 'AAAA') return alb !== 'ipv4';
  return true;
}

/**
 * The records one cluster's external-dns owns: for each Ingress the load balancer controller gives
 * an ALB, each hostname as a record pointing at the ALB's DNS name (a CNAME endpoint), which the AWS
 * provider makes an A alias and an AAAA alias of the same set identifier and weight, then only
 * the managed, not excluded types within the domain filter.
 */
export function ownedRecords({ cluster, externalDns, albs, ingresses }: ClusterDns): OwnedRecord[] {
  if (!externalDns || !externalDns.sources.includes('ingress') || !albs) return [];
  // A target annotation replaces the ALB's address (source/ingress.go); the fleet renders none.
  const unmodelled = [`${annotationPrefix}target`];
  return ingresses.flatMap((ingress) => {
    const annotations: Record<string, string> = ingress.metadata?.annotations ?? {};
    const id = `${ingress.metadata?.namespace}/${ingress.metadata?.name}`;
    // Another IngressClass: this controller gives it no ALB, so its status has no address to publish.
    if (ingress.spec?.ingressClassName !== albs.ingressClass) return [];
    // annotations.IsControllerMismatch: an Ingress for another DNS controller is skipped.
    const controller = annotations[`${annotationPrefix}controller`];
    if (controller !== undefined && controller !== 'dns-controller') return [];
    const used = unmodelled.filter((key) => key in annotations);
    if (used.length) throw new Error(`Ingress ${id} on ${cluster} has ${used.join(', ')}: verify/dns-records.ts does not model what that changes of its records`);
    const alb = albIpAddressType(ingress, albs.ipAddressType);
    const setIdentifier = annotations[`${annotationPrefix}set-identifier`] || undefined;
    const rawWeight = annotations[`${annotationPrefix}aws-weight`];
    // aws.go newChange: a weight that does not parse is 0.
    const weight = rawWeight === undefined ? undefined : (/^\d+$/.test(rawWeight) ? Number(rawWeight) : 0);
    // AdjustEndpoints: an ELB target is an alias, an A record and an AAAA twin, unless CNAMEs are preferred.
    const types: RecordType[] = externalDns.preferCname ? ['CNAME'] : ['A', 'AAAA'];
    return ingressHostnames(ingress).filter((name) => inDomains(name, externalDns.domainFilters)).flatMap((name) => types
      .filter((type) => externalDns.managedRecordTypes.includes(type) && !externalDns.excludeRecordTypes.includes(type))
      .map((type): OwnedRecord => ({
        cluster, name, type,
        ...(setIdentifier === undefined ? {} : { setIdentifier }),
        ...(weight === undefined ? {} : { weight }),
        alb, answers: aliasAnswers(type, alb), ingress: id,
      })));
  });
}

/** The clusters of a render as external-dns and the load balancer controller see them: their flags, IngressClassParams and the Ingresses Argo CD syncs there. */
export function clustersDns(fleet: Fleet, files: ReadonlyMap<string, string>): ClusterDns[] {
  const objects = renderedObjects(files);
  const chartValues = new Map<string, Json>();
  for (const { application, cluster } of chartApplications(fleet, objects)) {
    const source: Json = (application.spec.sources ?? [application.spec.source]).find((candidate: Json) => candidate.chart);
    const values = valueTexts(application, source, files, fleet.repo.path).reduce<Json>((merged, text) => mergeHelmValues(merged, parse(text) ?? {}), {});
    chartValues.set(`${source.chart} ${cluster}`, values);
  }
  const ingresses = ingressesByCluster(fleet, objects, files);
  return fleet.clusters.map((cluster) => {
    const dnsValues = chartValues.get(`${addonCatalog.externalDns.chart} ${cluster.name}`);
    const lbcValues = chartValues.get(`${addonCatalog.awsLoadBalancerController.chart} ${cluster.name}`);
    // The chart's IngressClass (ingressClass, default alb) refers to its IngressClassParams when it creates them.
    const withParams = lbcValues && lbcValues.createIngressClassResource !== false && lbcValues.ingressClassParams?.create !== false;
    return {
      cluster: cluster.name,
      ...(dnsValues ? { externalDns: externalDnsFlags(externalDnsArgs(dnsValues), cluster.name) } : {}),
      ...(lbcValues ? { albs: { ingressClass: lbcValues.ingressClass ?? 'alb', ...(withParams && lbcValues.ingressClassParams?.spec?.ipAddressType ? { ipAddressType: lbcValues.ingressClassParams.spec.ipAddressType } : {}) } } : {}),
      ingresses: ingresses.get(cluster.name) ?? [],
    };
  });
}

/**
 * The Ingresses of the files each generated Application syncs from this repository (a source's path and
 * `directory.include`: a test app's single source, or a service's folder among its sources), by the cluster it goes to.
 */
function ingressesByCluster(fleet: Fleet, objects: readonly RenderedObject[], files: ReadonlyMap<string, string>): Map<string, Json[]> {
  const byCluster = new Map<string, Json[]>();
  for (const application of generatedApplications(objects)) {
    const sources: Json[] = application.spec?.sources ?? (application.spec?.source ? [application.spec.source] : []);
    for (const source of sources) {
      const include: string | undefined = source?.directory?.include;
      if (!source?.path || include === undefined || source.repoURL !== fleet.repo.url) continue;
      if (/[*?[]/.test(include)) throw new Error(`Application ${application.metadata?.name}: directory.include ${include} has wildcards, which verify/dns-records.ts does not expand`);
      const dir = source.path.startsWith(`${fleet.repo.path}/`) ? source.path.slice(fleet.repo.path.length + 1) : source.path;
      const found = include.replace(/^\{|\}$/g, '').split(',')
        .flatMap((file) => renderedFileObjects(files, `${dir}/${file}`))
        .filter((object) => object.kind === 'Ingress');
      const cluster = application.spec.destination?.name;
      byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), ...found]);
    }
  }
  return byCluster;
}

/** Every record every cluster's external-dns would own for a render of dist/. */
export function fleetRecords(fleet: Fleet, files: ReadonlyMap<string, string>): OwnedRecord[] {
  return clustersDns(fleet, files).flatMap(ownedRecords);
}

const placementOf = (record: OwnedRecord) => `${record.cluster}${record.weight === undefined ? '' : ` (weight ${record.weight})`}`;

/**
 * What keeps Route 53 from answering by the weights, one sentence per name: Route 53 weighs only
 * the records of one name and type, each type on its own, so every type of a weighted name must
 * have a record of every weighted placement (an AAAA of one placement alone takes every client
 * that asks for AAAA), with the same weight for A and AAAA; two owners of one record, and simple
 * and weighted records of one name and type, are refused.
 */
export function dnsProblems(records: readonly OwnedRecord[]): string[] {
  const problems: string[] = [];
  const byName = new Map<string, OwnedRecord[]>();
  for (const record of records) byName.set(record.name, [...(byName.get(record.name) ?? []), record]);
  for (const [name, ofName] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const type of recordTypes) {
      const ofType = ofName.filter((record) => record.type === type);
      const keys = ofType.map((record) => record.setIdentifier ?? '');
      const twice = [...new Set(keys.filter((key, index) => keys.indexOf(key) !== index))];
      for (const key of twice) {
        problems.push(`${type} ${name}${key ? ` (set identifier ${key})` : ''} is claimed by ${ofType.filter((record) => (record.setIdentifier ?? '') === key).map(placementOf).join(' and ')}: only the first to write it owns it`);
      }
      if (ofType.some((record) => record.setIdentifier) && ofType.some((record) => !record.setIdentifier)) {
        problems.push(`${type} ${name} has weighted records (${ofType.filter((record) => record.setIdentifier).map(placementOf).join(', ')}) beside a simple one (${ofType.filter((record) => !record.setIdentifier).map(placementOf).join(', ')}): Route 53 refuses the second kind`);
      }
    }
    const weighted = ofName.filter((record) => record.setIdentifier);
    const placements = new Map(weighted.map((record) => [record.setIdentifier!, record]));
    for (const type of recordTypes) {
      const ofType = weighted.filter((record) => record.type === type);
      if (!ofType.length) continue;
      const missing = [...placements.values()].filter((placement) => !ofType.some((record) => record.setIdentifier === placement.setIdentifier));
      if (missing.length) {
        problems.push(`${type} ${name} has weighted records of ${ofType.map(placementOf).join(', ')} only, none of ${missing.map(placementOf).join(', ')}: every client that asks for ${type} goes to ${ofType.map((record) => record.cluster).join(', ')} whatever the weights say`);
      }
    }
    for (const [setIdentifier, first] of placements) {
      const weights = [...new Set(weighted.filter((record) => record.setIdentifier === setIdentifier).map((record) => record.weight))];
      if (weights.length > 1) problems.push(`${name} (set identifier ${setIdentifier}) has weights ${weights.join(' and ')} on its ${first.cluster} records of different types: clients of one family get another share than the other's`);
    }
  }
  return problems;
}

/** What a change of fleet.yaml does to Route 53 while each cluster's external-dns catches up. */
export interface TransitionOutcome {
  /** Names and types whose change never takes effect, whatever order the clusters sync in. */
  readonly stuck: string[];
  /** Creations Route 53 may refuse at first (when their cluster syncs before another), which succeed when retried. */
  readonly retried: string[];
}

/**
 * How Route 53 takes a change of fleet.yaml from the records `before` to `after`, each cluster's
 * external-dns applying its own part at its own sync. external-dns v0.21.0 plans a record whose set
 * identifier changes (a simple record turning weighted, or back) as a deletion of the old record
 * and a creation of the new one (plan/plan.go: rows keyed by name and set identifier), with their
 * TXT ownership records (registry/txt/registry.go: a TXT record carries its record's set
 * identifier), and submits them in one change batch sorted by action, UPSERT, then DELETE, then
 * CREATE (provider/aws/aws.go, batchChangeSet, sortChangesByActionNameType). Route 53 applies a
 * batch as one transaction (ChangeResourceRecordSets: "either makes all or none of the changes"),
 * so a cluster turns its own simple record into a weighted one, or back, in one step. It refuses
 * only a batch that would leave a weighted record beside a simple one of the same name and type,
 * as when another cluster's record is still of the other kind: that batch fails, external-dns
 * queues it and submits it again at its next sync (submitChanges, failedChangesQueue), and it
 * succeeds once the other cluster has synced. A change is stuck only when no order of syncs gets
 * every cluster through, which only a final state with both kinds (dnsProblems) leads to.
 */
export function transitionOutcome(before: readonly OwnedRecord[], after: readonly OwnedRecord[]): TransitionOutcome {
  const stuck: string[] = [];
  const retried: string[] = [];
  const mixed = (records: readonly OwnedRecord[]) => records.some((record) => record.setIdentifier) && records.some((record) => !record.setIdentifier);
  const identity = (record: OwnedRecord) => `${record.setIdentifier ?? ''} ${record.weight ?? ''}`;
  for (const name of [...new Set([...before, ...after].map((record) => record.name))].sort()) {
    for (const type of recordTypes) {
      const of = (records: readonly OwnedRecord[], cluster?: string) => records.filter((record) => record.name === name && record.type === type && (cluster === undefined || record.cluster === cluster));
      const clusters = [...new Set([...of(before), ...of(after)].map((record) => record.cluster))];
      const changing = clusters.filter((cluster) => of(before, cluster).map(identity).join() !== of(after, cluster).map(identity).join());
      // A cluster's batch: its own records replaced by what it wants, everyone else's as they are.
      const applied = (state: readonly OwnedRecord[], cluster: string) => [...state.filter((record) => record.cluster !== cluster), ...of(after, cluster)];
      for (const cluster of changing) {
        if (mixed(applied(of(before), cluster))) {
          const weighted = of(after, cluster).some((record) => record.setIdentifier);
          const others = of(before).filter((record) => record.cluster !== cluster && Boolean(record.setIdentifier) !== weighted).map(placementOf);
          retried.push(`${type} ${name}: Route 53 refuses ${cluster}'s ${weighted ? 'weighted' : 'simple'} record while the ${weighted ? 'simple' : 'weighted'} one of ${others.join(', ')} is there; external-dns retries it at its next sync, and it succeeds once ${others.join(', ')} has synced`);
        }
      }
      let state: readonly OwnedRecord[] = of(before);
      let pending = changing;
      for (let next = pending.find((cluster) => !mixed(applied(state, cluster))); next !== undefined; next = pending.find((cluster) => !mixed(applied(state, cluster)))) {
        state = applied(state, next);
        pending = pending.filter((cluster) => cluster !== next);
      }
      if (pending.length) {
        stuck.push(`${type} ${name}: ${pending.join(', ')} can never apply ${pending.length > 1 ? 'their changes' : 'its change'}: Route 53 refuses a weighted record beside a simple one of the same name and type, and external-dns retries it at every sync in vain`);
      }
    }
  }
  return { stuck, retried };
}

/**
 * How long a resolver keeps each answer. An alias of an ALB is answered with the load balancer's
 * TTL, 60 s (Route 53 API, ResourceRecordSet.TTL: "60 seconds (the TTL for load balancers)"); an
 * empty (NODATA) answer is kept, by RFC 2308, for the lesser of the hosted zone's SOA record's TTL
 * and the SOA's last field, its minimum: 900 s and 86400 s in a new Route 53 zone (Route 53
 * Developer Guide, "NS and SOA records that Amazon Route 53 creates for a public hosted zone").
 */
export interface AnswerCaching {
  readonly answerTtl: number;
  readonly emptyTtl: number;
}

/** A Route 53 hosted zone as created: positive alias answers 60 s, negative ones 900 s. */
export const route53DefaultCaching: AnswerCaching = { answerTtl: 60, emptyTtl: 900 };

/**
 * The share of a name's answers of one type each record gives (a weight of 0 everywhere is an
 * equal share each; Route 53's weighted routing). Per query when `caching` is absent; with it, the
 * share of the time a busy shared resolver holds each answer: it asks again only when the answer
 * it holds expires, so an answer counts by its weight times the time it is kept.
 */
function typeShares(records: readonly OwnedRecord[], caching?: AnswerCaching): Map<OwnedRecord, number> {
  const kept = (record: OwnedRecord) => (caching ? (record.answers ? caching.answerTtl : caching.emptyTtl) : 1);
  const total = records.reduce((sum, record) => sum + (record.weight ?? 1) * kept(record), 0);
  const equal = records.reduce((sum, record) => sum + kept(record), 0);
  return new Map(records.map((record) => [record, total === 0 ? kept(record) / equal : ((record.weight ?? 1) * kept(record)) / total]));
}

/** The share of clients of one kind each cluster serves, and the share no cluster can. */
export interface TrafficShares {
  readonly byCluster: Readonly<Record<string, number>>;
  readonly unreachable: number;
}

/**
 * Where the clients of one name go, by the kind of client: one with IPv4 only asks for A; one
 * with IPv6 only asks for AAAA (an empty answer leaves it nowhere to go); a dual-stack one asks
 * for both and prefers IPv6 when the AAAA answer has an address, else takes the A answer. Route 53
 * picks a weighted record for each query on its own, so a dual-stack client reaches a cluster
 * either through the AAAA pick or, when that answers empty, through the A pick.
 *
 * Without `caching`, per query: what clients see when each asks Route 53 itself. With it (e.g.
 * route53DefaultCaching), what the clients of a busy shared resolver see: the IPv4 cluster's empty
 * AAAA answer is kept 15 times as long as an address, so far fewer IPv6 answers reach clients than
 * the weights say; the closer the SOA's negative TTL comes to 60 s, the closer to per query.
 */
export function trafficShares(records: readonly OwnedRecord[], name: string, caching?: AnswerCaching): Record<'ipv4Only' | 'ipv6Only' | 'dualStack', TrafficShares> {
  const ofType = (type: RecordType) => typeShares(records.filter((record) => record.name === name && record.type === type), caching);
  const a = ofType('A');
  const aaaa = ofType('AAAA');
  const shares = (picks: Array<[OwnedRecord, number]>): TrafficShares => {
    const byCluster: Record<string, number> = {};
    let reached = 0;
    for (const [record, share] of picks) {
      if (!record.answers || share === 0) continue;
      byCluster[record.cluster] = (byCluster[record.cluster] ?? 0) + share;
      reached += share;
    }
    return { byCluster, unreachable: 1 - reached };
  };
  const aaaaEmpty = [...aaaa].reduce((sum, [record, share]) => sum + (record.answers ? 0 : share), aaaa.size ? 0 : 1);
  return {
    ipv4Only: shares([...a]),
    ipv6Only: shares([...aaaa]),
    dualStack: shares([...[...aaaa].filter(([record]) => record.answers), ...[...a].map(([record, share]): [OwnedRecord, number] => [record, share * aaaaEmpty])]),
  };
}
