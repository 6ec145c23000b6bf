// Time-dependent covariates and landmarks against R (split-bmt.json): splitAtEvent's (start, stop] rows
// against survival::tmerge(..., tdc()), landmark's rows against R by hand, and coxPH on both against
// coxph (as test/survival/splitAtEvent.test.ts and landmark.test.ts, plus the fixture's coxph fits).
import {coxPH} from "../survival/coxPH.js";
import {designMatrix} from "../survival/designMatrix.js";
import {landmark, splitAtEvent} from "../survival/index.js";
import {CheckGroup, type Check, type ValidationRow} from "./compare.js";
import {fixture, numericColumn, table, type ReferenceSources} from "./sources.js";

type Num = number | null;
const nullToNaN = (a: Num[]) => a.map((v) => v ?? NaN);

/** Compare output columns with R's (ours ← R's name); the rows must agree exactly. */
function sameRows(k: Check, label: string, actual: Record<string, ArrayLike<unknown>>, expected: Record<string, Num[]>, map: Record<string, string>): void {
  for (const [r, ours] of Object.entries(map)) {
    const a = actual[ours];
    if (!a) {
      k.fail(`${label} ${ours}`, "column missing from the engine's output");
      continue;
    }
    k.exact(`${label} ${ours} (R: ${r})`, Array.from(a as ArrayLike<unknown>), nullToNaN(expected[r]));
  }
}

/** tmerge-style splitting, landmarking, and Cox models fitted on their output. */
export function validateTimeDependent(src: ReferenceSources): ValidationRow[] {
  const ref = fixture(src, "split-bmt.json");
  const raw = table(src, "data/bmt.csv");
  const d2 = numericColumn(raw, "d2");
  const d3 = numericColumn(raw, "d3");
  const da = numericColumn(raw, "da");
  const ta = numericColumn(raw, "ta");
  // bmt as split-bmt.R prepares it: id = row, event 1 relapse / 2 death in remission, agvhd_day = ta if da = 1.
  const bmt = {
    id: Float64Array.from(d2, (_, i) => i + 1),
    group: numericColumn(raw, "group"),
    z1: numericColumn(raw, "z1"),
    t1: numericColumn(raw, "t1"),
    d1: numericColumn(raw, "d1"),
    t2: numericColumn(raw, "t2"),
    event: Float64Array.from(d2, (v, i) => (v === 1 ? 1 : d3[i] === 1 ? 2 : 0)),
    agvhd_day: Float64Array.from(da, (v, i) => (v === 1 ? ta[i] : NaN))
  };
  const rows: ValidationRow[] = [];

  const split = new CheckGroup(
    {
      section: "Time-dependent covariates and landmarks",
      estimator: "splitAtEvent",
      dataset: "bmt: acute GVHD onset splits follow-up (overall and disease-free survival); 9 hand-made edge cases",
      rCall: [ref.os.call, ref.dfs.call, ref.edge.call].join("; "),
      fixture: "test/reference/split-bmt.json"
    },
    {rows: "(start, stop] rows: id, times, status, covariate (every cell)"}
  );
  split.run("os", (k) => {
    const res = splitAtEvent(bmt, {id: "id", time: "t1", event: "d1", eventTime: "agvhd_day", covariateName: "agvhd"});
    sameRows(k.rows, "OS", res.columns, ref.os.rows, {id: "id", group: "group", z1: "z1", t1: "t1", t2: "t2", event: "event", agvhd_day: "agvhd_day", tstart: "tstart", tstop: "tstop", death: "d1", agvhd: "agvhd"});
  });
  split.run("dfs", (k) => {
    const res = splitAtEvent(bmt, {id: "id", time: "t2", event: "event", eventTime: "agvhd_day", covariateName: "agvhd"});
    sameRows(k.rows, "DFS", res.columns, ref.dfs.rows, {id: "id", tstart: "tstart", tstop: "tstop", status: "event", agvhd: "agvhd", t1: "t1"});
  });
  split.run("edge", (k) => {
    const e = ref.edge.data;
    const res = splitAtEvent(
      {id: e.id, entry: e.entry, time: e.time, status: e.status, onset: nullToNaN(e.onset)},
      {id: "id", entry: "entry", time: "time", event: "status", eventTime: "onset", covariateName: "td"}
    );
    sameRows(k.rows, "edge", res.columns, ref.edge.rows, {id: "id", onset: "onset", tstart: "tstart", tstop: "tstop", ev: "status", td: "td"});
  });
  rows.push(...split.rows());

  const lm = ref.landmark;
  const land = new CheckGroup(
    {
      section: "Time-dependent covariates and landmarks",
      estimator: "landmark",
      dataset: `bmt: landmark at day ${lm.landmark}, aGVHD by day ${lm.landmark}`,
      rCall: lm.call,
      fixture: "test/reference/split-bmt.json"
    },
    {rows: "rows kept, restarted times, status, covariate (every cell)"}
  );
  land.run("landmark", (k) => {
    const res = landmark(bmt, {time: "t1", landmark: lm.landmark, eventTime: "agvhd_day", covariateName: "agvhd100"});
    sameRows(k.rows, "landmark", res.columns, lm.rows, {id: "id", t1: "t1", d1: "d1", agvhd100: "agvhd100"});
  });
  rows.push(...land.rows());

  // Cox models on the split and the landmark data (R: coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)).
  const fits = [...(ref.cox as {label: string; call: string}[]), lm.cox as {label: string; call: string}];
  const cox = new CheckGroup(
    {
      section: "Time-dependent covariates and landmarks",
      estimator: "coxPH",
      dataset: "bmt: OS ~ aGVHD (time-dependent) + age (Efron, Breslow); OS from day 100 ~ aGVHD by day 100",
      rCall: fits.map((f) => f.call.replace("control = ctl", "control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)")).join("; "),
      fixture: "test/reference/split-bmt.json"
    },
    {coef: "β and SE", loglik: "log partial likelihood (null, fitted)", counts: "n, events"}
  );
  const control = {eps: 1e-12, maxIter: 100, tolerChol: 1e-13};
  const compare = (k: Record<"coef" | "loglik" | "counts", Check>, fit: ReturnType<typeof coxPH>, r: {label: string; coef: Num | Num[]; se: Num | Num[]; loglik: Num[]; n: number; nevent: number}) => {
    const arr = (v: Num | Num[]) => (Array.isArray(v) ? v : [v]);
    k.coef.close(`${r.label} coef`, fit.terms.map((t) => t.coef), arr(r.coef), {rtol: 1e-6});
    k.coef.close(`${r.label} se`, fit.terms.map((t) => t.se), arr(r.se), {rtol: 1e-6});
    k.loglik.close(`${r.label} loglik`, fit.loglik, r.loglik, {rtol: 1e-10});
    k.counts.exact(`${r.label} n, events`, [fit.n, fit.events], [r.n, r.nevent]);
  };
  for (const r of ref.cox) {
    cox.run(r.label, (k) => {
      const res = splitAtEvent(bmt, {id: "id", time: "t1", event: "d1", eventTime: "agvhd_day", covariateName: "agvhd"});
      const c = res.columns as Record<string, Float64Array>;
      const x = designMatrix([
        {name: "agvhd", values: c.agvhd},
        {name: "z1", values: c.z1}
      ]);
      const ties = /breslow/.test(r.call) ? "breslow" : "efron";
      compare(k, coxPH({entry: c.tstart, time: c.tstop, event: c.d1}, x, {ties, ...control}), r);
    });
  }
  cox.run(lm.cox.label, (k) => {
    const res = landmark(bmt, {time: "t1", landmark: lm.landmark, eventTime: "agvhd_day", covariateName: "agvhd100"});
    const c = res.columns as Record<string, Float64Array>;
    compare(k, coxPH({time: c.t1, event: c.d1}, designMatrix([{name: "agvhd100", values: c.agvhd100}]), control), lm.cox);
  });
  rows.push(...cox.rows());
  return rows;
}
