// The Cohort page's "Table 1": characteristics of the selected patients, overall and by a chosen factor,
// with n (%) for categorical variables, median (IQR) for continuous ones, missing-data counts, and one
// test per variable (Pearson's chi-squared of independence; Kruskal–Wallis, which for two groups is the
// Wilcoxon rank-sum test). Pure: counts, quantiles and engine calls shaped for the cohortTable component.
import {isNA, type CohortTable} from "../cohort/table.js";
import type {CohortCell, CohortRow, CohortTableData} from "../components/table.js";
import {chiSquaredIndependence} from "../survival/chiSquaredIndependence.js";
import {kruskalWallis} from "../survival/kruskalWallis.js";
import {levelsOf, type Factor} from "./cohort.js";

/** A row variable of Table 1. */
export interface Table1Variable {
  column: string;
  label: string;
  kind: "categorical" | "continuous";
  /** Decimals for the median and quartiles of a continuous variable (display hint for the page). */
  digits?: number;
  /** Labels of a coded numeric column (e.g. 0/1), by code. */
  codes?: Readonly<Record<number, string>>;
  /** Shown after the label, e.g. that the variable is observed after the transplant. */
  note?: string;
}

/**
 * The study's characteristics, in the order of the paper's patient table (baseline, first SCT, relapse,
 * second SCT). Columns absent from a researcher's file are skipped.
 */
export const TABLE1_VARIABLES: readonly Table1Variable[] = [
  {column: "age", label: "Age at second SCT (years)", kind: "continuous", digits: 1},
  {column: "age_group", label: "Age group", kind: "categorical"},
  {column: "sex", label: "Sex", kind: "categorical"},
  {column: "immunophenotype", label: "Immunophenotype", kind: "categorical"},
  {column: "ph", label: "Philadelphia chromosome", kind: "categorical"},
  {column: "status_sct1", label: "Disease status at first SCT", kind: "categorical"},
  {column: "donor_sct1", label: "Donor (first SCT)", kind: "categorical"},
  {column: "source_sct1", label: "Stem-cell source (first SCT)", kind: "categorical"},
  {column: "interval_days", label: "First SCT → relapse (days)", kind: "continuous", digits: 0},
  {column: "relapse_timing", label: "Relapse after first SCT", kind: "categorical"},
  {column: "relapse_to_sct2_days", label: "Relapse → second SCT (days)", kind: "continuous", digits: 0},
  {column: "year_sct2", label: "Year of second SCT", kind: "continuous", digits: 0},
  {column: "era", label: "Era of second SCT", kind: "categorical"},
  {column: "status_sct2", label: "Disease status at second SCT", kind: "categorical"},
  {column: "donor_sct2", label: "Donor (second SCT)", kind: "categorical"},
  {column: "source_sct2", label: "Stem-cell source (second SCT)", kind: "categorical"},
  {column: "same_donor", label: "Same donor as first SCT", kind: "categorical", codes: {1: "Yes", 0: "No"}},
  {column: "conditioning", label: "Conditioning", kind: "categorical"},
  {column: "tbi_label", label: "Total-body irradiation", kind: "categorical"},
  {column: "agvhd_any", label: "Acute GVHD (ever)", kind: "categorical", note: "observed after the transplant"}
];

/** Names of the tests, as the table's footnote gives them. */
export const TABLE1_TESTS = {
  chiSquared: "Pearson's chi-squared test of independence",
  chiSquaredSmall: "Pearson's chi-squared test of independence; some expected counts are below 5, so the approximation may be poor",
  kruskalWallis: "Kruskal–Wallis rank-sum test",
  wilcoxon: "Wilcoxon rank-sum test (normal approximation, no continuity correction; equal to Kruskal–Wallis for 2 groups)"
} as const;

/** The engine's reason for not testing, in the table's terms (levels of the characteristic × groups). */
const REASONS: Record<string, string> = {
  "fewer than 2 non-empty rows": "one level only among the patients compared",
  "fewer than 2 non-empty columns": "fewer than 2 groups with a value",
  "fewer than 2 groups with values": "fewer than 2 groups with a value",
  "all values are tied": "all values are equal"
};
const reasonText = (reason: string | null) => (reason === null ? null : REASONS[reason] ?? reason);

/** One variable's test, as computed. */
export interface Table1Test {
  name: string;
  statistic: number | null;
  df: number;
  p: number | null;
  /** Chi-squared only: some expected count < 5. */
  smallExpected: boolean;
  /** Why there is no test (statistic and p null), in the table's terms. */
  reason: string | null;
}

/** What Table 1 found for one variable. */
export interface Table1VariableResult {
  column: string;
  label: string;
  kind: "categorical" | "continuous";
  digits: number;
  /** Selected patients with this variable missing (overall). */
  missing: number;
  /** The test across the groups (null without a grouping). */
  test: Table1Test | null;
  /** Categorical: levels and their overall counts. Continuous: the overall median, quartiles and n. */
  levels?: {level: string; n: number}[];
  summary?: {n: number; median: number | null; q1: number | null; q3: number | null};
}

/** A line of Table 1: a cohortTable row; continuous variables carry the decimals their summary needs. */
export interface Table1Row extends CohortRow {
  digits?: number;
}

export interface Table1 {
  /** Input of the cohortTable component: Overall, then one column per non-empty group. */
  data: {columns: CohortTableData["columns"]; rows: Table1Row[]};
  /** Selected patients. */
  n: number;
  groupBy: string | null;
  groupLabel: string | null;
  /** Selected patients without a value of the grouping factor (in Overall only). */
  groupMissing: number;
  /** Levels of the grouping factor with no selected patient (no column). */
  emptyGroups: string[];
  variables: Table1VariableResult[];
  /** Why there is no table (no patients), else null. */
  message: string | null;
  /** A caveat about the comparison (one group only), else null. */
  note: string | null;
}

/**
 * Quantile of sorted values as R's `quantile(x, p, type = 7)` (the default): linear interpolation
 * between order statistics at h = (n − 1)p. Null for no values.
 */
export function quantileType7(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (!n) return null;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Median and quartiles (type 7, as R's `quantile`/`summary`) of the finite values; nulls when there are none. */
export function medianIQR(values: ArrayLike<number>): {n: number; median: number | null; q1: number | null; q3: number | null} {
  const v = Float64Array.from(Array.prototype.filter.call(values, (x: number) => Number.isFinite(x)) as number[]).sort();
  return {n: v.length, median: quantileType7(v, 0.5), q1: quantileType7(v, 0.25), q3: quantileType7(v, 0.75)};
}

/** Text value of a categorical cell (null when missing). */
function labelAt(table: CohortTable, column: string, codes: Readonly<Record<number, string>> | undefined, i: number): string | null {
  const c = table.column(column);
  if (isNA(c, i)) return null;
  const v = c.values[i] as number | string;
  if (codes && typeof v === "number" && codes[v] !== undefined) return codes[v];
  return String(v);
}

/** Levels of a categorical variable in display order: the factor's order, else the column's, with code labels. */
function levelOrder(table: CohortTable, v: Table1Variable, factors: readonly Factor[]): string[] {
  const factor = factors.find((f) => f.column === v.column);
  const present = levelsOf(table, v.column);
  const mapped = v.codes ? present.map((x) => v.codes![Number(x)] ?? x) : present;
  const ordered = v.codes ? Object.keys(v.codes).sort((a, b) => +b - +a).map((k) => v.codes![+k]).filter((l) => mapped.includes(l)) : [];
  const base = factor ? factor.levels : ordered;
  return [...base.filter((l) => mapped.includes(l)), ...mapped.filter((l) => !base.includes(l))];
}

/**
 * Table 1 of the rows where `mask` is 1, overall and (with `groupBy`, a factor column) by group:
 * - categorical variables: n (%) of each level, percentages of the patients with a value in that column;
 *   test: Pearson's chi-squared of independence on levels × groups, as R's `chisq.test(table(x, g),
 *   correct = FALSE)`, flagged when an expected count is below 5;
 * - continuous variables: median (IQR), quartiles as R's `quantile(type = 7)`; test: Kruskal–Wallis, as
 *   `kruskal.test(x, g)` (for two groups the Wilcoxon rank-sum test without continuity correction);
 * - a "Missing" line under any variable with missing values among the selected patients (counts only).
 * Patients missing the grouping factor appear in Overall only and are excluded from the tests. Levels
 * and groups with no selected patient are left out of the tests (as `chisq.test` would see zero margins).
 * p-values on [0, 1]; counts are patients; medians in the column's units.
 */
export function table1(table: CohortTable, mask: Uint8Array, {groupBy = null, factors = [], variables = TABLE1_VARIABLES}: {groupBy?: string | null; factors?: readonly Factor[]; variables?: readonly Table1Variable[]} = {}): Table1 {
  const rows: number[] = [];
  for (let i = 0; i < mask.length; ++i) if (mask[i]) rows.push(i);
  const n = rows.length;
  const group = groupBy && table.has(groupBy) ? groupBy : null;
  const groupFactor = group ? factors.find((f) => f.column === group) : undefined;
  const groupLabel = group ? groupFactor?.label ?? group : null;
  const base = {n, groupBy: group, groupLabel, groupMissing: 0, emptyGroups: [] as string[], variables: [] as Table1VariableResult[]};
  if (!n) return {...base, data: {columns: [], rows: []}, message: "No patients match these filters", note: null};

  // Group index of each selected row (−1: missing group), columns = overall + non-empty groups.
  const allLevels = group ? groupFactor?.levels ?? levelsOf(table, group) : [];
  const gIndex = new Int32Array(n).fill(-1);
  const gCount = new Float64Array(allLevels.length);
  let groupMissing = 0;
  if (group) {
    const index = new Map(allLevels.map((l, k) => [l, k]));
    rows.forEach((i, r) => {
      const l = labelAt(table, group, undefined, i);
      const k = l === null ? undefined : index.get(l);
      if (k === undefined) ++groupMissing;
      else (gIndex[r] = k), (gCount[k] += 1);
    });
  }
  const kept = allLevels.map((_, k) => k).filter((k) => gCount[k] > 0);
  const emptyGroups = allLevels.filter((_, k) => gCount[k] === 0);
  const col = new Int32Array(allLevels.length).fill(-1); // level index → column among kept groups
  kept.forEach((k, j) => (col[k] = j));
  const G = kept.length;
  const columns = [{label: "Overall", n}, ...kept.map((k) => ({label: allLevels[k], n: gCount[k]}))];
  const testing = group !== null;
  const note = testing && G < 2 ? `Only one ${groupLabel} group among the selected patients: no comparison` : null;

  const out: Table1Row[] = [];
  const results: Table1VariableResult[] = [];
  for (const v of variables) {
    if (!table.has(v.column) || v.column === group) continue;
    const c = table.column(v.column);
    if (v.kind === "continuous" && c.type !== "number") continue;
    const heading = v.note ? `${v.label} (${v.note})` : v.label;
    const digits = v.digits ?? 1;
    // missing per column (overall, then groups)
    const missing = new Float64Array(G + 1);
    if (v.kind === "categorical") {
      const levels = levelOrder(table, v, factors);
      const li = new Map(levels.map((l, k) => [l, k]));
      const counts = levels.map(() => new Float64Array(G + 1));
      rows.forEach((i, r) => {
        const l = labelAt(table, v.column, v.codes, i);
        const j = gIndex[r] >= 0 ? col[gIndex[r]] + 1 : 0;
        if (l === null) {
          missing[0] += 1;
          if (j > 0) missing[j] += 1;
          return;
        }
        const k = li.get(l)!;
        counts[k][0] += 1;
        if (j > 0) counts[k][j] += 1;
      });
      const totals = Array.from({length: G + 1}, (_, j) => counts.reduce((s, x) => s + x[j], 0));
      let test: Table1Test | null = null;
      if (testing) {
        const t = chiSquaredIndependence(counts.map((x) => Array.from(x.subarray(1))));
        const reason = reasonText(t.reason);
        test = {name: t.statistic === null ? `Not tested: ${reason}` : t.smallExpected ? TABLE1_TESTS.chiSquaredSmall : TABLE1_TESTS.chiSquared, statistic: t.statistic, df: t.df, p: t.p, smallExpected: t.smallExpected, reason};
      }
      out.push({label: heading, cells: columns.map(() => null), ...(test ? {p: test.p, test: test.name} : {})});
      levels.forEach((l, k) => out.push({label: l, level: true, cells: columns.map((_, j): CohortCell => ({n: counts[k][j], of: totals[j]}))}));
      if (missing[0] > 0) out.push({label: "Missing", level: true, cells: columns.map((_, j): CohortCell => ({n: missing[j]}))});
      results.push({column: v.column, label: v.label, kind: v.kind, digits, missing: missing[0], test, levels: levels.map((l, k) => ({level: l, n: counts[k][0]}))});
    } else {
      const values = new Float64Array(n);
      const groups = new Int32Array(n);
      const byColumn: number[][] = columns.map(() => []);
      rows.forEach((i, r) => {
        const j = gIndex[r] >= 0 ? col[gIndex[r]] + 1 : 0;
        groups[r] = j - 1; // −1: no group (left out of the test)
        if (isNA(c, i) || !Number.isFinite(c.values[i] as number)) {
          values[r] = NaN;
          missing[0] += 1;
          if (j > 0) missing[j] += 1;
          return;
        }
        const x = c.values[i] as number;
        values[r] = x;
        byColumn[0].push(x);
        if (j > 0) byColumn[j].push(x);
      });
      const summaries = byColumn.map((xs) => medianIQR(xs));
      let test: Table1Test | null = null;
      if (testing) {
        const t = kruskalWallis(values, groups);
        const reason = reasonText(t.reason);
        const name = t.statistic === null ? `Not tested: ${reason}` : t.df === 1 ? TABLE1_TESTS.wilcoxon : TABLE1_TESTS.kruskalWallis;
        test = {name, statistic: t.statistic, df: t.df, p: t.p, smallExpected: false, reason};
      }
      out.push({label: heading, cells: summaries.map((s): CohortCell => ({median: s.median, q1: s.q1, q3: s.q3})), digits, ...(test ? {p: test.p, test: test.name} : {})});
      if (missing[0] > 0) out.push({label: "Missing", level: true, cells: columns.map((_, j): CohortCell => ({n: missing[j]}))});
      results.push({column: v.column, label: v.label, kind: v.kind, digits, missing: missing[0], test, summary: summaries[0]});
    }
  }
  return {...base, groupMissing, emptyGroups, variables: results, data: {columns, rows: out}, message: null, note};
}
