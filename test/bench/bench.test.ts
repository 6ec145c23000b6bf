// Smoke test of `npm run bench` (bench/engine.ts, bench/cohort.ts, bench/operations.ts): the bench
// columns are derived as documented, survive a CSV round trip, the five operations run on them, and
// `--data FILE --json` prints exactly one JSON object. Timings are printed by the benchmark, never
// asserted here.
import {spawnSync} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {generateKato2012Cohort} from "../../src/synthetic/kato2012.js";
import {BENCH_COLUMNS, benchCsv, benchFromCohort, DONOR_LEVELS, orderBy, permuteCohort, readBenchCsv} from "../../bench/cohort.js";
import {OPERATIONS, operations, timeMedian} from "../../bench/operations.js";

describe("bench cohort", () => {
  const c = generateKato2012Cohort(3000, 7);
  const b = benchFromCohort(c);

  it("codes the bench columns from the synthetic cohort as documented in bench/cohort.ts", () => {
    expect(b.n).toBe(3000);
    let refractory = 0;
    for (let i = 0; i < b.n; ++i) {
      expect(b.time[i]).toBe(c.event_days[i]);
      expect(b.event[i]).toBe(c.event[i] === 0 ? 0 : c.event[i] === 1 ? 1 : 2); // NRM and refractory → 2
      if (c.event[i] === 3) ++refractory;
      expect(b.os_time[i]).toBe(c.os_days[i]);
      expect(b.os_status[i]).toBe(c.os_status[i]);
      expect(b.late[i]).toBe(c.interval_days[i] >= 180 ? 1 : 0);
      expect(b.cr[i]).toBe(c.status_sct2[i] === 0 ? 1 : 0);
      expect(b.mac[i]).toBe(c.conditioning[i] === 0 ? 1 : 0);
      expect(b.agvhd[i]).toBe(c.agvhd_grade[i] >= 2 ? 1 : 0);
      expect(b.age9[i]).toBe(c.age[i] > 9 ? 1 : 0);
      expect(DONOR_LEVELS).toContain(b.donor[i]);
    }
    expect(refractory).toBeGreaterThan(0); // the merge into code 2 is exercised
    expect(new Set(b.donor).size).toBe(3);
  });

  it("round-trips through CSV", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-test-"));
    try {
      const file = join(dir, "c.csv");
      const text = benchCsv(b);
      expect(text.slice(0, text.indexOf("\n"))).toBe(BENCH_COLUMNS.join(","));
      writeFileSync(file, text);
      const r = readBenchCsv(file);
      expect(r.n).toBe(b.n);
      for (const col of ["time", "event", "os_time", "os_status", "age", "late", "cr", "mac", "agvhd", "age9"] as const)
        expect(Array.from(r[col])).toEqual(Array.from(b[col]));
      expect(r.donor).toEqual(b.donor);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it("sorts rows by a time column (ties: events first) for the pre-sorted check", () => {
    const s = permuteCohort(b, orderBy(b.os_time, b.os_status));
    for (let i = 1; i < s.n; ++i) {
      expect(s.os_time[i]).toBeGreaterThanOrEqual(s.os_time[i - 1]);
      if (s.os_time[i] === s.os_time[i - 1]) expect(s.os_status[i]).toBeLessThanOrEqual(s.os_status[i - 1]);
    }
  });
});

describe("bench operations", () => {
  it("run the five operations on a 3,000-patient cohort and return fitted results", () => {
    const b = benchFromCohort(generateKato2012Cohort(3000, 7));
    const ops = operations(b);
    const km = ops.km() as {strata: unknown[]};
    expect(km.strata).toHaveLength(1);
    const [kmLate, lr] = ops.km_strata_logrank() as [{strata: unknown[]}, {df: number}];
    expect(kmLate.strata).toHaveLength(2);
    expect(lr.df).toBe(1);
    const cox = ops.cox_efron_5cov() as {terms: {term: string; coef: number | null}[]; converged: boolean};
    expect(cox.terms.map((t) => t.term)).toEqual(["age9", "late", "cr", "mac", "donor=unrelated_BM", "donor=unrelated_CB"]);
    expect(cox.converged).toBe(true);
    for (const t of cox.terms) expect(Number.isFinite(t.coef)).toBe(true);
    const fg = ops.crr_finegray() as {terms: {coef: number | null}[]; converged: boolean};
    expect(fg.terms).toHaveLength(3);
    expect(fg.converged).toBe(true);
    const [cif, gray] = ops.cuminc_gray() as [{curves: unknown[]}, {tests: {df: number}[]}];
    expect(cif.curves).toHaveLength(4); // causes 1, 2 × late 0, 1
    expect(gray.tests.map((t) => t.df)).toEqual([1, 1]);
    const t = timeMedian(ops.km, 1, 1);
    expect(t.runs).toBe(1);
    expect(t.ms).toBeGreaterThan(0);
  });

  it("`npm run bench -- --data FILE --json` prints only the JSON object of the five operations", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-test-"));
    try {
      const file = join(dir, "c.csv");
      writeFileSync(file, benchCsv(benchFromCohort(generateKato2012Cohort(500, 3))));
      const res = spawnSync(process.execPath, ["--import", "tsx", "bench/engine.ts", "--data", file, "--json", "--runs", "3"], {encoding: "utf8"});
      expect(res.status, res.stderr).toBe(0);
      const lines = res.stdout.trim().split("\n");
      expect(lines).toHaveLength(1);
      const json = JSON.parse(lines[0]) as Record<string, number | null>;
      expect(Object.keys(json)).toEqual([...OPERATIONS]);
      for (const op of OPERATIONS) expect(json[op]).toBeGreaterThan(0);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
