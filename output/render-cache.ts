import { randomBytes } from 'crypto';
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { basename, dirname, join } from 'path';
import { fileIdentity, OutputLock, WriteTarget } from './write-dist';

const header = 'fleet-synth render cache 1';

/**
 * Removes what a synth killed while it wrote the cache or took its start stamp left beside the
 * folder: files named `<cache>.<pid>.<12 hex digits>`, which only synth makes, and only under the
 * lock this synth now holds.
 */
function removeLeftovers(cacheFile: string): void {
  // The name is compared as text: a pattern built from it would read the folder's name (which may
  // hold any character but "/") as regular expression syntax, and match files that are not synth's.
  const prefix = `${basename(cacheFile)}.`;
  const isLeftover = (name: string) => name.startsWith(prefix) && /^\d+\.[0-9a-f]{12}$/.test(name.slice(prefix.length));
  try {
    for (const entry of readdirSync(dirname(cacheFile), { withFileTypes: true })) {
      if (entry.isFile() && isLeftover(entry.name)) rmSync(join(dirname(cacheFile), entry.name), { force: true });
    }
  } catch {
    // nothing to tidy, or it cannot be: harmless either way
  }
}

/**
 * Now by the clock and at the granularity of the file system that holds `file`: the change time
 * of a file created there and removed at once. 0 when none can be made (then nothing is recorded).
 */
function fileSystemNow(file: string): bigint {
  const stamp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  try {
    const fd = openSync(stamp, 'wx');
    try {
      return fstatSync(fd, { bigint: true }).ctimeNs;
    } finally {
      closeSync(fd);
      rmSync(stamp, { force: true });
    }
  } catch {
    return 0n;
  }
}

/**
 * What synth remembers of the files it left in the output folder, so that the next synth need not
 * render, serialise and compare them again: per unit of files (one test app), the fingerprint of
 * what they were rendered from, and each file's identity on disk as synth left it (inode, size,
 * and modification and change times to the nanosecond). It is kept beside the folder
 * (`.dist.cache`, never committed: inodes and times are of one checkout), written under the
 * output lock, replaced by a rename, so never written through a link.
 *
 * It is checked, not trusted: a unit is skipped only when its fingerprint is the one recorded and
 * every one of its files is still the very file synth left: a write of a file (an edit by
 * hand, a git checkout, a restore) changes its change time (not a second write through a shared
 * memory mapping, nor one a network file system's attribute cache hides: npm run check compares
 * dist/ with a full render, and deleting the cache renders everything). A cache that is missing, unreadable,
 * of another format, or a link just means everything is rendered.
 *
 * What it records is the identity each file had just before synth read it and found it as
 * rendered (the fstat of the descriptor it read), never what a file became while synth ran (an
 * editor saving, a git pull in another terminal, a folder swapped for a copy): any later write
 * or replacement gives the file another identity, which the next synth notices. A write within
 * the same tick of the file system's clock as the read could keep the change time, so a file is
 * recorded only if it last changed strictly before this synth began, by that same clock: the
 * change time of a file synth creates beside the folder as it starts. A file synth writes is not
 * recorded at all: the next synth compares it once, then records it. A file not recorded is
 * rendered and compared again.
 */
export class RenderCache {
  /** The cache of the locked folder; empty when `outdirExists` is false or there is none to read. */
  static read(lock: OutputLock, outdirExists: boolean): RenderCache {
    removeLeftovers(lock.cacheFile);
    const entries = new Map<string, string>();
    if (outdirExists) {
      try {
        if (lstatSync(lock.cacheFile).isFile()) {
          const lines = readFileSync(lock.cacheFile, 'utf8').split('\n');
          if (lines[0] === header) {
            for (const line of lines.slice(1)) {
              const tab = line.indexOf('\t');
              if (tab > 0) entries.set(line.slice(0, tab), line.slice(tab + 1));
            }
          }
        }
      } catch {
        entries.clear(); // unreadable: render everything
      }
    }
    return new RenderCache(lock, entries);
  }

  /** The entries the next synth gets: those held, or recorded (a fingerprint and what the write found, joined only as they are saved). */
  private readonly next = new Map<string, string | readonly [string, string]>();
  private changed = false;
  /** When this synth began, before it read any file, by the output's file system (fileSystemNow). */
  private readonly startedAt: bigint;

  private constructor(private readonly lock: OutputLock, private readonly entries: ReadonlyMap<string, string>) {
    this.startedAt = fileSystemNow(lock.cacheFile);
  }

  /** Whether the output folder holds, exactly as synth left them, the files `paths` of `unit` rendered from `fingerprint`. */
  holds(unit: string, fingerprint: string, paths: readonly string[]): boolean {
    const entry = this.entries.get(unit);
    if (entry === undefined || !entry.startsWith(`${fingerprint}\t`) || this.entry(fingerprint, paths) !== entry) return false;
    this.next.set(unit, entry);
    return true;
  }

  /**
   * The units of a write's target (WriteTarget.units): of files under `apps/<unit>/`, found
   * unchanged and last changed before this synth began (see the class).
   */
  get units(): NonNullable<WriteTarget['units']> {
    return { pattern: '^apps/([^/]+)/', changedBefore: String(this.startedAt) };
  }

  /**
   * Records that the output folder holds the files `paths` of `unit`, rendered from
   * `fingerprint`, when the write found every one of them as rendered: `found` is what it told
   * of the unit (StagedFiles.units), undefined when it told nothing (one was written, or changed
   * in the tick this synth began).
   */
  record(unit: string, fingerprint: string, paths: readonly string[], found: string | undefined): void {
    if (found === undefined) return;
    const parts = found.split('\t');
    if (parts.length !== paths.length) return;
    if (parts.some((part, index) => !part.startsWith(`${paths[index]} `))) {
      // Staged in another order than holds() reads them: put in that order, if every path is there once.
      const byPath = new Map(parts.map((part) => [part.slice(0, part.indexOf(' ')), part]));
      if (byPath.size !== paths.length || paths.some((path) => !byPath.has(path))) return;
      found = paths.map((path) => byPath.get(path)!).join('\t');
    }
    // Kept apart, not joined: at 100,000 apps the joined entries would be 30 MB more to hold.
    this.next.set(unit, [fingerprint, found]);
    const old = this.entries.get(unit);
    if (old === undefined || old.length !== fingerprint.length + 1 + found.length || !old.startsWith(`${fingerprint}\t`) || !old.endsWith(found)) this.changed = true;
  }

  /**
   * Writes what this synth held and recorded for the next one, when that differs from what it
   * read. A failure is no failure of synth: the files are written, and the cache it leaves
   * still says only what is true (a file rewritten since no longer matches its entry).
   */
  save(): void {
    if (!this.changed && this.next.size === this.entries.size) return;
    const file = this.lock.cacheFile;
    // A name no one else picks (a folder planted at a predictable one would fail the write).
    const partial = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
    try {
      // Created anew ('wx' follows no link left there), and written a thousand entries at a time:
      // at 100,000 apps the whole text would be 26 MB more to hold.
      const fd = openSync(partial, 'wx');
      try {
        let lines = [header];
        for (const [unit, entry] of this.next) {
          lines.push(typeof entry === 'string' ? `${unit}\t${entry}` : `${unit}\t${entry[0]}\t${entry[1]}`);
          if (lines.length < 1000) continue;
          writeFileSync(fd, `${lines.join('\n')}\n`);
          lines = [];
        }
        if (lines.length) writeFileSync(fd, `${lines.join('\n')}\n`);
      } finally {
        closeSync(fd);
      }
      renameSync(partial, file);
    } catch {
      try {
        rmSync(partial, { force: true });
      } catch {
        // left beside the folder: the next synth neither reads nor minds it
      }
    }
  }

  /** `fingerprint`, then each path with the identity of the file there now: undefined when one is not a plain file. */
  private entry(fingerprint: string, paths: readonly string[]): string | undefined {
    // Joined, not concatenated: a string built by += is a tree of pieces, several times its size.
    const parts = [fingerprint];
    for (const path of paths) {
      let stats;
      try {
        stats = lstatSync(join(this.lock.outdir, path), { bigint: true, throwIfNoEntry: false });
      } catch {
        return undefined; // a part of the path is no folder, or cannot be read: the write says which
      }
      if (!stats?.isFile()) return undefined;
      parts.push(`${path} ${fileIdentity(stats)}`);
    }
    return parts.join('\t');
  }
}
