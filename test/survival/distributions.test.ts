import {describe, it} from "vitest";
import {chiSquaredUpper, normalCdf, normalQuantile, normalTwoSided, logGamma} from "../../src/survival/index.js";
import {assertClose} from "../util/close.js";

// Expected values printed by R 4.2.2 with options(digits = 17):
//   qnorm(c(0.975, 0.995, 0.9, 1e-10)); pchisq(c(3.39639, 14.12, 100, .5), c(1, 2, 3, 7), lower.tail = FALSE)
//   2 * pnorm(-1.96); pnorm(-8); pnorm(1.5)
describe("distributions", () => {
  it("normalQuantile(p) matches R's qnorm", () => {
    assertClose(
      [0.975, 0.995, 0.9, 1e-10].map(normalQuantile),
      [1.9599639845400536, 2.5758293035488999, 1.2815515655446008, -6.3613409024040557],
      {rtol: 1e-14}
    );
  });
  it("chiSquaredUpper(x, df) matches R's pchisq(lower.tail = FALSE), deep tails included", () => {
    assertClose(
      [chiSquaredUpper(3.39639, 1), chiSquaredUpper(14.12, 2), chiSquaredUpper(100, 3), chiSquaredUpper(0.5, 7)],
      [6.5339270497524513e-2, 8.5877809397433725e-4, 1.5541594313896051e-21, 9.9944648139042513e-1],
      {rtol: 1e-12}
    );
  });
  it("normalCdf and normalTwoSided match R's pnorm", () => {
    assertClose([normalTwoSided(1.96), normalCdf(-8), normalCdf(1.5)], [4.9995790296440856e-2, 6.2209605742717849e-16, 9.3319279873114191e-1], {rtol: 1e-12});
  });
  it("logGamma(x) reproduces closed forms: Γ(1/2) = √π, Γ(10) = 9!", () => {
    assertClose([logGamma(0.5), logGamma(10), logGamma(1)], [0.5 * Math.log(Math.PI), Math.log(362880), 0], {rtol: 1e-14, atol: 1e-14});
  });
  it("chiSquaredUpper handles the edges: x ≤ 0 gives 1, df ≤ 0 gives NaN", () => {
    assertClose([chiSquaredUpper(0, 3), chiSquaredUpper(-1, 3), chiSquaredUpper(1, 0)], [1, 1, NaN]);
  });
});
