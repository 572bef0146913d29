import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { OutputError, StagedFiles, Stager, WriteTarget } from './write-dist';

/** Below this many apps, a second thread (~0.1 s of the other core to start) saves nothing. */
export const backgroundStagingMinApps = 200;

const workerRole = 'fleet-dist-stager';

/** A file of dist/ as it is written: its path under dist/ and its text. */
export type FileText = readonly [path: string, text: string];

type StagingMessage = { readonly files: readonly FileText[] } | { readonly done: true };

/**
 * Stages dist/ files on a worker thread, while this thread goes on building and serialising:
 * the worker reads the current files, compares, and writes the added and changed ones into the
 * staging folder, so the disk work overlaps the rendering instead of following it. It is handed
 * texts, which cross threads as one copy each (an object graph would be cloned field by field).
 * The worker runs `script`, the bundle synth runs from, which must call `serveStaging` in a worker.
 */
export class BackgroundStager {
  private readonly worker: Worker;
  private readonly result: Promise<StagedFiles>;
  /** Batches handed over, and (counted by the worker, in shared memory) batches staged. */
  private handedOver = 0;
  private readonly done = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

  constructor(script: string, target: WriteTarget) {
    this.worker = new Worker(script, { workerData: { role: workerRole, target, done: this.done } });
    this.result = new Promise<StagedFiles>((resolve, reject) => {
      this.worker.once('message', resolve);
      // An error crosses threads as a plain Error; the output's own keep their kind, which decides how it is reported.
      this.worker.once('error', (error) => reject(error.name === 'OutputError' ? new OutputError(error.message) : error));
      this.worker.once('exit', (code) => reject(new Error(`the staging thread exited (code ${code}) before it finished`)));
    });
    this.result.catch(() => undefined); // awaited by finish(), unless the render fails first
  }

  stage(files: readonly FileText[]): void {
    this.worker.postMessage({ files } satisfies StagingMessage);
    this.handedOver++;
  }

  /** Batches handed over that the worker has not staged yet. */
  get backlog(): number {
    return this.handedOver - Atomics.load(this.done, 0);
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
  const { target, done } = workerData as { target: WriteTarget; done: Int32Array };
  const stager = new Stager(target);
  parentPort!.on('message', (message: StagingMessage) => {
    if ('files' in message) {
      for (const [path, text] of message.files) stager.stage(path, text);
      Atomics.add(done, 0, 1);
    } else {
      parentPort!.postMessage(stager.staged);
      parentPort!.close();
    }
  });
}
