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

// Expected values for larger data: every pair counted by brute force from the definitions above
// (no R needed), including the infinitesimal-jackknife std from each subject's pair counts.
function bruteForce(time: number[], event: number[], score: number[], weights: number[], strata: number[]) {
  const n = time.length;
  let greater = 0;
  let less = 0;
  let equal = 0;
  let tiedY = 0;
  let tiedXY = 0;
  const G = new Float64Array(n);
  const L = new Float64Array(n);
  const E = new Float64Array(n);
  for (let e = 0; e < n; ++e) {
    if (!event[e]) continue;
    for (let s = 0; s < n; ++s) {
      if (s === e || strata[s] !== strata[e]) continue;
      const w = weights[e] * weights[s];
      if (time[s] === time[e] && event[s]) {
        if (s < e) score[s] === score[e] ? (tiedXY += w) : (tiedY += w);
        continue;
      }
      if (!(time[s] > time[e] || (time[s] === time[e] && !event[s]))) continue;
      const [sum, infl] = score[s] > score[e] ? ["g", G] : score[s] < score[e] ? ["l", L] : ["e", E];
      if (sum === "g") greater += w;
      else if (sum === "l") less += w;
      else equal += w;
      infl[e] += weights[s];
      infl[s] += weights[e];
    }
  }
  const npair = greater + less + equal;
  const somers = (greater - less) / npair;
  let v = 0;
  for (let i = 0; i < n; ++i) v += (weights[i] * ((G[i] - L[i]) / npair - (somers / npair) * (G[i] + L[i] + E[i]))) ** 2;
  return {concordant: greater, discordant: less, tiedX: equal, tiedY, tiedXY, concordance: (somers + 1) / 2, std: Math.sqrt(v / 4)};
}

describe("concordance on 3,000 rows against a brute-force pair count", () => {
  let seed = 2026;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const n = 3000;
  const time = Array.from({length: n}, () => 1 + Math.floor(rnd() * 200));
  const event = Array.from({length: n}, () => (rnd() < 0.7 ? 1 : 0));
  const weights = Array.from({length: n}, () => 0.5 + Math.floor(rnd() * 4) / 2);
  const strata = Array.from({length: n}, () => (rnd() < 0.5 ? 1 : 2));
  // A score with 12 distinct values (ranked through a hash of the distinct values) and one with
  // nearly all values distinct (ranked by sorting), −0 and +0 counted as equal.
  const few = Array.from({length: n}, () => [-0.7, -0.35, 0, -0, 0.2, 0.45, 0.9, 1.3, 1.31, 2, 2.5, 3, 4][Math.floor(rnd() * 13)]);
  const many = Array.from({length: n}, () => Math.round(rnd() * 1e6) / 1e3);
  for (const [label, score] of [["12 distinct scores", few], ["~3,000 distinct scores", many]] as const) {
    it(`concordance with ${label}, case weights and strata equals the pair count (counts 1e-12, std 1e-9)`, () => {
      const got = concordance({time, event, weights, strata}, score);
      const exp = bruteForce(time, event, score as number[], weights, strata);
      assertClose([got.concordant, got.discordant, got.tiedX, got.tiedY, got.tiedXY], [exp.concordant, exp.discordant, exp.tiedX, exp.tiedY, exp.tiedXY], {rtol: 1e-12, label: `${label} counts`});
      assertClose(got.concordance, exp.concordance, {rtol: 1e-12, label: `${label} concordance`});
      assertClose(got.std, exp.std, {rtol: 1e-9, label: `${label} std`});
      const rev = concordance({time, event, weights, strata}, score, {reverse: true});
      assertClose([rev.concordant, rev.discordant], [exp.discordant, exp.concordant], {rtol: 1e-12, label: `${label} reverse`});
    });
  }
});
