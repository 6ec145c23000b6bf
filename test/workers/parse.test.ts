// The parse worker (src/workers/parse.ts) and the published cohort's loading (src/study/publishedCohort.ts)
// as far as Node allows: Node has no Web Worker, so the worker module runs in this process under a simulated
// worker scope (WorkerGlobalScope defined, postMessage captured), and a FakeWorker carries the messages with
// structuredClone and the same transfer lists postMessage uses (transferred buffers are detached). Chromium
// runs the real worker in test/browser/*.test.ts (every page opens the published cohort through it).
// Expected values: loadStudyCohort on the main thread, on the same bytes.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {afterAll, assert, beforeAll, describe, it, vi} from "vitest";
import type {CohortTable} from "../../src/cohort/table.js";
import {loadStudyCohort, type StudyCohort} from "../../src/study/cohort.js";
import {loadPublishedCohort, type Attachment} from "../../src/study/publishedCohort.js";
import {generateKato2012Cohort} from "../../src/synthetic/kato2012.js";
import type {ParseReply, ParseRequest} from "../../src/workers/parse.js";
import {requestParse} from "../../src/workers/parseClient.js";
import {tableFromPayload} from "../../src/workers/transfer.js";
import {cohortParquetBytes} from "../../scripts/generate-cohort.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CSV = new Uint8Array(readFileSync(join(ROOT, "data/kato2012-synthetic.csv")));
const PARQUET = cohortParquetBytes(generateKato2012Cohort(3000, 11));

type Handler = (event: {data: ParseRequest}) => void;
let handler: Handler;
let deliver: (reply: ParseReply, transfer?: Transferable[]) => void = () => {};
const g = globalThis as unknown as Record<string, unknown>;

beforeAll(async () => {
  g.WorkerGlobalScope = class {};
  g.postMessage = (reply: ParseReply, transfer?: Transferable[]) => deliver(reply, transfer);
  vi.resetModules();
  await import("../../src/workers/parse.js");
  handler = g.onmessage as Handler;
});
afterAll(() => {
  delete g.WorkerGlobalScope;
  delete g.postMessage;
  delete g.onmessage;
});

/** A Worker whose other side is parse.ts's handler in this process; `fail` makes the worker error instead. */
class FakeWorker {
  onmessage: ((e: {data: ParseReply}) => void) | null = null;
  onerror: ((e: {message: string; preventDefault(): void}) => void) | null = null;
  terminated = false;
  constructor(readonly fail = false) {}
  postMessage(request: ParseRequest, transfer: Transferable[]): void {
    const data = structuredClone(request, {transfer});
    setTimeout(() => {
      if (this.fail) return this.onerror?.({message: "out of memory", preventDefault() {}});
      deliver = (reply, t) => {
        const copy = structuredClone(reply, {transfer: t ?? []});
        setTimeout(() => this.onmessage?.({data: copy}), 0);
      };
      handler({data});
    }, 0);
  }
  terminate(): void {
    this.terminated = true;
  }
}

function assertSameCohort(got: {table: CohortTable | null; factors?: unknown; ranges?: unknown}, want: StudyCohort): void {
  assert.ok(got.table);
  const a = got.table!;
  const b = want.table;
  assert.deepStrictEqual(a.names, b.names);
  assert.deepStrictEqual(a.source, b.source);
  for (const n of b.names) {
    const x = a.column(n);
    const y = b.column(n);
    assert.deepStrictEqual([x.type, x.header, x.length, x.missingCount, x.invalidCount, x.label], [y.type, y.header, y.length, y.missingCount, y.invalidCount, y.label], n);
    assert.deepStrictEqual(Array.from(x.missing), Array.from(y.missing), n);
    assert.deepStrictEqual(Array.from(x.values as ArrayLike<unknown>), Array.from(y.values as ArrayLike<unknown>), n);
    if (y.type === "string") assert.deepStrictEqual(x.type === "string" && x.levels, y.levels, n);
  }
  assert.deepStrictEqual(got.factors, want.factors);
  assert.deepStrictEqual(got.ranges, want.ranges);
}

describe("the parse worker with study: true", () => {
  for (const [label, bytes, name] of [
    ["the study CSV", CSV, "kato2012-synthetic.csv"],
    ["a 3,000-row Parquet cohort", PARQUET, "registry.parquet"]
  ] as const) {
    it(`prepares ${label} as loadStudyCohort does on the page; the columns come back transferred`, async () => {
      const want = (await loadStudyCohort(bytes, name)) as StudyCohort;
      const buffer = bytes.slice().buffer;
      const done = await requestParse(new FakeWorker() as unknown as Worker, {id: 7, bytes: buffer, name, study: true});
      assert.strictEqual(buffer.byteLength, 0, "the file's bytes were moved to the worker");
      assert.strictEqual(done.bytes.byteLength, bytes.byteLength, "and come back");
      assert.deepStrictEqual(done.report, want.report);
      assert.ok(done.timings.read >= 0 && done.timings.encode >= 0 && "derive" in done.timings.steps!);
      assertSameCohort({table: tableFromPayload(done.table!), ...done.study}, want);
    });
  }

  it("an unusable file: no table, the data layer's report", async () => {
    const bad = new TextEncoder().encode("time,status\n1,0\n2,1,9\n");
    const done = await requestParse(new FakeWorker() as unknown as Worker, {id: 8, bytes: bad.slice().buffer, name: "bad.csv", study: true});
    assert.strictEqual(done.table, null);
    assert.strictEqual(done.study, undefined);
    assert.deepStrictEqual(done.report, (await loadStudyCohort(bad, "bad.csv")).report);
  });
});

describe("loadPublishedCohort (what openStudy does first)", () => {
  const attachment = (bytes: Uint8Array, calls: {n: number}): Attachment => ({
    arrayBuffer: async () => {
      ++calls.n;
      return bytes.slice().buffer;
    }
  });

  it("reads the CSV attachment in the worker, or on the main thread with worker: false: the same cohort", async () => {
    const want = (await loadStudyCohort(CSV, "kato2012-synthetic.csv")) as StudyCohort;
    const info = {name: "kato2012-synthetic.csv", synthetic: true, format: "csv" as const};
    const calls = {n: 0};
    const viaWorker = await loadPublishedCohort(attachment(CSV, calls), info, {startWorker: async () => new FakeWorker() as unknown as Worker});
    assert.strictEqual(viaWorker.load.via, "worker");
    assert.strictEqual(calls.n, 1);
    assertSameCohort(viaWorker as StudyCohort, want);
    const onPage = await loadPublishedCohort(attachment(CSV, calls), info, {worker: false});
    assert.deepStrictEqual([onPage.load.via, onPage.load.fallback], ["main thread", "worker: false"]);
    assertSameCohort(onPage as StudyCohort, want);
    // In Node no Web Worker can start: the main thread is the fallback.
    const none = await loadPublishedCohort(attachment(CSV, calls), info);
    assert.deepStrictEqual([none.load.via, none.load.fallback], ["main thread", "no Web Worker could start"]);
  });

  it("with format parquet reads the Parquet attachment, never the CSV one", async () => {
    const want = (await loadStudyCohort(PARQUET, "registry.parquet")) as StudyCohort;
    const csvCalls = {n: 0};
    const parquetCalls = {n: 0};
    const got = await loadPublishedCohort(attachment(new Uint8Array(0), csvCalls), {name: "registry.parquet", synthetic: false, format: "parquet"}, {
      parquet: attachment(PARQUET, parquetCalls),
      startWorker: async () => new FakeWorker() as unknown as Worker
    });
    assert.deepStrictEqual([csvCalls.n, parquetCalls.n, got.load.via], [0, 1, "worker"]);
    assertSameCohort(got as StudyCohort, want);
    assert.strictEqual(got.table!.source.format, "parquet");
  });

  it("a worker that fails: the file is read again and parsed on the main thread, with the reason; the worker is terminated", async () => {
    const want = (await loadStudyCohort(CSV, "kato2012-synthetic.csv")) as StudyCohort;
    const calls = {n: 0};
    const worker = new FakeWorker(true);
    const got = await loadPublishedCohort(attachment(CSV, calls), {name: "kato2012-synthetic.csv", synthetic: true}, {startWorker: async () => worker as unknown as Worker});
    assert.deepStrictEqual([got.load.via, got.load.fallback, calls.n, worker.terminated], ["main thread", "The file reader stopped: out of memory", 2, true]);
    assertSameCohort(got as StudyCohort, want);
  });

  it("an unusable published file gives no table and the data layer's report (openStudy throws its first message)", async () => {
    const bad = new TextEncoder().encode("time,status\n1,0\n2,1,9\n");
    const got = await loadPublishedCohort(attachment(bad, {n: 0}), {name: "bad.csv", synthetic: false}, {startWorker: async () => new FakeWorker() as unknown as Worker});
    assert.strictEqual(got.table, null);
    assert.match(got.report.messages[0], /^Row 2 \(line 3\) has 3 fields/);
  });
});
