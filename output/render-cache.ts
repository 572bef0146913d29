import { randomBytes } from 'crypto';
import { BigIntStats, closeSync, lstatSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { OutputLock } from './write-dist';

const header = 'fleet-synth render cache 1';

/** How much older than the moment synth looked a file's times must be to prove it untouched since (more than a clock tick). */
const racyMarginNs = 50_000_000n;

const nowNs = () => BigInt(Date.now()) * 1_000_000n;

/**
 * What synth remembers of the files it left in the output folder, so that the next synth need not
 * render, serialise and compare them again: per unit of files (one test app), the fingerprint of
 * what they were rendered from, and each file's identity on disk as synth left it (inode, size,
 * and modification and change times to the nanosecond). It is kept beside the folder
 * (`.dist.cache`, never committed: inodes and times are of one checkout), written under the
 * output lock, replaced by a rename, so never written through a link.
 *
 * It is checked, not trusted: a unit is skipped only when its fingerprint is the one recorded and
 * every one of its files is still the very file synth left: any write of a file (an edit by
 * hand, a git checkout, a restore) changes its change time. A cache that is missing, unreadable,
 * of another format, or a link just means everything is rendered.
 *
 * What it records must be what synth compared or wrote, not what a file became while synth ran
 * (an editor saving, a git pull in another terminal). So a file is recorded only when its times
 * prove it untouched since: one synth compared and left as it was must have changed last before
 * this synth began (`startedAtMs`), and one synth wrote must have been written before the commit
 * began (`committing`), since its rename changes the change time but not the modification time.
 * File times come from a clock that lags the real one by up to a tick (10 ms where the kernel
 * ticks 100 times a second), hence a margin. A file not recorded is rendered and compared again.
 */
export class RenderCache {
  /** The cache of the locked folder; empty when `outdirExists` is false or there is none to read. */
  static read(lock: OutputLock, outdirExists: boolean): RenderCache {
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

  /** The entries the next synth gets: those held or recorded by this one. */
  private readonly next = new Map<string, string>();
  private changed = false;
  /** When this synth began: before it compared any file. */
  private readonly startedAtNs = nowNs();
  /** When its commit began: after it wrote every staged file, before it renamed any into place. */
  private committedAtNs: bigint | undefined;

  private constructor(private readonly lock: OutputLock, private readonly entries: ReadonlyMap<string, string>) {}

  /** Tells the cache the write's commit begins now: every file this synth writes is staged. */
  committing(): void {
    this.committedAtNs = nowNs();
  }

  /** Whether the output folder holds, exactly as synth left them, the files `paths` of `unit` rendered from `fingerprint`. */
  holds(unit: string, fingerprint: string, paths: readonly string[]): boolean {
    const entry = this.entries.get(unit);
    if (entry === undefined || !entry.startsWith(`${fingerprint}\t`) || this.entry(fingerprint, paths) !== entry) return false;
    this.next.set(unit, entry);
    return true;
  }

  /**
   * Records that the output folder now holds the files `paths` of `unit`, rendered from
   * `fingerprint`, of which synth wrote those `written` says (the others it compared and left),
   * unless a file's times do not prove it untouched since (see the class).
   */
  record(unit: string, fingerprint: string, paths: readonly string[], written: (path: string) => boolean): void {
    if (this.committedAtNs === undefined) throw new Error('RenderCache.record before committing()');
    const committedAtNs = this.committedAtNs;
    const entry = this.entry(fingerprint, paths, (path, stats) => (written(path)
      ? stats.mtimeNs < committedAtNs - racyMarginNs
      : stats.ctimeNs < this.startedAtNs - racyMarginNs));
    if (entry === undefined) return;
    this.next.set(unit, entry);
    if (this.entries.get(unit) !== entry) this.changed = true;
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
          lines.push(`${unit}\t${entry}`);
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

  /** `fingerprint`, then each path with the identity of the file there: undefined when one is not a plain file, or not `trusted`. */
  private entry(fingerprint: string, paths: readonly string[], trusted?: (path: string, stats: BigIntStats) => boolean): string | undefined {
    // Joined, not concatenated: a string built by += is a tree of pieces, several times its size.
    const parts = [fingerprint];
    for (const path of paths) {
      let stats;
      try {
        stats = lstatSync(join(this.lock.outdir, path), { bigint: true, throwIfNoEntry: false });
      } catch {
        return undefined; // a part of the path is no folder, or cannot be read: the write says which
      }
      if (!stats?.isFile() || (trusted && !trusted(path, stats))) return undefined;
      parts.push(`${path} ${stats.ino} ${stats.size} ${stats.mtimeNs} ${stats.ctimeNs}`);
    }
    return parts.join('\t');
  }
}
