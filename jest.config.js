module.exports = {
  testEnvironment: 'node',
  // Jest's default on a 2-core machine is one worker; the suites are independent, so use both cores.
  maxWorkers: '100%',
  transform: { '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js', '/node_modules/@marcbachmann/cel-js/.+\\.js$': '<rootDir>/test/support/esbuild-transform.js' },
  // The CEL interpreter (verify/admission.ts) is published as ES modules only: compiled to CommonJS like the sources.
  transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
  testMatch: ['<rootDir>/**/*.test.ts'],
  // .stryker-tmp/ holds npm run mutate's sandbox copies of the project (docs/development.md);
  // <rootDir>-relative, so that inside a sandbox its own tests still run.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.build/', '<rootDir>/.stryker-tmp/'],
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // A fixed "today" for the EKS version calendar (FLEET_TODAY), unless the run sets one.
  setupFiles: ['<rootDir>/test/support/today.js'],
  // One __snapshots__/ folder for every test, at the top (the design card's layout).
  snapshotResolver: '<rootDir>/test/support/snapshot-resolver.js',
};
