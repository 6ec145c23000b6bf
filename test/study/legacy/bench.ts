// Before/after timings of the study functions a filter change re-runs (issue 7): each previous
// implementation (this folder) and the current one, alternately on the same random ~70% row masks of a
// cohort file, medians of N runs after one warm-up call each (which builds the per-table caches).
// Not a test. Run from the project root:
//   npx esbuild test/study/legacy/bench.ts --bundle --platform=node --format=esm --outfile=/tmp/study-bench.mjs
//   node /tmp/study-bench.mjs test-results/bench-browser/cohorts/n100000.csv 9 [function,…]
// (`node --cpu-prof` on the same bundle for profiles). Env: AFTER_ONLY=1 / BEFORE_ONLY=1 time one side only.
import {readFileSync, writeFileSync} from "node:fs";
import type {CohortTable} from "../../../src/cohort/table.js";
import {loadStudyCohort, type Factor} from "../../../src/study/cohort.js";
import {coxModel, competingModels, modelVariables, DEFAULT_COVARIATES} from "../../../src/study/model.js";
import {gvhdAnalyses} from "../../../src/study/gvhd.js";
import {univariateTable, subgroupForest, compareSurvival, compareIncidence, type Grouping} from "../../../src/study/subgroups.js";
import {computeFit, withoutCurves} from "../../../src/study/fits.js";
import * as LM from "./model.js";
import * as LG from "./gvhd.js";
import * as LS from "./subgroups.js";

const file = process.argv[2] ?? "test-results/bench-browser/cohorts/n100000.csv";
const runs = Number(process.argv[3] ?? 7);
const only = process.argv[4] ?? "";
const bytes = readFileSync(file);
const c = await loadStudyCohort(new Uint8Array(bytes), "n.csv");
if (!c.table) throw new Error("no table");
const {table, factors} = c as {table: CohortTable; factors: Factor[]};
const levelsOf = (column: string) => factors.find((f) => f.column === column)!.levels;
const variables = modelVariables(table, factors);
const n = table.numRows;
// Masks: every row, and "filter changes" (a random ~70% subset per run, seeded).
let s = 12345;
const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
const masks: Uint8Array[] = [];
for (let r = 0; r < runs + 1; ++r) {
  const m = new Uint8Array(n);
  for (let i = 0; i < n; ++i) m[i] = r === 0 ? 1 : rnd() < 0.7 ? 1 : 0;
  masks.push(m);
}
const grouping: Grouping = {table, column: "age_group", label: "Age", levels: levelsOf("age_group"), key: "age_group", cut: null, notes: []};
const comparison = {column: "relapse_timing", level: levelsOf("relapse_timing")[1], reference: levelsOf("relapse_timing")[0]};
const fns: Record<string, [(m: Uint8Array) => unknown, (m: Uint8Array) => unknown]> = {
  coxModel: [(m) => LM.coxModel(table, m, variables, [...DEFAULT_COVARIATES]), (m) => coxModel(table, m, variables, [...DEFAULT_COVARIATES])],
  competingModels: [(m) => LM.competingModels(table, m, variables, [...DEFAULT_COVARIATES]), (m) => competingModels(table, m, variables, [...DEFAULT_COVARIATES])],
  gvhdAnalyses: [(m) => LG.gvhdAnalyses(table, m, 100), (m) => gvhdAnalyses(table, m, 100)],
  univariateTable: [(m) => LS.univariateTable(table, m, factors, {horizon: 730.5}), (m) => univariateTable(table, m, factors, {horizon: 730.5})],
  "univariate lane": [(m) => withoutCurves(LS.univariateTable(table, m, factors, {horizon: 730.5})), (m) => computeFit(table, {variables, factors}, "univariate", m, {horizon: 730.5})],
  subgroupForest: [(m) => LS.subgroupForest(table, m, factors, comparison), (m) => subgroupForest(table, m, factors, comparison)],
  compareSurvival: [(m) => LS.compareSurvival(table, m, grouping, {horizon: 730.5}), (m) => compareSurvival(table, m, grouping, {horizon: 730.5})],
  compareIncidence: [(m) => LS.compareIncidence(table, m, grouping, {horizon: 730.5}), (m) => compareIncidence(table, m, grouping, {horizon: 730.5})]
};
const med = (x: number[]) => (x.length ? [...x].sort((a, b) => a - b)[x.length >> 1] : NaN);
const out: Record<string, unknown> = {};
for (const [name, [before, after]] of Object.entries(fns)) {
  if (only && !only.split(",").includes(name)) continue;
  const t0 = performance.now();
  const tf0 = performance.now();
  if (!process.env.AFTER_ONLY) before(masks[0]);
  const tf1 = performance.now();
  if (process.env.BEFORE_ONLY) { console.log(name, "before first call", (tf1 - tf0).toFixed(0)); const ts: number[] = []; for (let r = 1; r <= runs; ++r) { const x0 = performance.now(); before(masks[r]); ts.push(performance.now() - x0); } console.log(name, "before only", med(ts).toFixed(0)); continue; }
  if (process.env.FIRST_ONLY) { const x0 = performance.now(); after(masks[0]); console.log(name, "after first call", (performance.now() - x0).toFixed(0)); continue; }
  const tb = performance.now();
  after(masks[0]); // first call: per-table caches (label codes, prepared cohorts) are built here
  const ta = performance.now();
  const b: number[] = [], a: number[] = [];
  for (let r = 1; r <= runs; ++r) {
    const x0 = performance.now();
    const rb = process.env.AFTER_ONLY ? null : before(masks[r]);
    const x1 = performance.now();
    const ra = after(masks[r]);
    const x2 = performance.now();
    b.push(x1 - x0);
    a.push(x2 - x1);
    if (!process.env.AFTER_ONLY && JSON.stringify(rb) !== JSON.stringify(ra)) throw new Error(`${name}: results differ`);
  }
  out[name] = {before: med(b), after: med(a), firstBefore: tb - t0, firstAfter: ta - tb, b, a};
  console.log(name.padEnd(17), "before", med(b).toFixed(0).padStart(5), "ms  after", med(a).toFixed(0).padStart(5), "ms   first call", (tb - t0).toFixed(0), "/", (ta - tb).toFixed(0), "ms   runs", b.map(Math.round).join(" "), "|", a.map(Math.round).join(" "));
}
if (process.env.OUT) writeFileSync(process.env.OUT, JSON.stringify(out));
