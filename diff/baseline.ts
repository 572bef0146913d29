/**
 * What a review compares the render of fleet.yaml with: the dist/ committed at git HEAD, so that
 * `npm run synth` followed by `npm run diff` shows the change about to be committed, not the
 * nothing that lies between dist/ and the synth that just wrote it. Read with git's plumbing from
 * the local object store only: no network (a partial clone's missing objects are not fetched).
 */
import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { basename, dirname, resolve } from 'path';
import { outputMarker, readOutput } from '../output/write-dist';

/** The files a diff compares with, and how the diff names them. */
export interface DiffBaseline {
  /** Path under the output folder -> text, the marker left out (as readOutput reads dist/). */
  readonly files: Map<string, string>;
  /** "dist/ at HEAD", or "dist/" for the folder on disk. */
  readonly label: string;
  /** Why the folder on disk stands in for the committed one; absent when it does not. */
  readonly note?: string;
}

/** A baseline that cannot be read: the person running the diff can fix it. */
export class BaselineError extends Error {}

/** Lazy fetching would reach a partial clone's remote for the blobs it lacks (git 2.44+ honours this). */
const offline = { ...process.env, GIT_NO_LAZY_FETCH: '1', GIT_TERMINAL_PROMPT: '0' };

/** Plenty for a 100,000-app dist/ read in one `git cat-file --batch`. */
const maxGitOutput = 4 * 1024 ** 3 - 1;

/** git's output in `cwd`, from the local object store only; throws when git fails. */
export function git(cwd: string, args: readonly string[], input?: string): Buffer {
  return execFileSync('git', ['-C', cwd, ...args], { env: offline, input, maxBuffer: maxGitOutput, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** git's output in `cwd` as trimmed text, undefined when git fails. */
export function gitText(cwd: string, args: readonly string[]): string | undefined {
  try {
    return git(cwd, args).toString('utf8').trim();
  } catch {
    return undefined;
  }
}

/** Where the output folder is in its git repository: the repository's folder to run git in, and the folder's path from the top; undefined outside a repository. */
function locateInRepository(outdir: string): { readonly cwd: string; readonly path: string } | undefined {
  const absolute = resolve(outdir);
  const cwd = dirname(absolute);
  if (!existsSync(cwd)) return undefined;
  const prefix = gitText(cwd, ['rev-parse', '--show-prefix']);
  if (prefix === undefined) return undefined;
  return { cwd, path: `${prefix}${basename(absolute)}` };
}

/**
 * The output folder as committed at `revision` (path under it -> text, the marker left out), or
 * only its folder `under` (a path under it, such as argocd/clusters); undefined when `outdir` is
 * not inside a git repository, the revision does not exist (a repository without commits) or
 * holds no file there. Throws BaselineError when git fails to read what it listed.
 */
export function committedDist(outdir: string, revision = 'HEAD', under?: string): Map<string, string> | undefined {
  const where = locateInRepository(outdir);
  if (!where) return undefined;
  const commit = gitText(where.cwd, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
  if (!commit) return undefined;
  // npm run check judges several changes against one base (removal, ALB walks, source kinds): the folder of a commit,
  // which never changes, is read from git once.
  const key = `${where.cwd}\0${where.path}\0${commit}`;
  if (lastRead?.key === key) {
    if (under === undefined) return new Map(lastRead.files);
    const prefix = `${under.replace(/\/+$/, '')}/`;
    const files = new Map([...lastRead.files].filter(([path]) => path.startsWith(prefix)));
    return files.size ? files : undefined;
  }
  const files = readCommitted(where, commit, revision, under);
  if (files && under === undefined) lastRead = { key, files: new Map(files) };
  return files;
}

/** The last whole output folder committedDist read, by repository, folder and commit. */
let lastRead: { readonly key: string; readonly files: ReadonlyMap<string, string> } | undefined;

function readCommitted(where: { readonly cwd: string; readonly path: string }, commit: string, revision: string, under?: string): Map<string, string> | undefined {
  let listing: string;
  try {
    listing = git(where.cwd, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', `${where.path}/${under === undefined ? '' : `${under.replace(/\/+$/, '')}/`}`]).toString('utf8');
  } catch (error) {
    throw new BaselineError(`cannot list ${where.path}/ at ${revision}: ${String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim()}`);
  }
  // "<mode> <type> <object>\t<path>", NUL-terminated; links and submodules are nothing synth writes.
  const blobs = listing.split('\0').filter((entry) => entry).flatMap((entry) => {
    const match = /^(100644|100755) blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (!match) return [];
    const path = match[3].slice(where.path.length + 1);
    return path === outputMarker ? [] : [{ object: match[2], path }];
  });
  if (!blobs.length) return undefined;
  let output: Buffer;
  try {
    output = git(where.cwd, ['cat-file', '--batch'], `${blobs.map((blob) => blob.object).join('\n')}\n`);
  } catch (error) {
    throw new BaselineError(`cannot read ${where.path}/ at ${revision}: ${String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim()}`);
  }
  // Each object comes back as "<object> blob <size>\n<content>\n".
  const files = new Map<string, string>();
  let offset = 0;
  for (const blob of blobs) {
    const headerEnd = output.indexOf(10, offset);
    const header = output.toString('utf8', offset, headerEnd).split(' ');
    if (header[1] !== 'blob') throw new BaselineError(`cannot read ${where.path}/${blob.path} at ${revision}: git says ${header.join(' ')}`);
    const size = Number(header[2]);
    files.set(blob.path, output.toString('utf8', headerEnd + 1, headerEnd + 1 + size));
    offset = headerEnd + 1 + size + 1;
  }
  return files;
}

/**
 * The texts a file under the output folder had in each commit after `base` up to HEAD that changed
 * it, newest first: what a branch merged step by step before its last commit. Empty outside a git
 * repository, when `base` is not a revision, or when no commit of the branch changed the file.
 */
export function committedVersionsSince(outdir: string, base: string, path: string): string[] {
  const where = locateInRepository(outdir);
  if (!where) return [];
  const file = `${where.path}/${path}`;
  const commits = gitText(where.cwd, ['rev-list', `${base}..HEAD`, '--', file]);
  if (!commits) return [];
  return commits.split('\n').flatMap((commit) => {
    const text = gitText(where.cwd, ['show', `${commit}:${file}`]);
    return text === undefined ? [] : [text];
  });
}

/**
 * What `npm run diff` compares with by default: the output folder committed at HEAD when it is
 * inside a git repository that has it committed, else the folder on disk, with a note that says
 * why (right after a synth, the folder on disk shows no changes).
 */
export function diffBaseline(outdir: string): DiffBaseline {
  const label = `${outdir.replace(/\/+$/, '')}/`;
  const committed = committedDist(outdir);
  if (committed) return { files: committed, label: `${label} at HEAD` };
  if (!existsSync(outdir)) throw new BaselineError(`${outdir}/ does not exist and is not committed at HEAD: run \`npm run synth\` first, or compare two revisions with --base <rev>`);
  const why = locateInRepository(outdir) ? `${label} is not committed at HEAD` : `${label} is not in a git repository`;
  return {
    files: readOutput(outdir),
    label,
    note: `${why}: compared with ${label} on disk as the last synth wrote it (after \`npm run synth\` it shows no changes).`,
  };
}
