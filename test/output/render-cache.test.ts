import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runSynth } from '../support/fixtures';

// Each case runs real synths.
jest.setTimeout(120_000);

/**
 * Every character a folder name may hold on Linux but "/" and NUL: the characters regular
 * expressions read as syntax, spaces, quotes, non-ASCII letters, an emoji and a newline.
 */
const everyCharacter = 'out .*+?^${}()|[]\\ "\'#%&!~`=,;é漢😀\nend';

/** A folder beside the output folder, holding files synth must never delete. */
function bystanders(dir: string, names: readonly string[]): Record<string, string> {
  const files = Object.fromEntries(names.map((name) => [name, `mine: ${name}`]));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return files;
}

describe('the render cache beside an output folder of any name', () => {
  test.each([
    ['every character a folder name may hold', everyCharacter],
    // ".a|b.cache" read as a pattern is "^\.a" or "b\.cache...": every file beside starting ".a" would match.
    ['an alternation', 'a|b'],
    ['a character class', '[.]x'],
  ])('%s: synth succeeds twice and deletes nothing beside the output folder but its own leftovers', (_, name) => {
    // GIVEN a folder holding the output folder, files of someone else's whose names a pattern
    // built from the output folder's name would match, and a leftover of a killed synth
    const parent = mkdtempSync(join(tmpdir(), 'fleet-cache-name-'));
    const outdir = join(parent, name);
    mkdirSync(outdir);
    const theirs = bystanders(parent, ['.a-notes', '.ab.cache.1.0123456789ab', `.${name}.cache.notes`, 'x.cache.1.0123456789ab', `.${name}x.cache.1.0123456789ab`, 'b.cache.1.0123456789ab']);
    const leftover = `.${name}.cache.4194305.0123456789ab`;
    writeFileSync(join(parent, leftover), 'half a cache');
    // WHEN synth runs twice into it
    const first = runSynth({ CDK8S_OUTDIR: outdir });
    const second = runSynth({ CDK8S_OUTDIR: outdir });
    // THEN both succeed, the second finding everything as the first left it
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect([second.status, second.stderr]).toEqual([0, '']);
    expect(second.stdout).toMatch(/: 0 added, 0 changed, 0 removed, \d+ unchanged files/);
    // and every file of someone else's is there as it was; the leftover is gone
    for (const [file, text] of Object.entries(theirs)) expect([file, readFileSync(join(parent, file), 'utf8')]).toEqual([file, text]);
    expect(readdirSync(parent).sort()).toEqual([...Object.keys(theirs), name, `.${name}.cache`].sort());
  });
});
