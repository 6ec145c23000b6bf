// Derived variables, filters and CSV export. Expected values are hand-computed from the literal inputs;
// cut() follows R's cut(x, breaks, right = TRUE, include.lowest = FALSE) interval rules.
import {describe, expect, it} from "vitest";
import {cut, DAYS_PER_UNIT, deriveAgeLe9, deriveLateRelapse, durationBetween} from "../../src/cohort/derive.js";
import {applyFilters, filterMask} from "../../src/cohort/filters.js";
import {neutraliseCell, toCsv} from "../../src/cohort/exportCsv.js";
import {CohortError} from "../../src/cohort/problems.js";
import {readTable} from "../../src/cohort/readTable.js";
import type {CohortTable, NumberColumn, StringColumn} from "../../src/cohort/table.js";

async function table(text: string): Promise<CohortTable> {
  const {table, report} = await readTable(text, {name: "t.csv"});
  if (!table) throw new Error(report.messages.join("\n"));
  return table;
}
const num = (t: CohortTable, n: string) => t.column(n) as NumberColumn;

describe("derived variables", () => {
  it("age_le9 and late_relapse are new 0/1 columns with labels; missing stays missing (never 0)", async () => {
    const t = await table("age,interval_days\n9,179\n9.1,180\nNA,500\n3,\n");
    const d = deriveLateRelapse(deriveAgeLe9(t));
    expect(d.names).toEqual(["age", "interval_days", "age_le9", "late_relapse"]);
    expect(t.names).toEqual(["age", "interval_days"]);
    const a = num(d, "age_le9");
    expect(Array.from(a.values.subarray(0, 2))).toEqual([1, 0]);
    expect(a.values[3]).toBe(1);
    expect(a.missing[2]).toBe(1);
    expect(a.label).toBe("Age ≤ 9 years (from age)");
    expect(a.codeLabels!.get(1)).toBe("≤ 9 years");
    const l = num(d, "late_relapse");
    expect(Array.from(l.values.subarray(0, 3))).toEqual([0, 1, 1]);
    expect(l.missing[3]).toBe(1);
    expect(l.label).toBe("Relapse ≥ 180 days after first SCT (from interval_days)");
  });

  it("cut() makes ordered interval labels as R's cut (right-closed), values outside the breaks are missing and listed", async () => {
    const t = await table("age\n0\n5\n9\n9.5\n18\n30\nNA\n");
    const {table: c, problems} = cut(t, "age", [0, 9, 18]);
    const col = c.column("age_cut") as StringColumn;
    expect(col.values).toEqual([null, "(0, 9]", "(0, 9]", "(9, 18]", "(9, 18]", null, null]);
    expect(col.levels).toEqual(["(0, 9]", "(9, 18]"]);
    expect(problems.map((p) => p.message)).toEqual(["age_cut: 2 values are outside the breaks 0–18 and set missing (rows 1 and 6)"]);
    const low = cut(t, "age", [0, 9, 18], {includeLowest: true, labels: ["young", "older"], name: "ageband"});
    expect((low.table.column("ageband") as StringColumn).values.slice(0, 3)).toEqual(["young", "young", "young"]);
    const left = cut(t, "age", [0, 9, Infinity], {right: false});
    expect((left.table.column("age_cut") as StringColumn).values.slice(0, 6)).toEqual(["[0, 9)", "[0, 9)", "[9, ∞)", "[9, ∞)", "[9, ∞)", "[9, ∞)"]);
    expect(() => cut(t, "age", [5, 1])).toThrow("cut(age): breaks must be at least two strictly increasing numbers (got 5, 1)");
    expect(() => cut(t, "age", [0, 5, 9], {labels: ["a"]})).toThrow("cut(age): 1 labels for 2 intervals");
  });

  it("durations from dates carry their unit (month = 30.4375 days); an end before its start is an error listing rows", async () => {
    const t = await table("sct,last\n2020-01-01,2020-03-01\n2020-01-01,NA\n2019-12-31,2020-12-31\n");
    const {table: d} = durationBetween(t, "sct", "last", {unit: "days", name: "fu_days"});
    expect(Array.from(num(d, "fu_days").values.subarray(0, 1))).toEqual([60]);
    expect(num(d, "fu_days").missing[1]).toBe(1);
    expect(num(d, "fu_days").values[2]).toBe(366);
    const months = durationBetween(t, "sct", "last", {unit: "months"}).table;
    expect(num(months, "last_minus_sct_months").values[0]).toBe(60 / 30.4375);
    expect(num(months, "last_minus_sct_months").label).toBe("last − sct, in months (1 month = 30.4375 days)");
    expect(DAYS_PER_UNIT.months).toBe(30.4375);
    const bad = await table("sct,last\n2020-01-02,2020-01-01\n2020-01-01,2020-02-01\n2020-05-01,2020-04-01\n");
    expect(() => durationBetween(bad, "sct", "last", {unit: "days"})).toThrow("last is before sct in 2 rows (rows 1 and 3; first: 2020-01-02 → 2020-01-01)");
  });
});

describe("filters", () => {
  const csv = "age,sex,dx,grp\n5,M,2020-01-01,1\n12,F,2021-06-01,2\nNA,M,NA,3\n9,NA,2019-01-01,1\n";

  it("every operator, in one pass; missing values never match (not even !=)", async () => {
    const t = await table(csv);
    const mask = (f: Parameters<typeof filterMask>[1]) => Array.from(filterMask(t, f).mask);
    expect(mask([{column: "age", op: "<=", value: 9}])).toEqual([1, 0, 0, 1]);
    expect(mask([{column: "age", op: "!=", value: 5}])).toEqual([0, 1, 0, 1]);
    expect(mask([{column: "age", op: "between", value: [6, 12]}])).toEqual([0, 1, 0, 1]);
    expect(mask([{column: "age", op: "in", value: [5, 12]}])).toEqual([1, 1, 0, 0]);
    expect(mask([{column: "sex", op: "==", value: "M"}])).toEqual([1, 0, 1, 0]);
    expect(mask([{column: "sex", op: "!=", value: "M"}])).toEqual([0, 1, 0, 0]);
    expect(mask([{column: "dx", op: ">=", value: "2020-01-01"}])).toEqual([1, 1, 0, 0]);
    expect(mask([{column: "age", op: ">", value: 4}, {column: "sex", op: "==", value: "M"}])).toEqual([1, 0, 0, 0]);
    expect(mask([])).toEqual([1, 1, 1, 1]);
    // An empty `in` list (every level of a factor unticked) is a valid filter that selects no row, as R's
    // `x %in% c()`: applied, and only the usual "no patients match" notice.
    expect(mask([{column: "sex", op: "in", value: []}])).toEqual([0, 0, 0, 0]);
    const none = filterMask(t, [{column: "sex", op: "in", value: []}]);
    expect(none.applied).toHaveLength(1);
    expect(none.problems.map((p) => p.code)).toEqual(["no-rows-match"]);
  });

  it("invalid filters are reported and ignored while the rest apply; nothing is evaluated as code", async () => {
    const t = await table(csv);
    const r = filterMask(t, [
      {column: "age", op: "<=", value: 9},
      {column: "sex", op: "<", value: "M"},
      {column: "nope", op: "==", value: 1},
      {column: "age", op: "===" as never, value: 1},
      {column: "age", op: "==", value: "process.exit(1)"},
      {column: "age", op: "between", value: [9, 1]},
      {column: "age", op: ">", value: Infinity}
    ]);
    expect(Array.from(r.mask)).toEqual([1, 0, 0, 1]);
    expect(r.applied).toHaveLength(1);
    expect(r.problems.map((p) => p.message)).toEqual([
      "filter 'sex' <: < needs a number or date column; sex is text",
      "filter 'nope' ==: no column 'nope'",
      "filter 'age' ===: unknown operator (use == != < <= > >= in between)",
      "filter 'age' ==: values must be finite numbers for the number column age",
      "filter 'age' between: between needs low ≤ high (got 9, 1)",
      "filter 'age' >: values must be finite numbers for the number column age",
      "2 of 4 patients match the filters"
    ]);
  });

  it("no match is reported, the mask kept; applyFilters throws for any invalid filter", async () => {
    const t = await table(csv);
    const none = filterMask(t, [{column: "age", op: ">", value: 100}]);
    expect(none.count).toBe(0);
    expect(none.problems.map((p) => p.message)).toEqual(["No patients match the filters"]);
    expect(() => applyFilters(t, [{column: "grp", op: "in", value: 1}])).toThrow(CohortError);
    expect(() => applyFilters(t, [{column: "grp", op: "in", value: 1}])).toThrow("filter 'grp' in: in needs an array of values");
    expect(applyFilters(t, [{column: "grp", op: "==", value: 1}]).count).toBe(2);
  });

  it("selectRows keeps columns, masks and raw values of the selected rows", async () => {
    const t = await table(csv);
    const s = t.selectRows(filterMask(t, [{column: "grp", op: "==", value: 1}]).mask);
    expect(s.numRows).toBe(2);
    expect(Array.from(num(s, "age").values)).toEqual([5, 9]);
    expect((s.column("sex") as StringColumn).values).toEqual(["M", null]);
    expect(s.column("sex").missingCount).toBe(1);
    expect(s.column("dx").raw).toEqual(["2020-01-01", "2019-01-01"]);
  });
});

describe("CSV export (catalogue row 53)", () => {
  it("text cells starting with = + - @ are neutralised; numbers (negative too) stay numbers; missing is empty", () => {
    const csv = toCsv([
      {name: "label", values: ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "plain", 'a "q", b', null]},
      {name: "hr", values: [-0.5, 1, NaN, Infinity, 2.5e-10, 0, null]}
    ]);
    expect(csv.split("\r\n")).toEqual([
      "label,hr",
      "\"'=HYPERLINK(\"\"x\"\")\",-0.5",
      "'+1,1",
      "'-2,",
      "'@SUM(A1),",
      "plain,2.5e-10",
      '"a ""q"", b",0',
      ",",
      ""
    ]);
    expect(neutraliseCell("=1+1")).toBe("'=1+1");
    expect(toCsv([{name: "=cmd", values: []}])).toBe("'=cmd\r\n");
  });
});
