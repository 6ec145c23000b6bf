// Two-sample and Table 1 tests against R's stats package: wilcox.test(exact = FALSE) (wilcoxon.json),
// chisq.test(correct = FALSE) and kruskal.test (table1-tests.json), as in test/survival/wilcoxon.test.ts
// and table1Tests.test.ts.
import {chiSquaredIndependence, kruskalWallis, wilcoxonRankSum, type WilcoxonOptions} from "../survival/index.js";
import {CheckGroup, type ValidationRow} from "./compare.js";
import {anyColumn, fixture, labels, numericColumn, table, type ReferenceSources} from "./sources.js";

interface WilcoxonCase {
  name: string;
  x: (number | string)[];
  y: (number | string)[];
  alternative: NonNullable<WilcoxonOptions["alternative"]>;
  correct: boolean;
  mu: number;
  statistic: number;
  p: number | null;
  medianX: number | string;
  medianY: number | string;
  nX: number;
  nY: number;
}

/** R writes non-finite numbers as strings in this fixture. */
const decode = (v: number | string) => (typeof v === "number" ? v : v === "Inf" ? Infinity : v === "-Inf" ? -Infinity : NaN);

/** Sorted level codes (−1 for missing), as R's factor() orders numbers and labels. */
function codes(values: ArrayLike<string | number | null>): Int32Array {
  const lab = labels(values);
  const levels = [...new Set(lab.filter((v): v is string => v !== null))].sort();
  return Int32Array.from(lab, (v) => (v === null ? -1 : levels.indexOf(v)));
}

/** A contingency table of two label columns (rows: levels of a, columns: levels of b; missing left out), as table(a, b). */
function crossTable(a: ArrayLike<string | number | null>, b: ArrayLike<string | number | null>): number[][] {
  const ca = codes(a);
  const cb = codes(b);
  const nA = Math.max(-1, ...ca) + 1;
  const nB = Math.max(-1, ...cb) + 1;
  const counts = Array.from({length: nA}, () => new Array<number>(nB).fill(0));
  for (let i = 0; i < ca.length; ++i) if (ca[i] >= 0 && cb[i] >= 0) counts[ca[i]][cb[i]]++;
  return counts;
}

/** wilcoxonRankSum, chiSquaredIndependence and kruskalWallis against R. */
export function validateTests(src: ReferenceSources): ValidationRow[] {
  const rows: ValidationRow[] = [];
  const wil = fixture(src, "wilcoxon.json");
  const cases = wil.cases as WilcoxonCase[];
  const sets: [string, (c: WilcoxonCase) => boolean][] = [
    ["Kato 2012 relapse timing: after SCT2 vs after SCT1 (two-sided, less, greater, no correction)", (c) => c.name.startsWith("kato2012")],
    ["lung: time and ph.ecog by sex (heavy ties, μ = 0.5)", (c) => c.name.startsWith("lung")],
    ["edge cases (no ties, one value each, all equal, infinite and missing values, large)", (c) => !c.name.startsWith("kato2012") && !c.name.startsWith("lung")]
  ];
  for (const [dataset, keep] of sets) {
    const group = new CheckGroup(
      {section: "Two-sample and Table 1 tests", estimator: "wilcoxonRankSum", dataset, rCall: String(wil.meta.call), fixture: "test/reference/wilcoxon.json"},
      {statistic: "W statistic", p: "p-value (normal approximation)", medians: "group medians; n used"}
    );
    for (const c of cases.filter(keep)) {
      group.run(c.name, (k) => {
        const r = wilcoxonRankSum(c.x.map(decode), c.y.map(decode), {alternative: c.alternative, correct: c.correct, mu: c.mu});
        k.statistic.close(`${c.name} W`, r.statistic, c.statistic, {rtol: 1e-9});
        k.p.close(`${c.name} p`, r.p, c.p, {rtol: 1e-6});
        k.medians.close(`${c.name} medians`, [r.medianX, r.medianY], [decode(c.medianX), decode(c.medianY)], {rtol: 1e-12});
        k.medians.exact(`${c.name} n`, [r.nX, r.nY], [c.nX, c.nY]);
      });
    }
    rows.push(...group.rows());
  }

  const ref = fixture(src, "table1-tests.json");
  const vet = table(src, "test/data/veteran.csv");
  const lung = table(src, "test/data/lung.csv");
  const chi = new CheckGroup(
    {
      section: "Two-sample and Table 1 tests",
      estimator: "chiSquaredIndependence",
      dataset: "veteran celltype × trt; lung sex × ph.ecog (expected counts < 5)",
      rCall: "chisq.test(table(celltype, trt), correct = FALSE); chisq.test(table(sex, ph.ecog), correct = FALSE)",
      fixture: "test/reference/table1-tests.json"
    },
    {counts: "contingency table counts", statistic: "χ² statistic and df", p: "p-value"}
  );
  for (const [key, cols, a, b] of [
    ["chisq_vet", vet, "celltype", "trt"],
    ["chisq_lung", lung, "sex", "ph.ecog"]
  ] as const) {
    chi.run(key, (k) => {
      const counts = crossTable(anyColumn(cols, a), anyColumn(cols, b));
      k.counts.exact(`${key} counts`, counts.flat(), (ref[key].counts as number[][]).flat());
      const r = chiSquaredIndependence(counts);
      k.statistic.close(`${key} statistic`, r.statistic, ref[key].statistic, {rtol: 1e-12});
      k.statistic.exact(`${key} df`, r.df, ref[key].df);
      k.p.close(`${key} p`, r.p, ref[key].p, {rtol: 1e-10});
    });
  }
  rows.push(...chi.rows());

  const kw = new CheckGroup(
    {
      section: "Two-sample and Table 1 tests",
      estimator: "kruskalWallis",
      dataset: "veteran karno by celltype (ties); lung age by ph.ecog (one missing group); veteran karno by trt (2 groups)",
      rCall: "kruskal.test(karno, celltype); kruskal.test(age, ph.ecog); wilcox.test(karno ~ trt, exact = FALSE, correct = FALSE)",
      fixture: "test/reference/table1-tests.json"
    },
    {statistic: "H statistic and df", p: "p-value"}
  );
  for (const [key, cols, x, g] of [
    ["kw_vet", vet, "karno", "celltype"],
    ["kw_lung", lung, "age", "ph.ecog"]
  ] as const) {
    kw.run(key, (k) => {
      const r = kruskalWallis(numericColumn(cols, x), codes(anyColumn(cols, g)));
      k.statistic.close(`${key} statistic`, r.statistic, ref[key].statistic, {rtol: 1e-12});
      k.statistic.exact(`${key} df`, r.df, ref[key].df);
      k.p.close(`${key} p`, r.p, ref[key].p, {rtol: 1e-10});
    });
  }
  kw.run("wilcox_vet", (k) => {
    const r = kruskalWallis(numericColumn(vet, "karno"), codes(anyColumn(vet, "trt")));
    k.p.close("two groups: p as wilcox.test(correct = FALSE)", r.p, ref.wilcox_vet.p, {rtol: 1e-10});
  });
  rows.push(...kw.rows());
  return rows;
}
