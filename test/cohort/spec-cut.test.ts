// The optional `cut` part of the analysis spec (cut points of a numeric grouping column, used by the
// Subgroups page): round trips, readable form, and invalid values reported and ignored.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import {decodeSpec, emptySpec, encodeSpec, type AnalysisSpec} from "../../src/cohort/spec.js";

const COLUMNS = ["age", "sex", "interval_days"];

describe("analysis spec: cut points", () => {
  it("encodeSpec → decodeSpec round-trips cut points (property)", () => {
    const points = fc
      .uniqueArray(fc.double({min: -1e6, max: 1e6, noNaN: true}).map((x) => x + 0), {minLength: 1, maxLength: 20})
      .map((a) => a.sort((x, y) => x - y));
    fc.assert(
      fc.property(points, fc.constantFrom("le" as const, "lt" as const), (p, closed) => {
        const spec: AnalysisSpec = {...emptySpec(), groupBy: "age", cut: {points: p, closed}};
        const back = decodeSpec(encodeSpec(spec), {columns: COLUMNS});
        expect(back.problems).toEqual([]);
        expect(back.spec).toEqual(spec);
      }),
      {numRuns: 500}
    );
  });

  it("a cut encodes as cut=le:9 after the group, and a spec without a cut has no cut key", () => {
    expect(encodeSpec({...emptySpec(), groupBy: "age", cut: {points: [9], closed: "le"}})).toBe("v=1&group=age&cut=le%3A9");
    expect(encodeSpec({...emptySpec(), groupBy: "interval_days", cut: {points: [180, 365.5], closed: "lt"}})).toBe("v=1&group=interval_days&cut=lt%3A180%2C365.5");
    expect(encodeSpec({...emptySpec(), groupBy: "age", cut: null})).toBe("v=1&group=age");
    expect(encodeSpec({...emptySpec(), groupBy: "age", cut: {points: [], closed: "le"}})).toBe("v=1&group=age");
    expect("cut" in decodeSpec("v=1&group=age", {columns: COLUMNS}).spec).toBe(false);
  });

  it("invalid cut values are reported and ignored; the rest of the link applies", () => {
    for (const [value, reason] of [
      ["9", "expected le:<points> or lt:<points>"],
      ["ge:9", "expected le:<points> or lt:<points>"],
      ["le:9,5", "strictly increasing"],
      ["le:9,9", "strictly increasing"],
      ["le:1e309", "not a finite number"],
      ["le:NaN", "not a finite number"],
      ["le:", "expected le:<points>"],
      ["le:<script>", "not a finite number"],
      [`le:${Array.from({length: 21}, (_, i) => i).join(",")}`, "more than 20 cut points"]
    ]) {
      const d = decodeSpec(`v=1&group=age&cut=${encodeURIComponent(value)}&horizon=730.5`, {columns: COLUMNS});
      expect(d.spec.groupBy).toBe("age");
      expect(d.spec.horizon).toBe(730.5);
      expect(d.spec.cut).toBeUndefined();
      expect(d.problems.map((p) => p.message).join("|")).toContain(reason);
      expect(d.problems.map((p) => p.message).join("|")).not.toContain("<script>");
    }
  });

  it("a cut without a grouping column, or on a text column of the loaded table, is ignored with a message", async () => {
    const noGroup = decodeSpec("v=1&cut=le:9", {columns: COLUMNS});
    expect(noGroup.spec.cut).toBeUndefined();
    expect(noGroup.problems[0].message).toContain("numeric grouping column");
    const {table} = await readTable(new TextEncoder().encode("age,sex\n3.5,F\n12,M\n"), {name: "t.csv"});
    const onText = decodeSpec("v=1&group=sex&cut=le:9", {columns: table!});
    expect(onText.spec.groupBy).toBe("sex");
    expect(onText.spec.cut).toBeUndefined();
    const onNumber = decodeSpec("v=1&group=age&cut=le:9", {columns: table!});
    expect(onNumber.spec.cut).toEqual({points: [9], closed: "le"});
    expect(onNumber.problems).toEqual([]);
  });

  it("a repeated cut keeps the first", () => {
    const d = decodeSpec("v=1&group=age&cut=le:9&cut=lt:5", {columns: COLUMNS});
    expect(d.spec.cut).toEqual({points: [9], closed: "le"});
    expect(d.problems[0].message).toContain("more than once");
  });
});
