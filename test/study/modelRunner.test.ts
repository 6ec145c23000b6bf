// Where the regression fits run (src/study/modelRunner.ts), what each lane computes (src/study/fits.ts)
// and the model worker's handlers (src/workers/model.ts). Expected values are this project's own study
// functions called directly on the same table and mask — coxModel / competingModels (checked against R
// in test/study/model.test.ts), gvhdAnalyses (test/study/gvhd.test.ts), univariateTable / subgroupForest
// (test/study/subgroups.test.ts): the runner must give the same objects, on the page and after the
// columns crossed to the worker.
import {readFileSync} from "node:fs";
import {afterEach, beforeAll, describe, expect, it} from "vitest";
import {filterMask} from "../../src/cohort/filters.js";
import type {CohortTable} from "../../src/cohort/table.js";
import {loadStudyCohort, type Factor} from "../../src/study/cohort.js";
import {computeFit, fitColumns, fitTable, FIT_LANES, withoutCurves, type FitContext, type FitLane, type FitParams} from "../../src/study/fits.js";
import {gvhdAnalyses} from "../../src/study/gvhd.js";
import {competingModels, coxModel, DEFAULT_COVARIATES, modelVariables} from "../../src/study/model.js";
import {failedFit, modelRunner, STALE_FIT, type Busy} from "../../src/study/modelRunner.js";
import {subgroupForest, univariateTable} from "../../src/study/subgroups.js";
import {modelHandlers} from "../../src/workers/model.js";
import {tableToPayload} from "../../src/workers/transfer.js";

let table: CohortTable;
let context: FitContext;
let all: Uint8Array;
let mac: Uint8Array;

beforeAll(async () => {
  const s = await loadStudyCohort(new Uint8Array(readFileSync("data/kato2012-synthetic.csv")), "kato2012-synthetic.csv");
  if (!s.table) throw new Error("cohort not loaded");
  table = s.table;
  const factors = (s as {factors: Factor[]}).factors;
  context = {variables: modelVariables(table, factors), factors};
  all = new Uint8Array(table.numRows).fill(1);
  mac = filterMask(table, [{column: "conditioning", op: "in", value: ["MAC"]}]).mask;
});

const covariateSets: string[][] = [[...DEFAULT_COVARIATES], ["age_group", "donor_sct2", "interval_days", "age"]];

/** Every lane with a few settings, and the direct call each must equal. */
function cases(): {lane: FitLane; params: FitParams[FitLane]; direct: (mask: Uint8Array) => unknown}[] {
  const out: {lane: FitLane; params: FitParams[FitLane]; direct: (mask: Uint8Array) => unknown}[] = [];
  for (const covariates of covariateSets)
    for (const ties of ["efron", "breslow"] as const) {
      out.push({lane: "cox", params: {covariates, ties}, direct: (mask) => coxModel(table, mask, context.variables, covariates, {ties})});
      out.push({lane: "competing", params: {covariates, ties}, direct: (mask) => competingModels(table, mask, context.variables, covariates, {ties})});
    }
  out.push({lane: "cox", params: {covariates: covariateSets[0]}, direct: (mask) => coxModel(table, mask, context.variables, covariateSets[0])});
  for (const day of [30, 100]) out.push({lane: "gvhd", params: {day}, direct: (mask) => gvhdAnalyses(table, mask, day)});
  out.push({lane: "univariate", params: {horizon: 730.5}, direct: (mask) => withoutCurves(univariateTable(table, mask, context.factors, {horizon: 730.5}))});
  const comparison = {column: "relapse_timing", level: "Late (≥ 180 days)", reference: "Early (< 180 days)"};
  for (const endpoint of ["os", "relapse"] as const)
    out.push({lane: "forest", params: {comparison, endpoint}, direct: (mask) => subgroupForest(table, mask, context.factors, comparison, {endpoint})});
  out.push({lane: "forest", params: {comparison}, direct: (mask) => subgroupForest(table, mask, context.factors, comparison)});
  return out;
}

describe("computeFit / fitTable", () => {
  it("each lane is its study function", () => {
    expect(new Set(cases().map((c) => c.lane))).toEqual(new Set(FIT_LANES));
    for (const c of cases()) for (const mask of [all, mac]) expect(computeFit(table, context, c.lane, mask, c.params), c.lane).toStrictEqual(c.direct(mask));
  });

  it("the univariate lane is univariateTable with every curve emptied and everything else kept", () => {
    const full = univariateTable(table, mac, context.factors, {horizon: 730.5});
    const slim = computeFit(table, context, "univariate", mac, {horizon: 730.5});
    expect(full.factors.some((f) => f.os.curves.length > 0 && f.incidence.causes.some((c) => c.curves.length > 0))).toBe(true);
    const emptied = {
      rows: full.rows,
      factors: full.factors.map((f) => ({...f, os: {...f.os, curves: []}, incidence: {...f.incidence, causes: f.incidence.causes.map((c) => ({...c, curves: []}))}}))
    };
    expect(slim).toStrictEqual(emptied);
  });

  it("the forest comparison used above is one the cohort has (so the forest is fitted, not a message)", () => {
    const f = computeFit(table, context, "forest", all, {comparison: {column: "relapse_timing", level: "Late (≥ 180 days)", reference: "Early (< 180 days)"}});
    expect(f.message).toBeNull();
    expect(f.subgroups.length).toBeGreaterThan(3);
  });

  it("copies the columns the fits read and leaves the page's arrays whole when they are moved", () => {
    const cols = fitColumns(table, context);
    expect(cols).toEqual(expect.arrayContaining(["os_days", "os_status", "event_days", "event", "agvhd_days", "agvhd_any", "age", ...DEFAULT_COVARIATES]));
    const {payload, transfer} = tableToPayload(fitTable(table, context));
    structuredClone(payload, {transfer}); // as postMessage would: the buffers move
    for (const name of cols) {
      const c = table.column(name);
      if (c.type !== "string") expect((c.values as Float64Array).byteLength, name).toBe(8 * table.numRows);
      expect(c.missing.byteLength, name).toBe(table.numRows);
    }
  });
});

describe("modelRunner on the page (no Worker in Node, or below the threshold)", () => {
  it("fits on the page and gives exactly the study functions' results", async () => {
    const runner = await modelRunner(table, context);
    expect(runner.where).toBe("page");
    for (const c of cases())
      for (const mask of [all, mac]) {
        expect(runner.fit(c.lane, mask, c.params), c.lane).toStrictEqual(c.direct(mask));
        expect(runner.request(c.lane, mask, c.params), c.lane).toStrictEqual(c.direct(mask));
      }
    expect((runner.fit("cox", all, {covariates: [...DEFAULT_COVARIATES]}) as {ok: boolean}).ok).toBe(true);
  });

  it("passes the study layer's plain messages through (empty selection, no covariates)", async () => {
    const runner = await modelRunner(table, context, {workerAbove: 0, workerUrl: null});
    expect(runner.where).toBe("page");
    const none = new Uint8Array(table.numRows);
    expect(runner.fit("cox", none, {covariates: [...DEFAULT_COVARIATES]})).toMatchObject({ok: false, message: "No patients match these filters"});
    expect(runner.fit("competing", all, {covariates: []})).toMatchObject({ok: false, message: "Choose at least one covariate"});
    expect(runner.fit("gvhd", none, {day: 100})).toMatchObject({ok: false, message: "No patients match these filters"});
  });
});

describe("the model worker's handlers", () => {
  it("fit the columns sent by the page to the same results, which survive a structured clone", () => {
    const {payload, transfer} = tableToPayload(fitTable(table, context));
    const moved = structuredClone({payload, context}, {transfer});
    const h = modelHandlers() as unknown as Record<string, (body: unknown) => unknown>;
    expect(h.load(moved)).toEqual({rows: table.numRows});
    for (const c of cases())
      for (const mask of [all, mac]) {
        const value = h[c.lane]({mask, params: c.params});
        expect(value, c.lane).toStrictEqual(c.direct(mask));
        expect(structuredClone(value), c.lane).toStrictEqual(value);
      }
  });

  it("say plainly when no cohort is loaded or the mask does not fit it", () => {
    const h = modelHandlers();
    expect(() => h.cox({mask: all, params: {covariates: [...DEFAULT_COVARIATES]}})).toThrow("no cohort loaded in the model worker");
    h.load(structuredClone({payload: tableToPayload(fitTable(table, context)).payload, context}));
    expect(() => h.gvhd({mask: new Uint8Array(3), params: {day: 100}})).toThrow(/row selection has 3 rows/);
  });

  it("a failed fit becomes a plain message with a one-line detail", () => {
    expect(failedFit("boom\n    at x (y.js:1:2)")).toEqual({ok: false, failed: true, message: "The analysis could not be computed", detail: "boom", leftOut: []});
  });
});

// A stand-in for the browser's Worker: runs the model worker's handlers in this process, replying on a
// later macrotask as a worker would, with serveLatest's message protocol (ready, done, failed).
class FakeWorker {
  static fail = false;
  static started = 0;
  static served: string[] = [];
  onmessage: ((e: {data: unknown}) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  private handlers = modelHandlers() as unknown as Record<string, (body: unknown) => unknown>;
  private name: string;
  constructor(_url: string, {name}: {name: string}) {
    FakeWorker.started += 1;
    this.name = name;
    setTimeout(() => this.onmessage?.({data: {type: "ready"}}), 0);
  }
  postMessage(m: {id: number; lane: string; body: unknown}, transfer: Transferable[] = []) {
    const {id, lane, body} = structuredClone(m, {transfer});
    setTimeout(() => {
      try {
        if (FakeWorker.fail && lane !== "load") throw new Error("out of memory");
        const value = structuredClone(this.handlers[lane](body));
        FakeWorker.served.push(`${this.name}:${lane}`);
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
    FakeWorker.started = 0;
    FakeWorker.served = [];
  });
  const options = {workerAbove: 0, workerUrl: "fake:model"};

  it("renders only the newest selection's fit; a superseded one settles at once as the stale marker; busy ends false", async () => {
    g.Worker = FakeWorker;
    const busy: Busy[] = [];
    const runner = await modelRunner(table, context, {...options, onBusy: (b) => busy.push(b)});
    expect(runner.where).toBe("worker");
    const older = runner.fit("cox", all, {covariates: [...DEFAULT_COVARIATES]}) as Promise<unknown>;
    const newerPromise = runner.fit("cox", mac, {covariates: [...DEFAULT_COVARIATES]}) as Promise<unknown>;
    // Settled before the worker answers anything (Framework's runtime waits for it before the cell's next run).
    expect(await Promise.race([older, new Promise((r) => setTimeout(() => r("pending"), 0))])).toBe(STALE_FIT);
    expect(await newerPromise).toStrictEqual(coxModel(table, mac, context.variables, [...DEFAULT_COVARIATES]));
    const cr = await runner.fit("competing", mac, {covariates: ["age_group", "interval_days"], ties: "breslow"});
    expect(cr).toStrictEqual(competingModels(table, mac, context.variables, ["age_group", "interval_days"], {ties: "breslow"}));
    expect(await runner.fit("gvhd", mac, {day: 60})).toStrictEqual(gvhdAnalyses(table, mac, 60));
    expect(busy[0]).toEqual({cox: true});
    expect(busy.at(-1)).toEqual({cox: false, competing: false, gvhd: false});
    // The outcome-level request says "stale" for the superseded one.
    const a = runner.request("forest", all, {comparison: {column: "conditioning", level: "RIC", reference: "MAC"}}) as Promise<{status: string}>;
    const b = runner.request("forest", mac, {comparison: {column: "conditioning", level: "RIC", reference: "MAC"}}) as Promise<{status: string}>;
    expect((await a).status).toBe("stale");
    expect((await b).status).toBe("done");
    runner.dispose();
  });

  it("with two workers, the first lane gets its own and both load the cohort", async () => {
    g.Worker = FakeWorker;
    const busy: Busy[] = [];
    const runner = await modelRunner(table, context, {...options, workers: 2, lanes: ["cox", "competing"], onBusy: (b) => busy.push(b)});
    expect(runner.where).toBe("worker");
    expect(FakeWorker.started).toBe(2);
    const [m, cr] = await Promise.all([runner.fit("cox", mac, {covariates: [...DEFAULT_COVARIATES], ties: "breslow"}), runner.fit("competing", all, {covariates: [...DEFAULT_COVARIATES]})]);
    expect(m).toStrictEqual(coxModel(table, mac, context.variables, [...DEFAULT_COVARIATES], {ties: "breslow"}));
    expect(cr).toStrictEqual(competingModels(table, all, context.variables, [...DEFAULT_COVARIATES]));
    expect(FakeWorker.served.filter((s) => !s.endsWith(":load")).sort()).toEqual(["fits-competing:competing", "fits-cox:cox"]);
    expect(busy.slice(0, 2)).toEqual([{cox: true}, {cox: true, competing: true}]);
    expect(busy.at(-1)).toEqual({cox: false, competing: false});
    runner.dispose();
  });

  it("a fit that fails in the worker renders as a plain message", async () => {
    g.Worker = FakeWorker;
    const runner = await modelRunner(table, context, options);
    FakeWorker.fail = true;
    expect(await runner.fit("cox", all, {covariates: [...DEFAULT_COVARIATES]})).toEqual(failedFit("out of memory"));
    runner.dispose();
  });
});
