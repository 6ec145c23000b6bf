import {readFileSync} from "node:fs";
import {describe, it, assert} from "vitest";
import {chiSquaredIndependence} from "../../src/survival/chiSquaredIndependence.js";
import {kruskalWallis} from "../../src/survival/kruskalWallis.js";
import {assertClose} from "../util/close.js";
import {readCsvColumns, numeric} from "../util/csv.js";

// Expected values: test/reference/table1-tests.R → table1-tests.json (R 4.2.2 chisq.test with
// correct = FALSE, kruskal.test, wilcox.test(exact = FALSE, correct = FALSE)).
const ref = JSON.parse(readFileSync("test/reference/table1-tests.json", "utf8"));

function codes(values: readonly (string | number | null)[]): Int32Array {
  const levels = Array.from(new Set(values.filter((v) => v !== null && !(typeof v === "number" && Number.isNaN(v))).map(String))).sort();
  return Int32Array.from(values, (v) => (v === null || (typeof v === "number" && Number.isNaN(v)) ? -1 : levels.indexOf(String(v))));
}

describe("chiSquaredIndependence", () => {
  it("chiSquaredIndependence(table) matches chisq.test(correct = FALSE) on veteran celltype × trt", () => {
    const r = chiSquaredIndependence(ref.chisq_vet.counts);
    assertClose(r.statistic, ref.chisq_vet.statistic, {rtol: 1e-12});
    assert.strictEqual(r.df, ref.chisq_vet.df);
    assertClose(r.p, ref.chisq_vet.p, {rtol: 1e-10});
    assert.strictEqual(r.smallExpected, false);
  });
  it("flags expected counts below 5 as R warns, on lung sex × ph.ecog", () => {
    const r = chiSquaredIndependence(ref.chisq_lung.counts);
    assertClose(r.statistic, ref.chisq_lung.statistic, {rtol: 1e-12});
    assertClose(r.p, ref.chisq_lung.p, {rtol: 1e-10});
    assert.strictEqual(r.smallExpected, true);
  });
  it("drops empty rows and columns and gives no test with one non-empty row", () => {
    const withEmpty = chiSquaredIndependence([...ref.chisq_vet.counts, [0, 0]]);
    assertClose(withEmpty.statistic, ref.chisq_vet.statistic, {rtol: 1e-12});
    const none = chiSquaredIndependence([[3, 4], [0, 0]]);
    assert.strictEqual(none.statistic, null);
    assert.strictEqual(none.p, null);
    assert.match(none.reason!, /fewer than 2 non-empty rows/);
  });
});

describe("kruskalWallis", () => {
  const vet = readCsvColumns("test/data/veteran.csv");
  const lung = readCsvColumns("test/data/lung.csv");
  it("kruskalWallis(x, g) matches kruskal.test on veteran karno by celltype (ties)", () => {
    const r = kruskalWallis(numeric(vet, "karno"), codes(vet.celltype));
    assertClose(r.statistic, ref.kw_vet.statistic, {rtol: 1e-12});
    assert.strictEqual(r.df, 3);
    assertClose(r.p, ref.kw_vet.p, {rtol: 1e-10});
  });
  it("leaves out missing groups as kruskal.test does (lung age by ph.ecog, one NA)", () => {
    const r = kruskalWallis(numeric(lung, "age"), codes(lung["ph.ecog"]));
    assertClose(r.statistic, ref.kw_lung.statistic, {rtol: 1e-12});
    assertClose(r.p, ref.kw_lung.p, {rtol: 1e-10});
  });
  it("with two groups equals wilcox.test(exact = FALSE, correct = FALSE)", () => {
    const r = kruskalWallis(numeric(vet, "karno"), codes(vet.trt));
    assertClose(r.p, ref.wilcox_vet.p, {rtol: 1e-10});
  });
  it("gives no test for a single group", () => {
    const r = kruskalWallis([1, 2, 3], [0, 0, 0]);
    assert.strictEqual(r.p, null);
  });
});
