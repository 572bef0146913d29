import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { folderState } from '../support/dist-state';
import { projectRoot } from '../support/fixtures';

function runImport(args: readonly string[], output: string) {
  return spawnSync('bash', [join(projectRoot, 'scripts', 'import-crds.sh'), ...args], {
    cwd: projectRoot,
    env: { ...process.env, IMPORT_OUTPUT: output },
    encoding: 'utf8',
  });
}

describe('npm run import', () => {
  test('regenerates imports/ from the committed CRDs exactly, and leaves cdk8s.yaml as it is', () => {
    // GIVEN the project's cdk8s.yaml and an empty output folder
    const cdk8sYaml = readFileSync(join(projectRoot, 'cdk8s.yaml'), 'utf8');
    const output = mkdtempSync(join(tmpdir(), 'imports-'));
    // WHEN the import runs on data/crds/argocd
    const result = runImport([], output);
    // THEN it writes what imports/ holds, and cdk8s.yaml keeps its comments and has no imports entry
    expect(result.status).toBe(0);
    const texts = (dir: string) => Object.fromEntries(Object.entries(folderState(dir)).map(([file, { text }]) => [file, text]));
    expect(texts(output)).toEqual(texts(join(projectRoot, 'imports')));
    expect(readFileSync(join(projectRoot, 'cdk8s.yaml'), 'utf8')).toBe(cdk8sYaml);
  }, 60_000);

  test('without the CRDs, says which files it needs and where to get them', () => {
    const result = runImport([join(tmpdir(), 'no-such-crds')], mkdtempSync(join(tmpdir(), 'imports-')));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('needs the Argo CD CRDs application-crd.yaml, applicationset-crd.yaml and appproject-crd.yaml');
    expect(result.stderr).toContain('https://github.com/argoproj/argo-cd/tree/v3.5.1/manifests/crds');
    expect(result.stderr).not.toContain('No such file');
  });
});
