import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { projectRoot } from './fleet-fixtures';

/** A scratch copy of the committed dist/, for tests that run synth against it. */
export function scratchDist(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'fleet-test-')), 'dist');
  cpSync(join(projectRoot, 'dist'), dir, { recursive: true, preserveTimestamps: true });
  return dir;
}

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
