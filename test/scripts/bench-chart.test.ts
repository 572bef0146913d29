import { isTestApp } from '../../config/fleet';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderFleet } from '../../app/render';
import { parseFleet } from '../../config/load';
import { benchChartValues, writeBenchChart } from '../../scripts/bench-chart';
import { helmTemplate, helmUnavailable } from '../../verify/helm';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { fixtureText, parseManifests } from '../support/fixtures';

const testWithHelm = helmUnavailable() ? test.skip : test;

describe('the chart npm run bench measures helm with', () => {
  testWithHelm.each([['demo', fixtureText('demo')], ['migration (weighted placements)', fixtureText('migration')], ['a fleet on port 8080', largeFleetYaml(6, 4)]])(
    'renders the objects synth renders into apps/: %s',
    async (_, text) => {
      // GIVEN a fleet, and the chart written with its values
      const fleet = parseFleet(text);
      const chart = mkdtempSync(join(tmpdir(), 'fleet-bench-chart-'));
      writeBenchChart(chart);
      // WHEN helm renders it
      const objects = await helmTemplate({ releaseName: 'bench', namespace: 'default', chartArchive: chart, values: [benchChartValues(fleet)], kubeVersion: '1.33' });
      // THEN it renders, object for object, the test apps' files of dist/ (not the services')
      const testApps = fleet.apps.filter(isTestApp);
      const expected = [...renderFleet(fleet)].filter(([path]) => testApps.some((app) => path.startsWith(`apps/${app.name}/`))).flatMap(([, file]) => parseManifests(file));
      const key = (object: { kind: string; metadata: { name: string } }) => `${object.metadata.name}/${object.kind}`;
      const sorted = (list: any[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)) || JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(expected.length).toBeGreaterThanOrEqual(6 * testApps.length);
      expect(objects).toHaveLength(expected.length);
      expect(sorted(objects)).toEqual(sorted(expected));
    },
  );
});
