// The R script that reproduces a view. Expected snippet lines are written out by hand from the R calls
// the engine matches (survfit/summary/survdiff/cuminc/coxph/cox.zph/crr); hostile values are checked with
// a small R lexer below (strings, backtick names, comments), which follows R's escape rules as R 4.2.2
// parses them (checked by Rscript on the same values: test/reference/rsnippet-roundtrip.R).
import {assert, describe, it} from "vitest";
import type {Filter} from "../../src/cohort/filters.js";
import {rFilter, rName, rNumber, rSnippet, rString, type RSnippetSpec} from "../../src/study/rSnippet.js";

/** R tokens that carry data: string constants and backtick names (decoded), and comments (raw text). */
export function lexR(code: string): {strings: string[]; names: string[]; comments: string[]; skeleton: string} {
  const strings: string[] = [];
  const names: string[] = [];
  const comments: string[] = [];
  let skeleton = "";
  let i = 0;
  const decode = (quote: string): string => {
    const bytes: number[] = [];
    const push = (s: string) => bytes.push(...new TextEncoder().encode(s));
    ++i;
    for (;;) {
      if (i >= code.length) throw new Error(`unterminated ${quote}`);
      const c = code[i];
      if (c === quote) {
        ++i;
        return new TextDecoder().decode(new Uint8Array(bytes));
      }
      if (c === "\\") {
        const e = code[i + 1];
        i += 2;
        if (e === "n") push("\n");
        else if (e === "r") push("\r");
        else if (e === "t") push("\t");
        else if (e === "\\" || e === '"' || e === "'" || e === "`") push(e);
        else if (e === "x") {
          const m = /^[0-9a-fA-F]{1,2}/.exec(code.slice(i))!;
          bytes.push(parseInt(m[0], 16));
          i += m[0].length;
        } else if ((e === "u" || e === "U") && code[i] === "{") {
          const end = code.indexOf("}", i);
          push(String.fromCodePoint(parseInt(code.slice(i + 1, end), 16)));
          i = end + 1;
        } else throw new Error(`unexpected escape \\${e}`);
        continue;
      }
      push(c);
      ++i;
    }
  };
  while (i < code.length) {
    const c = code[i];
    if (c === '"' || c === "'") {
      strings.push(decode(c));
      skeleton += "S";
    } else if (c === "`") {
      names.push(decode("`"));
      skeleton += "N";
    } else if (c === "#") {
      const end = code.indexOf("\n", i);
      comments.push(code.slice(i, end < 0 ? code.length : end));
      i = end < 0 ? code.length : end;
    } else {
      skeleton += c;
      ++i;
    }
  }
  return {strings, names, comments, skeleton};
}

const base: RSnippetSpec = {fileName: "kato2012-synthetic.csv", horizon: 730.5, confType: "log-log"};

describe("rString / rName / rNumber", () => {
  it("rString escapes quotes, backslashes and control characters and writes non-ASCII as \\u{…}", () => {
    assert.strictEqual(rString('a"b'), '"a\\"b"');
    assert.strictEqual(rString("a\\b"), '"a\\\\b"');
    assert.strictEqual(rString("line\nnext\r\t"), '"line\\nnext\\r\\t"');
    assert.strictEqual(rString("≤ 9 years"), '"\\u{2264} 9 years"');
    assert.strictEqual(rString("😀"), '"\\U{1F600}"');
    assert.strictEqual(rString("\u001b[31m"), '"\\u{1B}[31m"');
    assert.strictEqual(rString("a\u0000b"), '"ab"');
    assert.strictEqual(rString("\ud800"), '"\\u{FFFD}"');
  });
  it("rName leaves syntactic names bare and backtick-quotes the others", () => {
    assert.strictEqual(rName("age_group"), "age_group");
    assert.strictEqual(rName(".x1"), ".x1");
    for (const [name, quoted] of [
      ["2x", "`2x`"],
      [".2x", "`.2x`"],
      ["my col", "`my col`"],
      ["if", "`if`"],
      ["TRUE", "`TRUE`"],
      ["T", "`T`"],
      ["...", "`...`"],
      ["..1", "`..1`"],
      ["a`b", "`a\\`b`"],
      ["a\\b", "`a\\\\b`"],
      ["__proto__", "`__proto__`"],
      ["≤", "`\\xe2\\x89\\xa4`"],
      ["a\nb", "`a\\nb`"]
    ])
      assert.strictEqual(rName(name), quoted, name);
    assert.throws(() => rName(""), RangeError);
    assert.throws(() => rName("\u0000"), RangeError);
  });
  it("rNumber writes JavaScript's round-trip form and refuses non-finite numbers", () => {
    assert.strictEqual(rNumber(730.5), "730.5");
    assert.strictEqual(rNumber(-3), "-3");
    assert.strictEqual(rNumber(1e21), "1e+21");
    assert.strictEqual(rNumber(0.1 + 0.2), "0.30000000000000004");
    assert.strictEqual(rNumber(-0), "0");
    assert.throws(() => rNumber(NaN), RangeError);
    assert.throws(() => rNumber(Infinity), RangeError);
  });
});

describe("rFilter", () => {
  it("rFilter(filter) writes each operator as the data layer applies it", () => {
    const cases: [Filter, string][] = [
      [{column: "sex", op: "==", value: "M"}, 'sex == "M"'],
      [{column: "sex", op: "!=", value: "M"}, 'sex != "M"'],
      [{column: "age", op: "<", value: 9}, "age < 9"],
      [{column: "age", op: "<=", value: 9}, "age <= 9"],
      [{column: "age", op: ">", value: -1.5}, "age > -1.5"],
      [{column: "age", op: ">=", value: 10}, "age >= 10"],
      [{column: "age_group", op: "in", value: ["≤ 9 years"]}, 'age_group %in% c("\\u{2264} 9 years")'],
      [{column: "year_sct2", op: "in", value: [1999, 2000]}, "year_sct2 %in% c(1999, 2000)"],
      // Every level unticked: R's `x %in% c()` is FALSE for every row (checked with R 4.2: subset gives 0 rows).
      [{column: "age_group", op: "in", value: []}, "age_group %in% c()"],
      [{column: "interval_days", op: "between", value: [0, 180]}, "interval_days >= 0 & interval_days <= 180"],
      [{column: "sct_date", op: ">=", value: "2001-01-01"}, 'as.Date(sct_date) >= as.Date("2001-01-01")']
    ];
    for (const [f, r] of cases) assert.strictEqual(rFilter(f), r);
    assert.strictEqual(rFilter({column: "d", op: "==", value: "2001-01-01"}, {dateColumns: ["d"]}), 'as.Date(d) == as.Date("2001-01-01")');
  });
  it("rFilter refuses shapes the data layer refuses", () => {
    assert.throws(() => rFilter({column: "age", op: "between", value: [1]}), RangeError);
    assert.throws(() => rFilter({column: "age", op: "<", value: NaN}), RangeError);
    assert.throws(() => rFilter({column: "age", op: "~" as never, value: 1}), RangeError);
  });
});

describe("rSnippet", () => {
  it("overall survival of all patients: survfit with log-log CI and the summary at the horizon", () => {
    const code = rSnippet({...base, endpoint: "os", analyses: ["km"]});
    assert.include(code, "library(survival)\n");
    assert.notInclude(code, "library(cmprsk)");
    assert.include(code, 'd <- read.csv("kato2012-synthetic.csv", check.names = FALSE, fileEncoding = "UTF-8-BOM",');
    assert.include(code, 'na.strings = c("", "NA", ');
    assert.notInclude(code, "subset(");
    assert.include(code, "horizon <- 730.5");
    assert.include(code, 'fit <- survfit(Surv(os_days, os_status != 0) ~ 1, data = d, conf.type = "log-log")');
    assert.include(code, "print(summary(fit, times = horizon, extend = TRUE))");
  });
  it("a filtered, grouped view derives the variables it uses, as src/study/cohort.ts does, and tests the groups", () => {
    const code = rSnippet({
      ...base,
      filters: [
        {column: "age_group", op: "in", value: ["≤ 9 years"]},
        {column: "interval_days", op: "between", value: [0, 2000]}
      ],
      groupBy: "relapse_timing",
      analyses: ["km", "logrank"]
    });
    assert.include(code, 'd$age_group <- ifelse(d$age <= 9, "\\u{2264} 9 years", "> 9 years")');
    assert.include(code, 'd$relapse_timing <- ifelse(d$interval_days >= 180, "Late (\\u{2265} 180 days)", "Early (< 180 days)")');
    assert.notInclude(code, "d$era");
    assert.include(code, 'd <- subset(d, (age_group %in% c("\\u{2264} 9 years")) &\n  (interval_days >= 0 & interval_days <= 2000))');
    assert.include(code, "fit <- survfit(Surv(os_days, os_status != 0) ~ relapse_timing, data = d");
    assert.include(code, "lr <- survdiff(Surv(os_days, os_status != 0) ~ relapse_timing, data = d)");
  });
  it("derives era, Ph, TBI and acute GVHD with the notebook's labels", () => {
    const code = rSnippet({...base, filters: [{column: "era", op: "in", value: ["2000–2004"]}, {column: "ph", op: "==", value: "Ph−"}, {column: "tbi_label", op: "==", value: "TBI"}, {column: "agvhd_any", op: "==", value: "No"}]});
    assert.include(code, 'd$era <- as.character(cut(d$year_sct2, c(-Inf, 1999, 2004, Inf), labels = c("\\u{2264} 1999", "2000\\u{2013}2004", "\\u{2265} 2005")))');
    assert.include(code, 'd$ph <- ifelse(d$ph_positive == 1, "Ph+", ifelse(d$ph_positive == 0, "Ph\\u{2212}", as.character(d$ph_positive)))');
    assert.include(code, 'd$tbi_label <- ifelse(d$tbi == 1, "TBI"');
    assert.include(code, 'd$agvhd_any <- ifelse(d$agvhd_grade == 0, "No", ifelse(d$agvhd_grade %in% 1:4, "Yes"');
  });
  it("competing risks: cuminc with Gray's test, cause-specific Cox, cox.zph and crr for relapse", () => {
    const code = rSnippet({
      ...base,
      endpoint: "relapse",
      groupBy: "age_group",
      strata: ["status_sct2"],
      covariates: [{column: "age_group", reference: "> 9 years"}, "interval_days"],
      analyses: ["cif", "gray", "cox", "zph", "finegray"]
    });
    assert.include(code, "library(cmprsk)");
    assert.include(code, 'ci <- cuminc(d[["event_days"]], d[["event"]], group = d[["age_group"]], strata = d[["status_sct2"]], cencode = 0)');
    assert.include(code, "print(timepoints(ci, times = horizon))");
    assert.include(code, "print(ci$Tests)");
    assert.include(code, 'd[["age_group"]] <- relevel(factor(d[["age_group"]]), ref = "> 9 years")');
    assert.include(code, 'cox <- coxph(Surv(event_days, event == 1) ~ age_group + interval_days + strata(status_sct2), data = d, ties = "efron")');
    assert.include(code, "zph <- cox.zph(cox)");
    assert.include(code, 'dd <- d[complete.cases(d[, c("event_days", "event", "age_group", "interval_days")]), , drop = FALSE]');
    assert.include(code, "X <- model.matrix(~ age_group + interval_days, data = dd)[, -1, drop = FALSE]");
    assert.include(code, 'fg <- crr(dd[["event_days"]], dd[["event"]], cov1 = X, failcode = 1, cencode = 0)');
  });
  it("non-syntactic grouping and strata columns are copied under syntactic names (survfit and survdiff fail on them)", () => {
    const code = rSnippet({...base, groupBy: "dose group", strata: ["centre id"], covariates: ["dose (mg)"], analyses: ["km", "logrank", "cox"]});
    assert.include(code, 'd$.group <- d[["dose group"]]\nd$.strata1 <- d[["centre id"]]');
    assert.include(code, "fit <- survfit(Surv(os_days, os_status != 0) ~ .group, data = d");
    assert.include(code, "lr <- survdiff(Surv(os_days, os_status != 0) ~ .group + strata(.strata1), data = d)");
    assert.include(code, 'cox <- coxph(Surv(os_days, os_status != 0) ~ `dose (mg)` + strata(.strata1), data = d, ties = "efron")');
  });
  it("analyses the view cannot run are written as comments saying why, not as broken calls", () => {
    const code = rSnippet({...base, endpoint: "os", analyses: ["logrank", "gray", "cox", "finegray"]});
    assert.include(code, "# Log-rank test: not written, the view has no grouping variable");
    assert.include(code, "# Gray's test: not written");
    assert.include(code, "# Cox model: not written, the view has no covariates");
    assert.notInclude(code, "survdiff(");
    assert.notInclude(code, "coxph(");
    const os = rSnippet({...base, endpoint: "os", covariates: ["age"], analyses: ["finegray"]});
    assert.include(os, "# Fine-Gray model: not written, the endpoint has no cause of interest");
    assert.notInclude(os, "crr(");
  });
  it("refuses unknown endpoints, analyses, CI types and horizons", () => {
    assert.throws(() => rSnippet({...base, endpoint: "__proto__"}), RangeError);
    assert.throws(() => rSnippet({...base, endpoint: "toString"}), RangeError);
    assert.throws(() => rSnippet({...base, analyses: ["system" as never]}), RangeError);
    assert.throws(() => rSnippet({...base, confType: 'log"); system("x'}), RangeError);
    assert.throws(() => rSnippet({...base, horizon: Infinity}), RangeError);
  });
  it("the script is plain ASCII", () => {
    const code = rSnippet({...base, filters: [{column: "age_group", op: "in", value: ["≤ 9 years", "é😀"]}], groupBy: "ph", analyses: ["km", "logrank", "cif", "gray"]});
    assert.match(code, /^[\x20-\x7e\n]*$/);
  });
});

describe("hostile values stay inside their literals", () => {
  const HOSTILE = [
    'x"); system("echo PWNED"); #',
    "x\\",
    '\\"); q(); ("',
    "a`b`; system('id'); `",
    "line\n system('id')\n#",
    "\r\nq()",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "${process.exit()}",
    "%in% TRUE | TRUE",
    "\\u{22}); q(); (\\u{22}",
    "\\x22); q(); (\\x22",
    "é≤😀\u202e",
    "'; q(); '",
    "__proto__",
    "\u0000nul",
    "\ud800lone"
  ];
  const expected = (v: string) => v.replace(/\u0000/g, "").replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  const specFor = (value: string, column: string): RSnippetSpec => ({
    ...base,
    fileName: value,
    filters: [
      {column, op: "==", value},
      {column, op: "in", value: [value, "B"]}
    ],
    groupBy: column,
    covariates: [{column, reference: value}],
    analyses: ["km", "logrank", "cif", "gray", "cox", "zph"]
  });
  const benign = lexR(rSnippet(specFor("benign value", "benign col"))).skeleton;

  for (const value of HOSTILE) {
    it(`value ${JSON.stringify(value)} as a file name, filter value, level and column name`, () => {
      const code = rSnippet(specFor(value, value || "x"));
      const lex = lexR(code);
      // Same code structure as with a benign value: nothing leaked out of a literal.
      assert.strictEqual(lex.skeleton, benign);
      assert.include(lex.strings, expected(value));
      assert.include(lex.names, expected(value));
      // Comments are the generator's own (no value reaches a comment).
      for (const c of lex.comments) assert.notInclude(c, "PWNED");
      assert.match(code, /^[\x20-\x7e\n]*$/);
    });
  }
});
