import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { changedTerraformRoots, generatorChanged } from '../../scripts/ci-changes';
import { projectRoot } from '../support/fixtures';

type Step = { uses?: string; run?: string; name?: string; with?: Record<string, unknown> };
type Job = { if?: string; needs?: string; steps: Step[]; permissions?: Record<string, string> };

const workflowText = readFileSync(join(projectRoot, '.github', 'workflows', 'dist.yml'), 'utf8');
const workflow = parse(workflowText) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const runs = (job: Job) => job.steps.map((step) => step.run ?? '').join('\n');

describe('the GitHub workflow', () => {
  test('every action is pinned by a commit, its release tag beside it', () => {
    const uses = [...workflowText.matchAll(/^\s*(?:- )?uses: (.*)$/gm)].map((match) => match[1]);
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test('commits nothing: no job pushes, none may write the repository, and it runs on pull requests only', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflowText).not.toMatch(/git push|contents: write/);
    expect(Object.keys(workflow.jobs).sort()).toEqual(['changes', 'check', 'terraform', 'test']);
    expect(runs(workflow.jobs.check)).toMatch(/npm run synth\n[\s\S]*git status --porcelain -- dist/);
  });

  test('runs the generator\'s tests only when the generator changes, and the fleet check always', () => {
    expect(workflow.jobs.test.if).toBe("needs.changes.outputs.generator == 'true'");
    expect(runs(workflow.jobs.test)).toContain('npm test');
    expect(workflow.jobs.check.if).toBeUndefined();
    expect(runs(workflow.jobs.check)).toContain('npm run check');
    expect(runs(workflow.jobs.check)).not.toContain('npm test');
  });

  test('posts the comment app/pr-comment.ts builds, the code the comment test runs, and builds none of its own', () => {
    expect(runs(workflow.jobs.check)).toContain('npm run pr-comment --silent -- --base "origin/$BASE_REF" --out "$RUNNER_TEMP/fleet"');
    expect(runs(workflow.jobs.check)).toContain('cat "$RUNNER_TEMP/fleet/summary.md" >> "$GITHUB_STEP_SUMMARY"');
    const post = workflow.jobs.check.steps.find((step) => step.uses?.startsWith('actions/github-script@'))!;
    expect(String(post.with?.script)).toContain("readFileSync(process.env.COMMENT_FILE, 'utf8')");
    expect(String(post.with?.script)).not.toMatch(/fit\(|slice\(|split\('\\n### '\)/);
  });

  test('validates each changed Terraform root module with init -backend=false on the runner\'s Terraform', () => {
    const terraform = workflow.jobs.terraform;
    expect(terraform.if).toBe("needs.changes.outputs.terraform-roots != '[]'");
    expect(terraform.steps.some((step) => step.uses?.startsWith('hashicorp/setup-terraform@'))).toBe(true);
    expect(runs(terraform)).toContain('terraform -chdir="$root" init -backend=false -input=false');
    expect(runs(terraform)).toContain('terraform -chdir="$root" validate');
  });

  test('.ci/run, this machine\'s CI, still runs the generator\'s tests and the fleet check, and needs no terraform', () => {
    const ciRun = readFileSync(join(projectRoot, '.ci', 'run'), 'utf8');
    expect(ciRun).toMatch(/^npm test /m);
    expect(ciRun).toMatch(/^npm run check$/m);
    expect(ciRun).not.toContain('terraform');
  });
});

describe('what a pull request changes (scripts/ci-changes.ts)', () => {
  test('fleet.yaml and dist/ alone are a fleet change; anything else changes the generator', () => {
    expect(generatorChanged(['fleet.yaml', 'dist/apps/app0/app.yaml', 'dist/terraform/clusters/a/main.tf.json'])).toBe(false);
    expect(generatorChanged([])).toBe(false);
    expect(generatorChanged(['fleet.yaml', 'charts/test-app.ts'])).toBe(true);
    expect(generatorChanged(['test/fixtures/demo.yaml'])).toBe(true);
    expect(generatorChanged(['package-lock.json'])).toBe(true);
    expect(generatorChanged(['distribution.md'])).toBe(true);
  });

  test('the root modules of the changed Terraform files, those that still exist', () => {
    // GIVEN a checkout with two cluster roots and an account root
    const root = mkdtempSync(join(tmpdir(), 'ci-changes-'));
    for (const folder of ['dist/terraform/clusters/a', 'dist/terraform/clusters/b', 'dist/terraform/accounts/1']) {
      mkdirSync(join(root, folder), { recursive: true });
      writeFileSync(join(root, folder, 'main.tf.json'), '{}');
    }
    mkdirSync(join(root, 'dist/terraform/clusters/b/policies'));
    // THEN each changed file counts for its root, a removed root for none, other files for none
    expect(changedTerraformRoots([
      'dist/terraform/clusters/a/main.tf.json',
      'dist/terraform/clusters/b/policies/x.json',
      'dist/terraform/clusters/gone/main.tf.json',
      'dist/apps/app0/app.yaml',
      'fleet.yaml',
    ], root)).toEqual(['dist/terraform/clusters/a', 'dist/terraform/clusters/b']);
    expect(changedTerraformRoots(['dist/terraform/accounts/1/main.tf.json'], root)).toEqual(['dist/terraform/accounts/1']);
  });
});
