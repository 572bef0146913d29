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
