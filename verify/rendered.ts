import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { isManifestFile } from '../catalog/dist-layout';

/** A Kubernetes object as parsed from a file of dist/. */
export type Manifest = Record<string, any>;

/** A rendered object and the file of dist/ it is in. */
export type RenderedObject = Manifest & { readonly file: string };

/**
 * The objects of one rendered file, or of a chart's render. Read with js-yaml's YAML 1.2 core
 * schema, which resolves scalars as the `yaml` package's document model does (a test holds the
 * two to the same objects for every file of dist/ and every chart's render) at a seventh of the
 * time; that matters at 3,000 apps on 72 clusters.
 */
export function parseManifests(text: string): Manifest[] {
  return (loadAll(text, null, { schema: CORE_SCHEMA }) as Manifest[]).filter((object) => object !== null && object !== undefined);
}

/**
 * A line that starts a document: `---` at the start of a line, then a space or the end of the
 * line. YAML 1.2 forbids it inside any scalar (c-forbidden, section 9.1.4 of the spec), so a
 * stream cut before each one is cut between documents only.
 */
const documentStart = /^(?=---(?:[ \t]|\r?$))/m;

/** Documents at least this long are remembered once parsed: a chart's CRDs, the same on every cluster. */
const rememberedDocumentChars = 4096;
/** The most documents remembered; the one used least recently is forgotten first. */
const rememberedDocuments = 256;
/** Each remembered document by its text, with the text it is kept under. */
const parsedDocuments = new Map<string, { readonly key: string; readonly objects: readonly Manifest[] }>();

/**
 * A copy of a piece of a longer text that holds nothing of the rest. V8 keeps a piece cut from a
 * string (`split`, `slice`, and so every string js-yaml reads) as a reference into the whole, so
 * one string kept of a document cut from a render would keep the whole render: at 3,000 apps on
 * 72 clusters, that was the load balancer controller's render of every cluster (30 MB) for the
 * ServiceAccounts the identity check keeps.
 */
const ownCopy = (piece: string) => Buffer.from(piece, 'utf8').toString('utf8');

/** Remembers the objects of a document, as the one used last, under the text first seen (a later render's equal text, another cluster's, is let go with its render). */
function remember(document: string, objects: readonly Manifest[]): void {
  const key = parsedDocuments.get(document)?.key ?? document;
  parsedDocuments.delete(document);
  parsedDocuments.set(key, { key, objects });
  if (parsedDocuments.size > rememberedDocuments) parsedDocuments.delete(parsedDocuments.keys().next().value!);
}

/**
 * The objects of a stream of YAML documents, such as `helm template` prints. A long document
 * seen before (the same CRD rendered for another cluster) is not parsed again: its objects are
 * the same, shared, instances, which checks read and never change. A document of a `kind: List`
 * stands for its items.
 */
export function parseStream(text: string): Manifest[] {
  return text.split(documentStart).map(ownCopy).flatMap((document) => {
    const remembered = document.length >= rememberedDocumentChars ? parsedDocuments.get(document)?.objects : undefined;
    if (remembered) {
      remember(document, remembered);
      return remembered;
    }
    const objects = parseManifests(document).flatMap((object) => (object.kind === 'List' && Array.isArray(object.items) ? object.items as Manifest[] : [object]));
    if (document.length >= rememberedDocumentChars) remember(document, objects);
    return objects;
  });
}

/** The objects of each file of a render, by path, with the text they were read from. */
const objectsOfRender = new WeakMap<ReadonlyMap<string, string>, Map<string, { readonly text: string; readonly objects: readonly RenderedObject[] }>>();

/**
 * The objects of one file of a render of dist/ (path -> text); none for a values file. Each file
 * is read once per render (the text is compared, so a file changed since is read again): `npm run
 * check` reads every file for the objects, the DNS records, the webhook order and the pages, and
 * at 3,000 apps reading them took ~5 s a time, where holding them takes ~50 MiB. The objects are
 * shared by every caller, which reads and never changes them.
 */
export function renderedFileObjects(files: ReadonlyMap<string, string>, file: string): readonly RenderedObject[] {
  const text = files.get(file);
  if (text === undefined || !isManifestFile(file)) return [];
  let parsed = objectsOfRender.get(files);
  if (!parsed) objectsOfRender.set(files, (parsed = new Map()));
  const known = parsed.get(file);
  if (known?.text === text) return known.objects;
  const objects = parseManifests(text).map((object) => ({ ...object, file }));
  parsed.set(file, { text, objects });
  return objects;
}

/** Every Kubernetes object of a render of dist/ (path -> text); values files hold none. */
export function renderedObjects(files: ReadonlyMap<string, string>): RenderedObject[] {
  return [...files.keys()].flatMap((file) => renderedFileObjects(files, file));
}

/** The kinds that tell Argo CD what to render where: its Applications, ApplicationSets, projects and cluster Secrets. */
const argocdKinds: ReadonlySet<string> = new Set(['Application', 'ApplicationSet', 'AppProject', 'Secret']);
const argocdObjectsOfRender = new WeakMap<ReadonlyMap<string, string>, readonly RenderedObject[]>();

/**
 * The objects of each file of a render of dist/, one file at a time, so that a check of every
 * object holds one file's at a time; remembers the render's Argo CD objects (argocdObjects) once
 * every file is read.
 */
export function* renderedFiles(files: ReadonlyMap<string, string>): Generator<readonly RenderedObject[]> {
  const argocd: RenderedObject[] = [];
  for (const file of files.keys()) {
    const objects = renderedFileObjects(files, file);
    argocd.push(...objects.filter((object) => argocdKinds.has(object.kind)));
    yield objects;
  }
  argocdObjectsOfRender.set(files, argocd);
}

/** The Applications, ApplicationSets, AppProjects and Secrets of a render of dist/, parsed once per render. */
export function argocdObjects(files: ReadonlyMap<string, string>): readonly RenderedObject[] {
  // Reading every file remembers them.
  if (!argocdObjectsOfRender.has(files)) Array.from(renderedFiles(files));
  return argocdObjectsOfRender.get(files)!;
}

/** The one object of a kind and name (in `file`, when given); throws when there is not exactly one. */
export function findObject<T extends Manifest>(objects: readonly T[], kind: string, name: string, file?: string): T {
  const found = objects.filter((object) => object.kind === kind && object.metadata?.name === name && (!file || object.file === file));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}${file ? ` in ${file}` : ''}, found ${found.length}`);
  return found[0];
}
