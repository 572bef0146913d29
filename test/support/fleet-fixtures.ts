import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { Fleet } from '../../config/fleet';
import { parseFleet } from '../../config/load';
import { renderFleet } from '../../lib/synth';

export const projectRoot = join(__dirname, '..', '..');
export const defaultFleetText = readFileSync(join(projectRoot, 'fleet.yaml'), 'utf8');

export type Manifest = Record<string, any>;

/** The default fleet.yaml, optionally edited as text first (a test's one-line change). */
export function defaultFleet(edit: (text: string) => string = (text) => text): Fleet {
  return parseFleet(edit(defaultFleetText), 'fleet.yaml');
}

/** Writes fleet text to a fleet.yaml in a new temp folder, for a test that runs a command on it. */
export function writeTempFleet(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-test-')), 'fleet.yaml');
  writeFileSync(file, text);
  return file;
}

/** The objects of one rendered file. */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text).map((document) => document.toJS() as Manifest).filter((object) => object !== null);
}

/** Every file of dist/ for a fleet, with its objects parsed. */
export function renderParsed(fleet: Fleet): { files: Map<string, string>; objects: Array<Manifest & { file: string }> } {
  const files = renderFleet(fleet);
  const objects = [...files].flatMap(([file, text]) =>
    file.startsWith('addons/') ? [] : parseManifests(text).map((object) => ({ ...object, file })));
  return { files, objects };
}

export function findObject(objects: readonly Manifest[], kind: string, name: string, file?: string): Manifest {
  const found = objects.filter((object) => object.kind === kind && object.metadata?.name === name && (!file || object.file === file));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}${file ? ` in ${file}` : ''}, found ${found.length}`);
  return found[0];
}

/** Replaces the n-th (0-based) `replicas: 5` of fleet.yaml, i.e. app n's replicas. */
export function setReplicas(text: string, appIndex: number, replicas: number): string {
  let seen = -1;
  return text.replace(/replicas: 5\b/g, (match) => (++seen === appIndex ? `replicas: ${replicas}` : match));
}
