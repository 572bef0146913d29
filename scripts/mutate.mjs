// Mutation testing of the core: `npm run mutate [--retest-undetected] [--tests=a,b] [file...]` (default: every file
// of `tests` below). For each file, one at a time, StrykerJS mutates that file only and runs, for each
// mutant, only the test files that exercise it (the map below), then this prints the file's score and
// its survivors. It is slow (minutes per file on two cores) and is never part of `npm test` or CI.
//
// --retest-undetected: mutate only where the file's last full run left mutants undetected (survived
// or not covered), and score the file with the last run's other results. For after adding tests: a
// test added cannot make a killed mutant survive. Refused when the file changed since that run.
//
// --tests=<test file>,...: run the mutants against these test files of the file's map entry only, not
// all of them (for a large file on a loaded machine). The score is then a lower bound of the map's:
// a test file left out can only leave a mutant undetected that it would kill.
//
// Environment: MUTATE_CONCURRENCY (test runners in parallel, default 2).
// Reports: reports/mutation/<file>.txt (score and survivors) and reports/mutation/<file>.json
// (Stryker's mutation-testing-report-schema JSON); both are ignored by git.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
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
  'values/argo-cd.ts': ['test/values/argo-cd.test.ts', 'test/charts/argocd.test.ts'],
  'terraform/identities.ts': ['test/terraform/identities.test.ts', 'test/terraform/stacks.test.ts'],
  'config/rules.ts': [
    'test/config/hostile.test.ts', 'test/config/hostile-surfaces.test.ts', 'test/config/endpoints.test.ts', 'test/config/vpc-overlaps.test.ts',
    'test/config/eks-versions.test.ts', 'test/config/provisioning.test.ts', 'test/config/load.test.ts', 'test/capacity/plan.test.ts', 'test/config/rules-edges.test.ts',
    'test/config/relations.test.ts', 'test/config/services.test.ts',
    // a service named after an add-on (checkApplicationNames), asserted beside the admission policy that relies on it
    'test/charts/admission.test.ts',
  ],
  'diff/placements.ts': ['test/diff/placements.test.ts', 'test/diff/touched.test.ts'],
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
    jsonReporter: { fileName: `reports/mutation/${file.replace(/\//g, '-')}.last-run.json` },
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
const undetected = (status) => status === 'Survived' || status === 'NoCoverage';

/** A mutant's identity across runs: where it is, which mutator, what it puts there. */
const keyOf = (mutant) => JSON.stringify([mutant.location, mutant.mutatorName, mutant.replacement]);

/** The score of one file, Stryker's way: detected (killed or timed out) over valid mutants. */
function summarise(file, mutants) {
  const count = (status) => mutants.filter((mutant) => mutant.status === status).length;
  const valid = mutants.filter((mutant) => validStatuses.has(mutant.status));
  const detected = count('Killed') + count('Timeout');
  const score = valid.length === 0 ? 100 : (100 * detected) / valid.length;
  const survivors = mutants
    .filter((mutant) => undetected(mutant.status))
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)
    .map((mutant) => `  ${file}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.status} ${mutant.mutatorName}: ${JSON.stringify(mutant.replacement)}`);
  const other = mutants.length - valid.length;
  const line = `${file}: ${score.toFixed(1)}% (${detected} detected of ${valid.length}: ${count('Killed')} killed, ${count('Timeout')} timed out, `
    + `${count('Survived')} survived, ${count('NoCoverage')} not covered${other ? `; ${other} not valid (compile or runtime error, ignored)` : ''})`;
  return { file, score, line, text: [line, ...survivors].join('\n') };
}

/** reports/mutation/<file>.json: the file's mutants (mutation-testing-report-schema), locations 1-based. */
const reportPath = (file) => join(root, 'reports', 'mutation', `${file.replace(/\//g, '-')}.json`);
const lastRunPath = (file) => join(root, 'reports', 'mutation', `${file.replace(/\//g, '-')}.last-run.json`);

/** The mutate patterns of a retest: the ranges of the undetected mutants (Stryker's ranges: lines from 1, columns from 0). */
function undetectedRanges(file, report) {
  const entry = report.files[file];
  if (entry.source !== readFileSync(join(root, file), 'utf8')) {
    throw new Error(`${file} changed since its last full run: run npm run mutate ${file} without --retest-undetected`);
  }
  return entry.mutants.filter((mutant) => undetected(mutant.status))
    .map(({ location: { start, end } }) => `${file}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`);
}

async function main() {
  const args = process.argv.slice(2);
  const retest = args.includes('--retest-undetected');
  const narrowed = args.find((arg) => arg.startsWith('--tests='))?.slice('--tests='.length).split(',').filter(Boolean);
  const given = args.filter((arg) => !arg.startsWith('--'));
  const files = given.length ? given : Object.keys(tests);
  const unknown = files.filter((file) => !tests[file.replace(/:.*$/, '')]);
  if (unknown.length) {
    console.error(`mutate: no test files are mapped for ${unknown.join(', ')}. Fix: add them to the tests map in scripts/mutate.mjs.`);
    process.exit(2);
  }
  const outsideMap = files.flatMap((file) => (narrowed ?? []).filter((test) => !tests[file.replace(/:.*$/, '')].includes(test)));
  if (outsideMap.length) {
    console.error(`mutate: --tests names ${[...new Set(outsideMap)].join(', ')}, not in the map entry of ${files.join(', ')}. Fix: name test files of the entry, or add them to the tests map in scripts/mutate.mjs.`);
    process.exit(2);
  }
  const testsOf = (base) => narrowed ?? tests[base];
  const concurrency = Number(process.env.MUTATE_CONCURRENCY ?? 2);
  process.chdir(root);
  mkdirSync(join(root, 'reports', 'mutation'), { recursive: true });
  const summaries = [];
  for (const file of files) {
    const base = file.replace(/:.*$/, '');
    const previous = retest && existsSync(reportPath(base)) ? JSON.parse(readFileSync(reportPath(base), 'utf8')) : undefined;
    if (retest && !previous) throw new Error(`${base} has no full run to retest: run npm run mutate ${base} first`);
    const mutate = previous ? undetectedRanges(base, previous) : [file];
    console.log(`mutate: ${previous ? `the ${mutate.length} undetected mutants of ` : ''}${file} against ${testsOf(base).join(', ')}`);
    if (mutate.length) await new Stryker({ ...options(base, testsOf(base), concurrency), mutate }).runMutationTest();
    const run = mutate.length ? JSON.parse(readFileSync(lastRunPath(base), 'utf8')) : previous;
    const report = previous ?? run;
    if (previous) {
      // The retest's results replace the last run's, mutant by mutant.
      const retested = new Map(run.files[base].mutants.map((mutant) => [keyOf(mutant), mutant]));
      report.files[base].mutants = previous.files[base].mutants.map((mutant) => retested.get(keyOf(mutant)) ?? mutant);
    }
    writeFileSync(reportPath(base), JSON.stringify(report));
    const summary = summarise(file, report.files[base].mutants);
    writeFileSync(join(root, 'reports', 'mutation', `${base.replace(/\//g, '-')}.txt`), `${summary.text}\n`);
    console.log(summary.text);
    summaries.push(summary);
  }
  console.log('\nfile | score\n--- | ---');
  for (const summary of summaries) console.log(`${summary.file} | ${summary.score.toFixed(1)}%`);
}

await main();
