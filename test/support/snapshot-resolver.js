// Keeps every snapshot in the top-level __snapshots__/, mirroring the test's path:
// test/charts/argocd.test.ts -> __snapshots__/test/charts/argocd.test.ts.snap.
const { join, relative } = require('path');

const root = join(__dirname, '..', '..');
const snapshots = join(root, '__snapshots__');

module.exports = {
  resolveSnapshotPath: (testPath, extension) => join(snapshots, `${relative(root, testPath)}${extension}`),
  resolveTestPath: (snapshotPath, extension) => join(root, relative(snapshots, snapshotPath).slice(0, -extension.length)),
  testPathForConsistencyCheck: join(root, 'test', 'charts', 'example.test.ts'),
};
