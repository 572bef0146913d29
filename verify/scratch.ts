import { accessSync, constants, mkdtempSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** Linux's shared-memory file system, where a folder lives in memory. */
const memoryFolder = '/dev/shm';

let base: string | undefined;

/**
 * A new temporary folder for files a check writes and removes at once (nginx's sites, helm's
 * values), in memory where the machine has a writable /dev/shm, else in the temp folder. At 3,000
 * apps the page checks create and remove thousands of folders: on a disk shared with other work,
 * removing them waited on the file system's journal for seconds at a time, which tmpfs has not.
 */
export function scratchFolder(prefix: string): string {
  if (base === undefined) {
    try {
      accessSync(memoryFolder, constants.W_OK);
      base = statSync(memoryFolder).isDirectory() ? memoryFolder : tmpdir();
    } catch {
      base = tmpdir();
    }
  }
  return mkdtempSync(join(base, prefix));
}
