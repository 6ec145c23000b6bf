// Expected values: test/reference/wilcoxon-signed.R → wilcoxon-signed.json, from R 4.2.2's
// wilcox.test(x, y, paired = TRUE, alternative, mu, exact = FALSE, correct) (stats): V, the p-value, the
// number of non-zero differences and zeros, and the median difference of the complete pairs.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {SurvivalInputError} from "../../src/survival/errors.js";
import {wilcoxonSignedRank, type WilcoxonAlternative} from "../../src/survival/wilcoxon.js";
import {assertClose} from "../util/close.js";

interface Case {
  name: string;
  x: (number | string)[];
  y: (number | string)[];
  alternative: WilcoxonAlternative;
  correct: boolean;
  mu: number;
  statistic: number;
  p: number | null;
  n: number;
  nZero: number;
  medianDifference: number;
  method: string;
}

const fixture = JSON.parse(readFileSync("test/reference/wilcoxon-signed.json", "utf8")) as {cases: Case[]};
const decode = (v: number | string) => (typeof v === "number" ? v : v === "Inf" ? Infinity : v === "-Inf" ? -Infinity : NaN); // "NA", "NaN"

describe("wilcoxonSignedRank", () => {
  it("the fixture covers the study's pairs, ties, zeros, missing and infinite values", () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(12);
    expect(fixture.cases.some((c) => c.nZero > 0)).toBe(true);
    expect(fixture.cases.some((c) => c.p === null)).toBe(true);
  });

  for (const c of fixture.cases) {
    it(`matches wilcox.test(paired = TRUE, exact = FALSE) on ${c.name}`, () => {
      const r = wilcoxonSignedRank(c.x.map(decode), c.y.map(decode), {alternative: c.alternative, correct: c.correct, mu: c.mu});
      assertClose(r.statistic, c.statistic, {rtol: 1e-12, label: "V"});
      if (c.p === null) {
        expect(r.p).toBeNull();
        expect(r.z).toBeNull();
      } else assertClose(r.p, c.p, {rtol: 1e-6, label: "p"});
      expect([r.n, r.nZero]).toEqual([c.n, c.nZero]);
      expect(r.nDropped).toBe(c.x.length - c.n - c.nZero);
      assertClose(r.medianDifference, c.medianDifference, {rtol: 1e-12, label: "median difference"});
      expect(r.method).toBe(`${c.method} (normal approximation)`);
    });
  }

  it("is JSON-safe, leaves the inputs alone, and names the field of a bad input", () => {
    const x = [3, 1, 2];
    const r = wilcoxonSignedRank(x, [2, 2, 2]);
    expect(x).toEqual([3, 1, 2]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(() => wilcoxonSignedRank([1, 2], [1])).toThrow(SurvivalInputError);
    expect(() => wilcoxonSignedRank([1, 2], [1])).toThrow("y: 1 (has 1 values for 2 in x");
    expect(() => wilcoxonSignedRank([1], [2], {mu: Infinity})).toThrow("mu: Infinity (must be a finite number)");
    expect(() => wilcoxonSignedRank([1], [2], {alternative: "two-sided" as WilcoxonAlternative})).toThrow('alternative: "two-sided"');
  });
});
