// Cumulative incidence and Gray's test against cmprsk::cuminc (cif-public.json, cif-edge.json,
// gray-public.json, gray-edge.json), as in test/survival/cumulativeIncidence.test.ts and grayTest.test.ts.
import {cumulativeIncidence, grayTest, type SurvivalData} from "../survival/index.js";
import {CheckGroup, type Check, type ValidationRow} from "./compare.js";
import {fixture, labels, numericColumn, table, type ReferenceSources} from "./sources.js";

type Num = number | null;
interface Source {
  file: string;
  time: string;
  event: string;
  group: string | null;
  strata?: string | null;
}
interface Curve {
  level: string | null;
  cause: number;
  n: number;
  events: number;
  time: number[];
  est: number[];
  variance: number[];
  survfit: number[];
  at: {time: number[]; cif: Num[]; variance: Num[]; lower: Num[]; upper: Num[]};
}
interface CifCase {
  id?: string;
  name: string;
  source?: Source;
  data?: {time: number[]; event: number[]; group: string[] | null};
  curves: Curve[];
}
interface GrayExpected {
  cause: number;
  stat: number;
  pv: number;
  df: number;
  pUpper: number | null;
  score: number[];
  variance: number[][];
  rank: number;
}
interface GrayCase {
  id?: string;
  name: string;
  source: Source | null;
  rho: number;
  data?: {time: number[]; event: number[]; group: string[]; strata: number[] | null};
  levels: string[];
  tests: GrayExpected[];
}

/** The columns a case names; bmt's `cause` is derived as in cif-public.R / gray-public.R (1 relapse, 2 death in remission). */
function sourceData(src: ReferenceSources, s: Source): SurvivalData {
  const cols = table(src, s.file);
  let event: Float64Array;
  if (s.event === "cause") {
    const d2 = numericColumn(cols, "d2", s.file);
    const d1 = numericColumn(cols, "d1", s.file);
    event = Float64Array.from(d2, (v, i) => (v === 1 ? 1 : d1[i] === 1 ? 2 : 0));
  } else event = numericColumn(cols, s.event, s.file);
  return {
    time: numericColumn(cols, s.time, s.file),
    event,
    ...(s.group ? {group: labels(cols[s.group] as ArrayLike<number | string | null>)} : {}),
    ...(s.strata ? {strata: labels(cols[s.strata] as ArrayLike<number | string | null>)} : {})
  };
}

const CIF = {
  counts: "times, n, events per group and cause",
  est: "cumulative incidence at every time (cuminc and survfit)",
  variance: "variance at every time (cuminc)",
  at: "incidence, variance and log(−log) CI at chosen times"
};
type CifQ = keyof typeof CIF;

function compareCif(k: Record<CifQ, Check>, fit: ReturnType<typeof cumulativeIncidence>, curves: Curve[], label: string): void {
  k.counts.exact(`${label} curves`, fit.curves.map((c) => `${c.level}:${c.cause}`), curves.map((c) => `${c.level}:${c.cause}`));
  curves.forEach((e, j) => {
    const a = fit.curves[j];
    if (!a) return;
    const l = `${label} [${e.level} cause ${e.cause}]`;
    k.counts.exact(`${l} n, events`, [a.n, a.events], [e.n, e.events]);
    k.counts.exact(`${l} time`, Array.from(a.time), e.time);
    k.est.close(`${l} est vs cuminc`, a.est, e.est, {rtol: 1e-9});
    k.est.close(`${l} est vs survfit`, a.est, e.survfit, {rtol: 1e-9});
    k.variance.close(`${l} variance`, a.variance, e.variance, {rtol: 1e-9});
    k.at.exact(`${l} at times`, a.at.map((p) => p.time), e.at.time);
    k.at.close(`${l} at cif`, a.at.map((p) => p.cif), e.at.cif, {rtol: 1e-9});
    k.at.close(`${l} at variance`, a.at.map((p) => p.variance), e.at.variance, {rtol: 1e-9});
    k.at.close(`${l} at lower`, a.at.map((p) => p.lower), e.at.lower, {rtol: 1e-9});
    k.at.close(`${l} at upper`, a.at.map((p) => p.upper), e.at.upper, {rtol: 1e-9});
  });
}

const GRAY = {
  score: "score (O − E) and its variance matrix",
  stat: "χ² statistic and df",
  p: "p-value",
  singular: "singular variance reported (cuminc: stat −1)"
};
type GrayQ = keyof typeof GRAY;

function compareGray(k: Record<GrayQ, Check>, fit: ReturnType<typeof grayTest>, c: GrayCase, label: string): void {
  k.stat.exact(`${label} levels`, fit.groups.map((g) => g.level), c.levels);
  k.stat.exact(`${label} causes`, fit.tests.map((t) => t.cause), c.tests.map((t) => t.cause));
  c.tests.forEach((e, i) => {
    const a = fit.tests[i];
    if (!a) return;
    const l = `${label} cause ${e.cause}`;
    k.stat.exact(`${l} df`, a.df, e.df);
    // crstm's score and variance; exact zeros (identical groups) get an absolute floor.
    k.score.close(`${l} score`, a.score, e.score, {rtol: 1e-9, atol: 1e-14});
    e.variance.forEach((row, j) => k.score.close(`${l} variance row ${j}`, a.variance[j], row, {rtol: 1e-9}));
    if (e.stat < 0) {
      // cuminc's stat = −1 / pv = 1 for a rank-deficient variance: the engine reports null with a reason.
      k.singular.exact(`${l} stat, p null`, [a.stat, a.p], [null, null]);
      k.singular.exact(`${l} reason`, /singular/.test(a.reason ?? ""), true);
    } else {
      k.stat.close(`${l} stat`, a.stat, e.stat, {rtol: 1e-9, atol: 1e-14});
      k.p.close(`${l} p`, a.p, e.pUpper, {rtol: 1e-6});
    }
  });
}

/** cumulativeIncidence and grayTest against cuminc (public data sets and the edge-case catalogue). */
export function validateCompetingRisks(src: ReferenceSources): ValidationRow[] {
  const rows: ValidationRow[] = [];
  const section = "Competing risks";
  const cifPublic = fixture(src, "cif-public.json");
  for (const c of cifPublic.cases as CifCase[]) {
    const s = c.source!;
    const group = new CheckGroup(
      {
        section,
        estimator: "cumulativeIncidence",
        dataset: c.name,
        rCall: `cuminc(${s.time}, ${s.event === "cause" ? "cause" : s.event}${s.group ? `, group = ${s.group}` : ""}, cencode = 0) + timepoints(); survfit(Surv(${s.time}, factor(${s.event === "cause" ? "cause" : s.event}))${s.group ? ` ~ ${s.group}` : " ~ 1"}) on ${s.file.replace(/^.*\//, "").replace(/\.csv$/, "")}`,
        fixture: "test/reference/cif-public.json"
      },
      CIF
    );
    group.run(c.name, (k) => compareCif(k, cumulativeIncidence(sourceData(src, s), {times: c.curves[0].at.time}), c.curves, c.name));
    rows.push(...group.rows());
  }
  const cifEdge = fixture(src, "cif-edge.json").cases as CifCase[];
  const edge = new CheckGroup(
    {
      section,
      estimator: "cumulativeIncidence",
      dataset: `edge-case catalogue (${cifEdge.map((c) => c.id).join(", ")})`,
      rCall: "cuminc(time, event, group, cencode = 0) + timepoints(); survfit(Surv(time, factor(event)) ~ group) on each case's data",
      fixture: "test/reference/cif-edge.json"
    },
    CIF
  );
  for (const c of cifEdge) {
    edge.run(c.id ?? c.name, (k) => {
      const d = c.data!;
      const data: SurvivalData = {time: d.time, event: d.event, ...(d.group ? {group: d.group} : {})};
      compareCif(k, cumulativeIncidence(data, {times: c.curves[0].at.time}), c.curves, c.id ?? c.name);
    });
  }
  rows.push(...edge.rows());

  const grayPublic = fixture(src, "gray-public.json").cases as GrayCase[];
  const byData = new Map<string, GrayCase[]>();
  for (const c of grayPublic) byData.set(c.source!.file, [...(byData.get(c.source!.file) ?? []), c]);
  for (const [file, cases] of byData) {
    const name = file.replace(/^.*\//, "").replace(/\.csv$/, "");
    const quantities: Partial<Record<GrayQ, string>> = {...GRAY};
    delete quantities.singular;
    const group = new CheckGroup(
      {
        section,
        estimator: "grayTest",
        dataset: `${name}: ${cases.map((c) => c.name.replace(new RegExp(`^${name}\\s*`), "")).join("; ")}`,
        rCall: cases
          .map((c) => {
            const s = c.source!;
            return `cuminc(${s.time}, ${s.event}, group = ${s.group}${s.strata ? `, strata = ${s.strata}` : ""}, rho = ${c.rho})$Tests`;
          })
          .join("; "),
        fixture: "test/reference/gray-public.json"
      },
      quantities as Record<GrayQ, string>
    );
    for (const c of cases) group.run(c.name, (k) => compareGray(k, grayTest(sourceData(src, c.source!), {rho: c.rho}), c, c.name));
    rows.push(...group.rows());
  }
  const grayEdge = fixture(src, "gray-edge.json").cases as GrayCase[];
  const gEdge = new CheckGroup(
    {
      section,
      estimator: "grayTest",
      dataset: `edge-case catalogue (${grayEdge.map((c) => c.id).join(", ")})`,
      rCall: "cuminc(time, event, group, strata, rho)$Tests on each case's data",
      fixture: "test/reference/gray-edge.json"
    },
    GRAY
  );
  for (const c of grayEdge) {
    gEdge.run(c.id ?? c.name, (k) => {
      const d = c.data!;
      const data: SurvivalData = {time: d.time, event: d.event, group: d.group, ...(d.strata ? {strata: d.strata} : {})};
      compareGray(k, grayTest(data, {rho: c.rho}), c, c.id ?? c.name);
    });
  }
  rows.push(...gEdge.rows());
  return rows;
}
