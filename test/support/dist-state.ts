import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';

/** Every file under a folder with its content and mtime: equal states mean nothing was touched. */
export function folderState(dir: string): Record<string, { text: string; mtimeMs: number }> {
  const state: Record<string, { text: string; mtimeMs: number }> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else state[relative(dir, path)] = { text: readFileSync(path, 'utf8'), mtimeMs: statSync(path).mtimeMs };
    }
  };
  walk(dir);
  return state;
}
