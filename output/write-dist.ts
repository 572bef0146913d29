import { spawnSync } from 'child_process';
import {
  BigIntStats,
  closeSync, constants, existsSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync,
  Stats, statSync, writeFileSync, writeSync,
} from 'fs';
import { basename, dirname, join, relative, resolve, sep } from 'path';

/** What a write did to the output folder. */
export interface WriteSummary {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
  /** What an interrupted write had left to do, when this write finished it first. */
  readonly finished?: FinishedWrite;
  /**
   * The text before this write of every added, changed or removed file whose path matches the
   * write's `keep` pattern (undefined for an added file): what a change did, said without
   * reading dist/ twice.
   */
  readonly previous: ReadonlyArray<readonly [string, string | undefined]>;
}

/** What finishing an interrupted write did. */
export interface FinishedWrite {
  /** Files it moved into the output folder (a new folder counts once, however many files it holds). */
  readonly written: number;
  /** Files synth had written before that it deleted. */
  readonly removed: number;
}

/**
 * The file in the output folder that says synth wrote it, and lists every file synth wrote
 * there: the only files a later write replaces or deletes. It is part of the output (committed
 * with dist/), so a fresh clone knows them too.
 */
export const outputMarker = '.fleet-synth';
const markerHeader = '# Written by `npm run synth`, which replaces and deletes only the files listed below. Do not edit.';

/** The text of the marker of an output folder holding `paths`. */
export function markerText(paths: Iterable<string>): string {
  return `${[markerHeader, ...[...paths].sort(byPath)].join('\n')}\n`;
}

/** Path order (by UTF-16 code unit, as git and `ls` in the C locale sort): the order of dist/ listings. */
export const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Whether `path` is one a write may touch: relative, inside the output folder, and of printable names. */
export function isOutputPath(path: string): boolean {
  return path !== outputMarker && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && !/[\u0000-\u001f\u007f\\]/.test(part));
}

/** A reason the output folder cannot be written, found before anything in it was touched. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/**
 * A write that failed after it started to move files into the output folder and could not put
 * the old ones back: the folder is partly new. Its journal stays, and the next write finishes it.
 */
export class PartialWriteError extends Error {
  constructor(message: string, readonly cause: unknown) {
    super(message);
    this.name = 'PartialWriteError';
  }
}

/** Every file under `root` except the marker, as paths relative to it; empty when it does not exist. */
export function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (dir !== root || entry.name !== outputMarker) files.push(relative(root, path));
    }
  };
  walk(root);
  return files;
}

/** Every file under `root` but the marker, with its text, keyed by its path under root with / separators, in path order. */
export function readOutput(root: string): Map<string, string> {
  return new Map(listFiles(root).sort(byPath).map((path) => [path.split(sep).join('/'), currentText(root, path) ?? '']));
}

/** The paths a marker lists; throws OutputError when the file is no marker synth wrote. */
function parseMarker(text: string, where: string): string[] {
  const lines = text.replace(/\n$/, '').split('\n');
  const bad = lines.findIndex((line, index) => (index === 0 ? line !== markerHeader : !isOutputPath(line)));
  if (bad >= 0) {
    throw new OutputError(`${where} is not a list synth wrote (line ${bad + 1} is not what synth writes there): `
      + 'restore it from git, or remove the output folder and synth again');
  }
  return lines.slice(1);
}

/** What the marker of `outdir` lists, and its text; undefined when there is no marker. */
function readMarker(outdir: string, label: string): { readonly paths: string[]; readonly text: string } | undefined {
  const file = join(outdir, outputMarker);
  let stats: Stats;
  try {
    stats = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!stats.isFile()) throw new OutputError(`${label}/${outputMarker} is not a file: restore it from git, or remove ${label}/ and synth again`);
  const text = readFileSync(file, 'utf8');
  return { paths: parseMarker(text, `${label}/${outputMarker}`), text };
}

/** Whether a process of this pid runs (another user's too). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Blocks this thread for `ms` (synth is synchronous while it waits for the lock). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)), 0, 0, ms);
}

/** How long a lock holder writes its pid at most; an unreadable lock older than this was left by a crash. */
const lockWriteGraceMs = 5_000;

/**
 * Exclusive hold on an output folder for one synth on this machine: a lock file beside the
 * folder, created exclusively and holding the holder's pid. A lock whose process is gone is
 * broken, under a second lock so that two synths never both break it and both go on.
 */
export class OutputLock {
  /**
   * Takes the lock of `outdir`, waiting up to `waitMs` for another synth to release it (telling
   * `onWait` once, with the holder's pid when it is known); throws OutputError when it does not.
   */
  static acquire(outdir: string, waitMs = 120_000, onWait?: (holder: number | undefined) => void): OutputLock {
    const folder = outputFolder(outdir);
    const lockFile = join(dirname(folder), `.${basename(folder)}.lock`);
    acquireLockFile(lockFile, waitMs, onWait, (holder) => `another synth${holder ? ` (pid ${holder})` : ''} is writing ${outdir}/ and did not finish within ${Math.round(waitMs / 1000)} s: `
      + `wait for it, or, if no synth is running, remove ${lockFile}`);
    return new OutputLock(outdir, folder, lockFile);
  }

  private released = false;

  private constructor(
    /** The output folder as it was named, for messages. */
    readonly label: string,
    /** Its absolute path. */
    readonly outdir: string,
    private readonly lockFile: string,
  ) {}

  /** Where a write of this folder stages its files and keeps its journal: beside the folder, on its file system. */
  get workDir(): string {
    return join(dirname(this.outdir), `.${basename(this.outdir)}.synth`);
  }

  /** Where synth remembers what it wrote into this folder (RenderCache): beside it, like the lock. */
  get cacheFile(): string {
    return join(dirname(this.outdir), `.${basename(this.outdir)}.cache`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    rmSync(this.lockFile, { force: true });
  }
}

/** The absolute path of an output folder, once it is known to be one synth may write (its parent made). */
function outputFolder(outdir: string): string {
  const folder = resolve(outdir);
  if (dirname(folder) === folder) throw new OutputError(`${outdir} is the root of the file system: name a folder for synth's output`);
  try {
    mkdirSync(dirname(folder), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    throw new OutputError(`cannot create ${outdir}/: a part of its path is a file, where a folder is expected (${code}): remove that file, or name another folder`);
  }
  let stats: Stats | undefined;
  try {
    stats = lstatSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (stats?.isSymbolicLink()) throw new OutputError(`${outdir} is a symbolic link: synth never writes through a link; name the folder it points to instead`);
  if (stats && !stats.isDirectory()) throw new OutputError(`${outdir} is a file, not a folder: name a folder for synth's output`);
  // Files are staged beside the folder and renamed into it, which only works on one file system.
  if (stats && stats.dev !== statSync(dirname(folder)).dev) {
    throw new OutputError(`${outdir} is a mount point: synth stages its files beside the folder and renames them in, which cannot cross file systems; name a folder inside the mount`);
  }
  return folder;
}

/**
 * Takes `lockFile`: creates it exclusively, holding this process's pid, waiting up to `waitMs`
 * for the process that holds it (telling `onWait` once, with the holder's pid when it is known).
 * A lock whose process is gone is broken, under a second lock so that two processes never both
 * break it and both go on. Throws OutputError with `timedOut`'s sentence when the wait is over.
 * Release it by removing the file.
 */
export function acquireLockFile(lockFile: string, waitMs: number, onWait: ((holder: number | undefined) => void) | undefined, timedOut: (holder: number | undefined) => string): void {
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } catch (error) {
        rmSync(lockFile, { force: true });
        (error as NodeJS.ErrnoException).path ??= lockFile;
        throw error;
      } finally {
        closeSync(fd);
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(lockFile);
    if (holder?.stale) {
      breakLock(lockFile, holder.text);
      continue;
    }
    if (Date.now() >= deadline) throw new OutputError(timedOut(holder?.pid));
    if (!told) onWait?.(holder?.pid);
    told = true;
    sleep(50);
  }
}

/** Who holds a lock, as far as its file says, and whether the lock is stale. */
function lockHolder(lockFile: string): { readonly pid?: number; readonly text: string; readonly stale: boolean } | undefined {
  let text: string;
  let stats: Stats;
  try {
    stats = lstatSync(lockFile);
    if (!stats.isFile()) throw new OutputError(`${lockFile} is not a lock synth made: remove it`);
    text = readFileSync(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // released meanwhile
    throw error;
  }
  const pid = /^[1-9]\d*\n$/.test(text) ? Number(text) : undefined;
  // A lock of this very pid is a crashed earlier process's: this one takes the lock once only.
  if (pid !== undefined) return { pid, text, stale: pid === process.pid || !isRunning(pid) };
  return { text, stale: Date.now() - stats.mtimeMs > lockWriteGraceMs };
}

/** Removes a stale lock if it still says `text`, holding a second lock while it looks, so that only one synth breaks it. */
function breakLock(lockFile: string, text: string): void {
  const breaker = `${lockFile}-break`;
  try {
    closeSync(openSync(breaker, 'wx'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another synth is breaking the lock; a breaker older than a second was left by a crash.
    try {
      if (Date.now() - lstatSync(breaker).mtimeMs > 1000) rmSync(breaker, { force: true });
    } catch (statError) {
      if ((statError as NodeJS.ErrnoException).code !== 'ENOENT') throw statError;
    }
    sleep(10);
    return;
  }
  try {
    if (lockHolder(lockFile)?.text === text) rmSync(lockFile, { force: true });
  } finally {
    rmSync(breaker, { force: true });
  }
}

/** Up to this many paths are flushed one by one; more with one syncfs. */
const maxPathsFlushedEach = 16;

/**
 * Makes `paths` (files and folders) durable before the step that depends on them: an fsync of
 * each when they are few (a one-app change: starting a process would cost more, and a syncfs
 * would wait for whatever else the file system has to write), else one syncfs(2) of their file
 * system (coreutils `sync -f`), or, where that command is missing, an fsync of each.
 */
function flush(paths: readonly string[]): void {
  if (!paths.length) return;
  if (paths.length > maxPathsFlushedEach && syncFileSystem(paths[0])) return;
  fsyncEach(paths);
}

/**
 * flush of the staged `files` (paths under `staging`), every folder from theirs up to `staging`
 * (a new app's folder, and the folder that holds it, are entries the commit renames), and
 * `also`, listing them only when each is flushed.
 */
function flushStaged(staging: string, files: readonly string[], also: readonly string[]): void {
  if (files.length + also.length > maxPathsFlushedEach && syncFileSystem(staging)) return;
  const folders = new Set<string>([staging]);
  for (const path of files) {
    for (let folder = dirname(path); folder !== '.' && !folders.has(join(staging, folder)); folder = dirname(folder)) folders.add(join(staging, folder));
  }
  fsyncEach([...also, ...files.map((path) => join(staging, path)), ...folders]);
}

/** syncfs(2) of the file system `path` is on (coreutils `sync -f`); false where that command is missing or fails. */
function syncFileSystem(path: string): boolean {
  return spawnSync('sync', ['-f', path], { stdio: 'ignore' }).status === 0;
}

/**
 * The folders of outdir whose entries `moves` changed, outdir first: what must be durable before
 * the journal goes (a file renamed into dist/apps/app0 is an entry of that folder, not of dist/).
 * Only those that still exist (a removal may have taken its folder with it).
 */
function landedFolders(outdir: string, moves: readonly Move[]): string[] {
  const folders = new Set([outdir, ...moves.map((move) => join(outdir, dirname(move.path)))]);
  return [...folders].filter((folder) => existsSync(folder));
}

function fsyncEach(paths: readonly string[]): void {
  for (const path of paths) {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** writeFileSync, whose errors name the file: a failed write(2) names none (ENOSPC). */
function writeFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    (error as NodeJS.ErrnoException).path ??= path;
    throw error;
  }
}

/** Where a write reads the current files and stages the new ones: plain data, so a worker thread can stage too. */
export interface WriteTarget {
  readonly outdir: string;
  readonly staging: string;
  /** False when outdir does not exist yet, so there is nothing to compare with. */
  readonly outdirExists: boolean;
  /** The source of a regular expression: the previous text of a file whose path matches it and that changes is kept (WriteSummary.previous). */
  readonly keep?: string;
  /**
   * What to remember of units of files found as rendered (RenderCache): `pattern`, the source of
   * a regular expression whose first group names the unit of a path (files of one unit are
   * staged one after another), and `changedBefore`, a change time (ns, by the output's file
   * system): a unit is told (StagedFiles.units) when every one of its files was found unchanged
   * and had last changed before then.
   */
  readonly units?: { readonly pattern: string; readonly changedBefore: string };
}

/** What a stager found and staged. */
export interface StagedFiles {
  /** Every path it was given. */
  readonly paths: readonly string[];
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly unchanged: number;
  /** The previous texts the target's `keep` asks for, of the files this stager added or changed. */
  readonly previous: ReadonlyArray<readonly [string, string | undefined]>;
  /**
   * With the target's `units`: each unit whose files were all found unchanged, and each of those
   * files' path and identity just before it was read (fileIdentity), as `<unit>`, then
   * `<path> <identity>` joined by tabs: one string per unit, alternately.
   */
  readonly units: readonly string[];
}

/** Files a write leaves as they are, known to hold what was rendered without being read (RenderCache): part of the render all the same. */
export function unchangedFiles(paths: readonly string[]): StagedFiles {
  return { paths, added: [], changed: [], unchanged: paths.length, previous: [], units: [] };
}

/**
 * The identity of a file on disk as synth records it (RenderCache): inode, size, and modification
 * and change times to the nanosecond. Any write of the file, or another file put in its place,
 * gives another.
 */
export function fileIdentity(stats: BigIntStats): string {
  return `${stats.ino} ${stats.size} ${stats.mtimeNs} ${stats.ctimeNs}`;
}


/**
 * The text outdir holds at `path`, never read through a symbolic link; undefined when there is
 * none. Opened without blocking and checked to be a plain file first: reading a FIFO (or a
 * device) would wait for ever, with the lock held. `found` is told the file's stats as they
 * were just before it was read.
 */
function currentText(outdir: string, path: string, found?: (stats: BigIntStats) => void): string | undefined {
  let fd: number;
  try {
    fd = openSync(join(outdir, path), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw symbolicLinkError(path);
    throw error;
  }
  try {
    const stats = fstatSync(fd, { bigint: true });
    if (!stats.isFile()) {
      throw new OutputError(`${path} in the output folder is not a plain file (a FIFO, a device, a socket or a folder): synth writes only files there; remove it`);
    }
    found?.(stats);
    return readFileSync(fd, 'utf8');
  } catch (error) {
    (error as NodeJS.ErrnoException).path ??= join(outdir, path);
    throw error;
  } finally {
    closeSync(fd);
  }
}

/** Compares rendered files with outdir and writes the added and changed ones into the staging folder. */
export class Stager {
  private readonly madeDirs = new Set<string>();
  private readonly paths: string[] = [];
  private readonly added: string[];
  private readonly changed: string[] = [];
  private readonly previous: Array<readonly [string, string | undefined]> = [];
  private readonly units: string[] = [];
  private readonly unitPattern: RegExp | undefined;
  private readonly changedBefore: bigint;
  /** The unit being staged: its name, and its files' parts while all were found unchanged (else undefined). */
  private unit: string | undefined;
  private unitParts: string[] | undefined;
  private readonly keep: RegExp | undefined;
  private unchanged = 0;

  constructor(private readonly target: WriteTarget) {
    this.madeDirs.add(target.staging);
    this.keep = target.keep === undefined ? undefined : new RegExp(target.keep);
    this.unitPattern = target.units && new RegExp(target.units.pattern);
    this.changedBefore = BigInt(target.units?.changedBefore ?? 0);
    // Into a folder that does not exist yet, every file is added: one list is both (and crosses threads once).
    this.added = target.outdirExists ? [] : this.paths;
  }

  stage(path: string, text: string): void {
    this.paths.push(path);
    let stats: BigIntStats | undefined;
    const current = this.target.outdirExists ? currentText(this.target.outdir, path, this.unitPattern && ((found) => (stats = found))) : undefined;
    const unit = this.unitPattern?.exec(path)?.[1];
    if (unit !== this.unit) this.endUnit(unit);
    if (current === text) {
      this.unchanged++;
      if (this.unitParts && stats && stats.ctimeNs < this.changedBefore) this.unitParts.push(`${path} ${fileIdentity(stats)}`);
      else this.unitParts = undefined;
      return;
    }
    this.unitParts = undefined;
    if (current !== undefined) this.changed.push(path);
    else if (this.added !== this.paths) this.added.push(path);
    if (this.keep?.test(path)) this.previous.push([path, current]);
    this.makeDir(dirname(join(this.target.staging, path)));
    writeFile(join(this.target.staging, path), text);
  }

  get staged(): StagedFiles {
    this.endUnit(undefined);
    return { paths: this.paths, added: this.added, changed: this.changed, unchanged: this.unchanged, previous: this.previous, units: this.units };
  }

  /** Tells the unit staged so far, if all its files were found as rendered, and begins `next`. */
  private endUnit(next: string | undefined): void {
    if (this.unit !== undefined && this.unitParts?.length) this.units.push(this.unit, this.unitParts.join('\t'));
    this.unit = next;
    this.unitParts = next === undefined ? undefined : [];
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

function symbolicLinkError(path: string): OutputError {
  return new OutputError(`${path} in the output folder is a symbolic link: synth never writes or deletes through a link; replace it with what it points to, or remove it`);
}

/** The work folder's parts: staged files (the new marker among them), what they replace (for a rollback), the journal. */
const stagedDir = 'new';
const replacedDir = 'old';
const journalFile = 'journal';

/** One step of a commit, undone in reverse by a rollback. */
type Move =
  /** A folder outdir lacks, moved in whole with every file staged under it. */
  | { readonly kind: 'folder'; readonly path: string }
  /** A file, replacing the one outdir holds when `replaces`. */
  | { readonly kind: 'file'; readonly path: string; readonly replaces: boolean }
  /** A file synth wrote before and renders no more. */
  | { readonly kind: 'removal'; readonly path: string };

/** What outdir holds at a path: checked once per folder, never through a symbolic link. */
class OutputTree {
  private readonly kinds = new Map<string, 'folder' | 'file' | 'missing'>();

  constructor(private readonly outdir: string) {
    this.kinds.set('', 'folder');
  }

  kind(path: string): 'folder' | 'file' | 'missing' {
    let kind = this.kinds.get(path);
    if (kind) return kind;
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (this.kind(parent) !== 'folder') {
      kind = 'missing';
    } else {
      let stats: Stats | undefined;
      try {
        stats = lstatSync(join(this.outdir, path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (stats?.isSymbolicLink()) throw symbolicLinkError(path);
      if (stats && !stats.isDirectory() && !stats.isFile()) throw new OutputError(`${path} in the output folder is neither a file nor a folder: remove it`);
      kind = !stats ? 'missing' : stats.isDirectory() ? 'folder' : 'file';
    }
    this.kinds.set(path, kind);
    return kind;
  }

  /**
   * The moves that put `staged` files into outdir and delete `removed` ones: a file whose
   * folder outdir lacks moves in with the highest such folder, so a write creates no folder
   * (nothing that needs a free inode) once it has started.
   */
  moves(staged: readonly string[], removed: readonly string[]): Move[] {
    const moves: Move[] = [];
    const movedFolders = new Set<string>();
    for (const path of staged) {
      const parts = path.split('/');
      let folder: string | undefined;
      for (let length = 1; length < parts.length && folder === undefined; length++) {
        const prefix = parts.slice(0, length).join('/');
        const kind = this.kind(prefix);
        if (kind === 'file') throw new OutputError(`${prefix} in the output folder is a file, where synth writes the folder of ${path}: remove it`);
        if (kind === 'missing') folder = prefix;
      }
      if (folder !== undefined) {
        if (!movedFolders.has(folder)) moves.push({ kind: 'folder', path: folder });
        movedFolders.add(folder);
        continue;
      }
      const kind = this.kind(path);
      if (kind === 'folder') throw new OutputError(`${path} in the output folder is a folder, where synth writes a file (EISDIR): remove it`);
      moves.push({ kind: 'file', path, replaces: kind === 'file' });
    }
    for (const path of removed) if (this.kind(path) === 'file') moves.push({ kind: 'removal', path });
    return moves;
  }
}

/**
 * Carries out a commit's moves, then puts the new marker in place when it changed (so an
 * unchanged one keeps its mtime): the last step, after which the write is complete. On a failure every rename done is undone, newest first (a replaced
 * file's new version goes back to staging before the old one comes back, so an interrupted
 * rollback is finished forwards); when that fails too, PartialWriteError says so, and the
 * journal stays for the next write to finish.
 */
function applyMoves(outdir: string, workDir: string, moves: readonly Move[], markerChanged: boolean, label: string, keepJournal = false): void {
  const staged = (path: string) => join(workDir, stagedDir, path);
  const replaced = (path: string) => join(workDir, replacedDir, path);
  const target = (path: string) => join(outdir, path);
  const renames = moves.flatMap((move): [string, string][] => {
    if (move.kind === 'folder') return [[staged(move.path), target(move.path)]];
    if (move.kind === 'removal') return [[target(move.path), replaced(move.path)]];
    return move.replaces ? [[target(move.path), replaced(move.path)], [staged(move.path), target(move.path)]] : [[staged(move.path), target(move.path)]];
  });
  if (markerChanged) renames.push([staged(outputMarker), target(outputMarker)]);
  const done: [string, string][] = [];
  try {
    for (const [from, to] of renames) {
      renameSync(from, to);
      done.push([from, to]);
    }
  } catch (error) {
    try {
      for (const [from, to] of done.reverse()) renameSync(to, from);
    } catch (rollbackError) {
      throw new PartialWriteError(`could not put back the files of ${label}/ after a failed write (${(rollbackError as Error).message}), `
        + `so ${label}/ is partly new: the next synth finishes the write from ${join(workDir, journalFile)}`, error);
    }
    // Put back: outdir is as it was before these renames. A write of this synth's own is
    // given up; the finish of an interrupted one keeps its journal, since outdir is still partly
    // that write's and the next synth must finish it.
    if (!keepJournal) rmSync(join(workDir, journalFile), { force: true });
    throw error;
  }
  // Complete: what follows only tidies up, and a failure of it is repaired by the next write.
  for (const move of moves) {
    if (move.kind !== 'removal') continue;
    for (let dir = dirname(target(move.path)); dir !== outdir && dir.startsWith(outdir); dir = dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        break; // not empty, or not ours to remove
      }
    }
  }
}

/** Prepares the folders a rollback moves replaced and removed files into, before the journal: afterwards nothing is created. */
function makeReplacedDirs(workDir: string, moves: readonly Move[]): void {
  const dirs = new Set(moves.filter((move) => move.kind === 'removal' || (move.kind === 'file' && move.replaces)).map((move) => dirname(move.path)));
  for (const dir of dirs) mkdirSync(join(workDir, replacedDir, dir), { recursive: true });
}

/** Every file and folder under `dir` (for a walk of a staging folder that may not be synth's own); throws on anything else. */
function walkStaging(dir: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [dir];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        dirs.push(path);
        walk(path);
      } else if (entry.isFile()) {
        files.push(relative(dir, path).split(sep).join('/'));
      } else {
        throw new OutputError(`${path} is neither a file nor a folder`);
      }
    }
  };
  walk(dir);
  return { files, dirs };
}

/**
 * Finishes a write that was interrupted after its journal was written, so outdir holds the
 * complete render it was writing; one interrupted before that is discarded, as if it never ran.
 * The journal is not trusted: the staged marker must be synth's, every staged file one it lists
 * (and a plain file), and only files the current marker lists are deleted. A journal that fails
 * these checks is discarded: the write it describes is not synth's, or not whole. Returns what
 * it finished, if anything; throws PartialWriteError when it could not.
 */
export function finishInterruptedWrite(lock: OutputLock): FinishedWrite | undefined {
  const { outdir, workDir, label } = lock;
  let stats: Stats;
  try {
    stats = lstatSync(workDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!stats.isDirectory()) throw new OutputError(`${workDir} is not a folder synth made: remove it`);
  const stagedMarker = join(workDir, stagedDir, outputMarker);
  if (!existsSync(join(workDir, journalFile)) || !existsSync(outdir) || !existsSync(stagedMarker)) {
    // Not committed, or committed and complete but for this tidying up.
    rmSync(workDir, { recursive: true, force: true });
    return undefined;
  }
  let moves: Move[];
  let markerChanged: boolean;
  try {
    const markerText = readFileSync(stagedMarker, 'utf8');
    const rendered = new Set(parseMarker(markerText, stagedMarker));
    const staged = walkStaging(join(workDir, stagedDir)).files.filter((path) => path !== outputMarker);
    const stray = staged.find((path) => !rendered.has(path));
    if (stray !== undefined) throw new OutputError(`${stray} is staged but not in the staged list`);
    const current = readMarker(outdir, label);
    markerChanged = current?.text !== markerText;
    const removed = (current?.paths ?? []).filter((path) => !rendered.has(path));
    moves = new OutputTree(outdir).moves(staged.sort(byPath), removed);
  } catch (error) {
    if (!(error instanceof OutputError)) throw error;
    rmSync(workDir, { recursive: true, force: true });
    return undefined;
  }
  try {
    makeReplacedDirs(workDir, moves);
    applyMoves(outdir, workDir, moves, markerChanged, label, true);
  } catch (error) {
    if (error instanceof PartialWriteError) throw error;
    throw new PartialWriteError(`could not finish the write an interrupted synth had begun (${(error as Error).message}), `
      + `so ${label}/ is partly new: fix that, and the next synth finishes the write from ${join(workDir, journalFile)}`, error);
  }
  flush(landedFolders(outdir, moves));
  rmSync(workDir, { recursive: true, force: true });
  if (!moves.length && !markerChanged) return undefined;
  return {
    written: moves.filter((move) => move.kind !== 'removal').length,
    removed: moves.filter((move) => move.kind === 'removal').length,
  };
}

/**
 * One write of the output folder, all or nothing, under its lock. Rendered files are staged
 * beside outdir as they come (by one Stager or several, in any thread). Only when every one is
 * written and flushed to disk does a journal mark the write as committed, and the staged files
 * are renamed into place (a new outdir is one rename); a failure then undoes the renames. A
 * failure before leaves outdir as it was; an interruption after it is finished by the next
 * write. Unchanged files are not touched, so they keep their mtime, and a render that changes
 * nothing writes nothing. Only files the marker lists are ever replaced or deleted, and nothing
 * is written or deleted through a symbolic link.
 */
export class DistWrite {
  /**
   * Starts a write of the locked folder, first finishing or discarding an interrupted one.
   * Throws OutputError for a folder that is not empty and was not written by synth.
   */
  static begin(lock: OutputLock, keep?: string): DistWrite {
    const finished = finishInterruptedWrite(lock);
    const { outdir, workDir, label } = lock;
    const outdirExists = existsSync(outdir);
    const previous = outdirExists ? readMarker(outdir, label) : { paths: [], text: '' };
    if (!previous && readdirSync(outdir).length) {
      throw new OutputError(`${label}/ is not empty and was not written by synth (it has no ${outputMarker}): synth replaces and deletes only what it wrote, `
        + 'so it writes only into an empty folder or its own; name another folder (CDK8S_OUTDIR), or empty this one');
    }
    mkdirSync(join(workDir, stagedDir), { recursive: true });
    return new DistWrite(lock, { outdir, staging: join(workDir, stagedDir), outdirExists, keep }, previous ?? { paths: [], text: '' }, finished);
  }

  private constructor(
    private readonly lock: OutputLock,
    readonly target: WriteTarget,
    /** The marker: the files synth wrote before, and its text. */
    private readonly previous: { readonly paths: readonly string[]; readonly text: string },
    private readonly finished: FinishedWrite | undefined,
  ) {}

  /** The files synth wrote in the output folder before this write (its marker; none in a new folder). */
  get previousPaths(): readonly string[] {
    return this.previous.paths;
  }

  /** The text a file synth wrote before has in the output folder, or undefined when it is missing; never read through a link. */
  previousText(path: string): string | undefined {
    return this.target.outdirExists && isOutputPath(path) ? currentText(this.target.outdir, path) : undefined;
  }

  /** Makes outdir hold exactly the staged files: adds and replaces what changed, removes what synth wrote before and renders no more. */
  commit(staged: readonly StagedFiles[]): WriteSummary {
    const { outdir, staging } = this.target;
    const { workDir, label } = this.lock;
    let summary: WriteSummary;
    let moves: Move[];
    let markerChanged: boolean;
    try {
      const rendered = new Set<string>();
      for (const path of staged.flatMap((part) => part.paths)) {
        if (!isOutputPath(path)) throw new Error(`${JSON.stringify(path)} is no path inside the output folder`);
        if (rendered.has(path)) throw new Error(`${path} was rendered twice`);
        rendered.add(path);
      }
      const tree = new OutputTree(outdir);
      const removed = this.previous.paths.filter((path) => !rendered.has(path) && (!this.target.outdirExists || tree.kind(path) === 'file')).sort(byPath);
      const keep = this.target.keep === undefined ? undefined : new RegExp(this.target.keep);
      summary = {
        added: staged.flatMap((part) => part.added).sort(byPath),
        changed: staged.flatMap((part) => part.changed).sort(byPath),
        removed,
        unchanged: staged.reduce((count, part) => count + part.unchanged, 0),
        ...(this.finished ? { finished: this.finished } : {}),
        previous: [...staged.flatMap((part) => part.previous), ...removed.filter((path) => keep?.test(path)).map((path) => [path, currentText(outdir, path)] as const)],
      };
      const marker = markerText(rendered);
      markerChanged = this.previous.text !== marker;
      if (!summary.added.length && !summary.changed.length && !summary.removed.length && !markerChanged) {
        this.abort();
        return summary;
      }
      writeFile(join(staging, outputMarker), marker);
      const written = [...summary.added, ...summary.changed];
      if (!this.target.outdirExists) {
        flushStaged(staging, written, [staging]);
        renameSync(staging, outdir);
        flush([dirname(outdir)]);
        rmSync(workDir, { recursive: true, force: true });
        return summary;
      }
      moves = tree.moves(written.sort(byPath), summary.removed);
      makeReplacedDirs(workDir, moves);
      flushStaged(staging, written, [staging, join(staging, outputMarker)]);
      writeFile(join(workDir, `${journalFile}.partial`), 'committed: the staged files in new/ replace those of the output folder\n');
      flush([join(workDir, `${journalFile}.partial`)]);
      renameSync(join(workDir, `${journalFile}.partial`), join(workDir, journalFile));
      flush([workDir]);
    } catch (error) {
      this.abort();
      throw error;
    }
    // Committed: from here on, a failure is rolled back, and an interruption finished by the next write.
    try {
      applyMoves(outdir, workDir, moves, markerChanged, label);
    } catch (error) {
      if (!(error instanceof PartialWriteError)) this.abort();
      throw error;
    }
    flush(landedFolders(outdir, moves));
    rmSync(workDir, { recursive: true, force: true });
    return summary;
  }

  /** Gives the write up: deletes what was staged; outdir is as it was. */
  abort(): void {
    try {
      rmSync(this.lock.workDir, { recursive: true, force: true });
    } catch {
      // Left without a journal, it is discarded by the next write; the failure that led here is the one to report.
    }
  }
}

/** Makes the locked folder hold exactly `files` (path under it -> text), all or nothing: see DistWrite; `keep` as WriteTarget's. */
export function writeFiles(lock: OutputLock, files: ReadonlyMap<string, string>, keep?: string): WriteSummary {
  const write = DistWrite.begin(lock, keep);
  const stager = new Stager(write.target);
  try {
    for (const [path, text] of files) stager.stage(path, text);
  } catch (error) {
    write.abort();
    throw error;
  }
  return write.commit([stager.staged]);
}

/** Makes `outdir` hold exactly `files` (path under outdir -> text), all or nothing, under its lock: see DistWrite. */
export function writeDist(outdir: string, files: ReadonlyMap<string, string>): WriteSummary {
  const lock = OutputLock.acquire(outdir);
  try {
    return writeFiles(lock, files);
  } finally {
    lock.release();
  }
}
