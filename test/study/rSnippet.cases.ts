// The views whose R scripts are run by R (test/reference/rsnippet-roundtrip.R) and compared with the
// engine (test/study/rSnippet.roundtrip.test.ts). test/reference/rsnippet-write.ts writes each script to
// test/reference/rsnippet/<name>.R; the test checks that the committed scripts are still what rSnippet
// writes, so the R results belong to the current generator.
import type {RSnippetSpec} from "../../src/study/rSnippet.js";

export const KATO_FILE = "data/kato2012-synthetic.csv";
export const HOSTILE_FILE = "test/reference/rsnippet/odd 'name' ≤.csv";
export const HOSTILE_COLUMN = 'we"ird`col\\ ≤';
export const HOSTILE_VALUE = 'x"); cat("PWNED\\n"); #';

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
  }
];
