import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import { AppInputs } from '../charts/fleet';

function digest(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('base64url');
}

/**
 * The version of the code that renders, when synth runs from its bundle (scripts/run.mjs): a
 * hash of the bundle, which holds every source, data file and dependency the render uses, so any
 * change of them renders every app again.
 */
export function bundleVersion(bundle: string): string {
  return digest(readFileSync(bundle));
}

/** Folders of the project that hold no code of the generator, or only generated output. */
const notSources = new Set(['node_modules', 'dist', 'test', 'preview', 'coverage']);

let sources: string | undefined;

/**
 * The version of the code that renders, when synth runs from its TypeScript sources (as the tests
 * run it): a hash of every `.ts` and `.json` file of the project but its tests and output, the
 * lock file of the dependencies among them.
 */
export function sourceVersion(): string {
  if (sources !== undefined) return sources;
  let root = __dirname;
  while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || notSources.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(entry.name)) files.push(path);
    }
  };
  walk(root);
  const hash = createHash('sha256');
  for (const file of files.sort()) hash.update(`${relative(root, file)}\0`).update(readFileSync(file)).update('\0');
  sources = hash.digest('base64url');
  return sources;
}

/**
 * The fingerprint of a test app: a hash of the generator's version and of the app's inputs (its
 * entry in fleet.yaml with defaults applied, the name and IP family of each cluster it is placed
 * on, the domain). Two renders of apps with equal fingerprints are byte-identical, so synth
 * skips an app whose fingerprint it already wrote, and a diff of two fleets skips an app both
 * render alike. Returns the function that computes it for the apps of one fleet.
 */
export function appFingerprint(generator: string): (inputs: AppInputs) => string {
  return ({ app, clusters, domain }) => digest(JSON.stringify([generator, domain, app, clusters]));
}
