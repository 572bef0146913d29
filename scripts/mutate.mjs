// Mutation testing of the core: `npm run mutate [file...]` (default: every file of `tests` below).
// For each file, one at a time, StrykerJS mutates that file only and runs, for each mutant, only the
// test files that exercise it (the map below), then this prints the file's score and its survivors.
// It is slow (minutes per file on two cores) and is never part of `npm test` or CI.
//
// Environment: MUTATE_CONCURRENCY (test runners in parallel, default 2).
// Reports: reports/mutation/<file>.txt (score and survivors) and reports/mutation/<file>.json
// (Stryker's mutation-testing-report-schema JSON); both are ignored by git.
import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';
import { Stryker } from '@stryker-mutator/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The test files that exercise each mutated file: the unit tests of its behaviour, not the whole suite
 * (the synth, e2e and helm/terraform tests are too slow to run once per mutant).
 */
export const tests = {
  'config/cidr.ts': ['test/config/cidr.test.ts', 'test/config/provisioning.test.ts'],
  'capacity/plan.ts': ['test/capacity/plan.test.ts', 'test/capacity/plan-edges.test.ts', 'test/config/provisioning.test.ts'],
  'values/aws-load-balancer-controller.ts': ['test/values/addon-values.test.ts', 'test/charts/addons.test.ts'],
  'values/external-dns.ts': ['test/values/addon-values.test.ts', 'test/charts/addons.test.ts'],
  'values/cert-manager.ts': ['test/values/addon-values.test.ts', 'test/charts/addons.test.ts'],
  'values/cluster-autoscaler.ts': ['test/values/addon-values.test.ts', 'test/charts/addons.test.ts'],
  'values/addon-values.ts': ['test/values/addon-values.test.ts', 'test/charts/addons.test.ts'],
  'values/argo-cd.ts': ['test/charts/argocd.test.ts'],
  'terraform/identities.ts': ['test/terraform/identities.test.ts', 'test/terraform/stacks.test.ts', 'test/charts/addons.test.ts'],
  'config/rules.ts': ['test/config/hostile.test.ts', 'test/config/provisioning.test.ts', 'test/config/load.test.ts'],
  'diff/placements.ts': ['test/app/diff.test.ts'],
};

/** Stryker's options for one file. */
function options(file, testFiles, concurrency) {
  return {
    mutate: [file],
    testRunner: 'jest',
    // jest.config.js as it is (its esbuild transform and snapshot resolver run in Stryker's sandbox
    // copy of the project), restricted to the test files of this file.
    jest: {
      projectType: 'custom',
      configFile: 'jest.config.js',
      config: { testMatch: testFiles.map((test) => `<rootDir>/${test}`) },
      enableFindRelatedTests: false,
    },
    // "all", not "perTest": per-test coverage credits a mutant only to the tests that ran it inside
    // their own test() callback, so code run by a fixture built at describe level, or at a test file's
    // top level, would be tested against too few tests (or none) and survive wrongly. With "all" every
    // covered mutant is run against every test file of the map.
    coverageAnalysis: 'all',
    // Module-level constants (the add-ons' defaults, the reserved-address count) are "static" mutants:
    // they need a fresh module load, which the jest runner does for each run. Do not skip them.
    ignoreStatic: false,
    // Type checking is `npm run typecheck`'s job; the jest transform (esbuild) does not check types.
    checkers: [],
    concurrency,
    timeoutMS: 20000,
    reporters: ['json', 'progress-append-only'],
    jsonReporter: { fileName: `reports/mutation/${file.replace(/\//g, '-')}.json` },
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    // The sandbox needs the sources, tests, fixtures and data; not the output nor the reports.
    ignorePatterns: ['dist', '.build', 'reports', 'preview', 'coverage', '.cdk8s.out'],
    logLevel: 'warn',
    fileLogLevel: 'off',
    allowConsoleColors: false,
  };
}

const validStatuses = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

/** The score of one file, Stryker's way: detected (killed or timed out) over valid mutants. */
function summarise(file, results) {
  const count = (status) => results.filter((result) => result.status === status).length;
  const valid = results.filter((result) => validStatuses.has(result.status));
  const detected = count('Killed') + count('Timeout');
  const score = valid.length === 0 ? 100 : (100 * detected) / valid.length;
  const survivors = results
    .filter((result) => result.status === 'Survived' || result.status === 'NoCoverage')
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)
    .map((result) => `  ${file}:${result.location.start.line}:${result.location.start.column + 1} ${result.status} ${result.mutatorName}: ${JSON.stringify(result.replacement)}`);
  const other = results.length - valid.length;
  const line = `${file}: ${score.toFixed(1)}% (${detected} detected of ${valid.length}: ${count('Killed')} killed, ${count('Timeout')} timed out, `
    + `${count('Survived')} survived, ${count('NoCoverage')} not covered${other ? `; ${other} not valid (compile or runtime error, ignored)` : ''})`;
  return { file, score, line, text: [line, ...survivors].join('\n') };
}

async function main() {
  const files = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(tests);
  const unknown = files.filter((file) => !tests[file.replace(/:.*$/, '')]);
  if (unknown.length) {
    console.error(`mutate: no test files are mapped for ${unknown.join(', ')}. Fix: add them to the tests map in scripts/mutate.mjs.`);
    process.exit(2);
  }
  const concurrency = Number(process.env.MUTATE_CONCURRENCY ?? 2);
  process.chdir(root);
  mkdirSync(join(root, 'reports', 'mutation'), { recursive: true });
  const summaries = [];
  for (const file of files) {
    const base = file.replace(/:.*$/, '');
    console.log(`mutate: ${file} against ${tests[base].join(', ')}`);
    const results = await new Stryker({ ...options(base, tests[base], concurrency), mutate: [file] }).runMutationTest();
    const summary = summarise(file, results);
    writeFileSync(join(root, 'reports', 'mutation', `${base.replace(/\//g, '-')}.txt`), `${summary.text}\n`);
    console.log(summary.text);
    summaries.push(summary);
  }
  console.log('\nfile | score\n--- | ---');
  for (const summary of summaries) console.log(`${summary.file} | ${summary.score.toFixed(1)}%`);
}

await main();
