// The page's side of the parse worker (src/workers/parse.ts): start it, send it a file's bytes, receive the
// columns. Shared by the Your data page (src/study/upload.ts, parseBytes) and every analysis page opening the
// published cohort (src/study/page.ts, openStudy). A page whose worker cannot start (CSP, an old browser, no
// Worker in Node) gets null from startParseWorker and parses on the main thread instead.
import type {ParseReply, ParseRequest} from "./parse.js";

/** The worker module's URL, or null when it cannot be resolved. */
export function parseWorkerUrl(): string | null {
  try {
    // Framework rewrites this to the emitted module's path (and emits it); the browser resolves it against this module.
    return import.meta.resolve("./parse.js");
  } catch {
    return null;
  }
}

/** Start a parse worker; resolves when it says it is ready, or null when it cannot start (within `timeoutMs`). */
export function startParseWorker(timeoutMs = 10_000): Promise<Worker | null> {
  if (typeof Worker === "undefined") return Promise.resolve(null);
  const url = parseWorkerUrl();
  if (!url) return Promise.resolve(null);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(url, {type: "module", name: "cohort-parser"});
    } catch {
      resolve(null);
      return;
    }
    const timer = setTimeout(() => {
      worker.terminate();
      resolve(null);
    }, timeoutMs);
    worker.onmessage = (e: MessageEvent<ParseReply>) => {
      if ("type" in e.data && e.data.type === "ready") {
        clearTimeout(timer);
        resolve(worker);
      }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      clearTimeout(timer);
      worker.terminate();
      resolve(null);
    };
  });
}

/** The worker's answer to one request. */
export type ParseDone = Extract<ParseReply, {type: "done"}>;

/**
 * Send one request to a started worker (its `bytes` are transferred) and wait for the result. Rejects with
 * an Error when the worker reports a failure or stops. The worker is left running (terminate it when done).
 */
export function requestParse(worker: Worker, request: ParseRequest, onProgress?: (stage: string) => void): Promise<ParseDone> {
  return new Promise<ParseDone>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<ParseReply>) => {
      const m = e.data;
      if (!("id" in m) || m.id !== request.id) return;
      if (m.type === "progress") onProgress?.(m.stage);
      else if (m.type === "done") resolve(m);
      else if (m.type === "failed") reject(new Error(`The file could not be read: ${m.message}`));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      reject(new Error(`The file reader stopped: ${e.message || "worker error"}`));
    };
    worker.postMessage(request, request.handoff ? [request.bytes, request.handoff.port] : [request.bytes]);
  });
}

/** The buffer of `bytes` to transfer: the buffer itself when the array covers all of it, else a copy. */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : (bytes.slice().buffer as ArrayBuffer);
}
