import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { findChromium } from '../../verify/chromium';

/** A folder holding an executable stub of each name, as a folder of PATH. */
function binFolder(...names: string[]): string {
  const folder = mkdtempSync(join(tmpdir(), 'browser-bin-'));
  for (const name of names) {
    writeFileSync(join(folder, name), '#!/bin/sh\n');
    chmodSync(join(folder, name), 0o755);
  }
  return folder;
}

describe('finding a browser for the page checks', () => {
  test('Debian\'s chromium is found on PATH', () => {
    const debian = binFolder('chromium');
    expect(findChromium({ PATH: debian })).toBe(join(debian, 'chromium'));
  });

  test('a GitHub Ubuntu runner\'s Google Chrome is found, where there is no Chromium', () => {
    const runner = binFolder('google-chrome', 'google-chrome-stable');
    expect(findChromium({ PATH: `${binFolder()}:${runner}` })).toBe(join(runner, 'google-chrome'));
    const stableOnly = binFolder('google-chrome-stable');
    expect(findChromium({ PATH: stableOnly })).toBe(join(stableOnly, 'google-chrome-stable'));
    const ubuntu = binFolder('chromium-browser');
    expect(findChromium({ PATH: ubuntu })).toBe(join(ubuntu, 'chromium-browser'));
  });

  test('Chromium comes before Chrome when both are there, and $CHROME_PATH before either', () => {
    const both = binFolder('google-chrome', 'chromium');
    expect(findChromium({ PATH: both })).toBe(join(both, 'chromium'));
    const chosen = join(binFolder('my-browser'), 'my-browser');
    expect(findChromium({ PATH: both, CHROME_PATH: chosen })).toBe(chosen);
  });

  test('nothing found is undefined: a file that is not executable, a folder of the name, or a $CHROME_PATH that is not there', () => {
    const folder = binFolder();
    writeFileSync(join(folder, 'chromium'), '');
    mkdirSync(join(folder, 'google-chrome'));
    expect(findChromium({ PATH: folder })).toBeUndefined();
    expect(findChromium({ PATH: binFolder('chromium'), CHROME_PATH: join(folder, 'absent') })).toBeUndefined();
  });
});
