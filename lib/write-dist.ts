import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { basename, dirname, join, relative } from 'path';

/** What a write did to the output folder. */
export interface WriteSummary {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
}

/** Every file under `root`, as paths relative to it; empty when it does not exist. */
export function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(relative(root, path));
    }
  };
  walk(root);
  return files;
}

/** Staging and retired copies sit beside the output folder, so the swap is two renames on one file system. */
function siblingPath(outdir: string, purpose: 'staging' | 'previous'): string {
  return join(dirname(outdir), `.${basename(outdir)}.${purpose}-${process.pid}`);
}

/** A swap interrupted between its two renames left the previous tree beside outdir: put it back. */
function recoverInterruptedSwap(outdir: string): void {
  if (existsSync(outdir)) return;
  const prefix = `.${basename(outdir)}.previous-`;
  const parent = dirname(outdir);
  const leftover = existsSync(parent) ? readdirSync(parent).find((name) => name.startsWith(prefix)) : undefined;
  if (leftover) renameSync(join(parent, leftover), outdir);
}

/**
 * Makes `outdir` hold exactly `files` (path under outdir -> text), all or nothing: the new tree
 * is assembled beside it and swapped in with renames, so a failure leaves the old tree as it
 * was. Unchanged files are hard links to the old ones, keeping their mtime, and a render that
 * changes nothing touches nothing.
 */
export function writeDist(outdir: string, files: ReadonlyMap<string, string>): WriteSummary {
  recoverInterruptedSwap(outdir);
  const existing = new Set(listFiles(outdir));
  const added: string[] = [];
  const changed: string[] = [];
  const unchangedFiles: string[] = [];
  for (const [path, text] of files) {
    if (!existing.has(path)) added.push(path);
    else if (readFileSync(join(outdir, path), 'utf8') !== text) changed.push(path);
    else unchangedFiles.push(path);
  }
  const removed = [...existing].filter((path) => !files.has(path)).sort();
  const summary = { added, changed, removed, unchanged: unchangedFiles.length };
  if (!added.length && !changed.length && !removed.length) return summary;

  const staging = siblingPath(outdir, 'staging');
  const previous = siblingPath(outdir, 'previous');
  rmSync(staging, { recursive: true, force: true });
  try {
    const madeDirs = new Set<string>();
    const ensureDir = (path: string) => {
      const dir = dirname(join(staging, path));
      if (!madeDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        madeDirs.add(dir);
      }
    };
    mkdirSync(staging, { recursive: true });
    for (const path of unchangedFiles) {
      ensureDir(path);
      linkSync(join(outdir, path), join(staging, path));
    }
    for (const path of [...added, ...changed]) {
      ensureDir(path);
      writeFileSync(join(staging, path), files.get(path)!);
    }
    if (existsSync(outdir)) {
      renameSync(outdir, previous);
      renameSync(staging, outdir);
      rmSync(previous, { recursive: true, force: true });
    } else {
      mkdirSync(dirname(outdir), { recursive: true });
      renameSync(staging, outdir);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return summary;
}
