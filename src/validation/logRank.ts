// Log-rank / G-rho tests against survival::survdiff (logrank-public.json, logrank-edge.json), as in
// test/survival/logRank.test.ts: observed and expected counts, the variance matrix, χ² on R's df, p,
// and the trend statistic computed in R from survdiff's obs/exp/var.
// logRank is imported from its module until the engine's barrel (src/survival/index.ts) exports it.
import {logRank, type LogRankResult} from "../survival/logRank.js";
import type {SurvivalData} from "../survival/index.js";
import {CheckGroup, type Check, type ValidationRow} from "./compare.js";
import {anyColumn, datasetName, fixture, labels, numericColumn, table, type ReferenceSources} from "./sources.js";

interface Expected {
  levels: string[];
  n: number[];
  observed: number[];
  expected: number[];
  variance: number[][];
  chisq: number;
  df: number;
  p: number | null;
}
interface PublicCase extends Expected {
  name: string;
  call: string;
  rho: number;
  source: {file: string; time: string; event: string; group: string; strata: string | null; cause: number | null};
  trend: {scores: number[]; chisq: number; df: number; p: number};
}
interface EdgeCase extends Partial<Expected> {
  id: string;
  name: string;
  rho: number;
  error: string | null;
  data: {time: number[]; status: number[]; group: (string | null)[]};
}

type Q = "oe" | "variance" | "chisq" | "p";
const QUANTITIES = {
  oe: "n, observed and expected events by group",
  variance: "variance matrix of O − E",
  chisq: "χ² statistic and df (and trend χ²)",
  p: "p-values (overall and trend)"
};

function compare(k: Record<Q, Check>, fit: LogRankResult, e: Expected, label: string): void {
  k.oe.exact(`${label} levels`, fit.groups.map((g) => g.level), e.levels);
  k.oe.exact(`${label} n`, fit.groups.map((g) => g.n), e.n);
  k.oe.close(`${label} observed`, fit.groups.map((g) => g.observed), e.observed, {rtol: 1e-9});
  k.oe.close(`${label} expected`, fit.groups.map((g) => g.expected), e.expected, {rtol: 1e-9});
  // Entries that cancel to ~0 in R leave ±1e-16 residues: an absolute floor scaled to the largest entry.
  const scale = Math.max(...e.variance.flat().map(Math.abs));
  e.variance.forEach((row, i) => k.variance.close(`${label} variance row ${i}`, fit.variance[i], row, {rtol: 1e-9, atol: 1e-13 * scale, text: "1e-9 rel + 1e-13·max|V| abs"}));
  k.chisq.close(`${label} chisq`, fit.chisq, e.chisq, {rtol: 1e-9, atol: 1e-12});
  k.chisq.exact(`${label} df`, fit.df, e.df);
  k.p.close(`${label} p`, fit.p, e.p, {rtol: 1e-6});
}

/** survdiff on the public data sets (one group of rows per data set) and on the edge-case catalogue. */
export function validateLogRank(src: ReferenceSources): ValidationRow[] {
  const rows: ValidationRow[] = [];
  const pub = fixture(src, "logrank-public.json").cases as PublicCase[];
  const byData = new Map<string, PublicCase[]>();
  for (const c of pub) byData.set(c.source.file, [...(byData.get(c.source.file) ?? []), c]);
  for (const [file, cases] of byData) {
    const name = datasetName(file);
    const group = new CheckGroup(
      {
        section: "Log-rank",
        estimator: "logRank",
        dataset: `${name}: ${cases.map((c) => c.name.replace(new RegExp(`^${name}\\s*`), "") || "all").join("; ")}`,
        rCall: cases.map((c) => c.call.replace(/\)$/, `, data = ${name})`)).join("; "),
        fixture: "test/reference/logrank-public.json"
      },
      QUANTITIES
    );
    const cols = table(src, file);
    for (const c of cases) {
      group.run(c.name, (k) => {
        const s = c.source;
        const data: SurvivalData = {
          time: numericColumn(cols, s.time, file),
          event: numericColumn(cols, s.event, file),
          group: labels(anyColumn(cols, s.group, file)),
          ...(s.strata ? {strata: labels(anyColumn(cols, s.strata, file))} : {})
        };
        const fit = logRank(data, {rho: c.rho, ...(s.cause !== null ? {cause: s.cause} : {}), scores: c.trend.scores});
        compare(k, fit, c, c.name);
        k.chisq.close(`${c.name} trend chisq`, fit.trend?.chisq ?? NaN, c.trend.chisq, {rtol: 1e-9});
        k.p.close(`${c.name} trend p`, fit.trend?.p ?? NaN, c.trend.p, {rtol: 1e-6});
      });
    }
    rows.push(...group.rows());
  }

  const edge = fixture(src, "logrank-edge.json").cases as EdgeCase[];
  const ok = edge.filter((c) => !c.error);
  const group = new CheckGroup(
    {
      section: "Log-rank",
      estimator: "logRank",
      dataset: `edge-case catalogue (${ok.map((c) => c.id).join(", ")})`,
      rCall: `survdiff(Surv(time, status) ~ group, rho = {${[...new Set(ok.map((c) => c.rho))].join(", ")}}) on each case's data`,
      fixture: "test/reference/logrank-edge.json"
    },
    {
      ...QUANTITIES,
      error: {quantity: "refuses a single group, as survdiff does", rCall: edge.filter((c) => c.error).map((c) => `${c.id}: survdiff stops: "${c.error}"`).join("; ")}
    }
  );
  for (const c of edge) {
    group.run(c.id, (k) => {
      const data: SurvivalData = {time: c.data.time, event: c.data.status, group: c.data.group};
      if (c.error) {
        try {
          logRank(data, {rho: c.rho});
          k.error.fail(c.id, "no error raised");
        } catch (err) {
          k.error.exact(`${c.id} error`, /Log-rank needs at least 2 groups/.test((err as Error).message), true);
        }
        return;
      }
      compare(k, logRank(data, {rho: c.rho}), c as Expected, c.id);
    });
  }
  rows.push(...group.rows());
  return rows;
}
