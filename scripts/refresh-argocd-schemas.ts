/**
 * Extracts the `openAPIV3Schema` of the Argo CD CRDs (Application, ApplicationSet,
 * AppProject; version v1alpha1) into committed JSON files under data/argocd/, so that
 * tests can validate rendered Argo CD objects offline, without the CRD sources.
 *
 *   npx tsx scripts/refresh-argocd-schemas.ts [crdDir]
 *
 * crdDir defaults to data/crds/argocd (the committed copy of the CRDs) relative to the project root (not the cwd);
 * a relative crdDir argument is resolved against the cwd, as usual for CLI arguments.
 *
 * Output: data/argocd/<kind lowercased>.schema.json =
 *   { "apiVersion": "argoproj.io/v1alpha1", "kind": ..., "argocdVersion": ..., "schema": <openAPIV3Schema> }
 * serialised as minified JSON plus a trailing newline (pretty-printed, the ApplicationSet
 * schema alone would be ~1.9 MB). Key order is the order of the YAML source, so the
 * output is byte-for-byte deterministic for a given set of CRDs.
 *
 * The Argo CD release is not recorded inside the CRD files themselves; bump
 * ARGOCD_VERSION together with the CRDs (npm run refresh:vendor copies them into data/crds/argocd).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

export const ARGOCD_VERSION = 'v3.5.1';
export const ARGOCD_GROUP = 'argoproj.io';
export const ARGOCD_SCHEMA_VERSION = 'v1alpha1';
/** The kinds that must be present; each becomes data/argocd/<kind lowercased>.schema.json. */
export const ARGOCD_KINDS = ['Application', 'ApplicationSet', 'AppProject'] as const;

export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const DEFAULT_CRD_DIR = path.resolve(PROJECT_ROOT, 'data', 'crds', 'argocd');
export const SCHEMA_OUT_DIR = path.join(PROJECT_ROOT, 'data', 'argocd');

export interface ArgoSchemaFile {
  apiVersion: string;
  kind: string;
  argocdVersion: string;
  schema: Record<string, unknown>;
}

export function schemaFileName(kind: string): string {
  return `${kind.toLowerCase()}.schema.json`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads every *.yaml / *.yml file of crdDir (all YAML documents of each file), keeps the
 * argoproj.io CustomResourceDefinitions and returns file name -> exact file content.
 * Throws when a required kind is missing, defined twice, or lacks a v1alpha1 schema.
 */
export function extractArgoCdSchemas(crdDir: string = DEFAULT_CRD_DIR): Map<string, string> {
  if (!fs.existsSync(crdDir) || !fs.statSync(crdDir).isDirectory()) {
    throw new Error(`CRD directory not found: ${crdDir}`);
  }
  const files = fs
    .readdirSync(crdDir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort();

  const byKind = new Map<string, { file: string; crd: Record<string, unknown> }>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(crdDir, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) {
        throw new Error(`${file}: YAML error: ${doc.errors[0].message}`);
      }
      const crd: unknown = doc.toJS({ maxAliasCount: -1 });
      if (!isRecord(crd) || crd.kind !== 'CustomResourceDefinition') continue;
      const spec = crd.spec;
      if (!isRecord(spec) || spec.group !== ARGOCD_GROUP || !isRecord(spec.names)) continue;
      const kind = spec.names.kind;
      if (typeof kind !== 'string') continue;
      const previous = byKind.get(kind);
      if (previous) {
        throw new Error(`${kind} CRD defined twice: ${previous.file} and ${file}`);
      }
      byKind.set(kind, { file, crd });
    }
  }

  const out = new Map<string, string>();
  for (const kind of ARGOCD_KINDS) {
    const found = byKind.get(kind);
    if (!found) {
      throw new Error(`no ${ARGOCD_GROUP} CustomResourceDefinition for kind ${kind} in ${crdDir}`);
    }
    const spec = found.crd.spec as Record<string, unknown>;
    const versions = Array.isArray(spec.versions) ? spec.versions : [];
    const version = versions.find((v): v is Record<string, unknown> => isRecord(v) && v.name === ARGOCD_SCHEMA_VERSION);
    const schema =
      version && isRecord(version.schema) && isRecord(version.schema.openAPIV3Schema)
        ? version.schema.openAPIV3Schema
        : undefined;
    if (!schema) {
      throw new Error(`${found.file}: ${kind} has no ${ARGOCD_SCHEMA_VERSION} openAPIV3Schema`);
    }
    const wrapper: ArgoSchemaFile = {
      apiVersion: `${ARGOCD_GROUP}/${ARGOCD_SCHEMA_VERSION}`,
      kind,
      argocdVersion: ARGOCD_VERSION,
      schema,
    };
    out.set(schemaFileName(kind), `${JSON.stringify(wrapper)}\n`);
  }
  return out;
}

export function writeArgoCdSchemas(crdDir: string = DEFAULT_CRD_DIR, outDir: string = SCHEMA_OUT_DIR): string[] {
  const files = extractArgoCdSchemas(crdDir);
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of files) {
    const target = path.join(outDir, name);
    fs.writeFileSync(target, content);
    written.push(target);
  }
  return written;
}

if (require.main === module) {
  const arg = process.argv[2];
  const crdDir = arg ? path.resolve(process.cwd(), arg) : DEFAULT_CRD_DIR;
  try {
    for (const target of writeArgoCdSchemas(crdDir)) {
      const bytes = fs.statSync(target).size;
      console.log(`wrote ${path.relative(process.cwd(), target)} (${bytes} bytes)`);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
