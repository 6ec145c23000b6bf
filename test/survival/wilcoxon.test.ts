// Expected values: test/reference/wilcoxon.R → wilcoxon.json, from R 4.2.2's
// wilcox.test(x, y, alternative, mu, exact = FALSE, correct) (stats).
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {SurvivalInputError} from "../../src/survival/errors.js";
import {wilcoxonRankSum, type WilcoxonAlternative} from "../../src/survival/wilcoxon.js";
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
  medianX: number | string;
  medianY: number | string;
  nX: number;
  nY: number;
}

const fixture = JSON.parse(readFileSync("test/reference/wilcoxon.json", "utf8")) as {cases: Case[]};
const decode = (v: number | string) =>
  typeof v === "number" ? v : v === "Inf" ? Infinity : v === "-Inf" ? -Infinity : NaN; // "NA", "NaN"

describe("wilcoxonRankSum", () => {
  for (const c of fixture.cases) {
    it(`wilcoxonRankSum(x, y) matches wilcox.test(exact = FALSE) on ${c.name}`, () => {
      const r = wilcoxonRankSum(c.x.map(decode), c.y.map(decode), {alternative: c.alternative, correct: c.correct, mu: c.mu});
      assertClose(r.statistic, c.statistic, {rtol: 1e-9, label: "W"});
      if (c.p === null) {
        expect(r.p).toBeNull();
        expect(r.z).toBeNull();
      } else assertClose(r.p, c.p, {rtol: 1e-6, label: "p"});
      expect([r.nX, r.nY]).toEqual([c.nX, c.nY]);
      expect(r.nDroppedX + r.nDroppedY).toBe(c.x.length + c.y.length - c.nX - c.nY);
      assertClose([r.medianX, r.medianY], [decode(c.medianX), decode(c.medianY)], {rtol: 1e-12, label: "medians"});
    });
  }

  it("wilcoxonRankSum(x, y) results are JSON-safe and do not modify the inputs", () => {
    const x = [3, 1, 2];
    const y = [2, 2, 2];
    const r = wilcoxonRankSum(x, y);
    expect(x).toEqual([3, 1, 2]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.ties).toBe(true);
  });

  it("wilcoxonRankSum rejects empty samples and bad options with a named field", () => {
    expect(() => wilcoxonRankSum([NaN, NaN], [1, 2])).toThrow(SurvivalInputError);
    expect(() => wilcoxonRankSum([NaN, NaN], [1, 2])).toThrow("x: needs at least one non-missing value");
    expect(() => wilcoxonRankSum([1], [])).toThrow("y: needs at least one non-missing value");
    expect(() => wilcoxonRankSum([1], [2], {mu: NaN})).toThrow("mu: NaN (must be a finite number)");
    expect(() => wilcoxonRankSum([1], [2], {alternative: "two-sided" as WilcoxonAlternative})).toThrow('alternative: "two-sided"');
  });
});
