import { renderFleet } from '../../app/render';
import { Fleet } from '../../config/fleet';
import { parseFleet } from '../../config/load';
import { isWaveSharedFile, WavePin } from '../../config/waves';
import { parseManifests } from '../../verify/rendered';
import { largeFleetYaml } from '../fixtures/large-fleet';

jest.setTimeout(300_000);

const pinned = 'a'.repeat(40);

/** The large fleet (72 clusters, 3,000 apps) in `waves` waves: the first of one cluster, then four, then the rest split evenly. */
function fleetInWaves(waves: number): Fleet {
  const base = largeFleetYaml(3000);
  const clusters = [...base.matchAll(/^ {2}- name: (ipv[46]-\d\d)$/gm)].map((match) => match[1]);
  const groups = [clusters.slice(0, 1), clusters.slice(1, 5)];
  const rest = clusters.slice(5);
  const size = Math.ceil(rest.length / (waves - 2));
  for (let index = 0; index < waves - 2; index++) groups.push(rest.slice(index * size, (index + 1) * size));
  const lines = ['waves:', ...groups.flatMap((names, index) => [`  - name: wave${index}`, `    clusters: [${names.join(', ')}]`, ...(index ? [`    revision: ${pinned}`] : [])])];
  const fleet = parseFleet(base.replace('clusters:\n', `${lines.join('\n')}\nclusters:\n`), 'fleet.yaml');
  // Each later wave pinned to a commit that has every shared file and every add-on at its version (as the pins reader would find them).
  // Every shared file held back with another text: the most copies a wave can have.
  const held = [...fleet.apps.map((app) => `apps/${app.name}/app.yaml`), 'addons/external-dns/values.yaml'].filter(isWaveSharedFile);
  const pin = (wave: string): WavePin => ({
    wave, revision: pinned, heldTexts: new Map(held.map((path) => [path, 'held\n'])), copies: new Set(held), addonVersions: new Map([['external-dns', '1.20.0']]), serviceVersions: new Map(),
  });
  return { ...fleet, wavePins: new Map(fleet.waves.slice(1).map((wave) => [wave.name, pin(wave.name)])) };
}

/** The JSON size of each object of the Argo CD files (what grows with the fleet), by file. */
function objectSizes(fleet: Fleet): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [path, text] of renderFleet(fleet, [])) {
    if (!path.startsWith('argocd/')) continue;
    for (const object of parseManifests(text)) sizes.set(`${path} ${object.kind}/${object.metadata?.name}`, JSON.stringify(object).length);
  }
  return sizes;
}

describe('waves at 72 clusters and 3,000 apps', () => {
  const three = objectSizes(fleetInWaves(3));
  const six = objectSizes(fleetInWaves(6));

  test('every object stays far within the API server\'s 1.5 MiB (synth refuses one over 1 MiB)', () => {
    const largest = Math.max(...three.values(), ...six.values());
    expect(largest).toBeLessThan(512 * 1024);
  });

  test('more waves add to the add-on ApplicationSets one generator each, not one per cluster; no cluster\'s objects grow', () => {
    for (const [key, size] of six) {
      if (key.startsWith('argocd/applicationsets/addon') || key.includes('ApplicationSet/addon-')) {
        // three generators more, each under 400 bytes, whatever the number of clusters
        expect(size - three.get(key)!).toBeLessThan(3 * 400);
      } else if (key.startsWith('argocd/apps/') || key.startsWith('argocd/clusters/')) {
        // a cluster's own objects differ by the name of its wave at most
        expect(Math.abs(size - three.get(key)!)).toBeLessThan(16);
      }
    }
    expect([...six.keys()].filter((key) => key.includes('ApplicationSet/addon-'))).toHaveLength(4);
  });
});
