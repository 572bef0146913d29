import { App } from 'cdk8s';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { FleetControlCharts, TestAppCharts } from '../charts/fleet';
import { Fleet } from '../config/fleet';
import { addRenderedFiles, sortedByPath } from './render';

/** Apps a thread claims at a time: small enough to share the work evenly, large enough to claim rarely. */
const appsPerClaim = 50;

/** Below this many apps a second thread costs more to start (~0.1 s) than it saves. */
export const parallelRenderMinApps = 4 * appsPerClaim;

/** What the main thread hands a render worker: the fleet, and the claim counter both threads share. */
interface RenderShare {
  readonly fleet: Fleet;
  readonly nextApp: SharedArrayBuffer;
}

const workerRole = 'fleet-render-share';

/**
 * Renders test apps, claiming them a slice at a time from the counter shared with the other
 * thread, until none are left. Each slice is built in an App of its own and dropped once
 * rendered, so memory holds files, not constructs.
 */
function renderClaimedApps({ fleet, nextApp }: RenderShare, files: Map<string, string>): void {
  const counter = new Int32Array(nextApp);
  for (;;) {
    const from = Atomics.add(counter, 0, appsPerClaim);
    if (from >= fleet.apps.length) return;
    const app = new App();
    new TestAppCharts(app, 'apps', { fleet, apps: fleet.apps.slice(from, from + appsPerClaim) });
    addRenderedFiles(app, files);
  }
}

/**
 * Renders what `renderFleet` renders, on two threads: this one renders the Argo CD and add-on
 * charts, then both take test apps from a shared counter until all are rendered. Run from a
 * bundle (`script`, which must call `serveRenderShare` when started as a worker).
 */
export async function renderFleetInParallel(fleet: Fleet, script: string): Promise<Map<string, string>> {
  const share: RenderShare = { fleet, nextApp: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT) };
  const worker = new Worker(script, { workerData: { role: workerRole, share } });
  try {
    const theirs = new Promise<Map<string, string>>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the render worker exited (code ${code}) before it answered`)));
    });
    theirs.catch(() => undefined); // awaited below, unless this thread fails first

    const app = new App();
    new FleetControlCharts(app, 'control', fleet);
    const files = addRenderedFiles(app, new Map());
    renderClaimedApps(share, files);
    for (const [path, text] of await theirs) {
      if (files.has(path)) throw new Error(`two threads render ${path}`);
      files.set(path, text);
    }
    return sortedByPath(files);
  } finally {
    await worker.terminate();
  }
}

/** Whether this thread was started by renderFleetInParallel. */
export function isRenderWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | null)?.role === workerRole;
}

/** The worker's side of renderFleetInParallel: renders its share and posts the files back. */
export function serveRenderShare(): void {
  const files = new Map<string, string>();
  renderClaimedApps((workerData as { share: RenderShare }).share, files);
  parentPort!.postMessage(files);
}
