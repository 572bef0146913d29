import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { servicesCheck } from '../../app/checks';
import { Fleet } from '../../config/fleet';
import { parseFleet } from '../../config/load';
import { helmUnavailable } from '../../verify/helm';
import { renderServices } from '../../verify/service-renders';
import { testAppsFleetText } from '../support/fixtures';
import { serviceRepository, serviceRevision, testGit } from '../support/service-dist';

// Git services of this repository are read at their pinned revision from the clone's objects, as
// Argo CD's repo-server reads them, never from the working tree. kubectl (beside helm) renders
// kustomizations; on CI a missing helm fails these tests, elsewhere they are skipped.
const unavailable = helmUnavailable();
const onCi = Boolean(process.env.CI) && process.env.CI !== 'false';
const describeHelm = unavailable && !onCi ? describe.skip : describe;
jest.setTimeout(120_000);


function gitService(name: string, path: string, revision: string): string {
  return `  - name: ${name}
    source:
      git:
        repoURL: https://github.com/example-org/eks-ipv6-gitops.git
        revision: ${revision}
        path: ${path}
    expose: { service: hello, port: 80 }
    replicas: 2
    clusters: [ipv6-east]
`;
}

const fleetWith = (apps: string): Fleet => parseFleet(`${testAppsFleetText}${apps}`, 'fleet.yaml');
const replicasOf = (objects: readonly { kind?: string; spec?: { replicas?: number } }[]) => objects.find((object) => object.kind === 'Deployment')?.spec?.replicas;

describeHelm('git services are checked at their pinned revision', () => {
  let repository: string;
  let first: string;
  let second: string;
  const deployment = 'test/fixtures/services/hello-plain/deployment.yaml';
  beforeAll(() => {
    repository = serviceRepository();
    first = testGit(repository, 'rev-parse', 'HEAD');
    // A second commit scales the plain service to 3; the working tree then says 7, uncommitted.
    const file = join(repository, deployment);
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 2', 'replicas: 3'));
    testGit(repository, 'commit', '--quiet', '--all', '--message', 'Scale hello to 3');
    second = testGit(repository, 'rev-parse', 'HEAD');
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 3', 'replicas: 7'));
  });
  afterAll(() => rmSync(repository, { recursive: true, force: true }));

  test('the commit or tag pinned is rendered, not the working tree', async () => {
    // GIVEN the same path pinned at the first commit, at its tag and at the second commit
    const fleet = fleetWith(gitService('at-first', 'test/fixtures/services/hello-plain', first)
      + gitService('at-tag', 'test/fixtures/services/hello-plain', serviceRevision)
      + gitService('at-second', 'test/fixtures/services/hello-plain', second));
    // WHEN
    const outcome = await renderServices(fleet, new Map(), { repoRoot: repository });
    // THEN each reads its commit's replicas; the working tree's 7 is nowhere
    expect(outcome.errors).toEqual([]);
    expect(outcome.notChecked).toEqual([]);
    expect(outcome.renders.map((render) => [render.app.name, replicasOf(render.objects)])).toEqual([['at-first', 2], ['at-tag', 2], ['at-second', 3]]);
    expect(outcome.distinctRenders).toBe(2);
  });

  test('a kustomization is built from its commit, with the ../ folders it names as committed there', async () => {
    // GIVEN the base's Deployment changed in the working tree only
    const base = join(repository, 'test/fixtures/services/hello-kustomize/base');
    const files = execFileSync('ls', [base]).toString('utf8').split('\n').filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml');
    const saved = new Map(files.map((name) => [name, readFileSync(join(base, name), 'utf8')]));
    for (const name of files) writeFileSync(join(base, name), 'this: [is not yaml kustomize can build\n');
    try {
      const fleet = fleetWith(gitService('hello-v4', 'test/fixtures/services/hello-kustomize/ipv4', serviceRevision));
      // WHEN
      const outcome = await renderServices(fleet, new Map(), { repoRoot: repository });
      // THEN the committed base and its patch
      expect(outcome.errors).toEqual([]);
      expect(outcome.renders[0].objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(['Service/hello', 'Deployment/hello']);
      expect(outcome.renders[0].objects[0].spec.ipFamilies).toEqual(['IPv4']);
    } finally {
      for (const [name, text] of saved) writeFileSync(join(base, name), text);
    }
  });

  test('a tag the repository does not have is not checked, with the reason; never OK without a render', async () => {
    // GIVEN a tag that does not exist
    const fleet = fleetWith(gitService('hello', 'test/fixtures/services/hello-plain', 'v1.0.0'));
    // WHEN
    const outcome = await renderServices(fleet, new Map(), { repoRoot: repository });
    const result = await servicesCheck(fleet, new Map(), false, { repoRoot: repository });
    // THEN
    expect(outcome.renders).toEqual([]);
    expect(outcome.errors).toEqual([]);
    expect(outcome.notChecked).toEqual([expect.stringMatching(/^hello: not checked: git path test\/fixtures\/services\/hello-plain at v1\.0\.0: this clone has no tag, branch or commit v1\.0\.0; Argo CD fails "unable to resolve 'v1\.0\.0'"/)]);
    expect(result.summary).toMatch(/^0 of 1 services rendered .*; 1 not checked/);
  });

  test('a shallow clone without the pinned commit says so; the commit it has is rendered', async () => {
    // GIVEN a clone of the branch's last commit only
    const shallow = mkdtempSync(join(tmpdir(), 'fleet-shallow-'));
    try {
      execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${repository}`, shallow], { stdio: 'ignore' });
      const fleet = fleetWith(gitService('old', 'test/fixtures/services/hello-plain', first) + gitService('new', 'test/fixtures/services/hello-plain', second));
      // WHEN
      const outcome = await renderServices(fleet, new Map(), { repoRoot: shallow });
      // THEN
      expect(outcome.notChecked).toEqual([expect.stringContaining(`old: not checked: git path test/fixtures/services/hello-plain at ${first}: this clone has no tag, branch or commit ${first} (it is a shallow clone: fetch the full history`)]);
      expect(outcome.renders.map((render) => [render.app.name, replicasOf(render.objects)])).toEqual([['new', 3]]);
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
  });

  test('a path that is in the working tree but not at the revision is an error naming the field', async () => {
    // GIVEN a folder added after the tag, not committed
    execFileSync('cp', ['-r', join(repository, 'test/fixtures/services/hello-plain'), join(repository, 'test/fixtures/services/hello-new')]);
    const fleet = fleetWith(gitService('hello', 'test/fixtures/services/hello-new', serviceRevision));
    // WHEN
    const outcome = await renderServices(fleet, new Map(), { repoRoot: repository });
    // THEN
    expect(outcome.renders).toEqual([]);
    expect(outcome.errors).toEqual([expect.stringMatching(/^apps\[3\].source.git.path: test\/fixtures\/services\/hello-new is not a folder of this repository \(https:\/\/github.com\/example-org\/eks-ipv6-gitops.git\) at v1.2.3 \(commit [0-9a-f]{12}\)/)]);
  });
});
