// The R lines rSnippet writes for a mapped upload (src/study/mapping.ts applyMapping as R): exact strings,
// the notes for what R cannot reproduce exactly, and no change without a mapping. The R round trip of two
// mapped views is in rSnippet.roundtrip.test.ts.
import {assert, describe, it} from "vitest";
import type {CohortMapping} from "../../src/study/mapping.js";
import {rDateFormat, rMappingCode, rSnippet} from "../../src/study/rSnippet.js";

const base: CohortMapping = {v: 1, os: null, events: null, covariates: [], id: null};

describe("rMappingCode(mapping) writes applyMapping in R", () => {
  it("a duration in months is × 30.4375 days, text status codes are matched as text, age in months is × (30.4375 / 365.25)", () => {
    const {lines, asText} = rMappingCode({
      mapping: {...base, os: {time: {kind: "duration", column: "surv months", unit: "months"}, status: {column: "vital", codes: [["alive", 0], ["dead", 1], ["dead", 2]]}}, covariates: [{target: "age", column: "age_mo", unit: "months"}]},
      columns: {"surv months": {type: "number"}, vital: {type: "string"}, age_mo: {type: "number"}}
    });
    assert.include(lines, 'mapped$os_days <- as.numeric(d[["surv months"]]) * 30.4375');
    // A repeated code keeps its last meaning, and OS makes any cause ≥ 1 a death (as applyMapping).
    assert.include(lines, 'mapped$os_status <- c(0, 1)[match(d[["vital"]], c("alive", "dead"))]');
    assert.include(lines, 'mapped$age <- as.numeric(d[["age_mo"]]) * (30.4375 / 365.25)');
    assert.deepStrictEqual(asText, ["vital"]);
    assert.ok(!lines.some((l) => l.startsWith("# Note")));
  });

  it("numeric codes of a number column are matched by value; days in a column named os_days are the study's column (not renamed)", () => {
    const {lines} = rMappingCode({
      mapping: {...base, os: {time: {kind: "duration", column: "os_days", unit: "days"}, status: {column: "st", codes: [["0", 0], ["1", 1], ["x", 1]]}}},
      columns: {os_days: {type: "number"}, st: {type: "number"}}
    });
    assert.include(lines, 'mapped$os_days <- as.numeric(d[["os_days"]])');
    assert.include(lines, 'mapped$os_status <- c(0, 1)[match(as.numeric(d[["st"]]), c(0, 1))]');
    assert.include(lines, 'for (n in setdiff(intersect(names(d), study_names), c("os_days"))) {');
    assert.include(lines, "d[names(mapped)] <- mapped");
  });

  it("dates: end − start in days with the notebook's format as a strict pattern and format=", () => {
    const {lines, asText} = rMappingCode({
      mapping: {...base, events: {time: {kind: "dates", start: "s", end: "e"}, status: {column: "ev", codes: [["none", 0], ["relapse", 1]]}}},
      columns: {s: {type: "date", format: "DD/MM/YYYY"}, e: {type: "date", format: "DD/MM/YYYY"}, ev: {type: "string"}}
    });
    assert.include(lines, 'mapped$event_days <- as.numeric(.as_date(d[["e"]], "^[0-9]{2}\\\\/[0-9]{2}\\\\/[0-9]{4}$", "%d/%m/%Y") - .as_date(d[["s"]], "^[0-9]{2}\\\\/[0-9]{2}\\\\/[0-9]{4}$", "%d/%m/%Y"))');
    assert.include(lines, 'mapped$event <- c(0, 1)[match(d[["ev"]], c("none", "relapse"))]');
    assert.deepStrictEqual(asText.sort(), ["e", "ev", "s"]);
    assert.deepStrictEqual(rDateFormat("M.D.YYYY"), {pattern: "^[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{4}$", format: "%m.%d.%Y"});
    assert.strictEqual(rDateFormat("YY-MM-DD"), null);
  });

  it("what R cannot reproduce exactly is said in a # Note line, never silently", () => {
    const nul = rMappingCode({mapping: {...base, os: {time: {kind: "duration", column: "t", unit: "days"}, status: {column: "s", codes: [["a\u0000b", 1], ["ok", 0]]}}}, columns: {t: {type: "number"}, s: {type: "string"}}});
    assert.ok(nul.lines.some((l) => l.startsWith("# Note: a code of the os_status column cannot be written exactly in R")));
    assert.include(nul.lines, 'mapped$os_status <- c(0)[match(d[["s"]], c("ok"))]');
    const decimals = rMappingCode({mapping: {...base, os: {time: {kind: "duration", column: "t", unit: "days"}, status: {column: "s", codes: [["0.5", 1], ["0", 0]]}}}, columns: {t: {type: "number"}, s: {type: "number"}}});
    assert.ok(decimals.lines.some((l) => l.startsWith("# Note: the os_status column has codes with decimals")));
    const unknown = rMappingCode({mapping: {...base, os: {time: {kind: "duration", column: "t", unit: "days"}, status: {column: "s", codes: [["1", 1], ["0", 0]]}}}});
    assert.ok(unknown.lines.some((l) => l.startsWith("# Note: how the notebook read the os_status column is not known here")));
    assert.include(unknown.lines, 'mapped$os_status <- if (is.numeric(d[["s"]])) c(1, 0)[match(as.numeric(d[["s"]]), c(1, 0))] else c(1, 0)[match(d[["s"]], c("1", "0"))]');
    const badFormat = rMappingCode({mapping: {...base, events: {time: {kind: "dates", start: "s", end: "e"}, status: {column: "ev", codes: [["0", 0]]}}}, columns: {s: {type: "date", format: "YY/MM/DD"}, e: {type: "date", format: "YYYY-MM-DD"}, ev: {type: "number"}}});
    assert.ok(badFormat.lines.some((l) => l.startsWith("# Note: a date format could not be written for R")));
  });

  it("data text never reaches a comment, and a hostile column name stays inside its string", () => {
    const evil = 'x"]]); cat("PWNED\\n"); #\n';
    const {lines} = rMappingCode({mapping: {...base, os: {time: {kind: "duration", column: evil, unit: "weeks"}, status: {column: evil, codes: [[evil, 1]]}}}, columns: {[evil]: {type: "string"}}});
    for (const l of lines) assert.ok(!l.startsWith("#") || !l.includes("PWNED"), l);
    assert.ok(lines.every((l) => !l.includes("\n")));
  });
});

describe("rSnippet with and without a mapping", () => {
  const spec = {fileName: "c.csv", endpoint: "os", analyses: ["km" as const]};
  it("no mapping (null or absent) writes exactly today's script", () => {
    assert.strictEqual(rSnippet({...spec, mapping: null}), rSnippet(spec));
    assert.ok(!rSnippet(spec).includes("mapped"));
  });
  it("a mapping adds colClasses for text columns and builds the columns before the derived variables and filters", () => {
    const s = rSnippet({...spec, filters: [{column: "age_group", op: "==", value: "> 9 years"}], mapping: {mapping: {...base, os: {time: {kind: "duration", column: "m", unit: "months"}, status: {column: "v", codes: [["dead", 1], ["alive", 0]]}}, covariates: [{target: "age", column: "a"}]}, columns: {m: {type: "number"}, v: {type: "string"}, a: {type: "number"}}}});
    assert.include(s, '  colClasses = c("v" = "character"))\n');
    const at = (t: string) => s.indexOf(t);
    assert.ok(at("d[names(mapped)] <- mapped") > at("read.csv") && at("d[names(mapped)] <- mapped") < at("d$age_group <-") && at("d$age_group <-") < at("d <- subset("));
  });
});
