import { spawnSync } from 'child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { projectRoot } from '../support/fixtures';

/** scripts/install-e2e-deps.sh --dry-run on a distribution (/etc/os-release's ID) with `browsers` on PATH. */
function dryRun(distribution: string, browsers: readonly string[]) {
  const folder = mkdtempSync(join(tmpdir(), 'e2e-deps-'));
  const bin = join(folder, 'bin');
  mkdirSync(bin);
  for (const name of browsers) {
    writeFileSync(join(bin, name), '#!/bin/sh\necho browser\n');
    chmodSync(join(bin, name), 0o755);
  }
  writeFileSync(join(folder, 'os-release'), `ID=${distribution}\n`);
  // Only the stubs and the shell's own tools: no browser this machine may have is found.
  const tools = mkdtempSync(join(tmpdir(), 'e2e-tools-'));
  for (const tool of ['bash', 'id']) {
    const path = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(path, join(tools, tool));
  }
  return spawnSync('bash', [join(projectRoot, 'scripts', 'install-e2e-deps.sh'), '--dry-run'], {
    env: { PATH: `${bin}:${tools}`, OS_RELEASE_FILE: join(folder, 'os-release') },
    encoding: 'utf8',
  });
}

describe('scripts/install-e2e-deps.sh', () => {
  test('on a GitHub Ubuntu runner, with Google Chrome there, it installs no chromium', () => {
    const result = dryRun('ubuntu', ['google-chrome', 'google-chrome-stable']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/browser .*\/google-chrome\n/);
    expect(result.stdout).not.toMatch(/install.*chromium/);
  });

  test('on Ubuntu without a browser it stops and says why, rather than install the snap-only chromium', () => {
    const result = dryRun('ubuntu', []);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Ubuntu packages Chromium as a snap only');
  });

  test('on Debian without a browser it installs Debian\'s chromium', () => {
    const result = dryRun('debian', []);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/would install (nginx )?chromium\n/);
  });
});
