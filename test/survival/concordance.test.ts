import {readFileSync} from "node:fs";
import {describe, it, assert} from "vitest";
import {concordance, type ConcordanceResult} from "../../src/survival/concordance.js";
import {assertClose} from "../util/close.js";
import {numeric, readCsvColumns} from "../util/csv.js";

// Expected values: test/reference/cox-concordance.json, written by `Rscript test/reference/cox-concordance.R`
// (R 4.2.2, survival 3.5-3): concordance(Surv(...) ~ score, timewt = "n"[, reverse][, weights][, strata]).
const ref = JSON.parse(readFileSync("test/reference/cox-concordance.json", "utf8"));
const lung = readCsvColumns("test/data/lung.csv");
const lungData = {time: numeric(lung, "time"), event: numeric(lung, "event")};

function compare(got: ConcordanceResult, r: any, label: string) {
  assertClose(
    [got.concordant, got.discordant, got.tiedX, got.tiedY, got.tiedXY],
    [r.concordant, r.discordant, r.tied_x, r.tied_y, r.tied_xy],
    {rtol: 1e-12, label: `${label} counts`}
  );
  assertClose(got.concordance, r.concordance, {rtol: 1e-12, label: `${label} concordance`});
  assertClose(got.std, r.std, {rtol: 1e-9, label: `${label} std`});
}

describe("concordance", () => {
  it("concordance(data, score) matches R's concordance(Surv(time, status) ~ age, lung)", () => {
    compare(concordance(lungData, numeric(lung, "age")), ref.cases.lung_age, "lung age");
  });
  it("concordance(data, score, {reverse: true}) swaps concordant and discordant as R", () => {
    compare(concordance(lungData, numeric(lung, "age"), {reverse: true}), ref.cases.lung_age_reverse, "lung age reverse");
  });
  it("concordance with heavy ties in the score and a missing score (ph.ecog) matches R", () => {
    compare(concordance(lungData, numeric(lung, "ph.ecog")), ref.cases.lung_ecog, "lung ecog");
  });
  it("concordance with case weights matches R", () => {
    compare(concordance({...lungData, weights: ref.lung_weights}, numeric(lung, "age")), ref.cases.lung_age_weights, "lung weights");
  });
  it("concordance within strata matches R's strata() (counts summed over strata)", () => {
    compare(concordance({...lungData, strata: numeric(lung, "sex")}, numeric(lung, "age")), ref.cases.lung_age_strata_sex, "lung strata");
  });
  it("concordance on (start, stop] data matches R on heart", () => {
    const h = ref.heart;
    compare(concordance({entry: h.start, time: h.stop, event: h.event}, h.age), ref.cases.heart_age, "heart");
  });
  it("concordance is null without a comparable pair, never NaN", () => {
    const c = concordance({time: [1, 2, 3], event: [0, 0, 0]}, [3, 2, 1]);
    assert.deepStrictEqual(c, {concordant: 0, discordant: 0, tiedX: 0, tiedY: 0, tiedXY: 0, concordance: null, std: null});
  });
  it("concordance names the row of a non-finite score", () => {
    assert.throws(() => concordance({time: [1, 2], event: [1, 1]}, [1, Infinity]), "score at row 2: Infinity (score must be finite)");
  });
});
