// The five timed operations of `npm run bench` (issue 3), each a call into the engine on the bench
// columns of bench/cohort.ts. Everything a caller would do once at load (reading the file, age > 9) is
// outside; everything R's call does inside its own timing (model matrix, sorting, fitting, tests,
// concordance) is inside ours too.
//
// R counterparts (bench/r-bench.R):
//   km                 survfit(Surv(os_time, os_status) ~ 1, conf.type = "log-log")
//   km_strata_logrank  survfit(Surv(os_time, os_status) ~ late, conf.type = "log-log") + survdiff(same ~ late)
//   cox_efron_5cov     coxph(Surv(os_time, os_status) ~ age9 + late + cr + mac + donor, ties = "efron")
//   cuminc_gray        cuminc(time, event, group = late, cencode = 0)   (estimates + Gray tests)
//   crr_finegray       crr(time, event, cov1 = cbind(age9, late, cr), failcode = 1, cencode = 0)
import {coxPH} from "../src/survival/coxPH.js";
import {cumulativeIncidence} from "../src/survival/cumulativeIncidence.js";
import {designMatrix} from "../src/survival/designMatrix.js";
import {fineGray} from "../src/survival/fineGray.js";
import {grayTest} from "../src/survival/grayTest.js";
import {kaplanMeier} from "../src/survival/kaplanMeier.js";
import {logRank} from "../src/survival/logRank.js";
import type {BenchCohort} from "./cohort.js";

/** The operation keys, in the order of the JSON output and the table. */
export const OPERATIONS = ["km", "km_strata_logrank", "cox_efron_5cov", "cuminc_gray", "crr_finegray"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Human-readable labels for the table. */
export const OPERATION_LABELS: Record<Operation, string> = {
  km: "Kaplan–Meier (OS)",
  km_strata_logrank: "KM by late + log-rank",
  cox_efron_5cov: "Cox Efron, 5 covariates (6 terms)",
  cuminc_gray: "Cum. incidence + Gray by late",
  crr_finegray: "Fine–Gray cause 1, 3 covariates"
};

/** A prepared operation: call `run()` to execute it once; the result is returned so it is not optimised away. */
export type Runner = () => unknown;

/** The five operations on one cohort. */
export function operations(b: BenchCohort): Record<Operation, Runner> {
  const os = {time: b.os_time, event: b.os_status};
  const osByLate = {time: b.os_time, event: b.os_status, group: b.late};
  const efsByLate = {time: b.time, event: b.event, group: b.late};
  return {
    km: () => kaplanMeier(os, {confType: "log-log"}),
    km_strata_logrank: () => [kaplanMeier(osByLate, {confType: "log-log"}), logRank(osByLate)],
    cox_efron_5cov: () =>
      coxPH(
        os,
        designMatrix([
          {name: "age9", values: b.age9, type: "numeric"},
          {name: "late", values: b.late, type: "numeric"},
          {name: "cr", values: b.cr, type: "numeric"},
          {name: "mac", values: b.mac, type: "numeric"},
          {name: "donor", values: b.donor, type: "categorical"}
        ]),
        {ties: "efron"}
      ),
    cuminc_gray: () => [cumulativeIncidence(efsByLate), grayTest(efsByLate)],
    crr_finegray: () =>
      fineGray({time: b.time, event: b.event}, {terms: ["age9", "late", "cr"], columns: [b.age9, b.late, b.cr]}, {cause: 1})
  };
}

/** A timing: median wall time and median process CPU time (user + system, all threads) in ms. */
export interface Timing {
  ms: number;
  cpuMs: number;
  runs: number;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Median wall time (and process CPU time) in milliseconds of `runs` timed runs, after warming up (at
 * least `warmup` untimed calls, continuing up to 5 calls or 300 ms so that V8 has optimised the hot
 * code: the figures are steady-state, as in a page that recomputes on every filter change). A timed run
 * shorter than 50 ms repeats the call 4, 16, … times until it lasts 50 ms and counts the time per call
 * (as bench/r-bench.R does for R, whose clock has 1 ms resolution). With `budgetMs`, stops early (after
 * at least one timed run) once the timed runs have used that much wall time; `runs` in the result says
 * how many were made. CPU time is reported because the machine may be shared: wall time then includes
 * waiting for a core, CPU time does not.
 */
export function timeMedian(run: Runner, runs: number, warmup = 1, budgetMs = Infinity): Timing {
  const w0 = performance.now();
  for (let i = 0; i < 5 && (i < warmup || performance.now() - w0 < 300); ++i) run();
  const wall: number[] = [];
  const cpu: number[] = [];
  let spent = 0;
  for (let i = 0; i < runs; ++i) {
    for (let k = 1; ; k *= 4) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let j = 0; j < k; ++j) run();
      const dt = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (dt >= 50 || k >= 4096) {
        wall.push(dt / k);
        cpu.push((c.user + c.system) / 1000 / k);
        spent += dt;
        break;
      }
    }
    if (spent > budgetMs) break;
  }
  return {ms: median(wall), cpuMs: median(cpu), runs: wall.length};
}
