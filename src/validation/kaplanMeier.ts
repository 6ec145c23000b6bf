// Kaplan–Meier family against survival::survfit (km-datasets.json, km-edge.json: each case's `call`),
// quantile.survfit, summary(fit, times, extend = TRUE), print(fit, rmean = τ), and
// survival:::survfit_confint on a grid (km-confint.json). The mapping from fixture to engine call is the
// one in test/survival/kaplanMeier.test.ts and its siblings.
import {kaplanMeier, rmst, summaryAt, survivalConfidenceBands, survivalQuantile, type ConfType, type SurvivalData} from "../survival/index.js";
import {CheckGroup, finite, type Tolerance, type ValidationRow} from "./compare.js";
import {anyColumn, datasetName, fixture, numericColumn, table, type ReferenceSources} from "./sources.js";

type Num = number | null;
interface KmCurve {
  level: string | null;
  n: number;
  events: number;
  steps: {time: Num[]; nRisk: Num[]; nEvent: Num[]; nCensor: Num[]; surv: Num[]; stdErrLog: Num[]; stdErr: Num[]; lower: Num[] | null; upper: Num[] | null};
  median: Num;
  medianLower: Num;
  medianUpper: Num;
  quantile: {quantile: Num[]; lower: Num[]; upper: Num[]};
  at: Record<"time" | "surv" | "stdErr" | "lower" | "upper" | "nRisk" | "nEvent" | "nCensor", Num[]>;
  rmean: {tau: number; rmean: number; se: number}[];
}
interface KmCase {
  name: string;
  call: string;
  confType: ConfType;
  confLevel: number;
  cause: number | null;
  timefix: boolean;
  probs: number[];
  times: number[];
  taus: number[];
  strata: KmCurve[];
  source?: {csv: string; time: string; event: string; group: string | null; entry: string[] | null; weights: string[] | null};
  data?: {time: string[]; event: number[]; entry: string[] | null; group: string[] | null; weights: string[] | null};
}

const CLOSED: Tolerance = {rtol: 1e-9};

function caseData(src: ReferenceSources, c: KmCase): SurvivalData {
  const nums = (a: string[] | null | undefined) => (a ? Float64Array.from(a, Number) : undefined);
  if (c.data) {
    return {time: nums(c.data.time)!, event: Float64Array.from(c.data.event), entry: nums(c.data.entry), group: c.data.group ?? undefined, weights: nums(c.data.weights)};
  }
  const s = c.source!;
  const cols = table(src, s.csv);
  return {
    time: numericColumn(cols, s.time, s.csv),
    event: numericColumn(cols, s.event, s.csv),
    group: s.group ? anyColumn(cols, s.group, s.csv) : undefined,
    entry: nums(s.entry),
    weights: nums(s.weights)
  };
}

const list = (xs: readonly (string | number)[]) => [...new Set(xs)].join(", ");

/** The family's survfit call with the CI types and levels it covers; the data set and grouping named. */
function familyCall(cases: KmCase[]): string {
  const first = cases[0];
  let call = first.call
    .replace(/conf\.type = "[^"]*"/, `conf.type = {${list(cases.map((c) => c.confType))}}`)
    .replace(/conf\.int = [\d.]+/, `conf.int = {${list(cases.map((c) => c.confLevel))}}`);
  if (first.source) {
    if (first.source.group) call = call.replace("~ group", `~ ${first.source.group}`);
    call = call.replace(", conf.type", `, data = ${datasetName(first.source.csv)}, conf.type`);
  }
  return call;
}

function familyRows(src: ReferenceSources, file: string, dataset: string, cases: KmCase[], rCall: string): ValidationRow[] {
  const probs = cases[0].probs;
  const times = cases[0].times;
  const taus = cases[0].taus;
  const group = new CheckGroup(
    {section: "Kaplan–Meier", estimator: "kaplanMeier", dataset, rCall, fixture: `test/reference/${file}`},
    {
      risk: "times, number at risk, events, censored",
      surv: "survival S(t)",
      se: "Greenwood SE of S(t) and of −log S(t)",
      ci: `pointwise CI limits (${list(cases.map((c) => c.confType).filter((t) => t !== "none"))})`,
      median: "median with its CI (print)",
      quantile: {quantity: "quantiles with CI", estimator: "survivalQuantile", rCall: `quantile(fit, probs = c(${probs.join(", ")}))`},
      summary: {quantity: "S(t), SE, CI, counts at chosen times", estimator: "summaryAt", rCall: `summary(fit, times = c(${times.join(", ")}), extend = TRUE)`},
      rmst: {quantity: "restricted mean and its SE", estimator: "rmst", rCall: `print(fit, rmean = ${taus.length === 1 ? taus[0] : `{${taus.join(", ")}}`})`}
    }
  );
  for (const c of cases) {
    group.run(c.name, (k) => {
      const fit = kaplanMeier(caseData(src, c), {confType: c.confType, confLevel: c.confLevel, cause: c.cause, timefix: c.timefix});
      k.risk.exact(`${c.name} levels`, fit.strata.map((s) => s.level), c.strata.map((s) => s.level));
      const quantiles = survivalQuantile(fit, c.probs);
      const summary = summaryAt(fit, c.times);
      fit.strata.forEach((s, g) => {
        const e = c.strata[g];
        const x = e.steps;
        const label = (what: string) => `${c.name} [${s.level}] ${what}`;
        k.risk.exact(label("n"), s.n, e.n);
        k.risk.close(label("events"), s.events, e.events, CLOSED);
        k.risk.close(label("time"), s.time, x.time, CLOSED);
        k.risk.close(label("nRisk"), s.nRisk, x.nRisk, CLOSED);
        k.risk.close(label("nEvent"), s.nEvent, x.nEvent, CLOSED);
        k.risk.close(label("nCensor"), s.nCensor, x.nCensor, CLOSED);
        k.surv.close(label("surv"), s.surv, x.surv, CLOSED);
        k.se.close(label("stdErrLog"), finite(s.stdErrLog), x.stdErrLog, CLOSED);
        k.se.close(label("stdErr"), finite(s.stdErr), x.stdErr, CLOSED);
        if (c.confType !== "none") {
          k.ci.close(label("lower"), s.lower, x.lower!, CLOSED);
          k.ci.close(label("upper"), s.upper, x.upper!, CLOSED);
          k.median.close(label("median CI"), [s.medianLower, s.medianUpper], [e.medianLower, e.medianUpper], CLOSED);
        }
        k.median.close(label("median"), s.median, e.median, CLOSED);
        const q = quantiles.strata[g];
        k.quantile.exact(label("quantile level"), q.level, e.level);
        k.quantile.close(label("quantile"), q.quantile, e.quantile.quantile, CLOSED);
        if (c.confType !== "none") {
          k.quantile.close(label("quantile lower"), q.lower, e.quantile.lower, CLOSED);
          k.quantile.close(label("quantile upper"), q.upper, e.quantile.upper, CLOSED);
        }
        const at = summary.strata[g].at;
        for (const key of ["time", "surv", "stdErr", "lower", "upper", "nRisk", "nEvent", "nCensor"] as const) {
          if (c.confType === "none" && (key === "lower" || key === "upper")) continue;
          k.summary.close(label(`at ${key}`), at.map((r) => r[key]), e.at[key], CLOSED);
        }
      });
      // The restricted mean does not depend on the CI type: checked once per data set (the "log" cases).
      if (c.confType === "log") {
        c.taus.forEach((tau, j) => {
          const res = rmst(fit, tau);
          res.strata.forEach((s, g) => {
            const e = c.strata[g].rmean[j];
            k.rmst.close(`${c.name} [${s.level}] rmean(${tau})`, [s.rmean, s.stdErr], [e.rmean, e.se], CLOSED);
          });
        });
      }
    });
  }
  return group.rows();
}

/** Kaplan–Meier, its CI types, print median, quantiles, summary at times and RMST against survfit. */
export function validateKaplanMeier(src: ReferenceSources): ValidationRow[] {
  const rows: ValidationRow[] = [];
  // Public data sets: one family per data set and grouping, over its CI types and levels.
  const datasets = fixture(src, "km-datasets.json").cases as KmCase[];
  const families = new Map<string, KmCase[]>();
  for (const c of datasets) {
    const family = c.name.replace(/, (log-log|log|plain|none) [\d.]+$/, "");
    families.set(family, [...(families.get(family) ?? []), c]);
  }
  for (const [family, cases] of families) rows.push(...familyRows(src, "km-datasets.json", family, cases, familyCall(cases)));

  // The edge-case catalogue: small hand-made data sets (and lung for KM22), one row per quantity.
  const edge = fixture(src, "km-edge.json").cases as KmCase[];
  const ids = [...new Set(edge.map((c) => c.name.replace(/, (log-log|log|plain)$/, "")))];
  rows.push(
    ...familyRows(
      src,
      "km-edge.json",
      `edge-case catalogue (${ids.length} cases: KM1–KM22 and others)`,
      edge,
      `survfit(Surv([entry, ]time, status) ~ 1 | group, [weights = w, robust = FALSE,] [timefix = FALSE,] conf.type = {${list(edge.map((c) => c.confType))}}) on each case's data`
    )
  );
  rows.push(...validateConfint(src));
  return rows;
}

interface ConfintCase {
  confType: ConfType;
  confLevel: number;
  surv: number[];
  stdErrLog: (number | null)[];
  seInfinite: boolean[];
  lower: (number | null)[];
  upper: (number | null)[];
}

/** The confidence-limit formulas alone, on a grid of S and SE(−log S) including S = 0, 1 and SE = ∞. */
function validateConfint(src: ReferenceSources): ValidationRow[] {
  const f = fixture(src, "km-confint.json");
  const cases = f.cases as ConfintCase[];
  const group = new CheckGroup(
    {
      section: "Kaplan–Meier",
      estimator: "survivalConfidenceBands",
      dataset: `grid of S and SE(−log S) (${cases[0].surv.length} points, incl. S = 0, 1, SE = ∞)`,
      rCall: `survival:::survfit_confint(p, se, logse = TRUE, conf.type = {${list(cases.map((c) => c.confType))}}, conf.int = {${list(cases.map((c) => c.confLevel))}})`,
      fixture: "test/reference/km-confint.json"
    },
    {limits: "CI limits"}
  );
  for (const c of cases) {
    group.run(`${c.confType} ${c.confLevel}`, (k) => {
      const se = c.stdErrLog.map((v, i) => (c.seInfinite[i] ? Infinity : v!));
      const {lower, upper} = survivalConfidenceBands(c.surv, se, {confType: c.confType, confLevel: c.confLevel});
      k.limits.close(`${c.confType} ${c.confLevel} lower`, lower, c.lower, CLOSED);
      k.limits.close(`${c.confType} ${c.confLevel} upper`, upper, c.upper, CLOSED);
    });
  }
  return group.rows();
}
