import {describe, it, assert} from "vitest";
import {readFileSync} from "node:fs";
import {landmark} from "../../src/survival/landmark.js";
import {SurvivalInputError} from "../../src/survival/errors.js";
import {readCsvColumns, numeric} from "../util/csv.js";

// Expected rows: R by hand in test/reference/split-bmt.R (subset(bmt, t1 > 100); t1 - 100;
// agvhd100 = agvhd_day <= 100), stored in test/reference/split-bmt.json under "landmark".
const ref = JSON.parse(readFileSync("test/reference/split-bmt.json", "utf8")).landmark;
const raw = readCsvColumns("data/bmt.csv");
const da = numeric(raw, "da"), ta = numeric(raw, "ta");
const bmt = {
  id: Float64Array.from(da, (_, i) => i + 1),
  t1: numeric(raw, "t1"),
  d1: numeric(raw, "d1"),
  agvhd_day: Float64Array.from(da, (v, i) => (v === 1 ? ta[i] : NaN))
};

describe("landmark", () => {
  it("landmark(bmt, day 100) keeps those alive after day 100, restarts the clock and records aGVHD by day 100 as R does", () => {
    const res = landmark(bmt, {time: "t1", landmark: ref.landmark, eventTime: "agvhd_day", covariateName: "agvhd100"});
    assert.strictEqual(res.n, ref.rows.id.length);
    assert.strictEqual(res.excluded, 137 - ref.rows.id.length);
    assert.deepStrictEqual(Array.from(res.columns.id as Float64Array), ref.rows.id);
    assert.deepStrictEqual(Array.from(res.columns.t1 as Float64Array), ref.rows.t1);
    assert.deepStrictEqual(Array.from(res.columns.d1 as Float64Array), ref.rows.d1);
    assert.deepStrictEqual(Array.from(res.columns.agvhd100 as Float64Array), ref.rows.agvhd100);
    assert.deepStrictEqual(Array.from(res.row), ref.rows.id.map((id: number) => id - 1));
    assert.deepStrictEqual(res.dropped, {total: 0, reasons: []});
  });

  it("landmark excludes times exactly at the landmark, counts missing times and keeps later onsets at 0", () => {
    // By hand: L = 10. Row 0 (t 10) is not at risk after L; row 1 has no time; row 3's onset 12 is after L.
    const res = landmark(
      {t: [10, null, 15, 30, 11.5], e: [1, 0, 0, 1, 2], on: [2, 3, 10, 12, null], g: ["a", "b", "c", "d", "e"]},
      {time: "t", landmark: 10, eventTime: "on", covariateName: "by10"}
    );
    assert.deepStrictEqual(Array.from(res.row), [2, 3, 4]);
    assert.deepStrictEqual(Array.from(res.columns.t as Float64Array), [5, 20, 1.5]);
    assert.deepStrictEqual(res.columns.e, [0, 1, 2]);
    assert.deepStrictEqual(res.columns.g, ["c", "d", "e"]);
    assert.deepStrictEqual(Array.from(res.columns.by10 as Float64Array), [1, 0, 0]);
    assert.strictEqual(res.excluded, 1);
    assert.deepStrictEqual(res.dropped, {total: 1, reasons: [{field: "t", count: 1}]});
    const plain = landmark({t: [1, 2, 3]}, {time: "t", landmark: 0});
    assert.deepStrictEqual(Array.from(plain.columns.t as Float64Array), [1, 2, 3]);
    assert.deepStrictEqual(Object.keys(plain.columns), ["t"]);
  });

  it("landmark rejects an invalid landmark, times or a missing covariate name", () => {
    assert.throws(() => landmark({t: [1]}, {time: "t", landmark: -1}), SurvivalInputError, /landmark: -1/);
    assert.throws(() => landmark({t: [1, -2]}, {time: "t", landmark: 0}), SurvivalInputError, /t at row 2: -2/);
    assert.throws(() => landmark({t: [1], on: [0]}, {time: "t", landmark: 0, eventTime: "on"}), SurvivalInputError, /covariateName/);
    assert.throws(() => landmark({t: [1], on: ["x"]}, {time: "t", landmark: 0, eventTime: "on", covariateName: "c"}), SurvivalInputError, /on at row 1: "x"/);
  });
});
