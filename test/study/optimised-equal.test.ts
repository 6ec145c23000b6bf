// The study functions a filter change re-runs (issue 7) give exactly what they gave before they were
// optimised: each is compared with toStrictEqual against its previous implementation, kept verbatim in
// test/study/legacy/ (model.ts, gvhd.ts, subgroups.ts as of the commit named in each file), on random
// row masks of a seeded synthetic cohort (src/synthetic, 1,500 patients) with missing values blanked at
// random in the endpoint, factor and covariate columns, and on a cohort whose endpoint fails validation.
// No R values here: the expected values are the previous implementation's own results.
import {beforeAll, describe, expect, it} from "vitest";
import type {CohortTable} from "../../src/cohort/table.js";
import {loadStudyCohort, type Factor, type RangeVariable} from "../../src/study/cohort.js";
import {computeFit, withoutCurves} from "../../src/study/fits.js";
import {gvhdAnalyses} from "../../src/study/gvhd.js";
import {competingModels, coxModel, DEFAULT_COVARIATES, modelVariables, type ModelVariable} from "../../src/study/model.js";
import {compareIncidence, compareSurvival, makeGrouping, subgroupForest, univariateTable, type Grouping} from "../../src/study/subgroups.js";
import {generateKato2012Cohort, cohortToCsv} from "../../src/synthetic/kato2012.js";
import * as legacyGvhd from "./legacy/gvhd.js";
import * as legacyModel from "./legacy/model.js";
import * as legacySub from "./legacy/subgroups.js";

/** A small seeded generator (mulberry32) for the masks and the blanked cells. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BLANK = ["age", "status_sct2", "conditioning", "interval_days", "relapse_to_sct2_days", "sex", "agvhd_grade", "agvhd_days", "os_days", "event", "year_sct2", "donor_sct2"];

/** The synthetic cohort as CSV with cells of `BLANK` columns emptied with probability `p`, and optional edits. */
function cohortCsv(n: number, seed: number, p: number, edit?: (cells: string[], header: string[], row: number) => void): string {
  const lines = cohortToCsv(generateKato2012Cohort(n, seed)).trimEnd().split("\n");
  const header = lines[0].split(",");
  const blank = BLANK.map((c) => header.indexOf(c)).filter((k) => k >= 0);
  const r = rng(seed);
  const out = [lines[0]];
  for (let i = 1; i < lines.length; ++i) {
    const cells = lines[i].split(",");
    for (const k of blank) if (r() < p) cells[k] = "";
    edit?.(cells, header, i);
    out.push(cells.join(","));
  }
  return out.join("\n") + "\n";
}

interface Cohort {
  table: CohortTable;
  factors: Factor[];
  ranges: RangeVariable[];
  variables: ModelVariable[];
}

async function load(csv: string): Promise<Cohort> {
  const loaded = await loadStudyCohort(new TextEncoder().encode(csv), "cohort.csv");
  if (!loaded.table) throw new Error("cohort did not load");
  const {table, factors, ranges} = loaded as {table: CohortTable; factors: Factor[]; ranges: RangeVariable[]};
  return {table, factors, ranges, variables: modelVariables(table, factors)};
}

/** Masks: every row, none, random fractions, and the rows of one level of a factor (one group left). */
function masks(c: Cohort, seed: number): [string, Uint8Array][] {
  const n = c.table.numRows;
  const r = rng(seed);
  const random = (f: number) => Uint8Array.from({length: n}, () => (r() < f ? 1 : 0));
  const col = c.table.column("conditioning");
  const level = Uint8Array.from({length: n}, (_, i) => (col.values[i] === "MAC" ? 1 : 0));
  return [
    ["all", new Uint8Array(n).fill(1)],
    ["none", new Uint8Array(n)],
    ["60%", random(0.6)],
    ["25%", random(0.25)],
    ["3%", random(0.03)],
    ["MAC only", level]
  ];
}

let cohorts: [string, Cohort][];

beforeAll(async () => {
  const missing = await load(cohortCsv(1500, 20240607, 0.04));
  // One negative survival time: the whole-table validation fails and every selection is validated afresh.
  const invalid = await load(cohortCsv(400, 7, 0.05, (cells, header, row) => row === 17 && (cells[header.indexOf("os_days")] = "-3")));
  cohorts = [
    ["1,500 patients with missing values", missing],
    ["400 patients, one negative os_days", invalid]
  ];
}, 60_000);

describe("the optimised study functions give the previous results exactly", () => {
  it("the cohorts exercise missing values and both validation paths", () => {
    const [, missing] = cohorts[0];
    const all = new Uint8Array(missing.table.numRows).fill(1);
    const cox = coxModel(missing.table, all, missing.variables, [...DEFAULT_COVARIATES]);
    expect(cox.ok).toBe(true);
    if (cox.ok) expect(cox.excluded.map((e) => e.reason)).toEqual(expect.arrayContaining(["missing os_days", "a chosen covariate is missing"]));
    const conditioning = missing.factors.find((f) => f.column === "conditioning")!;
    const g: Grouping = {table: missing.table, column: "conditioning", label: "Conditioning", levels: conditioning.levels, key: "conditioning", cut: null, notes: []};
    const os = compareSurvival(missing.table, all, g, {horizon: 730.5});
    expect(os.missingGroup).toBeGreaterThan(0);
    expect(os.test?.p).toBeTypeOf("number");
    // The cohort with a negative time: a selection holding that row is refused, one without it is analysed.
    const [, invalid] = cohorts[1];
    const withRow = new Uint8Array(invalid.table.numRows).fill(1);
    const withoutRow = withRow.slice();
    withoutRow[16] = 0;
    const gi: Grouping = {...g, table: invalid.table};
    expect(compareSurvival(invalid.table, withRow, gi, {horizon: 730.5}).message).toMatch(/os_days/);
    expect(compareSurvival(invalid.table, withoutRow, gi, {horizon: 730.5}).message).toBeNull();
    for (const mask of [withRow, withoutRow]) expect(compareSurvival(invalid.table, mask, gi, {horizon: 730.5})).toStrictEqual(legacySub.compareSurvival(invalid.table, mask, gi, {horizon: 730.5}));
  });

  it("coxModel and competingModels (src/study/model.ts)", () => {
    for (const [name, c] of cohorts)
      for (const [label, mask] of masks(c, 1))
        for (const covariates of [[...DEFAULT_COVARIATES], ["age", "sex", "conditioning", "interval_days"], ["status_sct2"], []])
          for (const ties of ["efron", "breslow"] as const) {
            const what = `${name} / ${label} / ${covariates.join("+")} / ${ties}`;
            expect(coxModel(c.table, mask, c.variables, covariates, {ties}), what).toStrictEqual(legacyModel.coxModel(c.table, mask, c.variables, covariates, {ties}));
            expect(competingModels(c.table, mask, c.variables, covariates, {ties}), what).toStrictEqual(legacyModel.competingModels(c.table, mask, c.variables, covariates, {ties}));
          }
  }, 120_000);

  it("gvhdAnalyses (src/study/gvhd.ts)", () => {
    for (const [name, c] of cohorts)
      for (const [label, mask] of masks(c, 2))
        for (const day of [14, 100, 365]) expect(gvhdAnalyses(c.table, mask, day), `${name} / ${label} / day ${day}`).toStrictEqual(legacyGvhd.gvhdAnalyses(c.table, mask, day));
  }, 120_000);

  it("compareSurvival and compareIncidence (src/study/subgroups.ts), factor and cut groupings", () => {
    for (const [name, c] of cohorts) {
      const groupings: Grouping[] = [];
      for (const f of c.factors) groupings.push({table: c.table, column: f.column, label: f.label, levels: f.levels, key: f.column, cut: null, notes: []});
      const cutGrouping = makeGrouping(c.table, c.factors, [{column: "age", label: "Age", unit: "years"}], "age", {points: [6, 12], closed: "le"});
      if ("message" in cutGrouping) throw new Error(cutGrouping.message);
      groupings.push(cutGrouping);
      for (const [label, mask] of masks(c, 3))
        for (const g of groupings) {
          const what = `${name} / ${label} / ${g.key}`;
          for (const options of [{horizon: 730.5}, {horizon: 365, rho: 1 as const, trend: true, confType: "log" as const}, {horizon: 1e6, trend: true}])
            expect(compareSurvival(c.table, mask, g, options), what).toStrictEqual(legacySub.compareSurvival(c.table, mask, g, options));
          for (const options of [{horizon: 730.5}, {horizon: 100, causes: [1, 2, 3]}])
            expect(compareIncidence(c.table, mask, g, options), what).toStrictEqual(legacySub.compareIncidence(c.table, mask, g, options));
        }
    }
  }, 120_000);

  it("univariateTable and subgroupForest (src/study/subgroups.ts)", () => {
    for (const [name, c] of cohorts)
      for (const [label, mask] of masks(c, 4)) {
        expect(univariateTable(c.table, mask, c.factors, {horizon: 730.5}), `${name} / ${label}`).toStrictEqual(legacySub.univariateTable(c.table, mask, c.factors, {horizon: 730.5}));
        for (const f of c.factors.filter((x) => ["relapse_timing", "conditioning", "age_group"].includes(x.column)))
          for (const endpoint of ["os", "relapse"] as const) {
            const comparison = {column: f.column, level: f.levels[1], reference: f.levels[0]};
            expect(subgroupForest(c.table, mask, c.factors, comparison, {endpoint}), `${name} / ${label} / ${f.column} / ${endpoint}`).toStrictEqual(
              legacySub.subgroupForest(c.table, mask, c.factors, comparison, {endpoint})
            );
          }
      }
  }, 240_000);

  it("the fit lanes (src/study/fits.ts computeFit), the univariate lane without building curves", () => {
    for (const [name, c] of cohorts) {
      const context = {variables: c.variables, factors: c.factors};
      const timing = c.factors.find((f) => f.column === "relapse_timing")!;
      const comparison = {column: timing.column, level: timing.levels[1], reference: timing.levels[0]};
      for (const [label, mask] of masks(c, 5)) {
        const what = `${name} / ${label}`;
        expect(computeFit(c.table, context, "cox", mask, {covariates: [...DEFAULT_COVARIATES]}), what).toStrictEqual(legacyModel.coxModel(c.table, mask, c.variables, [...DEFAULT_COVARIATES]));
        expect(computeFit(c.table, context, "competing", mask, {covariates: ["age", "conditioning"], ties: "breslow"}), what).toStrictEqual(
          legacyModel.competingModels(c.table, mask, c.variables, ["age", "conditioning"], {ties: "breslow"})
        );
        expect(computeFit(c.table, context, "gvhd", mask, {day: 60}), what).toStrictEqual(legacyGvhd.gvhdAnalyses(c.table, mask, 60));
        expect(computeFit(c.table, context, "univariate", mask, {horizon: 365}), what).toStrictEqual(withoutCurves(legacySub.univariateTable(c.table, mask, c.factors, {horizon: 365})));
        expect(computeFit(c.table, context, "forest", mask, {comparison, endpoint: "relapse"}), what).toStrictEqual(legacySub.subgroupForest(c.table, mask, c.factors, comparison, {endpoint: "relapse"}));
      }
    }
  }, 120_000);
});
