import { Readable, Writable } from 'stream';

/** An event of the DevTools protocol, with the session of the target it came from (flat sessions). */
export interface DevToolsEvent {
  readonly method: string;
  readonly params: Record<string, any>;
  readonly sessionId?: string;
}

/** Commands sent to one target: the browser's (no session) or a page's or frame's. */
export interface DevToolsSession {
  readonly id?: string;
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, any>>;
}

interface Pending {
  readonly method: string;
  resolve(result: Record<string, any>): void;
  reject(error: Error): void;
}

/**
 * A DevTools protocol client over the pipe that `--remote-debugging-pipe` opens: Chromium reads
 * commands from its fd 3 and writes answers and events to its fd 4, each message JSON ended by a
 * NUL byte. Sessions are flat (`Target.attachToTarget` with `flatten: true`): every message
 * names the session of its target, so one pipe reaches the page and each of its frames.
 */
export class DevToolsPipe {
  private lastId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: DevToolsEvent) => void>();
  private received = '';
  private closedBy: Error | undefined;

  constructor(private readonly toChromium: Writable, fromChromium: Readable) {
    fromChromium.setEncoding('utf8').on('data', (chunk: string) => this.receive(chunk));
    // A write after Chromium has gone fails the pending command (close), not the process.
    toChromium.on('error', (error: Error) => this.close(error));
  }

  /** The browser's session, or the session `id` of a target attached with `flatten: true`. */
  session(id?: string): DevToolsSession {
    return { id, send: (method, params = {}) => this.send(method, params, id) };
  }

  /** Calls `listener` with every event until the returned function is called. */
  listen(listener: (event: DevToolsEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fails every pending and later command with `error`: Chromium has exited or is being stopped. */
  close(error: Error): void {
    this.closedBy ??= error;
    for (const pending of this.pending.values()) pending.reject(this.closedBy);
    this.pending.clear();
  }

  private send(method: string, params: Record<string, unknown>, sessionId: string | undefined): Promise<Record<string, any>> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    const id = ++this.lastId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.toChromium.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  }

  private receive(chunk: string): void {
    this.received += chunk;
    for (let end = this.received.indexOf('\0'); end >= 0; end = this.received.indexOf('\0')) {
      const message = JSON.parse(this.received.slice(0, end));
      this.received = this.received.slice(end + 1);
      const pending = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
      if (pending) {
        this.pending.delete(message.id);
        if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}`));
        else pending.resolve(message.result);
      } else if (typeof message.method === 'string') {
        for (const listener of [...this.listeners]) listener(message);
      }
    }
  }
}
