/**
 * Offline schema validation of rendered manifests.
 *
 * - argoproj.io/v1alpha1 Application / ApplicationSet / AppProject: ajv (v8) against the
 *   openAPIV3Schema of the Argo CD CRDs, committed under data/argocd/ by
 *   scripts/refresh-argocd-schemas.ts.
 * - everything else: the class of the `kubernetes-models` package for that
 *   apiVersion/kind (`kubernetes-models/<apiVersion>/<Kind>`), whose validate() throws an
 *   ajv ValidationError carrying the ajv error objects.
 *   kubernetes-models does NOT reject unknown fields (its schemas leave
 *   additionalProperties open) and treats metadata.name as optional; a missing
 *   metadata.name is checked here for every non-List kind.
 * - an apiVersion/kind with neither is an error ("no schema for ...").
 *
 * How the CRD schemas are adapted for ajv (to mirror what the Kubernetes API server does
 * with a structural schema), without changing the committed files:
 * - `x-kubernetes-*` keywords are registered as annotation-only keywords;
 * - `x-kubernetes-int-or-string: true` becomes `type: [integer, string]` (replacing the
 *   `anyOf: [{type: integer}, {type: string}]` the CRDs carry), one readable error;
 * - objects declaring `properties` get `additionalProperties: false` unless they are
 *   marked `x-kubernetes-preserve-unknown-fields: true`: the API server prunes (or, with
 *   kubectl's strict field validation, rejects) unknown fields, so a misspelt field would
 *   otherwise vanish silently. Preserve-unknown-fields nodes stay open;
 * - root `metadata` (just `type: object` in a CRD; the server validates ObjectMeta itself)
 *   requires a DNS-subdomain `name` and string-valued labels/annotations;
 * - formats `int64` and `date-time` are defined here (no ajv-formats dependency).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { formatFieldPath, PathSegment } from '../output/field-path';

type Obj = Record<string, unknown>;

const ARGOCD_API_VERSION = 'argoproj.io/v1alpha1';
// Literal require paths keep the schema files visible to bundlers; each loads when first needed.
const ARGOCD_SCHEMA_FILES: Readonly<Record<string, () => Obj>> = {
  Application: () => require('../data/argocd/application.schema.json'),
  ApplicationSet: () => require('../data/argocd/applicationset.schema.json'),
  AppProject: () => require('../data/argocd/appproject.schema.json'),
};

const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function isRecord(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------
// Argo CD kinds: ajv
// ---------------------------------------------------------------------------------------

let ajvInstance: Ajv | undefined;
const argoValidators = new Map<string, ValidateFunction>();

function getAjv(): Ajv {
  if (!ajvInstance) {
    const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true, code: { optimize: false } });
    ajv.addVocabulary([
      'x-kubernetes-preserve-unknown-fields',
      'x-kubernetes-int-or-string',
      'x-kubernetes-embedded-resource',
      'x-kubernetes-list-type',
      'x-kubernetes-list-map-keys',
      'x-kubernetes-map-type',
      'x-kubernetes-validations',
    ]);
    ajv.addFormat('int64', {
      type: 'number',
      validate: (n: number) => Number.isInteger(n) && BigInt(n) >= INT64_MIN && BigInt(n) <= INT64_MAX,
    });
    ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    ajv.addFormat('date-time', { type: 'string', validate: (s: string) => RFC3339.test(s) });
    // OpenAPI's base64 string (CRDs use it for CA bundles).
    ajv.addFormat('byte', { type: 'string', validate: (s: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) });
    ajvInstance = ajv;
  }
  return ajvInstance;
}

const SUBSCHEMA_MAP_KEYS = ['properties', 'patternProperties', 'definitions', '$defs'];
const SUBSCHEMA_KEYS = ['items', 'additionalProperties', 'additionalItems', 'not'];
const SUBSCHEMA_LIST_KEYS = ['allOf', 'anyOf', 'oneOf'];

/** Deep copy of a CRD schema node, adapted as described in the file header. */
function adaptSchema(node: unknown): unknown {
  if (!isRecord(node)) return node;
  const out: Obj = {};
  for (const [key, value] of Object.entries(node)) {
    if (SUBSCHEMA_MAP_KEYS.includes(key) && isRecord(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, adaptSchema(v)]));
    } else if (SUBSCHEMA_KEYS.includes(key)) {
      out[key] = adaptSchema(value);
    } else if (SUBSCHEMA_LIST_KEYS.includes(key) && Array.isArray(value)) {
      out[key] = value.map(adaptSchema);
    } else {
      out[key] = value;
    }
  }
  if (out['x-kubernetes-int-or-string'] === true) {
    const anyOf = out.anyOf;
    const isIntOrStringPair =
      Array.isArray(anyOf) &&
      anyOf.length === 2 &&
      anyOf.every((s) => isRecord(s) && Object.keys(s).length === 1 && (s.type === 'integer' || s.type === 'string'));
    if (isIntOrStringPair || anyOf === undefined) {
      delete out.anyOf;
      out.type = ['integer', 'string'];
    }
  }
  if (
    isRecord(out.properties) &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function adaptRootSchema(schema: Obj): Obj {
  const root = adaptSchema(schema) as Obj;
  const properties = isRecord(root.properties) ? { ...root.properties } : {};
  const crdMetadata = isRecord(properties.metadata) ? properties.metadata : { type: 'object' };
  const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
  properties.metadata = {
    ...crdMetadata,
    type: 'object',
    required: ['name'],
    properties: {
      ...(isRecord(crdMetadata.properties) ? crdMetadata.properties : {}),
      name: { type: 'string', minLength: 1, maxLength: 253, pattern: DNS_SUBDOMAIN },
      namespace: { type: 'string' },
      labels: stringMap,
      annotations: stringMap,
      finalizers: { type: 'array', items: { type: 'string' } },
    },
  };
  const required = Array.isArray(root.required) ? root.required : [];
  return { ...root, properties, required: required.includes('metadata') ? required : [...required, 'metadata'] };
}

function argoValidator(kind: string): ValidateFunction | undefined {
  const load = ARGOCD_SCHEMA_FILES[kind];
  if (!load) return undefined;
  let validate = argoValidators.get(kind);
  if (!validate) {
    const wrapper = load();
    if (wrapper.kind !== kind || wrapper.apiVersion !== ARGOCD_API_VERSION || !isRecord(wrapper.schema)) {
      throw new Error(`data/argocd: not the ${ARGOCD_API_VERSION} ${kind} schema; run scripts/refresh-argocd-schemas.ts`);
    }
    validate = getAjv().compile(adaptRootSchema(wrapper.schema));
    argoValidators.set(kind, validate);
  }
  return validate;
}

// ---------------------------------------------------------------------------------------
// Kubernetes core kinds: kubernetes-models
// ---------------------------------------------------------------------------------------

interface KubernetesModel {
  validate(): void;
}
interface KubernetesModelClass {
  new (data: Obj): KubernetesModel;
  apiVersion: string;
  kind: string;
}

const modelClasses = new Map<string, KubernetesModelClass | null>();

/**
 * `kubernetes-models/<apiVersion>/<Kind>` — the package's export map exposes every
 * `<group>/<version>/*` (core group: `v1/*`); "apps/v1" is already the folder path.
 * Only classes carrying a matching static apiVersion/kind count (the same folders also
 * hold nested types such as DeploymentSpec, which are not top-level objects).
 */
function modelClass(apiVersion: string, kind: string): KubernetesModelClass | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!modelClasses.has(key)) {
    let found: KubernetesModelClass | null = null;
    if (/^([a-z0-9][a-z0-9.-]*\/)?v[0-9]+[a-z0-9]*$/.test(apiVersion) && /^[A-Z][A-Za-z0-9]*$/.test(kind)) {
      try {
        const mod = require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, unknown>;
        const candidate = mod[kind];
        if (typeof candidate === 'function') {
          const statics = candidate as unknown as { apiVersion?: unknown; kind?: unknown; prototype?: { validate?: unknown } };
          if (
            statics.apiVersion === apiVersion &&
            statics.kind === kind &&
            typeof statics.prototype?.validate === 'function'
          ) {
            found = candidate as KubernetesModelClass;
          }
        }
      } catch {
        found = null; // no such module in kubernetes-models
      }
    }
    modelClasses.set(key, found);
  }
  return modelClasses.get(key) ?? undefined;
}

// ---------------------------------------------------------------------------------------
// Error formatting
// ---------------------------------------------------------------------------------------

/** "/spec/generators/0/list" -> "spec.generators[0].list" */
function readablePath(instancePath: string, child?: string): string {
  const segments: PathSegment[] = (instancePath === '' ? [] : instancePath.slice(1).split('/'))
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  if (child !== undefined) segments.push(child);
  return formatFieldPath(segments, '(root)');
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  const s = JSON.stringify(v);
  return `${typeof v} ${s !== undefined && s.length > 60 ? `${s.slice(0, 57)}...` : s}`;
}

function valueAt(root: unknown, instancePath: string): unknown {
  if (instancePath === '') return root;
  let cur: unknown = root;
  for (const raw of instancePath.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isRecord(cur)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}

/**
 * A failed anyOf/oneOf whose branches failed only on `type` at the same path (e.g. the
 * int-or-string `targetPort` of kubernetes-models) becomes one `type` error listing the
 * alternatives, instead of one error per branch plus "must match exactly one schema".
 */
function mergeAlternativeTypeErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const merged: ErrorObject[] = [];
  const absorbed = new Set<ErrorObject>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    // ajv reports the failing branches just before the anyOf/oneOf error itself; their
    // schemaPath is not always nested under it (referenced schemas restart at "#").
    const branchErrors = errors
      .slice(0, errors.indexOf(e))
      .filter((x) => x.instancePath === e.instancePath && !absorbed.has(x));
    if (branchErrors.length > 0 && branchErrors.every((x) => x.keyword === 'type')) {
      const types = [...new Set(branchErrors.flatMap((x) => (x.params as { type: string | string[] }).type))];
      branchErrors.forEach((x) => absorbed.add(x));
      absorbed.add(e);
      merged.push({ ...e, keyword: 'type', params: { type: types }, message: `must be ${types.join(' or ')}` });
    }
  }
  return [...errors.filter((e) => !absorbed.has(e)), ...merged];
}

function formatAjvErrors(label: string, rawErrors: readonly ErrorObject[], data: unknown): string[] {
  const out: string[] = [];
  for (const e of mergeAlternativeTypeErrors(rawErrors)) {
    const params = e.params as Record<string, unknown>;
    let where = readablePath(e.instancePath);
    let message = e.message ?? e.keyword;
    switch (e.keyword) {
      case 'required':
        where = readablePath(e.instancePath, String(params.missingProperty));
        message = 'required field is missing';
        break;
      case 'additionalProperties':
        where = readablePath(e.instancePath, String(params.additionalProperty));
        message = 'unknown field (not in the schema)';
        break;
      case 'type': {
        const expected = Array.isArray(params.type) ? params.type.join(' or ') : String(params.type);
        message = `must be ${expected} (got ${describeValue(valueAt(data, e.instancePath))})`;
        break;
      }
      case 'enum':
        message = `${message}: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${describeValue(valueAt(data, e.instancePath))})`;
        break;
      case 'pattern':
        if (params.pattern === DNS_SUBDOMAIN) message = 'must be a lowercase RFC 1123 subdomain (a-z, 0-9, "-", ".")';
        message = `${message} (got ${describeValue(valueAt(data, e.instancePath))})`;
        break;
      case 'format':
      case 'minLength':
      case 'maxLength':
        message = `${message} (got ${describeValue(valueAt(data, e.instancePath))})`;
        break;
      default:
        break;
    }
    const line = `${label}: ${where}: ${message}`;
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

function labelOf(obj: Obj): string {
  const kind = typeof obj.kind === 'string' && obj.kind !== '' ? obj.kind : '<no kind>';
  const metadata = isRecord(obj.metadata) ? obj.metadata : {};
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : '<no name>';
  return `${kind}/${name}`;
}

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------

/** The openAPIV3Schema of each kind the CustomResourceDefinitions among `objects` define, by "apiVersion/kind". */
export function crdSchemas(objects: readonly Record<string, unknown>[]): Map<string, Obj> {
  const schemas = new Map<string, Obj>();
  for (const crd of objects.filter((object) => object.kind === 'CustomResourceDefinition')) {
    const spec = isRecord(crd.spec) ? crd.spec : {};
    const kind = isRecord(spec.names) ? spec.names.kind : undefined;
    for (const version of Array.isArray(spec.versions) ? spec.versions : []) {
      const schema = isRecord(version) && isRecord(version.schema) ? version.schema.openAPIV3Schema : undefined;
      if (typeof spec.group === 'string' && typeof kind === 'string' && isRecord(version) && isRecord(schema)) {
        schemas.set(`${spec.group}/${version.name}/${kind}`, schema);
      }
    }
  }
  return schemas;
}

const crdValidators = new WeakMap<Obj, ValidateFunction>();

/**
 * Schema problems of one rendered object, as "kind/name: path: message"; [] when valid. A
 * custom resource is checked against its CRD's schema from `crds` (crdSchemas), as the API
 * server would check it.
 */
export function manifestErrors(obj: Record<string, unknown>, crds: ReadonlyMap<string, Obj> = new Map()): string[] {
  const label = labelOf(obj);
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '') {
    return [`${label}: (root): apiVersion and kind must be non-empty strings`];
  }
  const crdSchema = crds.get(`${apiVersion}/${kind}`);
  if (crdSchema) {
    let validate = crdValidators.get(crdSchema);
    if (!validate) {
      validate = getAjv().compile(adaptRootSchema(crdSchema));
      crdValidators.set(crdSchema, validate);
    }
    return validate(obj) ? [] : formatAjvErrors(label, validate.errors ?? [], obj);
  }

  if (apiVersion === ARGOCD_API_VERSION) {
    const validate = argoValidator(kind);
    if (validate) {
      return validate(obj) ? [] : formatAjvErrors(label, validate.errors ?? [], obj);
    }
  }

  const Model = modelClass(apiVersion, kind);
  if (!Model) {
    return [`${label}: (root): no schema for apiVersion ${apiVersion}, kind ${kind}`];
  }
  // kubernetes-models treats ObjectMeta.name as optional (the OpenAPI spec does, because of
  // generateName), yet an applied manifest without a name is always rejected.
  const problems: string[] = [];
  const metadata = obj.metadata;
  if (!kind.endsWith('List') && !(isRecord(metadata) && typeof metadata.name === 'string' && metadata.name !== '')) {
    problems.push(`${label}: metadata.name: required field is missing`);
  }
  try {
    new Model(obj).validate();
  } catch (err) {
    const errors = (err as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      problems.push(...formatAjvErrors(label, errors as ErrorObject[], obj));
    } else {
      problems.push(`${label}: (root): ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}
