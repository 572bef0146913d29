import { ChildProcess, spawn, spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderFleet } from '../../app/render';
import { parseFleet } from '../../config/load';
import { fileSystemProblem } from '../../output/file-errors';
import { markerText, OutputError, OutputLock, outputMarker, writeDist } from '../../output/write-dist';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { folderState } from '../support/dist-state';
import { demoFleet, demoFleetText, outputFiles, runSynth, scratchDist, setReplicas, startSynth, writeTempFleet } from '../support/fixtures';

// These tests run real synths, two at once for the lock: on a loaded 2-core machine one takes seconds.
jest.setTimeout(60_000);

const asRoot = process.getuid?.() === 0;
const newFolder = () => mkdtempSync(join(tmpdir(), 'fleet-out-'));
const withoutApp1 = (text: string) => text.replace(/  - name: app1\n(    .*\n)+/, '');

/**
 * Makes a folder refuse every change, even to root: chmod for a user, the immutable attribute
 * (chattr +i, ext4 and the like) for root, whom chmod does not stop. Returns the undo, or
 * undefined where neither works.
 */
function makeUnchangeable(dir: string): (() => void) | undefined {
  if (!asRoot) {
    chmodSync(dir, 0o555);
    return () => chmodSync(dir, 0o755);
  }
  if (spawnSync('chattr', ['+i', dir]).status !== 0) return undefined;
  return () => spawnSync('chattr', ['-i', dir]);
}

/** A tmpfs of `options` (e.g. size=1m) mounted on a new folder, for as long as `use` runs; root only. */
function withTmpfs(options: string, use: (dir: string) => void): void {
  const dir = newFolder();
  expect(spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status).toBe(0);
  try {
    use(dir);
  } finally {
    spawnSync('umount', ['-l', dir]);
  }
}

describe('synth writes only a folder of its own', () => {
  test('refuses a folder that is not empty and was not written by synth, and deletes nothing', () => {
    // GIVEN a working folder with a repository and notes, named as the output folder (CDK8S_OUTDIR=.)
    const dir = newFolder();
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config'), '[core]\n');
    writeFileSync(join(dir, 'notes.md'), 'mine');
    const before = folderState(dir);
    // WHEN synth runs into it
    const result = runSynth({ CDK8S_OUTDIR: dir });
    // THEN it refuses, saying why and what to do, and every file is as it was
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`synth failed; ${dir}/ was left as it was.\n${dir}/ is not empty and was not written by synth (it has no .fleet-synth)`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(folderState(dir)).toEqual(before);
  });

  test('writes into an empty folder that exists', () => {
    const dir = newFolder();
    expect(runSynth({ CDK8S_OUTDIR: dir }).status).toBe(0);
    expect(readFileSync(join(dir, outputMarker), 'utf8')).toBe(markerText(renderFleet(demoFleet()).keys()));
  });

  test('never deletes a file it did not write, even where it deletes its own', () => {
    // GIVEN a dist/ with a note beside synth's files and a file of someone else's in app1's folder
    const outdir = scratchDist();
    writeFileSync(join(outdir, 'README.md'), 'hand-written');
    writeFileSync(join(outdir, 'apps/app1/extra.yaml'), 'hand-written');
    // WHEN app1 leaves the fleet
    const summary = writeDist(outdir, renderFleet(demoFleet(withoutApp1)));
    // THEN app1's rendered files are gone, the others' files stay, and so does the folder holding one
    expect(summary.removed).toEqual(['apps/app1/app.yaml', 'apps/app1/clusters/ipv6-east.yaml']);
    expect(readFileSync(join(outdir, 'README.md'), 'utf8')).toBe('hand-written');
    expect(readFileSync(join(outdir, 'apps/app1/extra.yaml'), 'utf8')).toBe('hand-written');
    expect(existsSync(join(outdir, 'apps/app1/app.yaml'))).toBe(false);
  });

  test('refuses a marker it did not write', () => {
    const outdir = scratchDist();
    writeFileSync(join(outdir, outputMarker), `${readFileSync(join(outdir, outputMarker), 'utf8')}../../etc/passwd\n`);
    const before = folderState(outdir);
    expect(() => writeDist(outdir, renderFleet(demoFleet(withoutApp1)))).toThrow(/\.fleet-synth is not a list synth wrote \(line \d+ is not what synth writes there\)/);
    expect(folderState(outdir)).toEqual(before);
  });
});

describe('a failure after the journal is written is rolled back before synth exits', () => {
  test('an unchangeable app folder: every file already moved is put back, and the message says so', () => {
    // GIVEN a dist/ whose app2 folder cannot be changed (root: chattr +i; others: chmod 555)
    const outdir = scratchDist();
    const before = folderState(outdir);
    const undo = makeUnchangeable(join(outdir, 'apps/app2'));
    if (!undo) return console.warn('skipped: neither chmod nor chattr +i can make a folder unchangeable here');
    let result;
    try {
      // WHEN synth writes a fleet that changes app0 (moved in first) and app2
      result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(setReplicas(setReplicas(demoFleetText, 0, 7), 1, 9)) });
    } finally {
      undo();
    }
    // THEN it fails with a sentence, dist/ is exactly as it was, and nothing is left beside it
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^synth failed; .*dist\/ was left as it was\.\ncannot move .*apps\/app2\/app\.yaml to .*: .* \((EACCES|EPERM)\)$/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(folderState(outdir)).toEqual(before);
    expect(readdirSync(join(outdir, '..'))).toEqual(['dist']);
  });

  test('a full disk fails before dist/ is touched (root: a tmpfs of 600 KiB)', () => {
    if (!asRoot) return console.warn('skipped: mounting a tmpfs needs root');
    withTmpfs('size=600k', (disk) => {
      // GIVEN a dist/ on a disk with almost no space left
      const outdir = join(disk, 'dist');
      writeDist(outdir, renderFleet(demoFleet()));
      const before = folderState(outdir);
      // Full but for 16 KiB: room for the lock, not for the changed files.
      spawnSync('dd', ['if=/dev/zero', `of=${join(disk, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
      spawnSync('truncate', ['-s', '-16K', join(disk, 'filler')]);
      // WHEN synth writes a fleet that changes many files
      const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(demoFleetText.replace(/containerPort: 80/g, 'containerPort: 8080')) });
      // THEN it says the disk is full, and dist/ is as it was
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/dist\/ was left as it was\.\ncannot write .*\.dist\.synth\/new\/.*: the disk is full \(no space or no inodes left\): free some, then synth again \(ENOSPC\)/);
      expect(folderState(outdir)).toEqual(before);
      expect(readdirSync(disk).sort()).toEqual(['dist', 'filler']);
    });
  });

  test('exhausted inodes fail before dist/ is touched (root: a tmpfs of few inodes)', () => {
    if (!asRoot) return console.warn('skipped: mounting a tmpfs needs root');
    // Inodes for the disk's root, dist/, its folders, its files and its marker, and eight more:
    // enough to write it once, not to stage the changed files of a second synth beside it.
    const files = renderFleet(demoFleet());
    const folders = new Set([...files.keys()].flatMap((path) => path.split('/').slice(0, -1).map((_, index, parts) => parts.slice(0, index + 1).join('/'))));
    withTmpfs(`size=8m,nr_inodes=${files.size + folders.size + 3 + 8}`, (disk) => {
      const outdir = join(disk, 'dist');
      writeDist(outdir, files);
      const before = folderState(outdir);
      const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(demoFleetText.replace(/containerPort: 80/g, 'containerPort: 8080')) });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/dist\/ was left as it was\.\ncannot (open|write|create the folder) .*\.dist\.synth\/.*: the disk is full .*\(ENOSPC\)/);
      expect(folderState(outdir)).toEqual(before);
      expect(readdirSync(disk)).toEqual(['dist']);
    });
  });
});

describe('one synth at a time', () => {
  test('two synths of different fleets at once: the second waits, and dist/ is exactly the fleet written last', async () => {
    // GIVEN two fleets large enough for a synth to hold the lock for a while, and one dist/
    const outdir = join(newFolder(), 'dist');
    const fleets = [largeFleetYaml(240, 8), largeFleetYaml(240, 8).replace(/replicas: 5/g, 'replicas: 6')];
    const [first, second] = fleets.map((text) => writeTempFleet(text));
    // WHEN the second starts while the first holds the lock: the first is stopped (SIGSTOP) once
    // its lock names it, and let go once the second says it waits, so the two overlap however
    // fast the first would be
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    const lockText = (file: string) => { try { return readFileSync(file, 'utf8'); } catch { return undefined; } };
    let firstChild: ChildProcess | undefined;
    const firstRun = startSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: first }, (child) => (firstChild = child));
    const lockFile = join(outdir, '..', '.dist.lock');
    for (const started = Date.now(); lockText(lockFile) !== `${firstChild!.pid}\n` && Date.now() - started < 20_000;) await pause();
    process.kill(firstChild!.pid!, 'SIGSTOP');
    let secondRun: ReturnType<typeof startSynth>;
    try {
      let waiting = false;
      secondRun = startSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: second }, (child) => child.stderr!.on('data', (chunk) => (waiting ||= String(chunk).includes('waiting for another synth'))));
      for (const started = Date.now(); !waiting && Date.now() - started < 20_000;) await pause();
    } finally {
      process.kill(firstChild!.pid!, 'SIGCONT');
    }
    const results = await Promise.all([firstRun, secondRun]);
    // THEN both succeed, the second after waiting for the first, and dist/ is exactly what the second renders
    expect(results.map((result) => result.status)).toEqual([0, 0]);
    expect(results[1].stderr).toMatch(/^waiting for another synth \(pid \d+\) to finish writing .*dist\/$/m);
    expect(results[1].endedAt).toBeGreaterThanOrEqual(results[0].endedAt);
    const expected = renderFleet(parseFleet(fleets[1]));
    const written = folderState(outdir);
    expect(Object.keys(written).sort()).toEqual(outputFiles(expected));
    for (const [path, text] of expected) expect(written[path].text).toBe(text);
    // (and beside it no lock, no staging left: at most what synth remembers of the files, .dist.cache)
    expect(readdirSync(join(outdir, '..')).filter((name) => name !== '.dist.cache')).toEqual(['dist']);
  });

  test('a synth that cannot get the lock in time fails with who holds it and what to do', () => {
    // GIVEN a lock held by a running process
    const outdir = scratchDist();
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(join(outdir, '..', '.dist.lock'), `${holder.pid}\n`);
      // WHEN another write waits for it THEN it gives up, naming the holder and the lock
      expect(() => OutputLock.acquire(outdir, 200)).toThrow(new RegExp(`another synth \\(pid ${holder.pid}\\) is writing .*dist/ and did not finish within 0 s: wait for it, or, if no synth is running, remove .*\\.dist\\.lock`));
    } finally {
      holder.kill();
    }
  });

  test('a lock left by a process that is gone is taken over', () => {
    const outdir = scratchDist();
    writeFileSync(join(outdir, '..', '.dist.lock'), `${2 ** 22 + 1}\n`);
    const summary = writeDist(outdir, renderFleet(demoFleet((text) => setReplicas(text, 0, 7))));
    expect(summary.changed).toEqual(['apps/app0/app.yaml']);
    expect(readdirSync(join(outdir, '..'))).toEqual(['dist']);
  });
});

describe('nothing is written or deleted through a symbolic link', () => {
  /** A dist/ whose apps/ is a link to a copy of it outside: the place a write must not reach. */
  function linkedApps(): { outdir: string; outside: string } {
    const outdir = scratchDist();
    const outside = newFolder();
    spawnSync('cp', ['-R', join(outdir, 'apps/.'), outside]);
    rmSync(join(outdir, 'apps'), { recursive: true });
    symlinkSync(outside, join(outdir, 'apps'));
    return { outdir, outside };
  }

  test('a changed file under a linked folder is refused; the outside folder and the link stay', () => {
    const { outdir, outside } = linkedApps();
    const before = folderState(outside);
    const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(setReplicas(demoFleetText, 2, 9)) });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('dist/ was left as it was.\napps in the output folder is a symbolic link: synth never writes or deletes through a link');
    expect(folderState(outside)).toEqual(before);
    expect(readdirSync(outdir)).toContain('apps');
  });

  test('a removal under a linked folder is refused', () => {
    const { outdir, outside } = linkedApps();
    const before = folderState(outside);
    expect(() => writeDist(outdir, renderFleet(demoFleet(withoutApp1)))).toThrow(/apps in the output folder is a symbolic link/);
    expect(folderState(outside)).toEqual(before);
  });

  test('a linked file is refused, not read through or replaced', () => {
    const outdir = scratchDist();
    const outside = join(newFolder(), 'secret.yaml');
    writeFileSync(outside, 'outside');
    rmSync(join(outdir, 'apps/app2/app.yaml'));
    symlinkSync(outside, join(outdir, 'apps/app2/app.yaml'));
    expect(() => writeDist(outdir, renderFleet(demoFleet()))).toThrow(/apps\/app2\/app\.yaml in the output folder is a symbolic link/);
    expect(readFileSync(outside, 'utf8')).toBe('outside');
  });

  test('an output folder that is a link is refused', () => {
    const outdir = scratchDist();
    const link = join(newFolder(), 'dist');
    symlinkSync(outdir, link);
    expect(() => writeDist(link, renderFleet(demoFleet()))).toThrow(/dist is a symbolic link: synth never writes through a link/);
  });
});

describe('the journal of an interrupted write is checked, not trusted', () => {
  /** A committed write beside outdir, as a dead synth would have left it, with the list it says it was writing. */
  function plantedWrite(outdir: string, staged: Record<string, string>, list: string): string {
    const work = join(outdir, '..', '.dist.synth');
    mkdirSync(join(work, 'new'), { recursive: true });
    for (const [path, text] of Object.entries(staged)) {
      mkdirSync(join(work, 'new', path, '..'), { recursive: true });
      writeFileSync(join(work, 'new', path), text);
    }
    writeFileSync(join(work, 'new', outputMarker), list);
    writeFileSync(join(work, 'journal'), '');
    return work;
  }

  test('paths outside the output folder are not followed: the journal is discarded', () => {
    // GIVEN a planted journal that lists a file outside dist/ and stages one there
    const outdir = scratchDist();
    const victim = join(outdir, '..', 'victim.txt');
    writeFileSync(victim, 'mine');
    const work = plantedWrite(outdir, { '../victim.txt': 'overwritten' }, markerText(['../victim.txt']));
    const before = folderState(outdir);
    // WHEN the next write runs THEN the journal was discarded, the file outside is intact, and dist/ is written as usual
    const summary = writeDist(outdir, renderFleet(demoFleet()));
    expect(summary.finished).toBeUndefined();
    expect(readFileSync(victim, 'utf8')).toBe('mine');
    expect(folderState(outdir)).toEqual(before);
    expect(existsSync(work)).toBe(false);
  });

  test('an empty or truncated list does not stop every later synth', () => {
    for (const list of ['', markerText(['apps/app0/app.yaml']).slice(0, 20)]) {
      const outdir = scratchDist();
      plantedWrite(outdir, { 'apps/app0/app.yaml': 'half' }, list);
      const summary = writeDist(outdir, renderFleet(demoFleet((text) => setReplicas(text, 0, 7))));
      expect(summary.changed).toEqual(['apps/app0/app.yaml']);
      expect(readFileSync(join(outdir, 'apps/app0/app.yaml'), 'utf8')).toContain('replicas: 7');
    }
  });

  test('a staged file the list does not name, or a staged link, discards the journal', () => {
    const outdir = scratchDist();
    const before = folderState(outdir);
    const work = plantedWrite(outdir, { 'apps/app0/app.yaml': 'planted' }, markerText(['apps/app1/app.yaml']));
    writeDist(outdir, renderFleet(demoFleet()));
    expect(folderState(outdir)).toEqual(before);
    const linked = plantedWrite(outdir, {}, markerText(['apps/app0/app.yaml']));
    mkdirSync(join(linked, 'new/apps/app0'), { recursive: true });
    symlinkSync('/etc/hostname', join(linked, 'new/apps/app0/app.yaml'));
    writeDist(outdir, renderFleet(demoFleet()));
    expect(folderState(outdir)).toEqual(before);
    expect(existsSync(work)).toBe(false);
  });

  test('a journal deletes only files the marker lists', () => {
    // GIVEN a planted write whose list leaves out a file of someone else's in dist/
    const outdir = scratchDist();
    writeFileSync(join(outdir, 'notes.md'), 'mine');
    const rendered = renderFleet(demoFleet());
    plantedWrite(outdir, {}, markerText([...rendered.keys()].filter((path) => path !== 'apps/app0/app.yaml')));
    // WHEN it is finished THEN synth's own file it leaves out goes, the note stays
    const summary = writeDist(outdir, rendered);
    expect(summary.finished).toEqual({ written: 0, removed: 1 });
    expect(summary.added).toEqual(['apps/app0/app.yaml']);
    expect(readFileSync(join(outdir, 'notes.md'), 'utf8')).toBe('mine');
  });

  test('synth reports the interrupted write it finished', () => {
    const outdir = scratchDist();
    const target = renderFleet(demoFleet((text) => setReplicas(text, 2, 10000)));
    plantedWrite(outdir, { 'apps/app2/app.yaml': target.get('apps/app2/app.yaml')! }, markerText(target.keys()));
    const result = runSynth({ CDK8S_OUTDIR: outdir });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('dist/: finished the write an interrupted synth had begun: 1 files and folders moved in, 0 removed');
    // This synth's own fleet is the demo one, with app2 at 5 again.
    expect(result.stdout).toMatch(/dist\/: 0 added, 1 changed, 0 removed, \d+ unchanged files/);
  });
});

describe('file system errors are sentences', () => {
  test.each([
    ['EACCES', 'open', 'permission denied: make it writable for this user'],
    ['ENOTDIR', 'mkdir', 'a part of the path is a file where a folder is expected: remove that file'],
    ['EISDIR', 'open', 'it is a folder where a file is expected: remove that folder'],
    ['ENOSPC', 'write', 'the disk is full (no space or no inodes left): free some, then synth again'],
  ])('%s', (code, syscall, reason) => {
    const error = Object.assign(new Error('raw'), { code, syscall, path: '/x/dist/apps' });
    expect(fileSystemProblem(error)).toBe(`cannot ${syscall === 'mkdir' ? 'create the folder' : syscall} /x/dist/apps: ${reason} (${code})`);
  });

  test('an output folder under a file: the message is a sentence, not a stack trace', () => {
    const file = join(newFolder(), 'file');
    writeFileSync(file, '');
    const result = runSynth({ CDK8S_OUTDIR: join(file, 'dist') });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^synth failed; .*\/file\/dist\/ was left as it was\.\ncannot create .*\/file\/dist\/: a part of its path is a file, where a folder is expected \((ENOTDIR|EEXIST)\): remove that file, or name another folder\n$/);
  });

  test('an unknown error is no file system error', () => {
    expect(fileSystemProblem(new Error('x'))).toBeUndefined();
    expect(new OutputError('x')).toBeInstanceOf(Error);
  });
});

describe('nothing in the environment changes dist/', () => {
  test.each([['the demo fleet', demoFleetText], ['a fleet for the staging thread', largeFleetYaml(210, 8)]])('%s', (_, text) => {
    const configFile = writeTempFleet(text);
    const plain = join(newFolder(), 'dist');
    const hostile = join(newFolder(), 'dist');
    expect(runSynth({ CDK8S_OUTDIR: plain, FLEET_CONFIG: configFile }).status).toBe(0);
    const result = runSynth({
      CDK8S_OUTDIR: hostile, FLEET_CONFIG: configFile,
      CDK8S_DISABLE_SORT: '1', CDK8S_LEGACY_HASH: '1', CDK8S_RECORD_CONSTRUCT_METADATA: 'true', TZ: 'Pacific/Kiritimati', LC_ALL: 'de_DE.UTF-8', LANG: 'tr_TR.UTF-8',
    });
    expect(result.status).toBe(0);
    const texts = (dir: string) => Object.fromEntries(Object.entries(folderState(dir)).map(([path, { text: content }]) => [path, content]));
    expect(texts(hostile)).toEqual(texts(plain));
  });
});

describe('what the commit depends on is on disk before the journal goes', () => {
  test('every folder a file was renamed into is flushed, not only dist/ itself', () => {
    // GIVEN a dist/ of the demo fleet, and a fleet that changes one app's file and adds an app
    const outdir = scratchDist();
    const files = renderFleet(parseFleet(setReplicas(demoFleetText, 2, 7).replace('apps:\n', 'apps:\n  - name: app9\n    backgroundColor: teal\n    containerPort: 8080\n    replicas: 2\n')));
    // WHEN it is written, with every fsync watched
    const fs = require('fs') as typeof import('fs');
    const opened = new Map<number, string>();
    const open = fs.openSync;
    const opening = jest.spyOn(fs, 'openSync').mockImplementation(((path: string, ...rest: unknown[]) => {
      const fd = (open as (...args: unknown[]) => number)(path, ...rest);
      opened.set(fd, String(path));
      return fd;
    }) as typeof fs.openSync);
    const flushed: string[] = [];
    const fsync = fs.fsyncSync;
    const flushing = jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      flushed.push(opened.get(fd as number) ?? `fd ${fd}`);
      fsync(fd);
    });
    try {
      writeDist(outdir, files);
    } finally {
      opening.mockRestore();
      flushing.mockRestore();
    }
    // THEN the folders that got the changed file and the new app's folder were flushed, after the journal was
    const journal = flushed.findIndex((path) => path.endsWith('journal.partial'));
    expect(journal).toBeGreaterThanOrEqual(0);
    const after = flushed.slice(journal + 1);
    expect(after).toEqual(expect.arrayContaining([outdir, join(outdir, 'apps'), join(outdir, 'apps', 'app2')]));
  });
});
