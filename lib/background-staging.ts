import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { StagedFiles, Stager, WriteTarget } from './write-dist';

/** Below this many apps, a second thread (~0.1 s of the other core to start) saves nothing. */
export const backgroundStagingMinApps = 200;

const workerRole = 'fleet-dist-stager';

type StagingMessage = { readonly files: ReadonlyArray<readonly [string, string]> } | { readonly done: true };

/**
 * Stages dist/ files on a worker thread: it reads the current files, compares, and writes the
 * added and changed ones into the staging folder while this thread goes on rendering, so the
 * disk work (most of a fresh write) overlaps the rendering instead of following it. The worker
 * runs `script`, the bundle synth runs from, which must call `serveStaging` in a worker.
 */
export class BackgroundStager {
  private readonly worker: Worker;
  private readonly result: Promise<StagedFiles>;

  constructor(script: string, target: WriteTarget) {
    this.worker = new Worker(script, { workerData: { role: workerRole, target } });
    this.result = new Promise<StagedFiles>((resolve, reject) => {
      this.worker.once('message', resolve);
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`the staging thread exited (code ${code}) before it finished`)));
    });
    this.result.catch(() => undefined); // awaited by finish(), unless the render fails first
  }

  stage(files: ReadonlyMap<string, string>): void {
    this.worker.postMessage({ files: [...files] } satisfies StagingMessage);
  }

  /** Waits until every file handed over is staged; rejects with the worker's error if one failed. */
  async finish(): Promise<StagedFiles> {
    this.worker.postMessage({ done: true } satisfies StagingMessage);
    try {
      return await this.result;
    } finally {
      await this.worker.terminate();
    }
  }

  /** Stops the worker; once this resolves it writes nothing more. */
  async cancel(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Whether this thread is a BackgroundStager's worker. */
export function isStagingWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | null)?.role === workerRole;
}

/** The worker's side of BackgroundStager: stages the files it is sent, then reports what it staged. */
export function serveStaging(): void {
  const stager = new Stager((workerData as { target: WriteTarget }).target);
  parentPort!.on('message', (message: StagingMessage) => {
    if ('files' in message) {
      for (const [path, text] of message.files) stager.stage(path, text);
    } else {
      parentPort!.postMessage(stager.staged);
      parentPort!.close();
    }
  });
}
