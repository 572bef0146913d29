import { renderFleet } from '../../app/render';
import { renderedObjects } from '../../verify/rendered';
import { fixtureFleet, findObject } from '../support/fixtures';

describe('the services\' project confines their Namespaces', () => {
  const project = findObject(renderedObjects(renderFleet(fixtureFleet('services-sources'))), 'AppProject', 'fleet-services-ipv6-east');

  test('allows the Namespace kind only by the name of each service namespace on the cluster, never any namespace', () => {
    // Argo CD v3.4.4 matches a whitelist entry without a name against every object of its kind.
    const namespaces = project.spec.clusterResourceWhitelist.filter((entry: { kind: string }) => entry.kind === 'Namespace');
    expect(namespaces).toEqual([{ group: '', kind: 'Namespace', name: 'hello' }, { group: '', kind: 'Namespace', name: 'podinfo-oci' }]);
    expect(project.spec.clusterResourceWhitelist.every((entry: { kind: string; name?: string }) => entry.kind !== 'Namespace' || entry.name)).toBe(true);
  });

  test('says that one project serves every service on the cluster', () => {
    expect(project.spec.description).toMatch(/one project for all of them/);
    expect(project.spec.description).not.toMatch(/each only in its own namespace/);
  });
});

describe('a service\'s source cannot take over what another service runs', () => {
  const objects = renderedObjects(renderFleet(fixtureFleet('services-sources')));

  test('every services Application fails a sync that would apply an object another Application manages (FailOnSharedResource)', () => {
    // argo-cd v3.4.4 controller/sync.go: with FailOnSharedResource=true a sync fails on the SharedResourceWarning
    // condition, so service X's source naming service Y's Namespace fails X's sync instead of relabelling Y's.
    const sets = objects.filter((object) => object.kind === 'ApplicationSet' && object.metadata.name.startsWith('services-'));
    expect(sets.length).toBeGreaterThan(0);
    for (const set of sets) expect(set.spec.template.spec.syncPolicy.syncOptions).toEqual(['FailOnSharedResource=true']);
  });

  test('the project refuses TargetGroupBindings, which would put a source\'s pods in any target group of the cluster\'s ALBs', () => {
    const project = findObject(objects, 'AppProject', 'fleet-services-ipv6-east');
    expect(project.spec.namespaceResourceBlacklist).toContainEqual({ group: 'elbv2.k8s.aws', kind: 'TargetGroupBinding' });
  });
});
