// Table 1 of the Cohort page against R on the synthetic Kato 2012 cohort, and its edge cases.
// Expected values: test/reference/table1-kato2012.R → table1-kato2012.json (R 4.2.2): table(x),
// chisq.test(table(x, g), correct = FALSE) (expected < 5 flag from $expected), quantile(type = 7),
// kruskal.test(x, factor(g)).
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import type {CohortTable} from "../../src/cohort/table.js";
import {cohortTableModel} from "../../src/components/table.js";
import {loadStudyCohort, selectRows, type Factor} from "../../src/study/cohort.js";
import {medianIQR, quantileType7, table1, TABLE1_TESTS, type Table1Variable} from "../../src/study/table1.js";
import {assertClose} from "../util/close.js";

interface Quartiles {
  n: number;
  median: number | null;
  q1: number | null;
  q3: number | null;
}
interface VarRef {
  kind: "categorical" | "continuous";
  counts?: Record<string, number>;
  overall?: Quartiles;
  byGroup?: Record<string, Quartiles>;
  test?: {statistic: number | null; df: number; p: number | null; smallExpected?: boolean};
}
interface ScenarioRef {
  label: string;
  group: string | null;
  n: number;
  groupCounts: Record<string, number> | null;
  variables: Record<string, VarRef>;
}
const ref = JSON.parse(readFileSync("test/reference/table1-kato2012.json", "utf8")) as {scenarios: ScenarioRef[]};

const loaded = await loadStudyCohort(readFileSync("data/kato2012-synthetic.csv"), "kato2012-synthetic.csv");
if (!loaded.table) throw new Error("cohort not loaded");
const cohort = loaded.table;
const factors = "factors" in loaded ? loaded.factors : [];

function maskFor(label: string): Uint8Array {
  if (label === "all") return new Uint8Array(cohort.numRows).fill(1);
  if (label === "CR at second SCT") return selectRows(cohort, [{column: "status_sct2", op: "==", value: "CR"}]).mask;
  if (label === "RIC") return selectRows(cohort, [{column: "conditioning", op: "==", value: "RIC"}]).mask;
  throw new Error(label);
}

async function tableFrom(csv: string): Promise<CohortTable> {
  const {table} = await readTable(new TextEncoder().encode(csv), {name: "t.csv"});
  if (!table) throw new Error("not read");
  return table;
}

describe("table1 on the synthetic cohort matches R", () => {
  for (const s of ref.scenarios)
    it(`${s.label}, by ${s.group ?? "nothing (overall only)"}: counts, quartiles, chisq.test and kruskal.test`, () => {
      const t = table1(cohort, maskFor(s.label), {groupBy: s.group, factors});
      expect(t.n).toBe(s.n);
      expect(t.message).toBeNull();
      // columns: Overall, then each group with its n
      expect(t.data.columns[0]).toEqual({label: "Overall", n: s.n});
      if (s.groupCounts) expect(Object.fromEntries(t.data.columns.slice(1).map((c) => [c.label, c.n]))).toEqual(s.groupCounts);
      else expect(t.data.columns).toHaveLength(1);
      const seen = new Set<string>();
      for (const v of t.variables) {
        const r = s.variables[v.column === "ph" ? "ph" : v.column];
        expect(r, v.column).toBeDefined();
        seen.add(v.column);
        if (v.kind === "categorical") {
          expect(Object.fromEntries(v.levels!.filter((l) => l.n > 0).map((l) => [l.level, l.n]))).toEqual(r.counts);
        } else {
          const o = r.overall!;
          expect(v.summary!.n).toBe(o.n);
          assertClose([v.summary!.median, v.summary!.q1, v.summary!.q3], [o.median, o.q1, o.q3], {label: `${v.column} quartiles`});
        }
        if (!s.group) {
          expect(v.test).toBeNull();
          continue;
        }
        const test = v.test!;
        assertClose(test.statistic, r.test!.statistic, {label: `${v.column} statistic`});
        assertClose(test.p, r.test!.p, {rtol: 1e-6, label: `${v.column} p`});
        expect(test.df).toBe(r.test!.df);
        if (v.kind === "categorical") {
          expect(test.smallExpected).toBe(r.test!.smallExpected);
          expect(test.name).toEqual(test.statistic === null ? expect.stringMatching(/^Not tested/) : r.test!.smallExpected ? TABLE1_TESTS.chiSquaredSmall : TABLE1_TESTS.chiSquared);
        } else expect(test.name).toBe(r.test!.df === 1 ? TABLE1_TESTS.wilcoxon : TABLE1_TESTS.kruskalWallis);
      }
      // every variable R summarised is in the table (the grouping factor itself is not a row)
      expect([...seen].sort()).toEqual(Object.keys(s.variables).sort());
      // by-group quartiles of the continuous variables, from the table's cells
      if (s.group)
        for (const [column, r] of Object.entries(s.variables)) {
          if (r.kind !== "continuous") continue;
          const row = t.data.rows.find((x) => !x.level && x.label.startsWith(t.variables.find((v) => v.column === column)!.label))!;
          t.data.columns.forEach((c, j) => {
            if (j === 0) return;
            const q = r.byGroup![c.label];
            const cell = row.cells[j] as {median: number | null; q1: number | null; q3: number | null};
            assertClose([cell.median, cell.q1, cell.q3], [q.median, q.q1, q.q3], {label: `${column} in ${c.label}`});
          });
        }
    });
});

describe("table1 shapes and edge cases", () => {
  it("percentages use the patients with a value; a Missing line counts the others per column", async () => {
    const t = await tableFrom("age,sex,grp\n5,F,a\n7,,a\n,M,b\n12,M,b\n9,F,\n");
    const vars: Table1Variable[] = [
      {column: "age", label: "Age", kind: "continuous"},
      {column: "sex", label: "Sex", kind: "categorical"}
    ];
    const factor: Factor = {column: "grp", label: "Group", levels: ["a", "b"]};
    const r = table1(t, new Uint8Array(5).fill(1), {groupBy: "grp", factors: [factor], variables: vars});
    expect(r.groupMissing).toBe(1);
    expect(r.data.columns).toEqual([{label: "Overall", n: 5}, {label: "a", n: 2}, {label: "b", n: 2}]);
    expect(r.data.rows.map((x) => x.label)).toEqual(["Age", "Missing", "Sex", "F", "M", "Missing"]);
    expect(r.data.rows[1].cells).toEqual([{n: 1}, {n: 0}, {n: 1}]);
    expect(r.data.rows[3].cells).toEqual([{n: 2, of: 4}, {n: 1, of: 1}, {n: 0, of: 2}]);
    expect(r.data.rows[5].cells).toEqual([{n: 1}, {n: 1}, {n: 0}]);
    expect(r.variables.map((v) => [v.column, v.missing])).toEqual([["age", 1], ["sex", 1]]);
    // age overall: 5, 7, 9, 12 → type-7 quartiles 6.5, 8, 9.75
    expect(r.data.rows[0].cells[0]).toEqual({median: 8, q1: 6.5, q3: 9.75});
    // the component lays it out: header counts, P column, footnote naming the tests
    const model = cohortTableModel(r.data);
    expect(model.headers).toEqual(["Characteristic", "Overall (n = 5)", "a (n = 2)", "b (n = 2)", "P"]);
    expect(model.footnote).toMatch(/Wilcoxon rank-sum test/);
    expect(model.footnote).toMatch(/expected counts are below 5/);
  });

  it("no patients: a message and no rows", () => {
    const r = table1(cohort, new Uint8Array(cohort.numRows), {groupBy: "age_group", factors});
    expect(r.message).toBe("No patients match these filters");
    expect(r.data.rows).toEqual([]);
  });

  it("one group selected: no test, the reason named, a note; no NaN anywhere", () => {
    const mask = selectRows(cohort, [{column: "age_group", op: "==", value: "≤ 9 years"}]).mask;
    const r = table1(cohort, mask, {groupBy: "age_group", factors});
    expect(r.note).toMatch(/Only one Age at second SCT group/);
    expect(r.emptyGroups).toEqual(["> 9 years"]);
    expect(r.data.columns).toHaveLength(2);
    for (const v of r.variables) {
      expect(v.test!.p).toBeNull();
      expect(v.test!.name).toMatch(/^Not tested: fewer than 2 groups with a value$/);
    }
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
    expect(JSON.stringify(r.data)).not.toMatch(/null,"q1":null/); // every median defined here
  });

  it("a variable with a single level in the selection is not tested (chisq.test needs 2 rows)", async () => {
    const t = await tableFrom("sex,grp\nF,a\nF,b\nF,a\nF,b\n");
    const r = table1(t, new Uint8Array(4).fill(1), {groupBy: "grp", factors: [{column: "grp", label: "G", levels: ["a", "b"]}], variables: [{column: "sex", label: "Sex", kind: "categorical"}]});
    expect(r.variables[0].test).toMatchObject({p: null, reason: "one level only among the patients compared", name: "Not tested: one level only among the patients compared"});
  });

  it("coded 0/1 columns are shown with their labels; the grouping factor is not a row", async () => {
    const t = await tableFrom("same_donor,sex\n1,F\n0,M\n0,F\n");
    const r = table1(t, new Uint8Array(3).fill(1), {groupBy: "sex", factors: [{column: "sex", label: "Sex", levels: ["F", "M"]}]});
    expect(r.data.rows.map((x) => x.label)).toEqual(["Same donor as first SCT", "Yes", "No"]);
    expect(r.data.rows[1].cells[0]).toEqual({n: 1, of: 3});
  });

  it("quantileType7 and medianIQR follow R's quantile(type = 7)", () => {
    // quantile(c(1, 2, 4, 10), c(.25, .5, .75)) = 1.75, 3, 5.5
    expect([0.25, 0.5, 0.75].map((p) => quantileType7([1, 2, 4, 10], p))).toEqual([1.75, 3, 5.5]);
    expect(quantileType7([], 0.5)).toBeNull();
    expect(medianIQR([3, NaN, 1, 2])).toEqual({n: 3, median: 2, q1: 1.5, q3: 2.5});
    expect(medianIQR([])).toEqual({n: 0, median: null, q1: null, q3: null});
  });
});
