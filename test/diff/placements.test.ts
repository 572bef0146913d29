import { clusterChanges, formatClusterChanges, placementFilesPattern, Placements, placementsBefore, placementsOf, previousPlacementTexts, tellsPlacements } from '../../diff/placements';
import { demoFleet } from '../support/fixtures';

const placements = (entries: Record<string, Record<string, number>>): Placements =>
  new Map(Object.entries(entries).map(([cluster, apps]) => [cluster, new Map(Object.entries(apps))]));

/** argocd/apps/<cluster>.yaml as synth writes it: an ApplicationSet whose list generator names the apps. */
const clusterAppsText = (...apps: string[]) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: apps
spec:
  generators:
    - list:
        elements:
${apps.map((app) => `          - app: ${app}\n            weight: "100"`).join('\n')}
`;

/** apps/<app>/app.yaml: a Deployment of `replicas` beside other objects. */
const appText = (replicas: number) => `apiVersion: v1
kind: Service
metadata:
  name: web
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
`;

describe('which files of dist/ tell placements', () => {
  test('a cluster\'s ApplicationSet and an app\'s shared file, nothing else', () => {
    expect(tellsPlacements('argocd/apps/ipv6-east.yaml')).toBe(true);
    expect(tellsPlacements('apps/app0/app.yaml')).toBe(true);
    for (const path of ['argocd/apps/ipv6-east.yml', 'x/argocd/apps/ipv6-east.yaml', 'argocd/apps/a/b.yaml', 'apps/app0/ipv6-east.yaml', 'apps/app0/app.yaml.bak', 'apps/app.yaml']) {
      expect([path, tellsPlacements(path)]).toEqual([path, false]);
    }
  });

  test('the staging thread\'s pattern is the same test', () => {
    const pattern = new RegExp(placementFilesPattern);
    expect(['argocd/apps/ipv6-east.yaml', 'apps/app0/app.yaml', 'apps/app0/other.yaml'].map((path) => pattern.test(path))).toEqual([true, true, false]);
  });
});

describe('placementsOf', () => {
  test('every cluster, even one without apps, and each app\'s replicas on every cluster it is placed on', () => {
    const fleet = demoFleet();
    const result = placementsOf(fleet);
    expect([...result.keys()]).toEqual(fleet.clusters.map((cluster) => cluster.name));
    for (const app of fleet.apps) {
      for (const placement of app.placements) expect(result.get(placement.cluster)!.get(app.name)).toBe(app.replicas);
    }
    expect(result.get('legacy-ipv4')!.size).toBe(fleet.apps.filter((app) => app.placements.some((placement) => placement.cluster === 'legacy-ipv4')).length);
  });
});

describe('placementsBefore: the placements before a change, from the previous text of the files that differ', () => {
  const after = placements({ east: { app0: 5, app1: 10 }, west: { app1: 10 } });

  test('no file differs: the same placements', () => {
    expect(placementsBefore(after, new Map())).toEqual(after);
  });

  test('an app\'s Deployment had other replicas: the app had them on every cluster it ran on', () => {
    const before = placementsBefore(after, new Map([['apps/app1/app.yaml', appText(3)]]));
    expect(before).toEqual(placements({ east: { app0: 5, app1: 3 }, west: { app1: 3 } }));
  });

  test('an app file that did not exist: the app is new, 0 pods before wherever it is listed', () => {
    const before = placementsBefore(after, new Map([['apps/app1/app.yaml', undefined]]));
    expect(before).toEqual(placements({ east: { app0: 5, app1: 0 }, west: { app1: 0 } }));
  });

  test('a cluster\'s ApplicationSet listed other apps: those, with their replicas before', () => {
    const before = placementsBefore(after, new Map([['argocd/apps/west.yaml', clusterAppsText('app0')]]));
    expect(before).toEqual(placements({ east: { app0: 5, app1: 10 }, west: { app0: 5 } }));
  });

  test('a cluster\'s ApplicationSet that did not exist: the cluster had no apps', () => {
    expect(placementsBefore(after, new Map([['argocd/apps/west.yaml', undefined]])).get('west')).toEqual(new Map());
  });

  test('a cluster that is gone: its previous apps, with the replicas they had', () => {
    const before = placementsBefore(after, new Map([['argocd/apps/gone.yaml', clusterAppsText('app0', 'old')], ['apps/old/app.yaml', appText(7)]]));
    expect(before.get('gone')).toEqual(new Map([['app0', 5], ['old', 7]]));
  });

  test('a file that is not YAML, or has no Deployment, counts 0 pods', () => {
    expect(placementsBefore(after, new Map([['apps/app0/app.yaml', ': [']])).get('east')!.get('app0')).toBe(0);
    expect(placementsBefore(after, new Map([['apps/app0/app.yaml', 'kind: Service\n']])).get('east')!.get('app0')).toBe(0);
    expect(placementsBefore(after, new Map([['argocd/apps/east.yaml', ': [']])).get('east')).toEqual(new Map());
  });

  test('empty YAML documents (a leading or doubled ---) are skipped, not read as objects', () => {
    expect(placementsBefore(after, new Map([['apps/app0/app.yaml', `---\n---\n${appText(2)}`]])).get('east')!.get('app0')).toBe(2);
    expect(placementsBefore(after, new Map([['argocd/apps/west.yaml', `---\n---\n${clusterAppsText('app0')}`]])).get('west')).toEqual(new Map([['app0', 5]]));
  });

  test('an ApplicationSet without generators, or with a generator that is no list, lists no apps from it', () => {
    const noSpec = 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: apps\n';
    expect(placementsBefore(after, new Map([['argocd/apps/west.yaml', noSpec]])).get('west')).toEqual(new Map());
    const noGenerators = `${noSpec}spec:\n  template: {}\n`;
    expect(placementsBefore(after, new Map([['argocd/apps/west.yaml', noGenerators]])).get('west')).toEqual(new Map());
    const clusterGenerator = `${clusterAppsText('app0')}    - clusters: {}\n`;
    expect(placementsBefore(after, new Map([['argocd/apps/west.yaml', clusterGenerator]])).get('west')).toEqual(new Map([['app0', 5]]));
    const listWithoutElements = `${clusterAppsText('app0')}    - list: {}\n`;
    expect(placementsBefore(after, new Map([['argocd/apps/west.yaml', listWithoutElements]])).get('west')).toEqual(new Map([['app0', 5]]));
  });

  test('an app name YAML reads as a number is still the app of that name', () => {
    const numeric = placements({ east: { 123: 4 } });
    expect(placementsBefore(numeric, new Map([['argocd/apps/east.yaml', clusterAppsText('123')]])).get('east')).toEqual(new Map([['123', 4]]));
  });

  test('the ApplicationSet is found among other objects of the file, not taken to be the first one', () => {
    const withProject = `apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: apps\n---\n${clusterAppsText('app0')}`;
    expect(placementsBefore(after, new Map([['argocd/apps/west.yaml', withProject]])).get('west')).toEqual(new Map([['app0', 5]]));
  });

  test('a Deployment without a spec counts 0 pods, without failing', () => {
    const noSpec = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n';
    expect(placementsBefore(after, new Map([['apps/app0/app.yaml', noSpec]])).get('east')!.get('app0')).toBe(0);
  });

  test('a Deployment without replicas counts 0 pods; replicas written as text count as the number', () => {
    const noReplicas = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n';
    expect(placementsBefore(after, new Map([['apps/app0/app.yaml', noReplicas]])).get('east')!.get('app0')).toBe(0);
    expect(placementsBefore(after, new Map([['apps/app0/app.yaml', appText(2).replace('replicas: 2', 'replicas: "2"')]])).get('east')!.get('app0')).toBe(2);
  });

  test('other files that differ are not read', () => {
    expect(placementsBefore(after, new Map([['apps/app1/ipv6-east.yaml', appText(1)], ['addons/x.yaml', appText(1)]]))).toEqual(after);
  });
});

describe('clusterChanges', () => {
  test('apps added, removed and scaled, with the pods before and after; untouched clusters left out', () => {
    const before = placements({ east: { app0: 5, app1: 10, app2: 1 }, west: { app0: 5 }, calm: { app0: 5 } });
    const after = placements({ east: { app0: 5, app1: 20, app3: 4 }, west: {}, calm: { app0: 5 }, fresh: { app0: 5 } });
    expect(clusterChanges(before, after)).toEqual([
      { cluster: 'east', added: new Map([['app3', 4]]), removed: new Map([['app2', 1]]), scaled: new Map([['app1', [10, 20]]]), podsBefore: 16, podsAfter: 29 },
      { cluster: 'west', added: new Map(), removed: new Map([['app0', 5]]), scaled: new Map(), podsBefore: 5, podsAfter: 0 },
      { cluster: 'fresh', added: new Map([['app0', 5]]), removed: new Map(), scaled: new Map(), podsBefore: 0, podsAfter: 5 },
    ]);
  });

  test('a cluster that is gone comes last, with every app removed', () => {
    const changes = clusterChanges(placements({ east: { app0: 5 }, gone: { app0: 5, app1: 2 } }), placements({ east: { app0: 5 } }));
    expect(changes).toEqual([{ cluster: 'gone', added: new Map(), removed: new Map([['app0', 5], ['app1', 2]]), scaled: new Map(), podsBefore: 7, podsAfter: 0 }]);
  });
});

describe('formatClusterChanges', () => {
  test('one line per cluster: the largest apps named first, pods signed, before -> after', () => {
    const before = placements({ east: { a: 1, b: 2, gone1: 5, gone2: 50 }, west: {} });
    const after = placements({ east: { a: 1000, b: 1, new1: 3, new2: 30 }, west: { w: 1 } });
    expect(formatClusterChanges(clusterChanges(before, after))).toEqual([
      'east: adds new2 and new1 (+33 pods); removes gone2 and gone1 (-55 pods); scales a 1 -> 1,000, b 2 -> 1 (+998 pods); 58 -> 1,034 pods',
      'west: adds w (+1 pods); 0 -> 1 pods',
    ]);
  });

  test('more than three apps scaled: three named, the largest changes first, the rest counted', () => {
    const before = placements({ east: { a: 1, b: 1, c: 1, d: 1, e: 1 } });
    const after = placements({ east: { a: 2, b: 11, c: 101, d: 1001, e: 0 } });
    expect(formatClusterChanges(clusterChanges(before, after))).toEqual(['east: scales d 1 -> 1,001, c 1 -> 101, b 1 -> 11 and 2 more (+1,110 pods); 5 -> 1,115 pods']);
  });

  test('exactly three apps scaled: all three named, no "and 0 more"', () => {
    const lines = formatClusterChanges(clusterChanges(placements({ east: { a: 1, b: 1, c: 1 } }), placements({ east: { a: 2, b: 3, c: 4 } })));
    expect(lines).toEqual(['east: scales c 1 -> 4, b 1 -> 3, a 1 -> 2 (+6 pods); 3 -> 9 pods']);
  });

  test('apps scaled up and down by as much: +0 pods, not -0', () => {
    const lines = formatClusterChanges(clusterChanges(placements({ east: { a: 1, b: 5 } }), placements({ east: { a: 5, b: 1 } })));
    expect(lines).toEqual(['east: scales a 1 -> 5, b 5 -> 1 (+0 pods); 6 -> 6 pods']);
  });

  test('an app scaled down by more than another is scaled up is named first: the size of the change, not its sign', () => {
    const lines = formatClusterChanges(clusterChanges(placements({ east: { up: 1, down: 100 } }), placements({ east: { up: 2, down: 10 } })));
    expect(lines).toEqual(['east: scales down 100 -> 10, up 1 -> 2 (-89 pods); 101 -> 12 pods']);
  });

  test('the apps named first are those whose pods change most, not the largest ones', () => {
    const lines = formatClusterChanges(clusterChanges(placements({ east: { large: 100, small: 1 } }), placements({ east: { large: 101, small: 11 } })));
    expect(lines).toEqual(['east: scales small 1 -> 11, large 100 -> 101 (+11 pods); 101 -> 112 pods']);
  });

  test('pods going down are signed minus', () => {
    const lines = formatClusterChanges(clusterChanges(placements({ east: { a: 10 } }), placements({ east: { a: 4 } })));
    expect(lines).toEqual(['east: scales a 10 -> 4 (-6 pods); 10 -> 4 pods']);
  });
});

describe('previousPlacementTexts', () => {
  test('the previous text of every placement file that differs, undefined for a new one; other files and equal ones left out', () => {
    const before = new Map([
      ['argocd/apps/east.yaml', 'old east'],
      ['apps/app0/app.yaml', 'same'],
      ['apps/app1/app.yaml', 'old app1'],
      ['apps/gone/app.yaml', 'gone'],
      ['addons/x.yaml', 'old'],
    ]);
    const after = new Map([
      ['argocd/apps/east.yaml', 'new east'],
      ['apps/app0/app.yaml', 'same'],
      ['apps/app1/app.yaml', 'new app1'],
      ['argocd/apps/west.yaml', 'new west'],
      ['addons/x.yaml', 'new'],
    ]);
    expect(previousPlacementTexts(before, after)).toEqual(new Map<string, string | undefined>([
      ['argocd/apps/east.yaml', 'old east'],
      ['apps/app1/app.yaml', 'old app1'],
      ['apps/gone/app.yaml', 'gone'],
      ['argocd/apps/west.yaml', undefined],
    ]));
  });
});
