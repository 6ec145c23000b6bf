// The page settings of the analysis spec (unit, test, trend, ties, landmark, mask, cmp, cmpEndpoint):
// round trips (fast-check), their place in the fragment, and hostile or invalid values reported and
// ignored while the rest of the link applies. Also: a text value with markup characters (a level such as
// "Early (< 180 days)") is accepted only when the loaded table holds it in that column.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import {
  decodeSpec,
  emptySpec,
  encodeSpec,
  ENDPOINTS,
  MAX_LANDMARK,
  MAX_MASK,
  SURVIVAL_TESTS,
  TIE_METHODS,
  TIME_UNITS,
  type AnalysisSpec,
  type SpecComparison
} from "../../src/cohort/spec.js";

const COLUMNS = ["age", "sex", "relapse_timing", "__proto__", "<img src=x onerror=alert(1)>", "名前"];
const plain = fc.stringMatching(/^[A-Za-z0-9 _.,:;()\-–≥≤é名]{1,30}$/).filter((s) => !/javascript:|data:|vbscript:/i.test(s));
const level = fc.oneof(fc.double({noNaN: true, noDefaultInfinity: true}).map((x) => x + 0), plain);
const comparison: fc.Arbitrary<SpecComparison> = fc
  .record({column: fc.constantFrom(...COLUMNS), level, reference: level})
  .filter((c) => c.level !== c.reference);
const settings = fc.record(
  {
    unit: fc.constantFrom(...TIME_UNITS),
    test: fc.constantFrom(...SURVIVAL_TESTS),
    trend: fc.boolean(),
    ties: fc.constantFrom(...TIE_METHODS),
    landmark: fc.double({min: Number.MIN_VALUE, max: MAX_LANDMARK, noNaN: true}),
    mask: fc.integer({min: 0, max: MAX_MASK}),
    comparison,
    comparisonEndpoint: fc.constantFrom(...ENDPOINTS)
  },
  {requiredKeys: []}
);

/** A small cohort with the study's relapse-timing levels (markup characters in a real value). */
async function cohort() {
  const csv = "age,sex,relapse_timing,grade\n3.5,F,Early (< 180 days),0\n12,M,Late (≥ 180 days),2\n8,M,Late (≥ 180 days),\n";
  const {table} = await readTable(new TextEncoder().encode(csv), {name: "t.csv"});
  return table!;
}

const messages = (d: {problems: {message: string}[]}) => d.problems.map((p) => p.message);

describe("analysis spec: page settings", () => {
  it("encodeSpec → decodeSpec round-trips every page setting (property)", () => {
    fc.assert(
      fc.property(settings, fc.option(fc.constantFrom(...ENDPOINTS), {nil: null}), (s, endpoint) => {
        const spec: AnalysisSpec = {...emptySpec(), endpoint, ...s};
        const back = decodeSpec(encodeSpec(spec), {columns: COLUMNS});
        expect(back.problems).toEqual([]);
        expect(back.spec).toEqual(spec);
      }),
      {numRuns: 500}
    );
  });

  it("settings are written after cov and before the filters, defaults (absent or null) are omitted", () => {
    const spec: AnalysisSpec = {
      ...emptySpec(),
      covariates: ["age"],
      filters: [{column: "sex", op: "==", value: "F"}],
      unit: "months",
      test: "peto",
      trend: false,
      ties: "breslow",
      landmark: 100,
      mask: 5,
      comparison: {column: "relapse_timing", level: "Late (≥ 180 days)", reference: "Early (< 180 days)"},
      comparisonEndpoint: "relapse"
    };
    const fragment = encodeSpec(spec);
    expect([...new URLSearchParams(fragment).keys()]).toEqual(["v", "cov", "unit", "test", "trend", "ties", "landmark", "mask", "cmp", "cmpEndpoint", "f"]);
    expect(fragment).toContain("&unit=months&test=peto&trend=0&ties=breslow&landmark=100&mask=5&cmp=");
    expect(new URLSearchParams(fragment).get("cmp")).toBe('["relapse_timing","Late (≥ 180 days)","Early (< 180 days)"]');
    expect(encodeSpec({...emptySpec(), unit: null, test: null, trend: null, ties: null, landmark: null, mask: null, comparison: null, comparisonEndpoint: null})).toBe("v=1");
    const none = decodeSpec("v=1", {columns: COLUMNS}).spec;
    for (const key of ["unit", "test", "trend", "ties", "landmark", "mask", "comparison", "comparisonEndpoint"]) expect(key in none).toBe(false);
  });

  it("invalid values are reported (one message naming the setting) and ignored; the rest of the link applies", () => {
    const cases: [string, string, string][] = [
      ["unit", "weeks", "Setting 'unit': unknown time unit 'weeks' (days, months, years); ignored"],
      ["unit", "Years", "unknown time unit 'Years'"],
      ["unit", "<script>alert(1)</script>", "Setting 'unit': value contains markup; ignored"],
      ["test", "wilcoxon", "Setting 'test': unknown test 'wilcoxon' (logrank, peto); ignored"],
      ["test", "javascript:alert(1)", "Setting 'test': value contains markup; ignored"],
      ["trend", "true", "Setting 'trend': 'true' is not 0 or 1; ignored"],
      ["trend", "2", "is not 0 or 1"],
      ["trend", "", "is not 0 or 1"],
      ["ties", "exact", "Setting 'ties': unknown tie method 'exact' (efron, breslow); ignored"],
      ["landmark", "0", "Setting 'landmark': '0' is not a finite number of days in (0, 3,650]; ignored"],
      ["landmark", "-30", "is not a finite number of days"],
      ["landmark", "3651", "is not a finite number of days"],
      ["landmark", "1e309", "is not a finite number of days"],
      ["landmark", "NaN", "is not a finite number of days"],
      ["landmark", "Infinity", "is not a finite number of days"],
      ["landmark", "0x10", "is not a finite number of days"],
      ["landmark", " 60", "is not a finite number of days"],
      ["landmark", "<svg onload=alert(1)>", "Setting 'landmark': (a value containing markup, not shown) is not a finite number"],
      ["mask", "21", "Setting 'mask': '21' is not a whole number from 0 to 20; ignored"],
      ["mask", "-1", "is not a whole number from 0 to 20"],
      ["mask", "5.5", "is not a whole number from 0 to 20"],
      ["mask", "1e1", "is not a whole number from 0 to 20"],
      ["mask", "005", "is not a whole number from 0 to 20"],
      ["cmpEndpoint", "death", "Setting 'cmpEndpoint': unknown endpoint 'death' (os, efs, relapse, nrm, refractory); ignored"],
      ["cmpEndpoint", "<b>os</b>", "Setting 'cmpEndpoint': value contains markup; ignored"],
      ["cmp", "sex", "Setting 'cmp' 'sex': not a JSON array [column, level, reference]; ignored"],
      ["cmp", '["sex","F"]', "not a JSON array [column, level, reference]"],
      ["cmp", '{"column":"sex"}', "not a JSON array [column, level, reference]"],
      ["cmp", '[1,"F","M"]', "column must be text"],
      ["cmp", '["sex","F","F"]', "the two levels must differ"],
      ["cmp", '["sex",1e309,"M"]', "levels must be finite numbers or plain text"],
      ["cmp", '["sex",null,"M"]', "levels must be finite numbers or plain text"],
      ["cmp", '["sex",["F"],"M"]', "levels must be finite numbers or plain text"],
      ["cmp", '["sex","<script>alert(1)</script>","M"]', "levels must be finite numbers or plain text"],
      ["cmp", '["nosuch","F","M"]', "Setting 'cmp': no column 'nosuch' in this dataset; ignored"],
      ["cmp", '["<script>","F","M"]', "Setting 'cmp': value contains markup or script and is not a column; ignored"]
    ];
    for (const [key, value, expected] of cases) {
      const d = decodeSpec(`v=1&${key}=${encodeURIComponent(value)}&horizon=730.5&group=age`, {columns: COLUMNS});
      expect(d.spec.horizon, `${key}=${value}`).toBe(730.5);
      expect(d.spec.groupBy).toBe("age");
      const field = {cmp: "comparison", cmpEndpoint: "comparisonEndpoint"}[key] ?? key;
      expect(field in d.spec, `${key}=${value} ignored`).toBe(false);
      expect(d.problems.length, `${key}=${value}`).toBe(1);
      expect(d.problems[0].message).toContain(expected);
      expect(d.problems[0].message).not.toMatch(/<|javascript:/);
    }
  });

  it("a repeated setting keeps the first, and says so", () => {
    const d = decodeSpec("v=1&unit=days&unit=years&ties=breslow&ties=efron&landmark=30&landmark=60&mask=5&mask=10&trend=1&trend=0", {columns: COLUMNS});
    expect(d.spec).toMatchObject({unit: "days", ties: "breslow", landmark: 30, mask: 5, trend: true});
    expect(messages(d).filter((m) => m.includes("appears more than once; the first is used"))).toHaveLength(5);
  });

  it("cmpEndpoint follows the decoder's endpoint list", () => {
    expect(decodeSpec("v=1&cmpEndpoint=os", {endpoints: ["os"]}).spec.comparisonEndpoint).toBe("os");
    const d = decodeSpec("v=1&cmpEndpoint=relapse", {endpoints: ["os"]});
    expect(d.spec.comparisonEndpoint).toBeUndefined();
    expect(messages(d)).toEqual(["Setting 'cmpEndpoint': unknown endpoint 'relapse' (os); ignored"]);
  });

  it("with the table loaded, cmp's levels must be values of the column (markup characters allowed only then)", async () => {
    const table = await cohort();
    const link = (c: unknown[]) => `v=1&cmp=${encodeURIComponent(JSON.stringify(c))}`;
    const ok = decodeSpec(link(["relapse_timing", "Late (≥ 180 days)", "Early (< 180 days)"]), {columns: table});
    expect(ok.problems).toEqual([]);
    expect(ok.spec.comparison).toEqual({column: "relapse_timing", level: "Late (≥ 180 days)", reference: "Early (< 180 days)"});
    // Without the table, a level with "<" is refused (it cannot be checked).
    expect(decodeSpec(link(["relapse_timing", "Late (≥ 180 days)", "Early (< 180 days)"]), {columns: COLUMNS}).spec.comparison).toBeUndefined();
    // Numeric levels of a numeric column.
    expect(decodeSpec(link(["grade", 2, 0]), {columns: table}).spec.comparison).toEqual({column: "grade", level: 2, reference: 0});
    for (const [c, expected] of [
      [["sex", "F", "X"], "Setting 'cmp': 'X' is not a value of 'sex'; ignored"],
      [["sex", "Y", "X"], "Setting 'cmp': 'Y' and 'X' are not values of 'sex'; ignored"],
      [["grade", 2, 1], "Setting 'cmp': '1' is not a value of 'grade'; ignored"],
      [["grade", "2", 0], "Setting 'cmp': '2' is not a value of 'grade'; ignored"],
      [["sex", "<img src=x>", "M"], "levels must be finite numbers or plain text"],
      [["relapse_timing", "Late (≥ 180 days)", "Early (< 180 days)<script>"], "levels must be finite numbers or plain text"]
    ] as [unknown[], string][]) {
      const d = decodeSpec(link(c), {columns: table});
      expect(d.spec.comparison, JSON.stringify(c)).toBeUndefined();
      expect(messages(d)).toHaveLength(1);
      expect(messages(d)[0]).toContain(expected);
      expect(messages(d)[0]).not.toMatch(/<img|<script/);
    }
  });

  it("a filter on a level with markup characters survives a link when the loaded table holds that level", async () => {
    const table = await cohort();
    const f = {column: "relapse_timing", op: "in" as const, value: ["Early (< 180 days)"]};
    const back = decodeSpec(encodeSpec({...emptySpec(), filters: [f]}), {columns: table});
    expect(back.problems).toEqual([]);
    expect(back.spec.filters).toEqual([f]);
    // Not a value of that column (or of the column named): refused as before.
    for (const bad of [
      {column: "relapse_timing", op: "in", value: ["Early (< 180 days)", "<script>alert(1)</script>"]},
      {column: "sex", op: "==", value: "Early (< 180 days)"},
      {column: "nosuch", op: "==", value: "Early (< 180 days)"}
    ]) {
      const d = decodeSpec(`v=1&f=${encodeURIComponent(JSON.stringify([bad.column, bad.op, bad.value]))}`, {columns: table});
      expect(d.spec.filters).toEqual([]);
      expect(messages(d)).toHaveLength(1);
      expect(messages(d)[0]).not.toMatch(/<script/);
    }
  });
});
