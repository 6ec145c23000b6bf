import {describe, it, assert} from "vitest";
import {designMatrix} from "../../src/survival/designMatrix.js";
import {SurvivalInputError} from "../../src/survival/errors.js";

// Expected codings written by hand from R's model.matrix(~ x + factor(g) - 1) treatment contrasts.
describe("designMatrix", () => {
  it("designMatrix(covariates) codes numeric and categorical columns as R's model.matrix", () => {
    const d = designMatrix([
      {name: "age", values: [50, 61, NaN, 70]},
      {name: "cell", values: ["squamous", "adeno", "large", null]},
      {name: "ecog", values: [0, 2, 1, 1], type: "categorical"}
    ]);
    // levels from complete rows (1, 2): cell {adeno, squamous}; ecog {0, 2}
    assert.deepStrictEqual(d.terms, ["age", "cell=squamous", "ecog=2"]);
    assert.deepStrictEqual(d.assign, [0, 1, 2]);
    assert.deepStrictEqual(Array.from(d.missing), [0, 0, 1, 1]);
    assert.deepStrictEqual(Array.from(d.columns[0]), [50, 61, NaN, NaN]);
    assert.deepStrictEqual(Array.from(d.columns[1]), [1, 0, NaN, NaN]);
    assert.deepStrictEqual(Array.from(d.columns[2]), [0, 1, NaN, NaN]);
    assert.deepStrictEqual(d.covariates[1], {name: "cell", type: "categorical", levels: ["adeno", "squamous"], reference: "adeno", terms: [1]});
  });

  it("designMatrix orders numeric-looking levels numerically and honours a reference level", () => {
    const d = designMatrix([{name: "g", values: ["10", "9", "2", "9"], reference: "9"}]);
    assert.deepStrictEqual(d.covariates[0].levels, ["2", "9", "10"]);
    assert.deepStrictEqual(d.terms, ["g=2", "g=10"]);
    assert.deepStrictEqual(Array.from(d.columns[0]), [0, 0, 1, 0]);
    assert.deepStrictEqual(Array.from(d.columns[1]), [1, 0, 0, 0]);
    const e = designMatrix([{name: "g", values: ["b", "a", "c"]}], {references: {g: "c"}});
    assert.deepStrictEqual(e.terms, ["g=a", "g=b"]);
  });

  it("designMatrix names column, row and value of an invalid covariate", () => {
    const age = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, Infinity];
    assert.throws(() => designMatrix([{name: "age", values: age}]), SurvivalInputError, "age at row 12: Infinity (covariate must be finite)");
    assert.throws(() => designMatrix([{name: "x", values: [1, "a"], type: "numeric"}]), SurvivalInputError, 'x at row 2: "a" (covariate must be a number)');
    assert.throws(
      () => designMatrix([{name: "g", values: ["a", "b"], reference: "z"}]),
      SurvivalInputError,
      'g: "z" (reference level not found; levels are "a", "b")'
    );
    assert.throws(() => designMatrix([{name: "a", values: [1, 2]}, {name: "b", values: [1]}]), SurvivalInputError, "b: has 1 values but a has 2");
  });
});
