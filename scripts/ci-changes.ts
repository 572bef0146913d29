// npx tsx scripts/ci-changes.ts <base rev>: what a pull request changes, as the workflow (.github/workflows/dist.yml)
// decides its jobs by, printed as GitHub step outputs:
//
//   generator=true|false          whether anything beside fleet.yaml and dist/ changed: the generator's tests run then
//   terraform-roots=["dist/..."]  the root modules under dist/terraform/ whose files changed and that still exist
//
// A fleet pull request (fleet.yaml and the dist/ it renders) skips the generator's tests: the fleet check
// (npm run check) runs on every pull request, and .ci/run runs both.
import { execFileSync } from 'child_process';
import { existsSync, readdirSync } from 'fs';
import { dirname, join, posix } from 'path';

/** The files of a fleet change: the fleet and what synth renders from it. */
const fleetFile = 'fleet.yaml';
const distDir = 'dist/';
const terraformDir = 'dist/terraform/';

/** Whether a change of these files (paths from the repository's root) changes the generator: anything but fleet.yaml and dist/. */
export function generatorChanged(files: readonly string[]): boolean {
  return files.some((file) => file !== fleetFile && !file.startsWith(distDir));
}

/** Whether a folder holds Terraform configuration of its own (a root module, when under dist/terraform/). */
function holdsTerraform(folder: string): boolean {
  return existsSync(folder) && readdirSync(folder).some((name) => name.endsWith('.tf') || name.endsWith('.tf.json'));
}

/**
 * The root modules the changed files belong to: for each file under dist/terraform/, the nearest folder above it
 * that holds Terraform files, in the checkout at `root`. A root module removed by the change has none: nothing to validate.
 */
export function changedTerraformRoots(files: readonly string[], root: string): string[] {
  const roots = new Set<string>();
  for (const file of files.filter((candidate) => candidate.startsWith(terraformDir))) {
    for (let folder = posix.dirname(file); folder.startsWith(terraformDir.slice(0, -1)); folder = posix.dirname(folder)) {
      if (holdsTerraform(join(root, folder))) {
        roots.add(folder);
        break;
      }
    }
  }
  return [...roots].sort();
}

if (require.main === module) {
  const base = process.argv[2];
  if (!base) {
    console.error('usage: npx tsx scripts/ci-changes.ts <base rev>');
    process.exit(2);
  }
  const root = dirname(__dirname);
  // The files changed since the merge base, as the pull request shows them.
  const files = execFileSync('git', ['diff', '--name-only', '--no-renames', `${base}...HEAD`], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  console.log(`generator=${generatorChanged(files)}`);
  console.log(`terraform-roots=${JSON.stringify(changedTerraformRoots(files, root))}`);
}
