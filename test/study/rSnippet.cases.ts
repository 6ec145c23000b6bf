// The views whose R scripts are run by R (test/reference/rsnippet-roundtrip.R) and compared with the
// engine (test/study/rSnippet.roundtrip.test.ts). test/reference/rsnippet-write.ts writes each script to
// test/reference/rsnippet/<name>.R; the test checks that the committed scripts are still what rSnippet
// writes, so the R results belong to the current generator.
import type {CohortMapping} from "../../src/study/mapping.js";
import type {RMapping, RSnippetSpec} from "../../src/study/rSnippet.js";

export const KATO_FILE = "data/kato2012-synthetic.csv";
export const HOSTILE_FILE = "test/reference/rsnippet/odd 'name' ≤.csv";
export const HOSTILE_COLUMN = 'we"ird`col\\ ≤';
export const HOSTILE_VALUE = 'x"); cat("PWNED\\n"); #';

/** A small hand-made cohort with the user's own column names (made by a seeded generator, committed). */
export const OWN_FILE = "test/reference/rsnippet/own-cohort.csv";

/** Overall survival in months with text codes, age in months, sex from "gender"; the file's "age" (years) is kept as age_original. */
export const OWN_MAPPING_MONTHS: CohortMapping = {
  v: 1,
  os: {time: {kind: "duration", column: "surv_months", unit: "months"}, status: {column: "vital", codes: [["alive", 0], ["dead", 1]]}},
  events: null,
  covariates: [
    {target: "age", column: "age_mo", unit: "months"},
    {target: "sex", column: "gender"}
  ],
  id: "patient"
};

/** The first event from two ISO date columns with text event codes; the file's own "event" column collides and becomes event_original. */
export const OWN_MAPPING_DATES: CohortMapping = {
  v: 1,
  os: null,
  events: {
    time: {kind: "dates", start: "sct2_date", end: "first_event_date"},
    status: {column: "first_event", codes: [["none", 0], ["relapse", 1], ["nrm", 2], ["refractory", 3]]}
  },
  covariates: [
    {target: "age", column: "age_mo", unit: "months"},
    {target: "interval_days", column: "interval_wk", unit: "weeks"}
  ],
  id: "patient"
};

/** The same mappings with how the notebook reads the columns (what rMapping gives on the page; checked by the test). */
export const OWN_R_MONTHS: RMapping = {mapping: OWN_MAPPING_MONTHS, columns: {surv_months: {type: "number"}, vital: {type: "string"}, age_mo: {type: "number"}, gender: {type: "string"}}};
export const OWN_R_DATES: RMapping = {
  mapping: OWN_MAPPING_DATES,
  columns: {sct2_date: {type: "date", format: "YYYY-MM-DD"}, first_event_date: {type: "date", format: "YYYY-MM-DD"}, first_event: {type: "string"}, age_mo: {type: "number"}, interval_wk: {type: "number"}}
};

export const ROUNDTRIP_CASES: {name: string; spec: RSnippetSpec}[] = [
  {
    // The Overview page: overall survival of every patient at 2 years.
    name: "overview",
    spec: {fileName: KATO_FILE, filters: [], endpoint: "os", horizon: 730.5, confType: "log-log", analyses: ["km"]}
  },
  {
    name: "filtered-grouped",
    spec: {
      fileName: KATO_FILE,
      filters: [
        {column: "age_group", op: "in", value: ["≤ 9 years"]},
        {column: "interval_days", op: "between", value: [30, 3000]},
        {column: "sex", op: "!=", value: "F"}
      ],
      endpoint: "os",
      groupBy: "relapse_timing",
      horizon: 365.25,
      confType: "log-log",
      analyses: ["km", "logrank"]
    }
  },
  {
    name: "relapse-models",
    spec: {
      fileName: KATO_FILE,
      filters: [{column: "era", op: "in", value: ["2000–2004", "≥ 2005"]}],
      endpoint: "relapse",
      groupBy: "age_group",
      strata: ["conditioning"],
      horizon: 730.5,
      confType: "log-log",
      covariates: [
        {column: "age_group", reference: "> 9 years"},
        {column: "relapse_timing", reference: "Early (< 180 days)"},
        {column: "status_sct2", reference: "non-CR"}
      ],
      analyses: ["km", "logrank", "cif", "gray", "cox", "zph", "finegray"]
    }
  },
  {
    // Hostile column name, level labels and file name (a small hand-made file).
    name: "hostile",
    spec: {
      fileName: HOSTILE_FILE,
      filters: [
        {column: HOSTILE_COLUMN, op: "in", value: [HOSTILE_VALUE, "a\\b", "it's `here`"]},
        {column: "dose (mg)", op: "<=", value: 13}
      ],
      endpoint: "os",
      groupBy: HOSTILE_COLUMN,
      horizon: 365,
      confType: "log",
      analyses: ["km", "logrank"]
    }
  },
  {
    // A mapped upload: OS in months with text status codes, grouped by the derived age group (age from months).
    name: "own-months",
    spec: {
      fileName: OWN_FILE,
      mapping: OWN_R_MONTHS,
      filters: [{column: "sex", op: "==", value: "F"}],
      endpoint: "os",
      groupBy: "age_group",
      horizon: 365.25,
      confType: "log-log",
      analyses: ["km", "logrank"]
    }
  },
  {
    // A mapped upload: first events from two dates, text event codes, a filter on the renamed colliding column.
    name: "own-dates",
    spec: {
      fileName: OWN_FILE,
      mapping: OWN_R_DATES,
      filters: [{column: "event_original", op: "!=", value: "withdrawn"}],
      endpoint: "relapse",
      groupBy: "relapse_timing",
      horizon: 730.5,
      confType: "log-log",
      covariates: [{column: "age", type: "numeric"}, {column: "relapse_timing", reference: "Early (< 180 days)"}],
      analyses: ["km", "cif", "gray", "cox", "finegray"]
    }
  }
];
