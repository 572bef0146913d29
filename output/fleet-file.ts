/**
 * Writing fleet.yaml in place (npm run import-clusters), with the guarantees synth gives dist/:
 * one writer at a time, all or nothing, nothing left behind, and file system errors as sentences.
 */
import {
  closeSync, fchmodSync, fchownSync, fstatSync, fsyncSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, Stats, writeSync,
} from 'fs';
import { basename, dirname, join } from 'path';
import { acquireLockFile, isRunning, OutputError } from './write-dist';

/** What an update of fleet.yaml did. */
export interface FleetFileUpdate<T> {
  /** What `edit` returned besides the text. */
  readonly result: T;
  /** Whether the file was written (false when the edit changed nothing). */
  readonly written: boolean;
  /** The file written: the one `file` names, through its symbolic links. */
  readonly realFile: string;
  /** Files a killed or failed earlier import had left beside it, removed now. */
  readonly removedLeftovers: readonly string[];
}

/** How long an import waits for another import of the same file, as synth waits for another synth. */
export const fleetLockWaitMs = 120_000;

/** The prefix of the names an import stages fleet.yaml under, beside it: `fleet.yaml.import-<pid>`. */
function stagedPrefix(realFile: string): string {
  return `${basename(realFile)}.import-`;
}

/**
 * Removes what an import that is gone (killed, or crashed between its write and its rename) left
 * beside `realFile`: plain files named `<file>.import-<pid>` whose process no longer runs. Only
 * under the lock, so never the file of an import that is writing. Names are compared as text:
 * no pattern is built from a path.
 */
function removeLeftovers(realFile: string): string[] {
  const prefix = stagedPrefix(realFile);
  const removed: string[] = [];
  for (const name of readdirSync(dirname(realFile))) {
    if (!name.startsWith(prefix)) continue;
    const pid = name.slice(prefix.length);
    if (!/^[1-9]\d*$/.test(pid) || (Number(pid) !== process.pid && isRunning(Number(pid)))) continue;
    const path = join(dirname(realFile), name);
    if (!lstatSync(path).isFile()) continue;
    rmSync(path, { force: true });
    removed.push(path);
  }
  return removed;
}

/** The same file, unchanged since it was read: identity, size and modification time. */
function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * `file` (fleet.yaml) with `edit` applied, under a lock beside the real file (`.fleet.yaml.lock`)
 * so that a second import waits for the first and edits what the first wrote. `edit` gets the
 * file's bytes as they are under the lock and returns the new text, or undefined to write nothing.
 *
 * The file is written through its symbolic links (the real file is replaced, the link stays), with
 * its mode, owner and group; the new text is written beside the real file, flushed, and renamed
 * over it, so an interrupted import leaves the old file whole. A failure removes what it wrote;
 * what a killed import left is removed by the next one. A read-only file (no write permission for
 * its owner) or a file changed by someone else while the import ran is refused, not replaced.
 * File system errors are thrown as they come (output/file-errors.ts says them as sentences).
 */
export function updateFleetFile<T>(
  file: string,
  edit: (bytes: Buffer) => { readonly text?: string; readonly result: T },
  onWait?: (holder: number | undefined) => void,
  waitMs = fleetLockWaitMs,
): FleetFileUpdate<T> {
  const realFile = realpathSync(file);
  const lockFile = join(dirname(realFile), `.${basename(realFile)}.lock`);
  acquireLockFile(lockFile, waitMs, onWait, (holder) => `another import-clusters${holder ? ` (pid ${holder})` : ''} is writing ${file} and did not finish within ${Math.round(waitMs / 1000)} s: `
    + `wait for it, or, if none is running, remove ${lockFile}`);
  try {
    const removedLeftovers = removeLeftovers(realFile);
    const before = lstatSync(realFile);
    if (!before.isFile()) throw new OutputError(`${file} is not a file: name the fleet file (FLEET_CONFIG)`);
    const { text, result } = edit(readFileSync(realFile));
    if (text === undefined) return { result, written: false, realFile, removedLeftovers };
    if (!(before.mode & 0o200)) {
      throw new OutputError(`${file} is read-only (mode ${(before.mode & 0o7777).toString(8).padStart(4, '0')}): import-clusters does not replace a file made read-only; make it writable (chmod u+w) and import again, or leave it as it is`);
    }
    const staged = join(dirname(realFile), `${stagedPrefix(realFile)}${process.pid}`);
    // Created anew ('wx' follows no link planted there), with the mode the file has.
    const fd = openSync(staged, 'wx', before.mode & 0o7777);
    try {
      try {
        fchmodSync(fd, before.mode & 0o7777); // the umask narrowed what openSync set
        if (fstatSync(fd).uid !== before.uid || fstatSync(fd).gid !== before.gid) fchownSync(fd, before.uid, before.gid);
      } catch (error) {
        // Only root may give a file away: another user's fleet.yaml keeps its mode, and becomes this user's.
        if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
      }
      const bytes = Buffer.from(text, 'utf8');
      for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      rmSync(staged, { force: true });
      (error as NodeJS.ErrnoException).path ??= staged;
      throw error;
    }
    closeSync(fd);
    try {
      if (!sameFile(before, lstatSync(realFile))) {
        throw new OutputError(`${file} was changed by someone else while import-clusters ran: import again, so that the import edits what is there now`);
      }
      renameSync(staged, realFile);
    } catch (error) {
      rmSync(staged, { force: true });
      throw error;
    }
    const folder = openSync(dirname(realFile), 'r');
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
    return { result, written: true, realFile, removedLeftovers };
  } finally {
    rmSync(lockFile, { force: true });
  }
}
