// Where the Model page's fits run (src/study/modelRunner.ts) and the model worker's handlers
// (src/workers/model.ts). Expected values are this project's own coxModel / competingModels called
// directly on the same table and mask (those are checked against R in test/study/model.test.ts): the
// runner must give the same objects, on the page and after the columns crossed to the worker.
import {readFileSync} from "node:fs";
import {afterEach, beforeAll, describe, expect, it} from "vitest";
import {filterMask} from "../../src/cohort/filters.js";
import type {CohortTable} from "../../src/cohort/table.js";
import {loadStudyCohort, type Factor} from "../../src/study/cohort.js";
import {competingModels, coxModel, DEFAULT_COVARIATES, modelVariables, type ModelVariable} from "../../src/study/model.js";
import {failedFit, modelRunner, modelTable, STALE_FIT, type Busy} from "../../src/study/modelRunner.js";
import {modelHandlers} from "../../src/workers/model.js";
import {tableToPayload} from "../../src/workers/transfer.js";

let table: CohortTable;
let variables: ModelVariable[];
let all: Uint8Array;
let mac: Uint8Array;

beforeAll(async () => {
  const s = await loadStudyCohort(new Uint8Array(readFileSync("data/kato2012-synthetic.csv")), "kato2012-synthetic.csv");
  if (!s.table) throw new Error("cohort not loaded");
  table = s.table;
  variables = modelVariables(table, (s as {factors: Factor[]}).factors);
  all = new Uint8Array(table.numRows).fill(1);
  mac = filterMask(table, [{column: "conditioning", op: "in", value: ["MAC"]}]).mask;
});

const covariateSets: string[][] = [[...DEFAULT_COVARIATES], ["age_group", "donor_sct2", "interval_days", "age"]];

describe("modelRunner on the page (no Worker in Node, or below the threshold)", () => {
  it("fits on the page and gives exactly coxModel's and competingModels's results", async () => {
    const runner = await modelRunner(table, variables);
    expect(runner.where).toBe("page");
    for (const mask of [all, mac])
      for (const covariates of covariateSets)
        for (const ties of ["efron", "breslow"] as const) {
          expect(runner.cox(mask, covariates, {ties})).toEqual(coxModel(table, mask, variables, covariates, {ties}));
          expect(runner.competing(mask, covariates, {ties})).toEqual(competingModels(table, mask, variables, covariates, {ties}));
          expect(runner.request("cox", mask, covariates, {ties})).toEqual(coxModel(table, mask, variables, covariates, {ties}));
        }
    expect((runner.cox(all, [...DEFAULT_COVARIATES]) as {ok: boolean}).ok).toBe(true);
    expect(runner.request("cox", all, [...DEFAULT_COVARIATES])).toEqual(coxModel(table, all, variables, [...DEFAULT_COVARIATES], {ties: "efron"}));
  });

  it("passes the study layer's plain messages through (empty selection, no covariates)", async () => {
    const runner = await modelRunner(table, variables, {workerAbove: 0, workerUrl: null});
    expect(runner.where).toBe("page");
    const none = new Uint8Array(table.numRows);
    expect(runner.cox(none, [...DEFAULT_COVARIATES])).toMatchObject({ok: false, message: "No patients match these filters"});
    expect(runner.competing(all, [])).toMatchObject({ok: false, message: "Choose at least one covariate"});
  });
});

describe("the model worker's handlers", () => {
  it("fit the columns sent by the page to the same results, which survive a structured clone", () => {
    const {payload, transfer} = tableToPayload(modelTable(table, variables));
    // As postMessage would: the buffers move, the page's own table must keep its arrays.
    const moved = structuredClone({payload, variables}, {transfer});
    for (const name of ["os_days", "os_status", "event_days", "event", "age", "interval_days"]) {
      const c = table.column(name);
      expect((c.values as Float64Array).byteLength, name).toBe(8 * table.numRows);
      expect(c.missing.byteLength, name).toBe(table.numRows);
    }
    const h = modelHandlers();
    expect(h.load(moved)).toEqual({rows: table.numRows});
    for (const mask of [all, mac])
      for (const covariates of covariateSets) {
        const cox = h.cox({mask, covariates, ties: "efron"});
        const cr = h.competing({mask, covariates, ties: "breslow"});
        expect(cox).toEqual(coxModel(table, mask, variables, covariates, {ties: "efron"}));
        expect(cr).toEqual(competingModels(table, mask, variables, covariates, {ties: "breslow"}));
        expect(structuredClone(cox)).toEqual(cox);
        expect(structuredClone(cr)).toEqual(cr);
      }
  });

  it("say plainly when no cohort is loaded or the mask does not fit it", () => {
    const h = modelHandlers();
    expect(() => h.cox({mask: all, covariates: [...DEFAULT_COVARIATES], ties: "efron"})).toThrow("no cohort loaded in the model worker");
    h.load(structuredClone({payload: tableToPayload(modelTable(table, variables)).payload, variables}));
    expect(() => h.cox({mask: new Uint8Array(3), covariates: [...DEFAULT_COVARIATES], ties: "efron"})).toThrow(/row selection has 3 rows/);
  });

  it("a failed fit becomes a plain message with a one-line detail", () => {
    expect(failedFit("boom\n    at x (y.js:1:2)")).toEqual({ok: false, message: "The model could not be fitted", detail: "boom", leftOut: []});
  });
});

// A stand-in for the browser's Worker: runs the model worker's handlers in this process, replying on a
// later macrotask as a worker would, with serveLatest's message protocol (ready, done, failed).
class FakeWorker {
  static fail = false;
  static started = 0;
  onmessage: ((e: {data: unknown}) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  private handlers = modelHandlers() as unknown as Record<string, (body: unknown) => unknown>;
  constructor() {
    FakeWorker.started += 1;
    setTimeout(() => this.onmessage?.({data: {type: "ready"}}), 0);
  }
  postMessage(m: {id: number; lane: string; body: unknown}, transfer: Transferable[] = []) {
    const {id, lane, body} = structuredClone(m, {transfer});
    setTimeout(() => {
      try {
        if (FakeWorker.fail && lane !== "load") throw new Error("out of memory");
        const value = structuredClone(this.handlers[lane](body));
        this.onmessage?.({data: {id, type: "done", value, ms: 1}});
      } catch (e) {
        this.onmessage?.({data: {id, type: "failed", message: (e as Error).message}});
      }
    }, 5);
  }
  terminate() {}
}

describe("modelRunner with a worker", () => {
  const g = globalThis as {Worker?: unknown};
  afterEach(() => {
    delete g.Worker;
    FakeWorker.fail = false;
  });

  it("renders only the newest selection's fit; a superseded one settles at once as the stale marker; busy ends false", async () => {
    g.Worker = FakeWorker;
    const busy: Busy[] = [];
    const runner = await modelRunner(table, variables, {workerAbove: 0, workerUrl: "fake:model", onBusy: (b) => busy.push(b)});
    expect(runner.where).toBe("worker");
    const older = runner.cox(all, [...DEFAULT_COVARIATES]) as Promise<unknown>;
    const newerPromise = runner.cox(mac, [...DEFAULT_COVARIATES]) as Promise<unknown>;
    // Settled before the worker answers anything (Framework's runtime waits for it before the cell's next run).
    expect(await Promise.race([older, new Promise((r) => setTimeout(() => r("pending"), 0))])).toBe(STALE_FIT);
    const newer = await newerPromise;
    expect(newer).toEqual(coxModel(table, mac, variables, [...DEFAULT_COVARIATES], {ties: "efron"}));
    const cr = await runner.competing(mac, ["age_group", "interval_days"], {ties: "breslow"});
    expect(cr).toEqual(competingModels(table, mac, variables, ["age_group", "interval_days"], {ties: "breslow"}));
    expect(busy[0]).toEqual({cox: true, competing: false});
    expect(busy.at(-1)).toEqual({cox: false, competing: false});
    // The outcome-level request says "stale" for the superseded one.
    const a = runner.request("cox", all, [...DEFAULT_COVARIATES]) as Promise<{status: string}>;
    const b = runner.request("cox", mac, [...DEFAULT_COVARIATES]) as Promise<{status: string}>;
    expect((await a).status).toBe("stale");
    expect((await b).status).toBe("done");
    runner.dispose();
  });

  it("with two workers, each fit gets its own and both load the cohort", async () => {
    g.Worker = FakeWorker;
    FakeWorker.started = 0;
    const busy: Busy[] = [];
    const runner = await modelRunner(table, variables, {workerAbove: 0, workerUrl: "fake:model", workers: 2, onBusy: (b) => busy.push(b)});
    expect(runner.where).toBe("worker");
    expect(FakeWorker.started).toBe(2);
    const [m, cr] = await Promise.all([runner.cox(mac, [...DEFAULT_COVARIATES], {ties: "breslow"}), runner.competing(all, [...DEFAULT_COVARIATES])]);
    expect(m).toEqual(coxModel(table, mac, variables, [...DEFAULT_COVARIATES], {ties: "breslow"}));
    expect(cr).toEqual(competingModels(table, all, variables, [...DEFAULT_COVARIATES], {ties: "efron"}));
    expect(busy.slice(0, 2)).toEqual([{cox: true, competing: false}, {cox: true, competing: true}]);
    expect(busy.at(-1)).toEqual({cox: false, competing: false});
    runner.dispose();
  });

  it("a fit that fails in the worker renders as a plain message", async () => {
    g.Worker = FakeWorker;
    const runner = await modelRunner(table, variables, {workerAbove: 0, workerUrl: "fake:model"});
    FakeWorker.fail = true;
    expect(await runner.cox(all, [...DEFAULT_COVARIATES])).toEqual({ok: false, message: "The model could not be fitted", detail: "out of memory", leftOut: []});
    runner.dispose();
  });
});
