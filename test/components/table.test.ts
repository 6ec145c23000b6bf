// Table and forest-plot models (the DOM-free part of the components). Expected texts are written
// out by hand; the DOM rendering is checked in test/browser/pages.test.ts.
import {assert, describe, it} from "vitest";
import {cohortCellText, cohortTableModel, defaultCellText, ownMap, tableModel} from "../../src/components/table.js";
import {forestModel, isEstimable} from "../../src/components/forestPlot.js";

describe("tableModel", () => {
  it("tableModel(rows, {header, format}) looks headers and formats up as own properties only", () => {
    const rows = JSON.parse('[{"__proto__": "<b>x</b>", "constructor": 1.23456, "toString": 7, "valueOf": null}]');
    const m = tableModel(rows, {
      columns: ["__proto__", "constructor", "toString", "valueOf"],
      header: JSON.parse('{"__proto__": "Proto"}'),
      format: {constructor: (v: unknown) => `≈${(v as number).toFixed(1)}`}
    });
    assert.deepStrictEqual(m.headers, ["Proto", "constructor", "toString", "valueOf"]);
    assert.deepStrictEqual(m.cells, [["<b>x</b>", "≈1.2", "7", "—"]]);
    assert.deepStrictEqual(m.align, ["left", "right", "right", "left"]);
  });
  it("tableModel infers columns from own keys and never reads inherited members", () => {
    const m = tableModel([{a: 1}, {b: "x"}]);
    assert.deepStrictEqual(m.columns, ["a", "b"]);
    assert.deepStrictEqual(m.cells, [["1", "—"], ["—", "x"]]);
    const none = tableModel([{}], {columns: ["toString", "hasOwnProperty"]});
    assert.deepStrictEqual(none.cells, [["—", "—"]]);
    assert.strictEqual(Object.getPrototypeOf(ownMap({a: 1})), null);
  });
  it("tableModel masks counts below the threshold in maskColumns only", () => {
    const m = tableModel([{n: 3, m: 3}, {n: 0, m: 12}], {maskColumns: ["n"], maskBelow: 5});
    assert.deepStrictEqual(m.cells, [["<5", "3"], ["0", "12"]]);
  });
  it("defaultCellText prints 3 significant digits, integers as is, and '—' for undefined values", () => {
    assert.deepStrictEqual([0.045678, 1.5, 2, 123.456, -0.5, NaN, null, true, new Date(Date.UTC(2012, 4, 1))].map(defaultCellText), ["0.0457", "1.5", "2", "123", "\u22120.5", "—", "—", "yes", "2012-05-01"]);
  });
});

describe("cohortTableModel", () => {
  const data = {
    columns: [{label: "All", n: 71}, {label: "Small", n: 4}],
    rows: [
      {label: "Age", cells: [{median: 9.14, q1: 6.2, q3: 12.43}, {median: null}], p: 0.2134, test: "Wilcoxon rank-sum test"},
      {label: "Sex", cells: [null, null], p: 0.00042, test: "Fisher's exact test"},
      {label: "Male", level: true, cells: [{n: 40, of: 71}, {n: 3, of: 4}]},
      {label: "Female", level: true, cells: [{n: 31, of: 71}, {n: 1, of: 4}]},
      {label: "Centre", cells: [{text: "see text"}, {n: 2}]}
    ]
  };
  it("cohortTableModel writes n (%), median (IQR), P with test letters, and masks small cells", () => {
    const m = cohortTableModel(data, {maskBelow: 5});
    assert.deepStrictEqual(m.headers, ["Characteristic", "All (n = 71)", "Small (n = <5)", "P"]);
    assert.deepStrictEqual(m.rows.map((r) => r.cells), [["9.1 (6.2–12.4)", "—"], ["", ""], ["40 (56%)", "<5"], ["31 (44%)", "<5"], ["see text", "<5"]]);
    assert.deepStrictEqual(m.rows.map((r) => r.p + r.mark), ["0.21a", "< 0.001b", "", "", ""]);
    assert.strictEqual(m.footnote, "a Wilcoxon rank-sum test; b Fisher's exact test");
  });
  it("cohortCellText without masking shows small counts and honours digits", () => {
    assert.strictEqual(cohortCellText({n: 3, of: 4}, {percentDigits: 1}), "3 (75.0%)");
    assert.strictEqual(cohortCellText({median: 2, min: 1, max: 5}, {digits: 0}), "2 (1–5)");
    assert.strictEqual(cohortCellText({n: 3, of: 0}), "3");
    assert.throws(() => cohortTableModel({columns: [{label: "a", n: 1}], rows: [{label: "x", cells: []}]}), /0 cells for 1 columns/);
  });
});

describe("forestModel", () => {
  const rows = [
    {label: "Donor", heading: true, interactionP: 0.48},
    {label: "Related", indent: 1, reference: true, events: 20, n: 31},
    {label: "Unrelated", indent: 1, estimate: 1.12, lower: 0.61, upper: 2.05, p: 0.71, events: 17, n: 26},
    {label: "Cord", indent: 1, estimate: 0.43, lower: 0.005, upper: 150, p: 0.38, events: 3, n: 9},
    {label: "Haplo", indent: 1, estimate: 3.2e-9, lower: 0, upper: Infinity, possiblyInfinite: true, events: 0, n: 5},
    {label: "Missing HR", estimate: null, p: null}
  ];
  it("forestModel writes 'not estimable' for diverged or missing ratios and draws no interval for them", () => {
    const m = forestModel(rows, {maskBelow: 5});
    assert.deepStrictEqual(m.rows.map((r) => r.ratioText), ["", "1 (reference)", "1.12 (0.61–2.05)", "0.43 (0.0050–150)", "not estimable", "not estimable"]);
    assert.deepStrictEqual(m.rows.map((r) => r.note), [null, null, null, null, "not estimable", "not estimable"]);
    assert.deepStrictEqual(m.rows.map((r) => r.draw === null), [true, true, false, false, true, true]);
    assert.deepStrictEqual(m.rows.map((r) => r.countText), ["", "20/31", "17/26", "<5/9", "0/5", ""]);
    assert.deepStrictEqual(m.rows.map((r) => r.pText), ["", "", "0.71", "0.38", "", "—"]);
    assert.deepStrictEqual(m.rows.map((r) => r.interactionText), ["0.48", "", "", "", "", ""]);
    assert.ok(m.hasCounts && m.hasInteraction);
    assert.deepStrictEqual(rows.map(isEstimable), [false, false, true, true, false, false]);
  });
  it("forestModel keeps the domain within [0.01, 100] and flags intervals cut by it", () => {
    const m = forestModel(rows);
    assert.deepStrictEqual(m.domain, [0.01, 100]);
    const cord = m.rows[3].draw!;
    assert.deepStrictEqual([cord.x1, cord.x2, cord.clippedLow, cord.clippedHigh, cord.estimate], [0.01, 100, true, true, 0.43]);
    assert.ok(m.ticks.includes(1));
  });
  it("forestModel widens a narrow domain to at least a factor of 4 around 1", () => {
    const m = forestModel([{label: "a", estimate: 1.1, lower: 0.9, upper: 1.3}]);
    assert.ok(m.domain[1] / m.domain[0] >= 4 - 1e-9 && m.domain[0] < 0.9 && m.domain[1] > 1.3, String(m.domain));
  });
});
