import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { commentBudget, commentLimit, commentMarker } from '../../diff/comment';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { projectRoot } from '../support/fixtures';

jest.setTimeout(600_000);

/** `apps` apps from the first at one more replica: a change touching that many apps. */
function scaleApps(text: string, apps: number): string {
  let scaled = 0;
  return text.replace(/replicas: (\d+)/g, (line, replicas) => (scaled++ < apps ? `replicas: ${Number(replicas) + 1}` : line));
}

/** Runs the workflow's comment step (app/pr-comment.ts) on a repository whose commit holds `base` and whose working tree `head`. */
function prComment(base: string, head: string): { comment: string; summary: string; outputs: string; status: number | null } {
  const repository = mkdtempSync(join(tmpdir(), 'fleet-pr-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repository, stdio: 'ignore' });
  git('init', '-q');
  writeFileSync(join(repository, 'fleet.yaml'), base);
  git('add', 'fleet.yaml');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'the fleet');
  writeFileSync(join(repository, 'fleet.yaml'), head);
  const out = join(repository, 'out');
  const outputs = join(repository, 'outputs.txt');
  writeFileSync(outputs, '');
  const result = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/pr-comment.ts', '--base', 'HEAD', '--out', out, '--run-url', 'https://github.com/example-org/fleet/actions/runs/1', '--outputs', outputs], {
    cwd: repository,
    env: { ...process.env, FLEET_CONFIG: join(repository, 'fleet.yaml') },
    encoding: 'utf8',
  });
  const read = (file: string) => readFileSync(join(out, file), 'utf8');
  return { comment: read('comment.md'), summary: read('summary.md'), outputs: readFileSync(outputs, 'utf8'), status: result.status };
}

/** The first line of each cluster's table in the capacity plan. */
const planTables = (text: string) => [...text.matchAll(/^(ipv[46]-\d+) \(IPv[46]\)$/gm)].map((match) => match[1]);

describe('the pull-request comment on a fleet of 72 clusters and 3,000 apps', () => {
  const fleet = largeFleetYaml(3000, 72);
  // 100 apps, placed round-robin on the 36 IPv6 clusters: a change that touches those 36 and none of the IPv4 ones.
  const result = prComment(fleet, scaleApps(fleet, 100));

  test('a change of 100 apps fits in a comment, with the plan of every cluster it touches and of no other', () => {
    expect(result.status).toBe(0);
    expect(result.outputs).toBe('diff-status=1\nplan-status=0\n');
    expect(result.comment.startsWith(`${commentMarker}\n\n## Fleet diff\n`)).toBe(true);
    expect(result.comment.length).toBeLessThanOrEqual(commentBudget);
    expect(result.comment.length).toBeLessThan(commentLimit);
    // The diff is whole: every one of the 100 apps' changes
    expect(result.comment).toContain('**100 changed, 0 added, 0 removed objects** in 100 Argo CD sources');
    expect(result.comment).not.toContain('Too long for a comment');
    // The plan: the 36 IPv6 clusters the change touches, whole, and a link to the plan of all 72
    const touched = Array.from({ length: 36 }, (_, index) => `ipv6-${String(index * 2 + 1).padStart(2, '0')}`);
    expect(planTables(result.comment)).toEqual(touched);
    expect(result.comment).toContain('36 of 72 clusters: ipv6-01, ipv6-03, ');
    expect(result.comment).toContain('_The plan of every cluster: see the [job summary](https://github.com/example-org/fleet/actions/runs/1)._');
  });

  test('the job summary has the whole diff and the plan of all 72 clusters', () => {
    expect(planTables(result.summary)).toHaveLength(72);
    expect(result.summary).toContain('**100 changed, 0 added, 0 removed objects**');
    expect(Buffer.byteLength(result.summary)).toBeLessThan(1024 * 1024);
  });
});
