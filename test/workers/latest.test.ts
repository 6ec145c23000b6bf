// The latest-wins worker channel (src/workers/latest.ts), both ends in one process: `serveLatest` runs
// on a fake worker scope (globalThis.postMessage / onmessage), `workerChannel` on a fake Worker class
// that delivers messages to it asynchronously, as a real worker would.
import {afterEach, describe, expect, it} from "vitest";
import {serveLatest, withTransfer, workerChannel, type Outcome} from "../../src/workers/latest.js";

type Msg = {data: unknown};
const g = globalThis as unknown as {postMessage?: (m: unknown) => void; onmessage?: ((e: Msg) => void) | null; Worker?: unknown};

/** Install a fake worker scope and a Worker class whose instances talk to it. */
function fakeWorkerPair(handlers: Parameters<typeof serveLatest>[0], latest: string[], computed: string[]) {
  let pageSide: ((e: Msg) => void) | null = null;
  g.postMessage = (m: unknown) => setTimeout(() => pageSide?.({data: m}), 0);
  class FakeWorker {
    onmessage: ((e: Msg) => void) | null = null;
    onerror: unknown = null;
    constructor() {
      pageSide = (e) => this.onmessage?.(e);
      setTimeout(() => serveLatest(wrap(handlers, computed), {latest}), 0);
    }
    postMessage(m: unknown) {
      setTimeout(() => g.onmessage?.({data: m}), 0);
    }
    terminate() {}
  }
  g.Worker = FakeWorker;
}

function wrap(handlers: Parameters<typeof serveLatest>[0], computed: string[]) {
  return Object.fromEntries(
    Object.entries(handlers).map(([lane, h]) => [
      lane,
      (body: never) => {
        computed.push(`${lane}:${JSON.stringify(body)}`);
        return h(body);
      }
    ])
  );
}

afterEach(() => {
  delete g.postMessage;
  delete g.onmessage;
  delete g.Worker;
});

describe("workerChannel + serveLatest", () => {
  it("answers requests, serves non-latest lanes in order, and never delivers a superseded request", async () => {
    const computed: string[] = [];
    fakeWorkerPair({load: (b: {n: number}) => ({loaded: b.n}), square: (b: {x: number}) => b.x * b.x, boom: () => {
      throw new Error("no such column: age");
    }}, ["square"], computed);
    const channel = (await workerChannel("fake://worker", "test"))!;
    expect(channel).not.toBeNull();
    const load = channel.request<{loaded: number}>("load", {n: 3});
    // A burst of three filter changes: the first two settle stale at once, only the last is delivered.
    const a = channel.request<number>("square", {x: 2});
    const b = channel.request<number>("square", {x: 3});
    const c = channel.request<number>("square", {x: 4});
    const outcomes = await Promise.all([load, a, b, c]);
    expect(outcomes.map((o) => o.status)).toEqual(["done", "stale", "stale", "done"]);
    expect((outcomes[0] as {value: unknown}).value).toEqual({loaded: 3});
    expect((outcomes[3] as {value: unknown}).value).toBe(16);
    // The superseded requests were still queued when the newest arrived: the worker never computed them.
    expect(computed).toEqual(['load:{"n":3}', 'square:{"x":4}']);
    const failed: Outcome<unknown> = await channel.request("boom", {});
    expect(failed).toEqual({status: "failed", message: "no such column: age"});
  });

  it("delivers a value returned with withTransfer", async () => {
    fakeWorkerPair({make: () => {
      const a = new Float64Array([1, 2]);
      return withTransfer({a}, []);
    }}, [], []);
    const channel = (await workerChannel("fake://worker", "test"))!;
    const o = await channel.request<{a: Float64Array}>("make", null);
    expect(o.status).toBe("done");
    expect(Array.from((o as {value: {a: Float64Array}}).value.a)).toEqual([1, 2]);
  });

  it("resolves null when no worker can start (no Worker, or no URL)", async () => {
    expect(await workerChannel(null, "x")).toBeNull();
    delete g.Worker;
    expect(await workerChannel("fake://worker", "x")).toBeNull();
  });

  it("settles pending requests as failed when terminated", async () => {
    fakeWorkerPair({slow: () => new Promise(() => {})}, [], []);
    const channel = (await workerChannel("fake://worker", "test"))!;
    const p = channel.request("slow", null);
    channel.terminate();
    expect(await p).toEqual({status: "failed", message: "the analysis worker was stopped"});
  });
});
