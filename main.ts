import { isStagingWorker, serveStaging } from './output/background-staging';

// The bundle of this file is also the script of the staging thread that writes a large fleet
// while synth renders it. That thread needs only the staging code, so the rest of synth is
// required here, lazily, and loads in the main thread alone.
if (isStagingWorker()) {
  serveStaging();
} else {
  const { runSynth } = require('./app/synth-cli') as typeof import('./app/synth-cli');
  // Run from TypeScript source rather than the bundle, synth stays on one thread.
  void runSynth(__filename.endsWith('.js') ? __filename : undefined);
}
