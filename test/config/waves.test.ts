import { bakeMinutes, bakeText } from '../../config/waves';
import { demoFleetText, problemsOf } from '../support/fixtures';
import { parseFleet } from '../../config/load';

const sha = 'b'.repeat(40);
/** The demo fleet (ipv6-east, legacy-ipv4) with `waves` lines before its clusters. */
const withWaves = (waves: string) => demoFleetText.replace('clusters:\n', `waves:\n${waves}clusters:\n`);

describe('fleet.yaml waves: every cluster in exactly one, the first following repo.revision, each later one pinned', () => {
  test('a valid pair of waves resolves to their clusters, bake times and revisions', () => {
    const fleet = parseFleet(withWaves(`  - { name: canary, clusters: [ipv6-east], bakeTime: 2h }\n  - { name: rest, environment: production, revision: ${sha} }\n`.replace('environment: production', 'clusters: [legacy-ipv4]')));
    expect(fleet.waves).toEqual([
      { name: 'canary', index: 0, clusters: ['ipv6-east'], bakeMinutes: 120, revision: undefined },
      { name: 'rest', index: 1, clusters: ['legacy-ipv4'], bakeMinutes: 0, revision: sha },
    ]);
  });

  test.each([
    ['a cluster in no wave, another in two', `  - { name: canary, clusters: [ipv6-east] }\n  - { name: rest, clusters: [ipv6-east], revision: ${sha} }\n`, [
      'clusters[0].name: cluster legacy-ipv4 is in no wave: name it in a wave\'s clusters, or give it the environment of one',
      'clusters[1].name: cluster ipv6-east is in 2 waves (canary, rest): a cluster is in exactly one',
    ]],
    ['two waves of one name', `  - { name: canary, clusters: [ipv6-east] }\n  - { name: canary, clusters: [legacy-ipv4], revision: ${sha} }\n`, [
      'waves[1].name: wave name "canary" is already used by waves[0].name: names must be unique',
    ]],
    ['a revision on the first wave, none on the second', `  - { name: canary, clusters: [ipv6-east], revision: ${sha} }\n  - { name: rest, clusters: [legacy-ipv4] }\n`, [
      'waves[0].revision: is set on the first wave, which runs repo.revision (main) as every change is merged: remove it',
      'waves[1]: has no revision: a later wave runs the shared files of a commit it is pinned to; run npm run promote -- --init to pin every later wave to the commit at HEAD, which changes nothing they run',
    ]],
    ['an environment no cluster has, and a wave naming both', `  - { name: canary, clusters: [ipv6-east], environment: production }\n  - { name: rest, environment: staging, revision: ${sha} }\n`, [
      'waves[0]: names its clusters in neither or both of clusters and environment: give one, clusters: [<name>, ...] or environment: <environment>',
      'waves[1].environment: no cluster has environment staging (clusters[].environment, default production)',
    ]],
    ['a cluster that is not in clusters', `  - { name: canary, clusters: [ipv6-east, ipv6-nowhere] }\n  - { name: rest, clusters: [legacy-ipv4], revision: ${sha} }\n`, [
      'waves[0].clusters[1]: cluster "ipv6-nowhere" is not in clusters',
    ]],
  ])('refused, each at its line: %s', (_, waves, problems) => {
    expect(problemsOf(withWaves(waves)).sort()).toEqual([...problems].sort());
  });

  test('bake times read and written alike', () => {
    expect([bakeMinutes('30m'), bakeMinutes('4h'), bakeMinutes('1d')]).toEqual([30, 240, 1440]);
    expect([bakeText(30), bakeText(240), bakeText(1440), bakeText(0), bakeText(90)]).toEqual(['30m', '4h', '1d', '0m', '90m']);
    expect(problemsOf(withWaves(`  - { name: canary, clusters: [ipv6-east], bakeTime: 2 hours }\n  - { name: rest, clusters: [legacy-ipv4], revision: ${sha} }\n`))[0]).toMatch(/^waves\[0\]\.bakeTime: expected a duration such as 30m, 4h or 1d/);
  });
});

describe('npm run promote edits fleet.yaml in place: only the revision', () => {
  const { withRevision } = require('../../rollout/promote');
  const text = `waves:\n  - name: canary\n    clusters: [a]\n  - name: early   # comment\n    environment: staging\n    bakeTime: 4h\n  - { name: rest, clusters: [b] }\n  - name: x\n    revision: ${'c'.repeat(40)} # pinned\nclusters:\n  - { name: a, tags: [ x ] }\n`;
  test('a revision written is replaced, one missing is added to the block or the flow mapping; every other byte stays', () => {
    let edited = withRevision(text, 1, 'a'.repeat(40));
    edited = withRevision(edited, 2, 'b'.repeat(40));
    edited = withRevision(edited, 3, 'd'.repeat(40));
    expect(edited).toBe(`waves:\n  - name: canary\n    clusters: [a]\n  - name: early   # comment\n    environment: staging\n    bakeTime: 4h\n    revision: ${'a'.repeat(40)}\n  - { name: rest, clusters: [b], revision: ${'b'.repeat(40)} }\n  - name: x\n    revision: ${'d'.repeat(40)} # pinned\nclusters:\n  - { name: a, tags: [ x ] }\n`);
  });
});

describe('a later wave whose commit this clone does not have', () => {
  test('is said as such, with how to fetch it', () => {
    const { withWavePins, WavePinError } = require('../../rollout/pins');
    const { projectRoot } = require('../support/fixtures');
    const fleet = parseFleet(withWaves(`  - { name: canary, clusters: [ipv6-east] }\n  - { name: rest, clusters: [legacy-ipv4], revision: ${sha} }\n`));
    expect(() => withWavePins(fleet, projectRoot)).toThrow(WavePinError);
    expect(() => withWavePins(fleet, projectRoot)).toThrow(`wave rest is pinned to ${sha}, which is not a commit of this clone: fetch it (git fetch, or git fetch --unshallow in a shallow clone), or correct waves[1].revision`);
  });
});

describe('npm run promote -- --init', () => {
  test('pins a wave added after a pinned one to that wave\'s commit, never newer', () => {
    const { initWaves } = require('../../rollout/promote');
    const { projectRoot } = require('../support/fixtures');
    const text = `repo:\n  url: https://example.com/x.git\nwaves:\n  - name: canary\n    clusters: [a]\n  - name: early\n    clusters: [b]\n    revision: ${sha}\n  - name: late\n    clusters: [c]\n`;
    const { text: pinned, lines } = initWaves(text, projectRoot);
    expect(lines).toEqual([`wave late: pinned to ${sha}, what wave early runs`]);
    expect(pinned).toBe(`${text}    revision: ${sha}\n`);
  });
});
