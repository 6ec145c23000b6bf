// The calibration acceptance of the committed synthetic cohort, computed by the project's engine
// (not hard-coded), and the engine's figures on that file against R.
// R values: test/reference/calibration-kato2012.R → calibration-kato2012.json (R 4.2.2, survival 3.5-3,
// cmprsk 2.2-11): summary(survfit(...), times = 730.5), cmprsk::timepoints(cuminc(...), 730.5),
// survdiff, coxph(..., ties = "efron", eps = 1e-12, iter.max = 100) on rows split at aGVHD onset, and
// wilcox.test(exact = FALSE, correct = TRUE).
import {execFileSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {calibrateKato2012, HORIZON_DAYS, KATO2012_FACTORS} from "../../src/synthetic/calibration.js";
import {generateKato2012Cohort, parseKato2012Csv} from "../../src/synthetic/kato2012.js";
import {assertClose} from "../util/close.js";

interface Fixture {
  n: number;
  os2: {est: number; se: number};
  cir2: {est: number; se: number};
  nrm2: {est: number; se: number};
  ref2: {est: number; se: number};
  relapse: {n: number; median: number};
  interval: {n: number; median: number};
  wilcoxon: {statistic: number; p: number};
  logrank: Record<string, {chisq: number; p: number; observed: number[]; expected: number[]; favourable: boolean}>;
  cox: {terms: string[]; coef: number[]; se: number[]; p: number[]; loglik: number[]; nRows: number};
}

const R = JSON.parse(readFileSync("test/reference/calibration-kato2012.json", "utf8")) as Fixture;
const cohort = parseKato2012Csv(readFileSync("data/kato2012-synthetic.csv", "utf8"));
const result = calibrateKato2012(cohort);

describe("calibrateKato2012 on data/kato2012-synthetic.csv", () => {
  it("the committed cohort passes every acceptance criterion (engine-computed)", () => {
    const failed = result.criteria.filter((c) => !c.pass).map((c) => c.description);
    expect(failed).toEqual([]);
    expect(result.accepted).toBe(true);
    expect(result.criteria.length).toBe(16);
  });

  it("OS, CIR, NRM and refractory incidence at 2 years match survfit and cuminc", () => {
    expect(HORIZON_DAYS).toBe(730.5);
    assertClose(result.os2.estimate, R.os2.est, {label: "OS(2y)"});
    assertClose(result.os2.se, R.os2.se, {label: "SE OS(2y)"});
    assertClose(result.cir2.estimate, R.cir2.est, {label: "CIR(2y)"});
    assertClose(result.nrm2.estimate, R.nrm2.est, {label: "NRM(2y)"});
    assertClose(result.refractory2.estimate, R.ref2.est, {label: "refractory(2y)"});
    assertClose([result.cir2.se, result.nrm2.se, result.refractory2.se], [R.cir2.se, R.nrm2.se, R.ref2.se], {label: "SE CIF"});
  });

  it("relapse timing: medians and the Wilcoxon rank-sum test match R", () => {
    expect(result.relapse).toEqual(R.relapse);
    expect(result.interval).toEqual(R.interval);
    expect(result.wilcoxon.statistic).toBe(R.wilcoxon.statistic);
    assertClose(result.wilcoxon.p, R.wilcoxon.p, {rtol: 1e-6, label: "Wilcoxon p"});
  });

  it("univariate log-rank tests match survdiff", () => {
    for (const u of result.univariate) {
      const r = R.logrank[u.factor];
      assertClose(u.chisq, r.chisq, {label: `${u.factor} chisq`});
      assertClose(u.p, r.p, {rtol: 1e-6, label: `${u.factor} p`});
      assertClose(u.observed, r.observed, {label: `${u.factor} observed`});
      assertClose(u.expected, r.expected, {label: `${u.factor} expected`});
      expect(u.favourable).toBe(r.favourable);
    }
    expect(result.univariate.map((u) => u.factor)).toEqual(["age_gt9", "early", "noncr", "ric"]);
  });

  it("the multivariable Cox model with time-dependent acute GVHD matches coxph on tmerge-split rows", () => {
    expect(result.cox.terms.map((t) => t.term)).toEqual(R.cox.terms);
    expect(result.cox.rows).toBe(R.cox.nRows);
    expect(result.cox.converged).toBe(true);
    assertClose(
      result.cox.terms.map((t) => t.coef),
      R.cox.coef,
      {rtol: 1e-6, label: "coef"}
    );
    assertClose(
      result.cox.terms.map((t) => t.se),
      R.cox.se,
      {rtol: 1e-6, label: "se"}
    );
    assertClose(
      result.cox.terms.map((t) => t.p),
      R.cox.p,
      {rtol: 1e-6, label: "p"}
    );
    assertClose(result.cox.loglik, R.cox.loglik, {rtol: 1e-9, label: "loglik"});
    expect(KATO2012_FACTORS.map((f) => f.key)).toEqual(R.cox.terms);
  });

  it("the result is JSON-safe (no NaN or Infinity)", () => {
    const text = JSON.stringify(result);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text).accepted).toBe(true);
  });
});

describe("the acceptance rule", () => {
  it("seeds 1–43 fail and 44 is the first seed that passes (engine-computed)", () => {
    const firstPass: number[] = [];
    for (let seed = 1; seed <= 44; ++seed) if (calibrateKato2012(generateKato2012Cohort(171, seed)).accepted) firstPass.push(seed);
    expect(firstPass).toEqual([44]);
  });

  it("npm run calibration prints the table beside the paper's figures and exits 0", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/calibration.ts"], {encoding: "utf8"});
    expect(out).toContain("The file is exactly what `npm run generate` writes (seed 44).");
    expect(out).toMatch(/OS at 2 years\s+29\.4% ± 3\.7%\s+32\.2% ± 3\.6%\s+yes/);
    expect(out).toContain("Wilcoxon rank-sum test");
    expect(out).toContain("Acceptance: all 16 criteria pass.");
  });
});
