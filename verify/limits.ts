/**
 * The limits the Kubernetes API server puts on every object, checked on each rendered object
 * before anything is written:
 * - the whole object: etcd refuses a request over 1.5 MiB (its --max-request-bytes default), and
 *   Argo CD adds status to Applications and managed fields to everything, so an object must stay
 *   well under it: at most 1 MiB of JSON here;
 * - annotations: 256 KiB in all (apimachinery's TotalAnnotationSizeLimitB);
 * - names: a DNS subdomain of at most 253 characters, a DNS label of at most 63 for the kinds
 *   whose name becomes a DNS name (Namespace, Service);
 * - labels: a value of at most 63 characters, a key of at most 63 after an optional DNS-subdomain
 *   prefix of at most 253 (apimachinery's validation of label keys and values).
 */

/** Serialized JSON an object may take. */
export const maxObjectBytes = 1024 * 1024;
/** All annotations of an object together, keys and values. */
export const maxAnnotationBytes = 256 * 1024;

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const labelName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** Kinds whose name must be a DNS label (it becomes a DNS name or a label value). */
const labelNamedKinds = new Set(['Namespace', 'Service']);

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function objectTitle(object: Record<string, any>): string {
  const namespace = object.metadata?.namespace;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${object.metadata?.name}`;
}

/**
 * Every limit one rendered object breaks, as sentences naming the object. `yamlBytes` is the size
 * of the file it is in: JSON of an object is at most a few times its YAML, so only an object in
 * a file of more than a sixth of the limit is serialized to be measured.
 */
export function objectLimitProblems(object: Record<string, any>, yamlBytes = Infinity): string[] {
  const problems: string[] = [];
  const title = objectTitle(object);
  if (yamlBytes > maxObjectBytes / 6) {
    const size = bytes(JSON.stringify(object));
    if (size > maxObjectBytes) {
      problems.push(`${title} is ${(size / 1024 / 1024).toFixed(2)} MiB of JSON: the API server stores objects of up to 1.5 MiB in etcd and this project keeps each under ${maxObjectBytes / 1024 / 1024} MiB`);
    }
  }
  const name = object.metadata?.name;
  if (typeof name === 'string') {
    if (labelNamedKinds.has(object.kind) ? name.length > 63 || !dnsLabel.test(name) : name.length > 253 || !dnsSubdomain.test(name)) {
      problems.push(`${title}: metadata.name is not a valid name for a ${object.kind} (${labelNamedKinds.has(object.kind) ? 'a DNS label of at most 63 characters' : 'a DNS subdomain of at most 253 characters'})`);
    }
  }
  for (const [key, value] of Object.entries<unknown>(object.metadata?.labels ?? {})) {
    const [prefix, keyName] = key.includes('/') ? [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)] : [undefined, key];
    if ((prefix !== undefined && (prefix.length > 253 || !dnsSubdomain.test(prefix))) || keyName.length > 63 || !labelName.test(keyName)) {
      problems.push(`${title}: label key ${JSON.stringify(key)} is not a valid label key`);
    }
    if (typeof value !== 'string' || value.length > 63 || !labelValue.test(value)) {
      problems.push(`${title}: label ${key} has the value ${JSON.stringify(value)}: a label value is at most 63 letters, digits, "-", "_" or "."`);
    }
  }
  const annotations = Object.entries<unknown>(object.metadata?.annotations ?? {});
  const annotationBytes = annotations.reduce((total, [key, value]) => total + bytes(key) + bytes(String(value)), 0);
  if (annotationBytes > maxAnnotationBytes) {
    problems.push(`${title}: its annotations take ${Math.ceil(annotationBytes / 1024)} KiB, over the API server's 256 KiB`);
  }
  return problems;
}

/** Rendered objects over the API server's limits: synth refuses to write them. */
export class ObjectLimitError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ObjectLimitError';
  }
}
