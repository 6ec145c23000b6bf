// The validation of the statistics engine against R: re-run the engine on the reference data sets and
// compare with the committed R fixtures (test/reference/*.json). The build-time data loader
// src/data/validation.json.ts publishes the result on the "Methods & validation" page, and
// test/validation/validation.test.ts fails when any row does not pass.
import type {ValidationRow} from "./compare.js";
import {validateCompetingRisks} from "./competingRisks.js";
import {validateCoxPH} from "./coxPH.js";
import {validateFineGray} from "./fineGray.js";
import {validateKaplanMeier} from "./kaplanMeier.js";
import {validateLogRank} from "./logRank.js";
import {fixture, type ReferenceSources} from "./sources.js";
import {validateTests} from "./tests.js";
import {validateTimeDependent} from "./timeDependent.js";

export type {ValidationRow, Tolerance} from "./compare.js";
export {Check, CheckGroup, toleranceText} from "./compare.js";
export type {ReferenceSources, Columns} from "./sources.js";

/** One section of the table, summarised. */
export interface ValidationSummary {
  section: string;
  /** Engine functions checked in this section. */
  estimators: string[];
  rows: number;
  /** Values compared in total. */
  n: number;
  /** The largest relative difference of any row (null if none). */
  maxRelDiff: number | null;
  pass: boolean;
}

export interface ValidationResult {
  /** R and package versions, as recorded by the fixtures themselves. */
  reference: {r: string; survival: string; cmprsk: string};
  rows: ValidationRow[];
  summary: ValidationSummary[];
  /** Every row passed. */
  pass: boolean;
}

/** The sections, in the order of the methods page. */
const SUITES: [string, (src: ReferenceSources) => ValidationRow[]][] = [
  ["Kaplan–Meier", validateKaplanMeier],
  ["Log-rank", validateLogRank],
  ["Competing risks", validateCompetingRisks],
  ["Cox", validateCoxPH],
  ["Fine–Gray", validateFineGray],
  ["Time-dependent covariates and landmarks", validateTimeDependent],
  ["Two-sample and Table 1 tests", validateTests]
];

/** R's version strings as the fixtures recorded them (the dots of "3.5.3" are R's packageVersion format). */
function referenceVersions(src: ReferenceSources): ValidationResult["reference"] {
  const km = fixture(src, "km-datasets.json").meta;
  const crr = fixture(src, "finegray-bmt.json").meta;
  return {r: String(km.R), survival: String(km.survival), cmprsk: String(crr.cmprsk)};
}

/**
 * Run every suite. A suite that cannot run at all (a fixture missing a field the suite needs) gives one
 * failing row naming the error instead of stopping the others.
 */
export function runValidation(src: ReferenceSources): ValidationResult {
  const rows: ValidationRow[] = [];
  for (const [section, suite] of SUITES) {
    try {
      rows.push(...suite(src));
    } catch (err) {
      rows.push({
        section,
        estimator: "—",
        dataset: "—",
        rCall: "—",
        quantity: "the whole section",
        fixture: "—",
        n: 0,
        maxRelDiff: null,
        maxAbsDiff: null,
        tolerance: "—",
        pass: false,
        failure: `suite failed: ${err instanceof Error ? err.message : String(err)}`
      });
    }
  }
  const summary = SUITES.map(([section]) => {
    const mine = rows.filter((r) => r.section === section);
    const rel = mine.map((r) => r.maxRelDiff).filter((v): v is number => v !== null);
    return {
      section,
      estimators: [...new Set(mine.map((r) => r.estimator))],
      rows: mine.length,
      n: mine.reduce((a, r) => a + r.n, 0),
      maxRelDiff: rel.length ? Math.max(...rel) : null,
      pass: mine.length > 0 && mine.every((r) => r.pass)
    };
  });
  return {reference: referenceVersions(src), rows, summary, pass: rows.every((r) => r.pass)};
}
