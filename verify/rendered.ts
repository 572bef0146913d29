import { parseAllDocuments } from 'yaml';
import { isManifestFile } from '../catalog/dist-layout';

/** A Kubernetes object as parsed from a file of dist/. */
export type Manifest = Record<string, any>;

/** A rendered object and the file of dist/ it is in. */
export type RenderedObject = Manifest & { readonly file: string };

/** The objects of one rendered file. */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text).map((document) => document.toJS() as Manifest).filter((object) => object !== null);
}

/** Every Kubernetes object of a render of dist/ (path -> text); values files hold none. */
export function renderedObjects(files: ReadonlyMap<string, string>): RenderedObject[] {
  return [...files].flatMap(([file, text]) => (!isManifestFile(file) ? [] : parseManifests(text).map((object) => ({ ...object, file }))));
}

/** The one object of a kind and name (in `file`, when given); throws when there is not exactly one. */
export function findObject<T extends Manifest>(objects: readonly T[], kind: string, name: string, file?: string): T {
  const found = objects.filter((object) => object.kind === kind && object.metadata?.name === name && (!file || object.file === file));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}${file ? ` in ${file}` : ''}, found ${found.length}`);
  return found[0];
}
