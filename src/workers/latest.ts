// Request/reply with a Web Worker where only the newest request of a kind matters (issue 7: "cancelled
// when a newer filter state arrives; a page never shows results of a stale state").
//
// Page side, `workerChannel(url, name)`: `request(lane, body)` posts `{id, lane, body}` and returns a
// promise of an Outcome. A newer request on the same lane settles every older pending one of that lane at
// once as `{status: "stale"}`, so the page never renders it, whatever the worker does later.
// Worker side, `serveLatest(handlers, {latest})`: requests of a lane listed in `latest` that are still
// queued when a newer one of the same lane arrives are dropped without being computed (replied "stale");
// other lanes (e.g. "load") are served in order. The worker yields to its message queue between
// requests so that a burst of filter changes costs one computation, not one per change. A computation
// that has started runs to its end (JavaScript cannot be interrupted); its reply is then stale.
//
// Messages are plain data (structured clone), transferables moved where given. Nothing here fetches.

/** What a request ends as. */
export type Outcome<T> = {status: "done"; value: T; ms: number} | {status: "stale"} | {status: "failed"; message: string};

interface RequestMessage {
  id: number;
  lane: string;
  body: unknown;
}

type ReplyMessage = {type: "ready"} | {id: number; type: "done"; value: unknown; ms: number} | {id: number; type: "stale"} | {id: number; type: "failed"; message: string};

export interface WorkerChannel {
  /** Post a request; older pending requests of the same lane settle as stale. */
  request<T>(lane: string, body: unknown, transfer?: Transferable[]): Promise<Outcome<T>>;
  /** Stop the worker; pending requests settle as failed. */
  terminate(): void;
}

/**
 * Start a module worker and wait for its "ready" message (sent by `serveLatest`). Resolves to null when
 * no worker can start here (no Worker, a CSP that forbids it, a load error, or no answer in `timeoutMs`),
 * so the caller can compute on the page instead.
 */
export function workerChannel(url: string | null, name: string, {timeoutMs = 10_000} = {}): Promise<WorkerChannel | null> {
  if (!url || typeof Worker === "undefined") return Promise.resolve(null);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(url, {type: "module", name});
    } catch {
      resolve(null);
      return;
    }
    const pending = new Map<number, {lane: string; settle: (o: Outcome<unknown>) => void}>();
    let nextId = 1;
    let started = false;
    const timer = setTimeout(() => {
      worker.terminate();
      resolve(null);
    }, timeoutMs);
    const settle = (id: number, outcome: Outcome<unknown>) => {
      const p = pending.get(id);
      if (!p) return; // already settled as stale
      pending.delete(id);
      p.settle(outcome);
    };
    const channel: WorkerChannel = {
      request<T>(lane: string, body: unknown, transfer: Transferable[] = []) {
        for (const [id, p] of pending) if (p.lane === lane) settle(id, {status: "stale"});
        const id = nextId++;
        return new Promise<Outcome<T>>((settleThis) => {
          pending.set(id, {lane, settle: settleThis as (o: Outcome<unknown>) => void});
          worker.postMessage({id, lane, body} satisfies RequestMessage, transfer);
        });
      },
      terminate() {
        worker.terminate();
        for (const id of [...pending.keys()]) settle(id, {status: "failed", message: "the analysis worker was stopped"});
      }
    };
    worker.onmessage = (e: MessageEvent<ReplyMessage>) => {
      const m = e.data;
      if (m.type === "ready") {
        if (!started) {
          started = true;
          clearTimeout(timer);
          resolve(channel);
        }
        return;
      }
      if (m.type === "done") settle(m.id, {status: "done", value: m.value, ms: m.ms});
      else if (m.type === "stale") settle(m.id, {status: "stale"});
      else settle(m.id, {status: "failed", message: m.message});
    };
    worker.onerror = (e) => {
      e.preventDefault();
      if (!started) {
        clearTimeout(timer);
        worker.terminate();
        resolve(null);
        return;
      }
      for (const id of [...pending.keys()]) settle(id, {status: "failed", message: e.message || "the analysis worker failed"});
    };
  });
}

const TRANSFER = Symbol("transfer");

/** A handler's value with buffers to move (not copy) to the page: `return withTransfer(value, [a.buffer])`. */
export function withTransfer<T>(value: T, transfer: Transferable[]): {[TRANSFER]: true; value: T; transfer: Transferable[]} {
  return {[TRANSFER]: true, value, transfer};
}

interface WorkerScope {
  postMessage(message: ReplyMessage, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<RequestMessage>) => void) | null;
}

/** True when this module runs as a dedicated worker (not when a page merely resolves its URL). */
export function isWorkerScope(): boolean {
  return typeof (globalThis as {WorkerGlobalScope?: unknown}).WorkerGlobalScope !== "undefined" && typeof (globalThis as {document?: unknown}).document === "undefined";
}

/**
 * Serve requests in a worker (see the module comment). A handler returns its value (or a promise of
 * it), or `withTransfer(value, buffers)` to move buffers; a thrown Error becomes a "failed" reply with its message.
 * Call once, at the worker module's top level; it posts "ready".
 */
export function serveLatest(handlers: Record<string, (body: never) => unknown>, {latest = [] as readonly string[]} = {}): void {
  const scope = globalThis as unknown as WorkerScope;
  const queue: RequestMessage[] = [];
  let draining = false;
  const latestLanes = new Set(latest);
  const drain = async () => {
    draining = true;
    while (queue.length) {
      const m = queue.shift()!;
      const handler = handlers[m.lane];
      const start = performance.now();
      try {
        if (!handler) throw new Error(`no handler for ${m.lane}`);
        const out = await handler(m.body as never);
        const ms = performance.now() - start;
        if (out && typeof out === "object" && TRANSFER in out) {
          const {value, transfer} = out as unknown as {value: unknown; transfer: Transferable[]};
          scope.postMessage({id: m.id, type: "done", value, ms}, transfer);
        } else scope.postMessage({id: m.id, type: "done", value: out, ms});
      } catch (e) {
        scope.postMessage({id: m.id, type: "failed", message: e instanceof Error ? e.message : String(e)});
      }
      // Let messages that arrived meanwhile into the queue, so newer requests can supersede queued ones.
      await new Promise((r) => setTimeout(r, 0));
    }
    draining = false;
  };
  scope.onmessage = (event) => {
    const m = event.data;
    if (latestLanes.has(m.lane)) {
      for (let k = queue.length - 1; k >= 0; --k)
        if (queue[k].lane === m.lane) {
          scope.postMessage({id: queue[k].id, type: "stale"});
          queue.splice(k, 1);
        }
    }
    queue.push(m);
    if (!draining) {
      draining = true;
      setTimeout(drain, 0);
    }
  };
  scope.postMessage({type: "ready"});
}
