import { buildSync } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BackgroundStager, FileText } from '../../output/background-staging';
import { fileText } from '../../output/file-content';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { buildFleetInSlices, renderFleet } from '../../app/render';
import { synthesize } from '../../app/synth';
import { DistWrite, OutputLock, writeDist } from '../../output/write-dist';
import { parseFleet } from '../../config/load';
import { folderState } from '../support/dist-state';
import { demoFleet, demoFleetText, fixturePath, projectRoot, scratchDist, setReplicas, writeTempFleet } from '../support/fixtures';

/** Bundles `source` (TypeScript, importing from the project) as a worker script, as synth's bundle is. */
function workerScript(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-worker-'));
  writeFileSync(join(dir, 'entry.ts'), source);
  buildSync({ entryPoints: [join(dir, 'entry.ts')], outfile: join(dir, 'worker.js'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' });
  return join(dir, 'worker.js');
}

const stagingScript = workerScript(`import { serveStaging } from ${JSON.stringify(join(projectRoot, 'output', 'background-staging'))};\nserveStaging();\n`);
const refusingScript = workerScript("throw new Error('the staging thread was started');\n");

/** The slices synth would hand over for a fleet, serialised. */
function slicesOf(text: string): FileText[][] {
  const slices: FileText[][] = [];
  buildFleetInSlices(demoFleet(() => text), (contents) => slices.push(contents.map((content) => [content.path, fileText(content)])));
  return slices;
}

describe('the staging thread', () => {
  test('writes on its own thread the files that differ from dist/, and reports what it found', async () => {
    // GIVEN a copy of dist/ and the default fleet with app2 at 10000 replicas
    const outdir = scratchDist();
    const lock = OutputLock.acquire(outdir);
    const write = DistWrite.begin(lock);
    const stager = new BackgroundStager(stagingScript, write.target);
    // WHEN every slice is handed to the staging thread
    for (const files of slicesOf(setReplicas(demoFleetText, 2, 10000))) stager.stage(files);
    const staged = await stager.finish();
    // THEN it staged app2's files alone (its Deployment, and its Ingress now on an ALB of its own), with the YAML synth renders, and has no backlog left
    expect(staged.added).toEqual([]);
    expect(staged.changed).toEqual(['apps/app2/app.yaml', 'apps/app2/clusters/ipv6-east.yaml']);
    expect(staged.unchanged).toBe(staged.paths.length - 2);
    expect(stager.backlog).toBe(0);
    const expected = renderFleet(demoFleet((text) => setReplicas(text, 2, 10000)));
    expect(readFileSync(join(write.target.staging, 'apps/app2/app.yaml'), 'utf8')).toBe(expected.get('apps/app2/app.yaml'));
    write.abort();
    lock.release();
  });

  test('fails finish() with the error it met', async () => {
    const lock = OutputLock.acquire(scratchDist());
    const write = DistWrite.begin(lock);
    const stager = new BackgroundStager(stagingScript, write.target);
    stager.stage([['x/file.yaml', 'a: 1\n'], ['x/file.yaml/nested.yaml', 'b: 2\n']]);
    await expect(stager.finish()).rejects.toThrow(/ENOTDIR|EEXIST|EISDIR/);
    write.abort();
    lock.release();
  });
});

describe('synthesize', () => {
  test('renders a small fleet without starting the staging thread', async () => {
    const outdir = scratchDist();
    const result = await synthesize({ configFile: fixturePath('demo'), outdir }, { workerScript: refusingScript });
    expect(result.unchanged).toBe(renderFleet(demoFleet()).size);
  });

  test('stages a fleet of 200 apps or more on the staging thread, and fails cleanly when that thread does', async () => {
    // GIVEN dist/ of a large fleet, the fleet scaled, and a staging thread that fails as it starts
    const outdir = join(mkdtempSync(join(tmpdir(), 'fleet-out-')), 'dist');
    writeDist(outdir, renderFleet(parseFleet(largeFleetYaml(237, 8))));
    const before = folderState(outdir);
    const configFile = writeTempFleet(largeFleetYaml(237, 8).replace(/replicas: 5/g, 'replicas: 6'));
    // WHEN synth runs THEN the thread was started, its failure is synth's, and dist/ is as it was
    await expect(synthesize({ configFile, outdir }, { workerScript: refusingScript })).rejects.toThrow('the staging thread was started');
    expect(folderState(outdir)).toEqual(before);
    expect(readdirSync(join(outdir, '..'))).toEqual(['dist']);
  });
});
