import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'fs';
import { basename, dirname, join, relative, sep } from 'path';

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

/** Every file under `root` with its text, keyed by its path under root with / separators, in path order. */
export function readOutput(root: string): Map<string, string> {
  return new Map(listFiles(root).sort(byPath).map((path) => [path.split(sep).join('/'), readFileSync(join(root, path), 'utf8')]));
}

/** Where a write reads the current files and stages the new ones: plain data, so a worker thread can stage too. */
export interface WriteTarget {
  readonly outdir: string;
  readonly staging: string;
  /** False when outdir does not exist yet, so there is nothing to compare with. */
  readonly outdirExists: boolean;
}

/** What a stager found and staged. */
export interface StagedFiles {
  /** Every path it was given. */
  readonly paths: readonly string[];
  /** What outdir held, when the stager listed it (so that committing need not list it again). */
  readonly existing?: readonly string[];
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly unchanged: number;
}

/** Compares rendered files with outdir and writes the added and changed ones into the staging folder. */
export class Stager {
  private readonly madeDirs = new Set<string>();
  private readonly paths: string[] = [];
  private readonly added: string[] = [];
  private readonly changed: string[] = [];
  private unchanged = 0;

  constructor(private readonly target: WriteTarget, private readonly existing?: readonly string[]) {
    this.madeDirs.add(target.staging);
  }

  stage(path: string, text: string): void {
    this.paths.push(path);
    let current: string | undefined;
    try {
      if (this.target.outdirExists) current = readFileSync(join(this.target.outdir, path), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (current === text) {
      this.unchanged++;
      return;
    }
    (current === undefined ? this.added : this.changed).push(path);
    this.makeDir(dirname(join(this.target.staging, path)));
    writeFileSync(join(this.target.staging, path), text);
  }

  get staged(): StagedFiles {
    return { paths: this.paths, existing: this.existing, added: this.added, changed: this.changed, unchanged: this.unchanged };
  }

  /** One mkdir per directory, however many files go into it. */
  private makeDir(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    this.makeDir(dirname(dir));
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    this.madeDirs.add(dir);
  }
}

/** The operations of a write that has started to touch outdir: what the staged files replace, what goes. */
interface Journal {
  readonly replace: readonly string[];
  readonly remove: readonly string[];
}

const journalFile = '.synth-journal.json';
const stagingInfix = '.staging-';

/** Moves the staged files into outdir and deletes the removed ones; safe to run again after an interruption. */
function commit(outdir: string, staging: string, journal: Journal): void {
  const made = new Set<string>([outdir]);
  const makeParent = (path: string) => {
    const missing: string[] = [];
    for (let dir = dirname(join(outdir, path)); !made.has(dir) && dir !== dirname(dir); dir = dirname(dir)) missing.unshift(dir);
    for (const dir of missing) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
  };
  for (const path of journal.replace) {
    const staged = join(staging, path);
    if (!existsSync(staged)) continue; // moved before an interruption
    makeParent(path);
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

/** Path order (by UTF-16 code unit, as git and `ls` in the C locale sort): the order of dist/ listings. */
export const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One write of the output folder, all or nothing. Rendered files are staged beside outdir as
 * they come (by one Stager or several, in any thread). Only when every one is written does a
 * journal mark the write as committed, and the staged files are renamed into place (a new
 * outdir is one rename). A failure before that leaves outdir as it was; an interruption after
 * it is finished by the next write. Unchanged files are not touched, so they keep their mtime,
 * and a render that changes nothing writes nothing.
 */
export class DistWrite {
  /** Starts a write of `outdir`, first finishing or discarding an interrupted one. */
  static begin(outdir: string): DistWrite {
    finishInterruptedWrites(outdir);
    const staging = join(dirname(outdir), `.${basename(outdir)}${stagingInfix}${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    return new DistWrite({ outdir, staging, outdirExists: existsSync(outdir) });
  }

  private constructor(readonly target: WriteTarget) {}

  /** Makes outdir hold exactly the staged files: adds and replaces what changed, removes what is gone. */
  commit(staged: readonly StagedFiles[]): WriteSummary {
    const { outdir, staging } = this.target;
    let summary: WriteSummary;
    try {
      const rendered = new Set<string>();
      for (const path of staged.flatMap((part) => part.paths)) {
        if (rendered.has(path)) throw new Error(`${path} was rendered twice`);
        rendered.add(path);
      }
      summary = {
        added: staged.flatMap((part) => part.added).sort(byPath),
        changed: staged.flatMap((part) => part.changed).sort(byPath),
        removed: (staged.find((part) => part.existing)?.existing ?? listFiles(outdir)).filter((path) => !rendered.has(path)).sort(byPath),
        unchanged: staged.reduce((count, part) => count + part.unchanged, 0),
      };
      if (!existsSync(outdir)) {
        renameSync(staging, outdir);
        return summary;
      }
      if (!summary.added.length && !summary.changed.length && !summary.removed.length) {
        this.abort();
        return summary;
      }
      writeFileSync(join(staging, `${journalFile}.partial`), JSON.stringify({ replace: [...summary.added, ...summary.changed], remove: summary.removed }));
      renameSync(join(staging, `${journalFile}.partial`), join(staging, journalFile));
    } catch (error) {
      this.abort();
      throw error;
    }
    // Committed: from here on, an interruption is finished by the next write.
    commit(outdir, staging, { replace: [...summary.added, ...summary.changed], remove: summary.removed });
    return summary;
  }

  /** Gives the write up: deletes what was staged; outdir is as it was. */
  abort(): void {
    rmSync(this.target.staging, { recursive: true, force: true });
  }
}

/** Makes `outdir` hold exactly `files` (path under outdir -> text), all or nothing: see DistWrite. */
export function writeDist(outdir: string, files: ReadonlyMap<string, string>): WriteSummary {
  const write = DistWrite.begin(outdir);
  const stager = new Stager(write.target);
  try {
    for (const [path, text] of files) stager.stage(path, text);
  } catch (error) {
    write.abort();
    throw error;
  }
  return write.commit([stager.staged]);
}
