import { isDeepStrictEqual } from 'util';
import { parseAllDocuments } from 'yaml';
import { isManifestFile } from '../catalog/dist-layout';
import { PathSegment } from '../output/field-path';
import { Destination, destinationsIn } from './destinations';

export const changeKinds = ['changed', 'added', 'removed'] as const;
export type ChangeKind = typeof changeKinds[number];

/** How Kubernetes tells objects apart. */
export interface ObjectId {
  readonly apiVersion: string;
  readonly kind: string;
  /** Absent for a cluster-scoped object. */
  readonly namespace?: string;
  readonly name: string;
}

/** One field that differs inside a changed object or values file. */
export interface FieldChange {
  readonly path: readonly PathSegment[];
  readonly change: ChangeKind;
  /** The old value; absent when the field was added, and for a Secret's data. */
  readonly before?: unknown;
  /** The new value; absent when the field was removed, and for a Secret's data. */
  readonly after?: unknown;
  /** A Secret's `data` or `stringData`: that it changed is kept, never the value. */
  readonly hidden?: true;
}

/** One object, or one Helm values file, that was added, removed or changed, and where Argo CD takes it. */
export interface EntryChange extends Destination {
  /** The file under dist/. */
  readonly file: string;
  /** The Kubernetes object; absent for a values file (or a document that is not an object), compared as a whole. */
  readonly object?: ObjectId;
  readonly change: ChangeKind;
  /** What differs inside a changed entry; empty when it was added or removed. */
  readonly fields: readonly FieldChange[];
}

/** Everything that differs between two renders of dist/. */
export interface DistDiff {
  readonly changes: readonly EntryChange[];
  /** Files only the new render has; their objects are among the changes too. */
  readonly addedFiles: readonly string[];
  /** Files only the old render has; their objects are among the changes too. */
  readonly removedFiles: readonly string[];
  /** Files whose text differs while their content is the same: formatting or comments. */
  readonly reformatted: readonly string[];
}

/** Two sequences aligned on a longest common subsequence: `a`/`b` are indexes into each; one of them is absent where an item was removed or added. */
export interface AlignedItem {
  readonly a?: number;
  readonly b?: number;
}

/** Above this many table cells the middle of two sequences is compared as a whole block, keeping memory bounded. */
const maxAlignmentCells = 4_000_000;

/** LCS alignment of two sequences, after stripping their common start and end. */
export function alignSequences<T>(a: readonly T[], b: readonly T[], equal: (x: T, y: T) => boolean): AlignedItem[] {
  let start = 0;
  while (start < a.length && start < b.length && equal(a[start], b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && equal(a[endA - 1], b[endB - 1])) {
    endA--;
    endB--;
  }
  const aligned: AlignedItem[] = [];
  for (let index = 0; index < start; index++) aligned.push({ a: index, b: index });

  const rows = endA - start;
  const columns = endB - start;
  if ((rows + 1) * (columns + 1) > maxAlignmentCells) {
    for (let index = start; index < endA; index++) aligned.push({ a: index });
    for (let index = start; index < endB; index++) aligned.push({ b: index });
  } else {
    // lengths[i][j]: the LCS length of a[start+i..endA) and b[start+j..endB).
    const width = columns + 1;
    const lengths = new Uint32Array((rows + 1) * width);
    for (let i = rows - 1; i >= 0; i--) {
      for (let j = columns - 1; j >= 0; j--) {
        lengths[i * width + j] = equal(a[start + i], b[start + j])
          ? lengths[(i + 1) * width + j + 1] + 1
          : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < rows || j < columns) {
      if (i < rows && j < columns && equal(a[start + i], b[start + j])) {
        aligned.push({ a: start + i++, b: start + j++ });
      } else if (i < rows && (j === columns || lengths[(i + 1) * width + j] >= lengths[i * width + j + 1])) {
        aligned.push({ a: start + i++ });
      } else {
        aligned.push({ b: start + j++ });
      }
    }
  }
  for (let offset = 0; offset < a.length - endA; offset++) aligned.push({ a: endA + offset, b: endB + offset });
  return aligned;
}

type Json = Record<string, unknown>;

function isMap(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const secretDataFields = ['data', 'stringData'];

/** Field differences between two values, in the order the fields appear. */
class FieldDiffer {
  readonly changes: FieldChange[] = [];

  constructor(private readonly isSecret: boolean) {}

  compare(before: unknown, after: unknown, path: PathSegment[]): void {
    if (isDeepStrictEqual(before, after)) return;
    if (this.hides(path)) {
      this.compareHidden(before, after, path);
    } else if (isMap(before) && isMap(after)) {
      for (const key of Object.keys(before)) {
        if (Object.hasOwn(after, key)) this.compare(before[key], after[key], [...path, key]);
        else this.removed(before[key], [...path, key]);
      }
      for (const key of Object.keys(after)) {
        if (!Object.hasOwn(before, key)) this.added(after[key], [...path, key]);
      }
    } else if (Array.isArray(before) && Array.isArray(after)) {
      this.compareLists(before, after, path);
    } else {
      this.changes.push({ path, change: 'changed', before, after });
    }
  }

  private hides(path: readonly PathSegment[]): boolean {
    return this.isSecret && path.length === 1 && secretDataFields.includes(path[0] as string);
  }

  private added(value: unknown, path: PathSegment[]): void {
    if (this.hides(path)) this.compareHidden(undefined, value, path);
    else this.changes.push({ path, change: 'added', after: value });
  }

  private removed(value: unknown, path: PathSegment[]): void {
    if (this.hides(path)) this.compareHidden(value, undefined, path);
    else this.changes.push({ path, change: 'removed', before: value });
  }

  /** Items are aligned on the ones that did not change, so one inserted item is one change; the rest of a gap is paired up by position. */
  private compareLists(before: readonly unknown[], after: readonly unknown[], path: PathSegment[]): void {
    const removed: number[] = [];
    const added: number[] = [];
    const flushGap = () => {
      const paired = Math.min(removed.length, added.length);
      for (let index = 0; index < paired; index++) this.compare(before[removed[index]], after[added[index]], [...path, added[index]]);
      for (const index of removed.slice(paired)) this.removed(before[index], [...path, index]);
      for (const index of added.slice(paired)) this.added(after[index], [...path, index]);
      removed.length = 0;
      added.length = 0;
    };
    for (const item of alignSequences(before, after, isDeepStrictEqual)) {
      if (item.a !== undefined && item.b !== undefined) flushGap();
      else if (item.a !== undefined) removed.push(item.a);
      else if (item.b !== undefined) added.push(item.b);
    }
    flushGap();
  }

  /** Keys of a Secret's data, without their values. */
  private compareHidden(before: unknown, after: unknown, path: PathSegment[]): void {
    const keysOf = (value: unknown) => (value === undefined ? {} : isMap(value) ? value : undefined);
    const beforeKeys = keysOf(before);
    const afterKeys = keysOf(after);
    if (!beforeKeys || !afterKeys) {
      // Not a map of keys: say what happened to the field as a whole.
      this.changes.push({ path, change: before === undefined ? 'added' : after === undefined ? 'removed' : 'changed', hidden: true });
      return;
    }
    for (const key of new Set([...Object.keys(beforeKeys), ...Object.keys(afterKeys)])) {
      if (!Object.hasOwn(afterKeys, key)) this.changes.push({ path: [...path, key], change: 'removed', hidden: true });
      else if (!Object.hasOwn(beforeKeys, key)) this.changes.push({ path: [...path, key], change: 'added', hidden: true });
      else if (!isDeepStrictEqual(beforeKeys[key], afterKeys[key])) this.changes.push({ path: [...path, key], change: 'changed', hidden: true });
    }
  }
}

/** The differences between two versions of one object or values file; a Secret's data values are left out. */
export function compareFields(before: unknown, after: unknown, options: { readonly isSecret?: boolean } = {}): FieldChange[] {
  const differ = new FieldDiffer(options.isSecret ?? false);
  differ.compare(before, after, []);
  return differ.changes;
}

interface Entry {
  readonly object?: ObjectId;
  readonly content: unknown;
}

function objectId(content: unknown): ObjectId | undefined {
  if (!isMap(content) || !isMap(content.metadata)) return undefined;
  const { apiVersion, kind } = content;
  const { name, namespace } = content.metadata;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') return undefined;
  return typeof namespace === 'string' ? { apiVersion, kind, namespace, name } : { apiVersion, kind, name };
}

/** The entries of one file, keyed by apiVersion/kind/namespace/name (a values file is one entry), in document order. */
function fileEntries(file: string, text: string): Map<string, Entry> {
  const documents = parseAllDocuments(text);
  const entries = new Map<string, Entry>();
  let position = 0;
  for (const document of Array.isArray(documents) ? documents : []) {
    const error = document.errors[0];
    if (error) throw new Error(`${file} is not valid YAML: ${error.message.split('\n')[0]}`);
    const content: unknown = document.toJS();
    position++;
    if (content === null || content === undefined) continue;
    const object = isManifestFile(file) ? objectId(content) : undefined;
    const base = object ? `${object.apiVersion}|${object.kind}|${object.namespace ?? ''}|${object.name}` : `#${position}`;
    let key = base;
    for (let copy = 2; entries.has(key); copy++) key = `${base}#${copy}`;
    entries.set(key, { object, content });
  }
  return entries;
}

/**
 * Compares two renders of dist/ (path under dist/ -> text), object by object: Kubernetes objects
 * are matched within their file by apiVersion, kind, namespace and name, values files as a whole.
 * Files with the same text are not parsed. Each change says which clusters its file goes to.
 */
export function compareDist(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): DistDiff {
  const destinationOf = destinationsIn([before, after]);
  const changes: EntryChange[] = [];
  const addedFiles: string[] = [];
  const removedFiles: string[] = [];
  const reformatted: string[] = [];
  const files = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const file of files) {
    const beforeText = before.get(file);
    const afterText = after.get(file);
    if (beforeText === afterText) continue;
    if (beforeText === undefined) addedFiles.push(file);
    if (afterText === undefined) removedFiles.push(file);
    const beforeEntries = beforeText === undefined ? new Map<string, Entry>() : fileEntries(file, beforeText);
    const afterEntries = afterText === undefined ? new Map<string, Entry>() : fileEntries(file, afterText);
    const destination = destinationOf(file);
    const fileChanges: EntryChange[] = [];
    const add = (entry: Entry, change: ChangeKind, fields: readonly FieldChange[]) =>
      fileChanges.push({ file, ...destination, ...(entry.object ? { object: entry.object } : {}), change, fields });
    for (const [key, entry] of afterEntries) {
      const previous = beforeEntries.get(key);
      if (!previous) {
        add(entry, 'added', []);
        continue;
      }
      const isSecret = [previous.content, entry.content].some((content) => isMap(content) && content.kind === 'Secret');
      const fields = compareFields(previous.content, entry.content, { isSecret });
      if (fields.length) add(entry, 'changed', fields);
    }
    for (const [key, entry] of beforeEntries) {
      if (!afterEntries.has(key)) add(entry, 'removed', []);
    }
    if (fileChanges.length) changes.push(...fileChanges);
    else if (beforeText !== undefined && afterText !== undefined) reformatted.push(file);
  }
  return { changes, addedFiles, removedFiles, reformatted };
}

/** True when the two renders differ in any way, formatting included. */
export function hasDifferences(diff: DistDiff): boolean {
  return diff.changes.length > 0 || diff.addedFiles.length > 0 || diff.removedFiles.length > 0 || diff.reformatted.length > 0;
}
