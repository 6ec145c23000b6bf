// The R script proven to reproduce the view: each script rSnippet writes for the views of
// rSnippet.cases.ts was run by R 4.2.2 (survival 3.5-3, cmprsk 2.2-11) exactly as a user would —
// test/reference/rsnippet-roundtrip.R sources test/reference/rsnippet/<name>.R and records what it printed
// (<name>.out.txt) and the objects it made (rsnippet-roundtrip.json). Here the engine computes the same
// view through the study layer (cohort, filters, endpoint) and must give R's numbers. CI has no R: the
// committed scripts must still be exactly what rSnippet writes, so the R results belong to this generator.
// Regenerate: npx tsx test/reference/rsnippet-write.ts && Rscript test/reference/rsnippet-roundtrip.R
import {readFileSync} from "node:fs";
import {assert, describe, it} from "vitest";
import {labelsAt} from "../../src/cohort/schema.js";
import {loadStudyCohort, selectRows} from "../../src/study/cohort.js";
import {endpointInput} from "../../src/study/endpoints.js";
import {rMapping, rSnippet, type RSnippetSpec} from "../../src/study/rSnippet.js";
import {readTable} from "../../src/cohort/readTable.js";
import {prepareUploadedCohort} from "../../src/study/upload.js";
import {coxPH, coxZph, cumulativeIncidence, designMatrix, fineGray, grayTest, kaplanMeier, logRank, summaryAt, type CovariateSpec} from "../../src/survival/index.js";
import {assertClose} from "../util/close.js";
import {HOSTILE_VALUE, OWN_FILE, ROUNDTRIP_CASES} from "./rSnippet.cases.js";

const ref = JSON.parse(readFileSync("test/reference/rsnippet-roundtrip.json", "utf8"));
const caseOf = (name: string) => ROUNDTRIP_CASES.find((c) => c.name === name)!.spec;
const level = (rStratum: string) => rStratum.replace(/^[^=]*=/, "");

/** The study cohort as a page opens it: the published way, or (a mapped upload) readTable + applyMapping + derived variables as the Your data page. */
async function open(spec: RSnippetSpec) {
  if (!spec.mapping) {
    const loaded = await loadStudyCohort(readFileSync(spec.fileName), spec.fileName);
    if (!loaded.table) throw new Error("cohort not read");
    return loaded.table;
  }
  const {table, report} = await readTable(new Uint8Array(readFileSync(spec.fileName)), {name: spec.fileName});
  if (!table) throw new Error("cohort not read");
  const {cohort, mapped} = prepareUploadedCohort(table, spec.mapping.mapping, report);
  if (!cohort?.table) throw new Error(JSON.stringify(mapped.problems));
  // What the pages pass to rSnippet (rMapping of the page's table) is the case's mapping with its column types.
  assert.deepStrictEqual(rMapping(cohort.table, spec.mapping.mapping), spec.mapping);
  return cohort.table;
}

async function view(spec: RSnippetSpec) {
  const table = await open(spec);
  const {mask, count, problems} = selectRows(table, spec.filters ?? []);
  assert.ok(!problems.some((p) => p.severity === "error"), JSON.stringify(problems));
  const competing = spec.endpoint !== "os";
  const input = endpointInput(table, competing ? "events" : "os", mask, {groupBy: spec.groupBy, strata: spec.strata?.[0] ?? null});
  assert.ok(input.ok);
  return {table, count, input};
}

const rTerm = (t: string) => t.replace("=", "");

/** The cause-specific Cox fit (cause 1, Efron) against R's coxph of the script: terms, n, events, coef, se, loglik. */
function checkCox(data: Parameters<typeof coxPH>[0], x: Parameters<typeof coxPH>[1], expected: {terms: string[]; n: number; nevent: number; coef: number[]; se: number[]; loglik: number[]}) {
  const cox = coxPH(data, x, {cause: 1, ties: "efron"});
  assert.deepStrictEqual(cox.terms.map((t) => rTerm(t.term)), expected.terms);
  assert.strictEqual(cox.n, expected.n);
  assert.strictEqual(cox.events, expected.nevent);
  assertClose(cox.terms.map((t) => t.coef), expected.coef, {rtol: 1e-6, label: "Cox coef"});
  assertClose(cox.terms.map((t) => t.se), expected.se, {rtol: 1e-6, label: "Cox se"});
  assertClose(cox.loglik, expected.loglik, {rtol: 1e-9, label: "Cox loglik"});
  return cox;
}

function checkKm(spec: RSnippetSpec, data: Parameters<typeof kaplanMeier>[0], expected: {strata: string[]; surv: number[] | number; std_err: number[] | number; lower: number[] | number; upper: number[] | number; n_risk: number[] | number}, cause?: number) {
  const fit = kaplanMeier(data, {confType: (spec.confType ?? "log-log") as "log-log", ...(cause ? {cause} : {})});
  const at = summaryAt(fit, [spec.horizon!]);
  const byLevel = new Map(at.strata.map((s) => [s.level ?? "", s.at[0]]));
  const rows = expected.strata.map((s) => byLevel.get(level(s))!);
  assert.ok(rows.every(Boolean), `strata ${expected.strata.join(", ")} vs ${[...byLevel.keys()].join(", ")}`);
  assertClose(rows.map((r) => r.surv), expected.surv, {label: "surv"});
  assertClose(rows.map((r) => r.stdErr), expected.std_err, {label: "std.err"});
  assertClose(rows.map((r) => r.lower), expected.lower, {label: "lower"});
  assertClose(rows.map((r) => r.upper), expected.upper, {label: "upper"});
  assertClose(rows.map((r) => r.nRisk), expected.n_risk, {label: "n.risk"});
}

describe("the committed R scripts are what rSnippet writes now", () => {
  for (const {name, spec} of ROUNDTRIP_CASES)
    it(`test/reference/rsnippet/${name}.R equals rSnippet(view)`, () => {
      assert.strictEqual(readFileSync(`test/reference/rsnippet/${name}.R`, "utf8"), rSnippet(spec), "re-run rsnippet-write.ts and the R round trip");
    });
});

describe("R running the snippet gives the engine's numbers (rsnippet-roundtrip.json)", () => {
  it("overview: 2-year OS of all patients, as survfit log-log and summary(times = 730.5) printed it", async () => {
    const spec = caseOf("overview");
    const {count, input} = await view(spec);
    const r = ref.overview;
    assert.strictEqual(count, r.n);
    checkKm(spec, input.data, {...r.km, strata: [""]});
    // The printed line of summary(): " 730     47     114    0.322  0.0362        0.252        0.393".
    const printed = readFileSync("test/reference/rsnippet/overview.out.txt", "utf8").split("\n");
    const line = printed[printed.findIndex((l) => l.includes("survival std.err")) + 1].trim().split(/\s+/);
    const [, nRisk, , surv, se, lower, upper] = line;
    const at = summaryAt(kaplanMeier(input.data, {confType: "log-log"}), [730.5]).strata[0].at[0];
    assert.strictEqual(at.nRisk, +nRisk);
    for (const [value, text] of [[at.surv, surv], [at.stdErr!, se], [at.lower!, lower], [at.upper!, upper]] as const) {
      const decimals = text.split(".")[1]?.length ?? 0;
      assert.strictEqual(value.toFixed(decimals), text, `printed ${text}`);
    }
  });

  it("filtered and grouped: filters select the same patients; KM at 1 year and the log-rank test", async () => {
    const spec = caseOf("filtered-grouped");
    const {count, input} = await view(spec);
    const r = ref["filtered-grouped"];
    assert.strictEqual(count, r.n);
    checkKm(spec, input.data, r.km);
    const lr = logRank(input.data);
    const groups = new Map(lr.groups.map((g) => [g.level, g]));
    assertClose(lr.chisq, r.logrank.chisq, {label: "chisq"});
    assertClose(r.logrank.groups.map((g: string) => groups.get(level(g))!.observed), r.logrank.observed, {label: "observed"});
    assertClose(r.logrank.groups.map((g: string) => groups.get(level(g))!.expected), r.logrank.expected, {label: "expected"});
  });

  it("relapse: cause-specific KM and stratified log-rank, cuminc with Gray's test, cause-specific Cox, cox.zph and crr", async () => {
    const spec = caseOf("relapse-models");
    const {table, count, input} = await view(spec);
    const r = ref["relapse-models"];
    assert.strictEqual(count, r.n);
    checkKm(spec, input.data, r.km, 1);
    const lr = logRank(input.data, {cause: 1});
    assertClose(lr.chisq, r.logrank.chisq, {label: "stratified log-rank chisq"});
    const groups = new Map(lr.groups.map((g) => [g.level, g]));
    assertClose(r.logrank.groups.map((g: string) => groups.get(level(g))!.observed), r.logrank.observed, {label: "observed"});

    // cuminc: estimates are not stratified (the strata enter Gray's test only).
    const ci = cumulativeIncidence({time: input.data.time, event: input.data.event, group: input.data.group, strata: input.data.strata}, {times: [spec.horizon!]});
    const curves = new Map(ci.curves.map((c) => [`${c.level} ${c.cause}`, c.at[0]]));
    assertClose(r.cuminc.names.map((n: string) => curves.get(n)!.cif), r.cuminc.est, {label: "cuminc est"});
    assertClose(r.cuminc.names.map((n: string) => curves.get(n)!.variance), r.cuminc.var, {label: "cuminc var"});
    const gray = grayTest(input.data);
    assertClose(gray.tests.map((t) => t.stat), r.gray.stat, {label: "Gray stat"});
    assertClose(gray.tests.map((t) => t.p), r.gray.p, {rtol: 1e-6, label: "Gray p"});
    assert.deepStrictEqual(gray.tests.map((t) => t.df), r.gray.df);

    const covariates: CovariateSpec[] = (spec.covariates ?? []).map((c) => {
      const {column, reference} = c as {column: string; reference: string};
      return {name: column, values: labelsAt(table, column, input.rows), type: "categorical", reference};
    });
    const x = designMatrix(covariates);
    const cox = checkCox(input.data, x, r.cox);
    const zph = coxZph(cox);
    assertClose([...zph.terms.map((t) => t.chisq), zph.global.chisq], r.zph.chisq, {rtol: 1e-6, label: "zph chisq"});
    assertClose([...zph.terms.map((t) => t.p), zph.global.p], r.zph.p, {rtol: 1e-6, label: "zph p"});

    const fg = fineGray({time: input.data.time, event: input.data.event}, x, {cause: 1});
    assert.deepStrictEqual(fg.terms.map((t) => rTerm(t.term)), r.finegray.terms);
    assert.strictEqual(fg.n, r.finegray.n);
    assertClose(fg.terms.map((t) => t.coef), r.finegray.coef, {rtol: 1e-4, label: "crr coef"});
    assertClose(fg.terms.map((t) => t.se), r.finegray.se, {rtol: 1e-4, label: "crr se"});
  });

  it("hostile column name, labels and file name: R selects the same rows and gives the same curves, and runs no injected code", async () => {
    const spec = caseOf("hostile");
    const {count, input} = await view(spec);
    const r = ref.hostile;
    assert.strictEqual(count, r.n);
    assert.ok(r.km.strata.some((s: string) => level(s) === HOSTILE_VALUE));
    checkKm(spec, input.data, r.km);
    assertClose(logRank(input.data).chisq, r.logrank.chisq, {label: "chisq"});
    const printed = readFileSync("test/reference/rsnippet/hostile.out.txt", "utf8").split("\n");
    assert.ok(!printed.some((l) => l.trim() === "PWNED"), "the value's cat() never ran");
    assert.ok(printed[0].startsWith("Patients selected: 11"));
  });

  it("a mapped upload, OS in months with text codes and age in months: R builds the same columns, selects the same rows and gives the same curves and log-rank test", async () => {
    const spec = caseOf("own-months");
    const {table, count, input} = await view(spec);
    const r = ref["own-months"];
    assert.strictEqual(count, r.n);
    assert.ok(table.has("age_original"), "the file's own age column is kept as age_original");
    checkKm(spec, input.data, r.km);
    const lr = logRank(input.data);
    const groups = new Map(lr.groups.map((g) => [g.level, g]));
    assertClose(lr.chisq, r.logrank.chisq, {label: "chisq"});
    assertClose(r.logrank.groups.map((g: string) => groups.get(level(g))!.observed), r.logrank.observed, {label: "observed"});
    assertClose(r.logrank.groups.map((g: string) => groups.get(level(g))!.expected), r.logrank.expected, {label: "expected"});
    assert.ok(readFileSync(OWN_FILE, "utf8").startsWith("patient,surv_months,vital,age_mo,age,"));
  });

  it("a mapped upload, first events from two dates with text codes and a colliding 'event' column: cause-specific KM, cuminc + Gray, Cox and crr as R", async () => {
    const spec = caseOf("own-dates");
    const {table, count, input} = await view(spec);
    const r = ref["own-dates"];
    assert.strictEqual(count, r.n);
    assert.ok(table.has("event_original"), "the file's own event column is kept as event_original (the view filters on it)");
    checkKm(spec, input.data, r.km, 1);
    const ci = cumulativeIncidence({time: input.data.time, event: input.data.event, group: input.data.group}, {times: [spec.horizon!]});
    const curves = new Map(ci.curves.map((c) => [`${c.level} ${c.cause}`, c.at[0]]));
    assertClose(r.cuminc.names.map((n: string) => curves.get(n)!.cif), r.cuminc.est, {label: "cuminc est"});
    assertClose(r.cuminc.names.map((n: string) => curves.get(n)!.variance), r.cuminc.var, {label: "cuminc var"});
    const gray = grayTest(input.data);
    assertClose(gray.tests.map((t) => t.stat), r.gray.stat, {label: "Gray stat"});
    assertClose(gray.tests.map((t) => t.p), r.gray.p, {rtol: 1e-6, label: "Gray p"});

    // Covariates: age (numeric, from months) and the relapse timing (from weeks), complete cases as R.
    const ageCol = table.column("age");
    const age = Float64Array.from(input.rows, (i) => (ageCol.missing[i] ? NaN : (ageCol.values[i] as number)));
    const x = designMatrix([
      {name: "age", values: age, type: "numeric"},
      {name: "relapse_timing", values: labelsAt(table, "relapse_timing", input.rows), type: "categorical", reference: "Early (< 180 days)"}
    ]);
    const cox = checkCox(input.data, x, r.cox);
    const fg = fineGray({time: input.data.time, event: input.data.event}, x, {cause: 1});
    assert.deepStrictEqual(fg.terms.map((t) => rTerm(t.term)), r.finegray.terms);
    assert.strictEqual(fg.n, r.finegray.n);
    assertClose(fg.terms.map((t) => t.coef), r.finegray.coef, {rtol: 1e-4, label: "crr coef"});
    assertClose(fg.terms.map((t) => t.se), r.finegray.se, {rtol: 1e-4, label: "crr se"});
  });
});
