import {execFile} from "node:child_process";
import {readFileSync} from "node:fs";
import {promisify} from "node:util";
import {assert, describe, it} from "vitest";
import {assertClose} from "../util/close.js";

// End to end: the runner is spawned as a user would run it, on data sets that no engine test uses
// (survival's pbc with competing risks, and colon). Expected values: test/reference/runner-unseen.R →
// runner-unseen.json (R 4.2.2, survival 3.5-3, cmprsk 2.2-11; the R call is recorded with each block).
const ref = JSON.parse(readFileSync("test/reference/runner-unseen.json", "utf8"));
const run = promisify(execFile);

async function analyze(...args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  try {
    const {stdout, stderr} = await run(process.execPath, ["--import", "tsx", "src/cli/analyze.ts", ...args], {maxBuffer: 64 << 20});
    return {code: 0, stdout, stderr};
  } catch (e) {
    const err = e as {code: number; stdout: string; stderr: string};
    return {code: err.code, stdout: err.stdout, stderr: err.stderr};
  }
}

async function json(...args: string[]) {
  const r = await analyze(...args);
  assert.strictEqual(r.code, 0, r.stderr);
  assert.notMatch(r.stdout, /NaN|Infinity/);
  return JSON.parse(r.stdout);
}

const PBC = ["--data", "test/data/pbc.csv", "--time", "time"];
const COLON = ["--data", "test/data/colon.csv", "--time", "time", "--event", "status"];

describe("npm run analyze", () => {
  it("km reproduces survfit(conf.type = 'log-log') and summary(times, extend = TRUE) on pbc by treatment", async () => {
    const out = await json("km", ...PBC, "--event", "dead", "--by", "trt", "--at", ref.km_pbc.at.time.slice(0, 4).join(","));
    const r = ref.km_pbc;
    const steps = out.strata.flatMap((s: {level: string; steps: unknown[]}) => s.steps.map((x) => ({...(x as object), level: s.level})));
    assert.strictEqual(steps.length, r.steps.time.length);
    assert.deepStrictEqual(steps.map((s: {time: number}) => s.time), r.steps.time);
    assert.deepStrictEqual(steps.map((s: {level: string}) => `trt=${s.level}`), r.steps.strata);
    assertClose(steps.map((s: {nRisk: number}) => s.nRisk), r.steps.n_risk, {rtol: 0, label: "nRisk"});
    assertClose(steps.map((s: {surv: number}) => s.surv), r.steps.surv, {rtol: 1e-12, label: "surv"});
    assertClose(steps.map((s: {stdErr: number}) => s.stdErr), r.steps.std_err_s, {rtol: 1e-9, label: "stdErr"});
    assertClose(steps.map((s: {lower: number}) => s.lower), r.steps.lower, {rtol: 1e-9, label: "lower"});
    assertClose(steps.map((s: {upper: number}) => s.upper), r.steps.upper, {rtol: 1e-9, label: "upper"});
    assertClose(out.strata.map((s: {median: number}) => s.median), r.median, {rtol: 0, label: "median"});
    assertClose(out.strata.map((s: {medianLower: number}) => s.medianLower), r.median_lower, {rtol: 0, label: "median lower"});
    assertClose(out.strata.map((s: {medianUpper: number}) => s.medianUpper), r.median_upper, {rtol: 0, label: "median upper"});
    const at = out.strata.flatMap((s: {at: unknown[]}) => s.at);
    assertClose(at.map((a: {surv: number}) => a.surv), r.at.surv, {rtol: 1e-12, label: "surv at"});
    assertClose(at.map((a: {stdErr: number}) => a.stdErr), r.at.std_err, {rtol: 1e-9, label: "stdErr at"});
    assertClose(at.map((a: {lower: number}) => a.lower), r.at.lower, {rtol: 1e-9, label: "lower at"});
    assertClose(at.map((a: {nRisk: number}) => a.nRisk), r.at.n_risk, {rtol: 0, label: "nRisk at"});
  });

  it("km reproduces conf.type = 'plain' at conf.int = 0.9 on colon by rx", async () => {
    const out = await json("km", ...COLON, "--by", "rx", "--conf-type", "plain", "--conf-level", "0.9");
    const byLevel = new Map<string, {time: number; surv: number; lower: number; upper: number}[]>(
      out.strata.map((s: {level: string; steps: never[]}) => [s.level, s.steps])
    );
    const r = ref.km_colon.steps;
    for (const level of ["Obs", "Lev", "Lev+5FU"]) {
      const idx = r.strata.map((s: string, i: number) => (s === `rx=${level}` ? i : -1)).filter((i: number) => i >= 0);
      const mine = byLevel.get(level)!;
      assert.deepStrictEqual(mine.map((s) => s.time), idx.map((i: number) => r.time[i]));
      assertClose(mine.map((s) => s.surv), idx.map((i: number) => r.surv[i]), {rtol: 1e-12, label: `${level} surv`});
      assertClose(mine.map((s) => s.lower), idx.map((i: number) => r.lower[i]), {rtol: 1e-9, label: `${level} lower`});
      assertClose(mine.map((s) => s.upper), idx.map((i: number) => r.upper[i]), {rtol: 1e-9, label: `${level} upper`});
    }
  });

  it("logrank reproduces survdiff on pbc by stage (4 groups, one missing stage excluded and counted)", async () => {
    const out = await json("logrank", ...PBC, "--event", "dead", "--by", "stage");
    const r = ref.logrank_pbc;
    assertClose(out.chisq, r.chisq, {rtol: 1e-9});
    assert.strictEqual(out.df, r.df);
    assertClose(out.p, r.p, {rtol: 1e-6});
    assertClose(out.groups.map((g: {observed: number}) => g.observed), r.observed, {rtol: 1e-12});
    assertClose(out.groups.map((g: {expected: number}) => g.expected), r.expected, {rtol: 1e-9});
    assert.deepStrictEqual(out.groups.map((g: {n: number}) => g.n), r.n);
  });

  it("logrank --rho 1 --strata reproduces survdiff(rho = 1) with strata(sex) on colon", async () => {
    const out = await json("logrank", ...COLON, "--by", "rx", "--strata", "sex", "--rho", "1");
    const r = ref.logrank_colon;
    assertClose(out.chisq, r.chisq, {rtol: 1e-9});
    assertClose(out.p, r.p, {rtol: 1e-6});
    // R orders rx as Obs, Lev, Lev+5FU (a factor); the runner sorts levels: Lev, Lev+5FU, Obs.
    const order = ["Lev", "Lev+5FU", "Obs"].map((l) => ["Obs", "Lev", "Lev+5FU"].indexOf(l));
    assertClose(out.groups.map((g: {observed: number}) => g.observed), order.map((i) => r.observed[i]), {rtol: 1e-9});
    assertClose(out.groups.map((g: {expected: number}) => g.expected), order.map((i) => r.expected[i]), {rtol: 1e-9});
  });

  it("cif reproduces cuminc + timepoints and Gray's tests on pbc (transplant and death competing)", async () => {
    const r = ref.cif_pbc;
    const out = await json("cif", ...PBC, "--event", "status", "--by", "trt", "--at", r.at.join(","));
    for (const [k, row] of r.rows.entries()) {
      const [level, cause] = (row as string).split(" ");
      const curve = out.strata.find((s: {level: string; cause: number}) => s.level === level && s.cause === Number(cause));
      assert.ok(curve, `curve ${row}`);
      assertClose(curve.at.map((a: {cif: number}) => a.cif), r.est[k], {rtol: 1e-9, label: `${row} est`});
      assertClose(curve.at.map((a: {variance: number}) => a.variance), r.var[k], {rtol: 1e-9, label: `${row} var`});
    }
    assertClose(out.gray.map((g: {stat: number}) => g.stat), r.tests.stat, {rtol: 1e-8, label: "Gray stat"});
    assertClose(out.gray.map((g: {p: number}) => g.p), r.tests.p, {rtol: 1e-6, label: "Gray p"});
  });

  it("cox reproduces coxph (Efron) with a factor covariate on pbc, tests and concordance included", async () => {
    const out = await json("cox", ...PBC, "--event", "dead", "--covariates", "age,bili,albumin,factor(edema),trt", "--ref", "trt=D-penicillamine");
    const r = ref.cox_pbc;
    assert.deepStrictEqual(out.terms.map((t: {term: string}) => t.term), ["age", "bili", "albumin", "edema=0.5", "edema=1", "trt=placebo"]);
    assertClose(out.terms.map((t: {coef: number}) => t.coef), r.coef, {rtol: 1e-6, label: "coef"});
    assertClose(out.terms.map((t: {se: number}) => t.se), r.se, {rtol: 1e-6, label: "se"});
    assertClose(out.loglik, r.loglik, {rtol: 1e-9, label: "loglik"});
    assertClose(out.lrTest.stat, r.lr, {rtol: 1e-6});
    assertClose(out.waldTest.stat, r.wald, {rtol: 1e-6});
    assertClose(out.scoreTest.stat, r.score, {rtol: 1e-6});
    assertClose(out.concordance, r.concordance, {rtol: 1e-9});
    assert.strictEqual(out.n, r.n);
    assert.strictEqual(out.events, r.events);
    assert.strictEqual(out.converged, true);
  });

  it("cox --ties breslow --ref reproduces coxph on colon with rx relative to Obs", async () => {
    const out = await json("cox", ...COLON, "--covariates", "rx,age,nodes", "--ties", "breslow", "--ref", "rx=Obs");
    const r = ref.cox_colon;
    assertClose(out.terms.map((t: {coef: number}) => t.coef), r.coef, {rtol: 1e-6, label: "coef"});
    assertClose(out.terms.map((t: {se: number}) => t.se), r.se, {rtol: 1e-6, label: "se"});
    assert.strictEqual(out.n, r.n);
    assert.strictEqual(out.excluded.total, 929 - r.n);
  });

  it("zph reproduces cox.zph(transform = 'km') per term and globally on pbc", async () => {
    const out = await json("zph", ...PBC, "--event", "dead", "--covariates", "age,bili,albumin");
    const t = ref.zph_pbc.table; // rows age, bili, albumin, GLOBAL; columns chisq, df, p
    assertClose(out.terms.map((x: {chisq: number}) => x.chisq), t.slice(0, 3).map((row: number[]) => row[0]), {rtol: 1e-6});
    assertClose(out.terms.map((x: {p: number}) => x.p), t.slice(0, 3).map((row: number[]) => row[2]), {rtol: 1e-6});
    assertClose(out.global.chisq, t[3][0], {rtol: 1e-6});
  });

  it("finegray reproduces crr for death with transplant competing on pbc", async () => {
    const out = await json("finegray", ...PBC, "--event", "status", "--cause", "2", "--covariates", "age,bili,albumin");
    assertClose(out.terms.map((t: {coef: number}) => t.coef), ref.crr_pbc.coef, {rtol: 1e-6, label: "coef"});
    assertClose(out.terms.map((t: {se: number}) => t.se), ref.crr_pbc.se, {rtol: 1e-6, label: "se"});
  });

  it("--where filters rows as data and the output says how many were selected", async () => {
    const out = await json("km", ...PBC, "--event", "dead", "--where", '[{"column":"sex","op":"==","value":"f"},{"column":"age","op":"between","value":[40,60]}]');
    assert.ok(out.data.selected > 0 && out.data.selected < out.data.rows);
    assert.strictEqual(out.strata[0].n, out.data.selected);
  });

  it("bad input ends with one line naming column, row and value, and a non-zero exit — never a stack trace", async () => {
    const cases: [string[], RegExp, number][] = [
      [["km", ...PBC, "--event", "nope"], /No column 'nope'/, 1],
      [["km", ...PBC, "--event", "dead", "--where", '[{"column":"age","op":"eval","value":"process.exit()"}]'], /unknown operator/, 1],
      [["km", ...PBC, "--event", "dead", "--where", "not json"], /--where: not valid JSON/, 2],
      [["km", "--data", "test/data/lung.csv", "--time", "time", "--event", "status"], /status: coded 1\/2/, 1],
      [["km", "--data", "test/data/veteran.csv", "--time", "celltype", "--event", "status"], /celltype/, 1],
      [["cox", ...PBC, "--event", "dead"], /needs --covariates/, 2],
      [["km", "--data", "does-not-exist.csv", "--time", "t", "--event", "e"], /no such file/, 1],
      [["frobnicate"], /unknown command/, 2]
    ];
    for (const [args, pattern, code] of cases) {
      const r = await analyze(...args);
      assert.strictEqual(r.code, code, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.strictEqual(r.stderr.trim().split("\n").length, 1, `one line: ${r.stderr}`);
      assert.notMatch(r.stderr, /\n\s+at /);
      assert.strictEqual(r.stdout, "");
    }
  });

  it("a negative time names its row; rows with a missing value are excluded and counted by column", async () => {
    const neg = await analyze("km", "--data", "test/cli/fixtures/negative-time.csv", "--time", "time", "--event", "event");
    assert.strictEqual(neg.code, 1);
    assert.match(neg.stderr, /time must be ≥ 0 \(row 3: '-2'\)/);
    const out = await json("km", "--data", "test/cli/fixtures/missing.csv", "--time", "time", "--event", "event", "--by", "arm");
    assert.deepStrictEqual(out.excluded, {
      total: 3,
      reasons: [
        {column: "time", count: 1, reason: "missing value"},
        {column: "event", count: 1, reason: "missing value"},
        {column: "arm", count: 1, reason: "missing value"}
      ]
    });
  });
});
