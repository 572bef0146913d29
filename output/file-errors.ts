/** File system errors as sentences for the person who runs synth, rather than stack traces. */

/** What each error code means for a write, and what to do about it. */
const reasons: Readonly<Record<string, string>> = {
  EACCES: 'permission denied: make it writable for this user',
  EPERM: 'the operation is not permitted (a read-only or immutable file or folder): make it writable',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full (no space or no inodes left): free some, then synth again',
  EDQUOT: 'the disk quota is used up: free some space, then synth again',
  ENOTDIR: 'a part of the path is a file where a folder is expected: remove that file',
  EISDIR: 'it is a folder where a file is expected: remove that folder',
  ELOOP: 'it is a symbolic link, which synth does not follow',
  ENAMETOOLONG: 'the name is too long for the file system',
  EMFILE: 'this process has too many files open',
  ENFILE: 'the system has too many files open',
  EXDEV: 'it is on another file system',
  EIO: 'the disk reported an input/output error',
  EBUSY: 'it is in use (a mount point?)',
  ENOTEMPTY: 'the folder is not empty',
  EEXIST: 'it already exists',
  ENOENT: 'it does not exist',
};

const verbs: Readonly<Record<string, string>> = {
  open: 'open', read: 'read', write: 'write', close: 'write', rename: 'move', mkdir: 'create the folder', unlink: 'delete',
  rmdir: 'delete the folder', rm: 'delete', lstat: 'look at', stat: 'look at', realpath: 'find', scandir: 'list', fsync: 'flush to disk',
};

/**
 * The sentence for a file system error (an error with a known `code`); undefined for any other
 * error. `command` is the one to run again (npm run synth, or import-clusters).
 */
export function fileSystemProblem(error: unknown, command = 'synth'): string | undefined {
  const { code, path, dest, syscall } = (error ?? {}) as NodeJS.ErrnoException & { dest?: string };
  if (!code || !Object.hasOwn(reasons, code)) return undefined;
  const what = path ? ` ${path}${dest ? ` to ${dest}` : ''}` : '';
  return `cannot ${syscall && Object.hasOwn(verbs, syscall) ? verbs[syscall] : 'write'}${what}: ${reasons[code].replace(/\bsynth\b/, command)} (${code})`;
}
