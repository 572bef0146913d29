/**
 * The fleet check's pull-request comment and job summary, as the workflow (.github/workflows/dist.yml) posts them:
 *
 *   npm run pr-comment -- --base <git rev> --out <folder> [--run-url <url>] [--outputs <file>]
 *
 * Runs `npm run diff -- --base <rev> --markdown` and `npm run plan -- --markdown` (of every cluster, and of the
 * clusters the change touches) and writes <folder>/comment.md (the diff and the plan of the clusters the change
 * touches, under GitHub's 65,536 characters) and <folder>/summary.md (the diff and the whole plan, under the job
 * summary's 1 MiB), each cut between lines where it must be, with a link to the run (--run-url). Appends
 * `diff-status=` and `plan-status=` (the commands' exit statuses) to --outputs ($GITHUB_OUTPUT), for the step that
 * fails the job. Reads FLEET_CONFIG as they do. Exits 0 once both files are written, 2 on a wrong argument.
 */
import { spawnSync } from 'child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parseArgs } from 'util';
import { commentBody, summaryText } from '../diff/comment';
import { projectRoot } from '../verify/helm';

const usage = 'usage: npm run pr-comment -- --base <git rev> --out <folder> [--run-url <url>] [--outputs <file>]';

/** One of the project's commands, as npm runs it; its stderr is passed on. */
function command(entry: string, args: readonly string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(projectRoot(), 'scripts', 'run.mjs'), entry, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  process.stderr.write(result.stderr ?? '');
  return { status: result.status ?? 2, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function failure(heading: string, what: string, stderr: string): string {
  return [heading, '', what, '', '~~~', stderr.trim(), '~~~'].join('\n');
}

function main(args: string[]): number {
  let options;
  try {
    options = parseArgs({ args, options: { base: { type: 'string' }, out: { type: 'string' }, 'run-url': { type: 'string' }, outputs: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    console.error(`${(error as Error).message}: ${usage}`);
    return 2;
  }
  if (!options.base || !options.out) {
    console.error(usage);
    return 2;
  }
  mkdirSync(options.out, { recursive: true });
  const touchedFile = join(options.out, 'touched-clusters.txt');
  writeFileSync(touchedFile, '');
  const diff = command('app/diff.ts', ['--base', options.base, '--markdown', '--touched', touchedFile]);
  // 0: no changes, 1: changes, 2: an error (such as an invalid fleet.yaml), when no cluster is known to be touched.
  const diffText = diff.status >= 2 ? failure('## Fleet diff', '`npm run diff` failed:', diff.stderr) : diff.stdout;
  const touched = readFileSync(touchedFile, 'utf8').split('\n').filter(Boolean);
  const planSection = (planArgs: readonly string[]) => {
    const plan = command('app/plan.ts', ['--markdown', ...planArgs]);
    const refusal = plan.status !== 0 && plan.stderr.trim() ? `\n\n${failure('', `The capacity plan refused the fleet (exit ${plan.status}):`, plan.stderr).trim()}` : '';
    return { status: plan.status, text: `${plan.stdout.trim()}${refusal}` };
  };
  const plan = planSection([]);
  const touchedPlan = planSection(['--clusters', touched.join(',')]);
  const sections = { diff: diffText, plan: plan.text, touchedPlan: touchedPlan.text, runUrl: options['run-url'] };
  writeFileSync(join(options.out, 'comment.md'), `${commentBody(sections)}\n`);
  writeFileSync(join(options.out, 'summary.md'), `${summaryText(sections)}\n`);
  if (options.outputs) appendFileSync(options.outputs, `diff-status=${diff.status}\nplan-status=${plan.status}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
