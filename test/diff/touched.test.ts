import { renderForComparison } from '../../app/render';
import { allClusters } from '../../config/fleet';
import { compareDist } from '../../diff/compare';
import { clusterChanges, placementsBefore, placementsOf, previousPlacementTexts } from '../../diff/placements';
import { touchedClusters } from '../../diff/touched';
import { demoFleet } from '../support/fixtures';

/** The clusters a change of the demo fleet touches, as `npm run diff -- --base --touched` writes them. */
function touchedBy(edit: (text: string) => string): string[] {
  const beforeFleet = demoFleet();
  const afterFleet = demoFleet(edit);
  const [before, after] = renderForComparison(beforeFleet, afterFleet);
  const placements = placementsOf(afterFleet);
  const changes = clusterChanges(placementsBefore(placements, previousPlacementTexts(before, after)), placements);
  return touchedClusters(compareDist(before, after), changes, { before: allClusters(beforeFleet), after: allClusters(afterFleet) });
}

describe('the clusters a change touches', () => {
  test('scaling an app touches the clusters it runs on, and no other', () => {
    expect(touchedBy((text) => text.replace('replicas: 5', 'replicas: 6'))).toEqual(['ipv6-east']);
  });

  test('a node group of one cluster touches that cluster (its Terraform and its capacity), and no other', () => {
    expect(touchedBy((text) => text.replace('maxSize: 30', 'maxSize: 40'))).toEqual(['legacy-ipv4']);
  });

  test('a quota that only the capacity plan reads touches the clusters that declare it', () => {
    // GIVEN the ALB quota of the account and region, declared on both its clusters
    const edit = (text: string) => text.replace(/^    nodeGroups:\n/gm, '    loadBalancerQuotas: { loadBalancersPerRegion: 60 }\n    nodeGroups:\n');
    expect(touchedBy(edit)).toEqual(['ipv6-east', 'legacy-ipv4']);
  });

  test('nothing changed touches nothing', () => {
    expect(touchedBy((text) => text)).toEqual([]);
  });
});
