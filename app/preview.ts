// Screenshots of the test apps' pages as the real nginx serves them and headless Chromium paints
// them: preview/<app>.png, and preview/index.html showing them side by side. The pages are
// rendered from fleet.yaml (FLEET_CONFIG), so a preview is never of a stale dist/; PNGs of apps
// that are no longer in the fleet are removed.
// Run `npm run preview` (needs nginx and chromium: scripts/install-e2e-deps.sh).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { loadFleet } from '../config/load';
import { isTestApp } from '../config/fleet';
import { synthOptionsFromEnv } from '../config/locations';
import { appSharedPath } from '../catalog/dist-layout';
import { screenshot } from '../verify/chromium';
import { renderedSite, startNginx } from '../verify/nginx';
import { missingPagePrograms } from '../verify/pages';
import { renderFleet } from './render';

const previewDir = 'preview';

function indexPage(apps: ReadonlyArray<{ name: string; backgroundColor: string }>): string {
  const figures = apps.map((app) => `  <figure>
    <a href="${app.name}.png"><img src="${app.name}.png" alt="${app.name}'s page: ${app.backgroundColor} background"></a>
    <figcaption><strong>${app.name}</strong> &middot; ${app.backgroundColor} &middot; dist/${appSharedPath(app.name)}</figcaption>
  </figure>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Test app pages</title>
<style>
  body { font-family: sans-serif; margin: 2rem; }
  .pages { display: flex; gap: 1.5rem; flex-wrap: wrap; }
  figure { margin: 0; flex: 1 1 0; min-width: 240px; max-width: 800px; }
  img { width: 100%; border: 1px solid #ccc; display: block; }
  figcaption { margin-top: 0.5rem; text-align: center; }
</style>
</head>
<body>
<h1>Test app pages</h1>
<p>Each page is its app's ConfigMap as rendered from fleet.yaml, served over IPv6 ([::1]) by nginx and painted by headless Chromium.</p>
<div class="pages">
${figures.join('\n')}
</div>
</body>
</html>
`;
}

async function main(): Promise<void> {
  const missing = missingPagePrograms();
  if (missing.length > 0) throw new Error(`${missing.join(' and ')} not installed: run scripts/install-e2e-deps.sh first.`);
  const { configFile } = synthOptionsFromEnv(process.env);
  const fleet = loadFleet(configFile);
  const files = renderFleet(fleet);
  const apps = fleet.apps.filter(isTestApp);
  mkdirSync(previewDir, { recursive: true });
  const current = new Set(apps.map((app) => `${app.name}.png`));
  for (const stale of readdirSync(previewDir).filter((name) => name.endsWith('.png') && !current.has(name))) {
    rmSync(join(previewDir, stale));
    console.log(`removed ${join(previewDir, stale)}`);
  }
  for (const app of apps) {
    const server = await startNginx(renderedSite(files, app.name));
    try {
      const file = join(previewDir, `${app.name}.png`);
      writeFileSync(file, (await screenshot(`http://[::1]:${server.port}/`)).png);
      console.log(`wrote ${file}`);
    } finally {
      await server.stop();
    }
  }
  writeFileSync(join(previewDir, 'index.html'), indexPage(apps));
  console.log(`wrote ${join(previewDir, 'index.html')}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
