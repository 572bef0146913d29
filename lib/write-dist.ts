import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'fs';
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

/** The operations of a write that has started to touch outdir: what the staged files replace, what goes. */
interface Journal {
  readonly replace: readonly string[];
  readonly remove: readonly string[];
}

const journalFile = '.synth-journal.json';
const stagingInfix = '.staging-';

/** Staged files sit beside the output folder, so that moving them in is a rename on one file system. */
function stagingPath(outdir: string): string {
  return join(dirname(outdir), `.${basename(outdir)}${stagingInfix}${process.pid}`);
}

/** Makes directories with one mkdir each, remembering what exists. */
class DirectoryMaker {
  private readonly made = new Set<string>();

  constructor(private readonly root: string) {
    this.made.add(root);
  }

  /** Makes the parent directory of `path`, a path under root. */
  parentOf(path: string): void {
    this.make(dirname(join(this.root, path)));
  }

  private make(dir: string): void {
    if (this.made.has(dir)) return;
    this.make(dirname(dir));
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    this.made.add(dir);
  }
}

/** Moves the staged files into outdir and deletes the removed ones; safe to run again after an interruption. */
function commit(outdir: string, staging: string, journal: Journal): void {
  const dirs = new DirectoryMaker(outdir);
  for (const path of journal.replace) {
    const staged = join(staging, path);
    if (!existsSync(staged)) continue; // moved before an interruption
    dirs.parentOf(path);
    renameSync(staged, join(outdir, path));
  }
  for (const path of journal.remove) {
    rmSync(join(outdir, path), { force: true });
    // Drop the directories the removal emptied, e.g. apps/app1/clusters and apps/app1.
    for (let dir = dirname(join(outdir, path)); dir !== outdir && dir.startsWith(outdir); dir = dirname(dir)) {
      if (!existsSync(dir) || readdirSync(dir).length) break;
      rmdirSync(dir);
    }
  }
  rmSync(staging, { recursive: true, force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A write interrupted while it moved files in (its journal was written) is finished, so outdir
 * holds the complete new render; one interrupted before that is discarded, as if it never ran.
 * A write whose process still runs is left alone.
 */
function finishInterruptedWrites(outdir: string): void {
  const parent = dirname(outdir);
  if (!existsSync(parent)) return;
  const prefix = `.${basename(outdir)}${stagingInfix}`;
  for (const name of readdirSync(parent).filter((entry) => entry.startsWith(prefix))) {
    const pid = Number(name.slice(prefix.length));
    if (pid !== process.pid && isRunning(pid)) continue;
    const staging = join(parent, name);
    const journal = join(staging, journalFile);
    if (existsSync(journal) && existsSync(outdir)) commit(outdir, staging, JSON.parse(readFileSync(journal, 'utf8')) as Journal);
    else rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Makes `outdir` hold exactly `files` (path under outdir -> text), all or nothing. The added and
 * changed files are written beside outdir first; only when all of them are written does a journal
 * mark the write as committed, and the files are renamed into place (a new outdir is one rename).
 * A failure before that leaves outdir as it was; an interruption after it is finished by the next
 * write. Unchanged files are not touched, so they keep their mtime, and a render that changes
 * nothing writes nothing.
 */
export function writeDist(outdir: string, files: ReadonlyMap<string, string>): WriteSummary {
  finishInterruptedWrites(outdir);
  const existing = new Set(listFiles(outdir));
  const added: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  for (const [path, text] of files) {
    if (!existing.has(path)) added.push(path);
    else if (readFileSync(join(outdir, path), 'utf8') !== text) changed.push(path);
    else unchanged++;
  }
  const removed = [...existing].filter((path) => !files.has(path)).sort();
  const summary = { added, changed, removed, unchanged };
  if (!added.length && !changed.length && !removed.length) return summary;

  const staging = stagingPath(outdir);
  const journal: Journal = { replace: [...added, ...changed], remove: removed };
  rmSync(staging, { recursive: true, force: true });
  try {
    const dirs = new DirectoryMaker(staging);
    mkdirSync(staging);
    for (const path of journal.replace) {
      dirs.parentOf(path);
      writeFileSync(join(staging, path), files.get(path)!);
    }
    if (!existsSync(outdir)) {
      mkdirSync(dirname(outdir), { recursive: true });
      renameSync(staging, outdir);
      return summary;
    }
    writeFileSync(join(staging, `${journalFile}.partial`), JSON.stringify(journal));
    renameSync(join(staging, `${journalFile}.partial`), join(staging, journalFile));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  commit(outdir, staging, journal);
  return summary;
}
