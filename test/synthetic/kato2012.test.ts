// The synthetic Kato 2012 cohort: the random-number generator, the committed file, determinism and
// the validity of every column. The calibration acceptance is in calibration.test.ts.
import {execFileSync, spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {
  KATO2012_ACCEPTED_SEED,
  KATO2012_COLUMNS,
  KATO2012_LEVELS,
  KATO2012_N,
  cohortCsvHeader,
  cohortId,
  cohortIds,
  cohortLabels,
  cohortToCsv,
  generateKato2012Cohort,
  parseKato2012Csv,
  type Kato2012Cohort
} from "../../src/synthetic/kato2012.js";
import {Xoshiro128} from "../../src/synthetic/random.js";

const COMMITTED = "data/kato2012-synthetic.csv";
const tmp = mkdtempSync(join(tmpdir(), "kato2012-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

describe("Xoshiro128", () => {
  it("Xoshiro128 matches the reference xoshiro128** 1.1 from state {1, 2, 3, 4}", () => {
    // Expected: the test vector of the Rust crate rand_xoshiro (Xoshiro128StarStar, test `reference`),
    // "produced with the reference implementation (v1.1)" xoshiro128starstar.c by Blackman & Vigna.
    const g = Xoshiro128.fromState(1, 2, 3, 4);
    expect(Array.from({length: 10}, () => g.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804
    ]);
  });

  it("Xoshiro128(seed) expands the seed by SplitMix32 as documented", () => {
    // Expected: an independent transcription of the definitions in src/synthetic/random.ts in Python
    // (unbounded integers masked to 32 bits), first six outputs after seeding.
    const cases: [number, number[]][] = [
      [0, [3809008728, 1133695204, 53579671, 2891528803, 139681546, 2203266335]],
      [44, [3930401024, 2741381377, 2570049703, 952280347, 228775631, 3443236788]],
      [4294967295, [835879718, 1921286648, 2356205009, 1885780724, 980451116, 1053911718]]
    ];
    for (const [seed, expected] of cases) {
      const g = new Xoshiro128(seed);
      expect(Array.from({length: 6}, () => g.nextUint32())).toEqual(expected);
    }
    expect(() => new Xoshiro128(1.5)).toThrow(RangeError);
  });

  it("Xoshiro128 uniforms are strictly inside (0, 1) and the variates have their documented means", () => {
    const g = new Xoshiro128(7);
    const N = 200_000;
    let min = 1;
    let max = 0;
    let sumU = 0;
    let sumE = 0;
    let sumZ = 0;
    let sumZ2 = 0;
    let sumG = 0;
    for (let i = 0; i < N; ++i) {
      const u = g.uniform();
      min = Math.min(min, u);
      max = Math.max(max, u);
      sumU += u;
      sumE += g.exponential(2);
      const z = g.normal();
      sumZ += z;
      sumZ2 += z * z;
      sumG += g.erlang(4, 0.5);
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    // means within ~5 standard errors of their expectations
    expect(Math.abs(sumU / N - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(sumE / N - 2)).toBeLessThan(5 * (2 / Math.sqrt(N)));
    expect(Math.abs(sumZ / N)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(sumZ2 / N - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect(Math.abs(sumG / N - 2)).toBeLessThan(5 * Math.sqrt(1 / N));
  });
});

describe("the committed cohort file", () => {
  const text = readFileSync(COMMITTED, "utf8");

  it("data/kato2012-synthetic.csv is byte for byte what generateKato2012Cohort(171, accepted seed) writes", () => {
    expect(KATO2012_N).toBe(171);
    expect(KATO2012_ACCEPTED_SEED).toBe(44);
    expect(cohortToCsv(generateKato2012Cohort(KATO2012_N, KATO2012_ACCEPTED_SEED))).toBe(text);
  });

  it("npm run generate (scripts/generate-cohort.ts with its defaults) writes exactly the committed bytes", () => {
    const out = join(tmp, "default.csv");
    execFileSync(process.execPath, ["--import", "tsx", "scripts/generate-cohort.ts", "--out", out], {stdio: "pipe"});
    expect(readFileSync(out).equals(readFileSync(COMMITTED))).toBe(true);
  });

  it("data/kato2012-synthetic.csv has 171 rows, the documented header and valid values in every column", () => {
    const c = parseKato2012Csv(text); // throws naming line, column and value on any violation
    expect(c.n).toBe(171);
    expect(text.split("\n")[0]).toBe(cohortCsvHeader());
    expect(text.endsWith("\n") && !text.includes("\r")).toBe(true);
    expect(cohortIds(c)[0]).toBe("K001");
    expect(cohortIds(c)[170]).toBe("K171");
    checkColumns(c);
  });

  it("data/README.md documents every column of the file", () => {
    const readme = readFileSync("data/README.md", "utf8");
    for (const col of KATO2012_COLUMNS) expect(readme, col.name).toContain(`| \`${col.name}\` |`);
    expect(readme).toContain("**44**");
    expect(readme).toMatch(/synthetic/i);
  });
});

describe("generateKato2012Cohort", () => {
  it("is deterministic: the same n and seed give the same cohort; other seeds differ", () => {
    const a = cohortToCsv(generateKato2012Cohort(500, 12345));
    const b = cohortToCsv(generateKato2012Cohort(500, 12345));
    const c = cohortToCsv(generateKato2012Cohort(500, 12346));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it("the first k patients of a larger cohort are the k-patient cohort (ids aside)", () => {
    const small = generateKato2012Cohort(171, 44);
    const large = generateKato2012Cohort(5000, 44);
    for (const col of KATO2012_COLUMNS) {
      if (col.name === "id") continue;
      const s = small[col.name as keyof Kato2012Cohort] as ArrayLike<number>;
      const l = large[col.name as keyof Kato2012Cohort] as ArrayLike<number>;
      expect(Array.from(l).slice(0, 171), col.name).toEqual(Array.from(s));
    }
  });

  it("ids are zero-padded to the width of n", () => {
    expect(cohortId(0, 171)).toBe("K001");
    expect(cohortId(9999, 10000)).toBe("K10000");
    expect(cohortId(0, 1_000_000)).toBe("K0000001");
    expect(() => generateKato2012Cohort(0, 1)).toThrow(RangeError);
  });

  it("every column of a 50,000-patient cohort is valid and the CSV round-trips", () => {
    const c = generateKato2012Cohort(50_000, 2024);
    checkColumns(c);
    const text = cohortToCsv(c);
    expect(cohortToCsv(parseKato2012Csv(text))).toBe(text);
  });

  it("a 200,000-patient cohort reproduces the model's marginal distributions", () => {
    const c = generateKato2012Cohort(200_000, 99);
    const n = c.n;
    const mean = (f: (i: number) => number) => {
      let s = 0;
      for (let i = 0; i < n; ++i) s += f(i);
      return s / n;
    };
    const near = (value: number, expected: number, label: string) =>
      // within 5 binomial standard errors of the model's probability
      expect(Math.abs(value - expected), `${label}: ${value} vs ${expected}`).toBeLessThan(5 * Math.sqrt((expected * (1 - expected)) / n));
    near(mean((i) => +(c.age[i] <= 9)), 0.5, "age ≤ 9");
    near(mean((i) => +(c.sex[i] === 0)), 0.58, "male");
    near(mean((i) => +(c.immunophenotype[i] === 1)), 0.18, "T-lineage");
    near(mean((i) => c.ph_positive[i]), 0.1, "Ph+");
    // late relapse: P(X ≥ 179.5 | 20 ≤ X ≤ 3650) for X lognormal(log 164, 0.8) = 0.4569819
    // (R: f <- function(x) plnorm(x, log(164), 0.8); (f(3650) - f(179.5)) / (f(3650) - f(20)))
    near(mean((i) => +(c.interval_days[i] >= 180)), 0.4569819, "late relapse");
    const late = (i: number) => c.interval_days[i] >= 180;
    const condMean = (cond: (i: number) => boolean, f: (i: number) => number) => {
      let s = 0;
      let k = 0;
      for (let i = 0; i < n; ++i) if (cond(i)) (s += f(i)), ++k;
      return s / k;
    };
    expect(Math.abs(condMean(late, (i) => +(c.status_sct2[i] === 0)) - 0.7)).toBeLessThan(0.01);
    expect(Math.abs(condMean((i) => !late(i), (i) => +(c.status_sct2[i] === 0)) - 0.33)).toBeLessThan(0.01);
    expect(Math.abs(condMean(late, (i) => +(c.conditioning[i] === 0)) - 0.8)).toBeLessThan(0.01);
    const sorted = Float64Array.from(c.interval_days).sort();
    expect(Math.abs(sorted[n >> 1] - 164)).toBeLessThanOrEqual(3);
    // acute GVHD II–IV in 35% of those still event-free long after any onset (P(onset > 365 d) ≈ 1e-5)
    const longFree = (i: number) => c.event_days[i] > 365;
    expect(Math.abs(condMean(longFree, (i) => +(c.agvhd_grade[i] > 0)) - 0.35)).toBeLessThan(0.01);
    // grade III–IV in one third of acute GVHD
    expect(Math.abs(condMean((i) => c.agvhd_grade[i] > 0, (i) => +(c.agvhd_grade[i] >= 3)) - 1 / 3)).toBeLessThan(0.015);
    // refractory disease only without CR at SCT2, in 22% of them unless relapse or NRM came first
    expect(condMean((i) => c.status_sct2[i] === 0, (i) => +(c.event[i] === 3))).toBe(0);
    // decoded labels follow KATO2012_LEVELS
    const labels = cohortLabels(c, "conditioning");
    for (let i = 0; i < 100; ++i) expect(labels[i]).toBe(c.conditioning[i] === 0 ? "MAC" : "RIC");
  });
});

describe("scripts/generate-cohort.ts", () => {
  it("--n and --seed write the same bytes as the model; bad arguments exit 2 with a message", () => {
    const out = join(tmp, "big.csv");
    execFileSync(process.execPath, ["--import", "tsx", "scripts/generate-cohort.ts", "--n", "3000", "--seed", "7", "--out", out], {stdio: "pipe"});
    expect(readFileSync(out, "utf8")).toBe(cohortToCsv(generateKato2012Cohort(3000, 7)));
    for (const args of [["--n", "0"], ["--n", "1e3"], ["--seed", "-1"], ["--bogus"], ["--n"]]) {
      const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/generate-cohort.ts", ...args, "--out", join(tmp, "x.csv")], {encoding: "utf8"});
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^generate-cohort: /);
    }
  });
});

describe("parseKato2012Csv", () => {
  const good = cohortToCsv(generateKato2012Cohort(5, 1));
  const lines = good.split("\n");
  /** The file with the cell of `column` on (1-based) line `line` replaced. */
  const edit = (line: number, column: string, value: string) => {
    const j = KATO2012_COLUMNS.findIndex((c) => c.name === column);
    const copy = lines.slice();
    const f = copy[line - 1].split(",");
    f[j] = value;
    copy[line - 1] = f.join(",");
    return copy.join("\n");
  };

  it("rejects values outside the dictionary, naming the line, the column and the value", () => {
    expect(() => parseKato2012Csv(good.replace("id,", "ID,"))).toThrow(/^line 1: header/);
    expect(() => parseKato2012Csv(edit(2, "sex", "X"))).toThrow('line 2, column sex: "X" (expected one of M, F)');
    expect(() => parseKato2012Csv(edit(3, "event", "4"))).toThrow('line 3, column event: "4" (expected 0–3)');
    expect(() => parseKato2012Csv(edit(2, "interval_days", "-5"))).toThrow('line 2, column interval_days: "-5" (expected a non-negative integer)');
    expect(() => parseKato2012Csv(edit(2, "age", "9"))).toThrow("column age");
    expect(() => parseKato2012Csv(edit(4, "agvhd_grade", "1"))).toThrow("grade I is not recorded");
    expect(() => parseKato2012Csv(edit(2, "id", "K009"))).toThrow('line 2, column id: "K009" (expected K001)');
    const short = lines.slice();
    short[2] = short[2].split(",").slice(0, 5).join(",");
    expect(() => parseKato2012Csv(short.join("\n"))).toThrow("line 3: 5 fields, expected 23");
  });

  it("rejects rows that break the cross-column rules", () => {
    const c = generateKato2012Cohort(400, 3);
    const text = cohortToCsv(c).split("\n");
    const find = (f: (i: number) => boolean) => {
      for (let i = 0; i < c.n; ++i) if (f(i)) return i;
      throw new Error("no such row");
    };
    const withCell = (i: number, column: string, value: string) => {
      const j = KATO2012_COLUMNS.findIndex((col) => col.name === column);
      const copy = text.slice();
      const f = copy[i + 1].split(",");
      f[j] = value;
      copy[i + 1] = f.join(",");
      return copy.join("\n");
    };
    const g = find((i) => c.agvhd_grade[i] > 0);
    expect(() => parseKato2012Csv(withCell(g, "agvhd_days", String(c.event_days[g])))).toThrow(`must be < event_days ${c.event_days[g]}`);
    expect(() => parseKato2012Csv(withCell(g, "agvhd_days", ""))).toThrow("column agvhd_days");
    const none = find((i) => c.agvhd_grade[i] === 0);
    expect(() => parseKato2012Csv(withCell(none, "agvhd_days", "10"))).toThrow("must be empty when agvhd_grade is 0");
    const r = find((i) => c.event[i] === 1 && c.event_days[i] > 1);
    expect(() => parseKato2012Csv(withCell(r, "os_days", String(c.event_days[r] - 1)))).toThrow("must be ≥ event_days");
    const nrm = find((i) => c.event[i] === 2);
    expect(() => parseKato2012Csv(withCell(nrm, "os_status", "0"))).toThrow("non-relapse death");
  });
});

/** Every documented rule of the columns, checked row by row. */
function checkColumns(c: Kato2012Cohort): void {
  const bad: string[] = [];
  const fail = (i: number, what: string) => bad.length < 10 && bad.push(`${cohortId(i, c.n)}: ${what}`);
  for (const [name, levels] of Object.entries(KATO2012_LEVELS)) {
    const col = c[name as keyof typeof KATO2012_LEVELS];
    for (let i = 0; i < c.n; ++i) if (!(col[i] < levels.length)) fail(i, `${name} code ${col[i]}`);
  }
  for (let i = 0; i < c.n; ++i) {
    const age = c.age[i];
    if (!(age >= 1 && age <= 20) || Math.round(age * 10) !== age * 10) fail(i, `age ${age}`);
    if (age > 9 && age < 9.1) fail(i, `age ${age} between the groups`);
    if (!(c.interval_days[i] >= 20 && c.interval_days[i] <= 3650)) fail(i, `interval_days ${c.interval_days[i]}`);
    if (!(c.relapse_to_sct2_days[i] >= 1)) fail(i, `relapse_to_sct2_days ${c.relapse_to_sct2_days[i]}`);
    if (!(c.year_sct2[i] >= 1990 && c.year_sct2[i] <= 2008)) fail(i, `year_sct2 ${c.year_sct2[i]}`);
    if (!(c.event_days[i] >= 1)) fail(i, `event_days ${c.event_days[i]}`);
    if (!(c.os_days[i] >= c.event_days[i])) fail(i, `os_days ${c.os_days[i]} < event_days ${c.event_days[i]}`);
    // follow-up never passes the mid-2010 cut-off
    if (c.os_days[i] > (2010.5 - c.year_sct2[i]) * 365.25 + 1) fail(i, `os_days ${c.os_days[i]} beyond the cut-off`);
    if (![0, 1, 2, 3].includes(c.event[i])) fail(i, `event ${c.event[i]}`);
    if (c.os_status[i] > 1) fail(i, `os_status ${c.os_status[i]}`);
    if (c.event[i] === 2 && !(c.os_status[i] === 1 && c.os_days[i] === c.event_days[i])) fail(i, "NRM without death at event_days");
    if (c.event[i] === 0 && !(c.os_status[i] === 0 && c.os_days[i] === c.event_days[i])) fail(i, "censored first event but not censored OS");
    if (c.event[i] === 3 && c.status_sct2[i] !== 1) fail(i, "refractory although in CR at SCT2");
    if (c.event[i] === 3 && !(c.event_days[i] >= 21 && c.event_days[i] <= 60)) fail(i, `refractory at day ${c.event_days[i]}`);
    const g = c.agvhd_grade[i];
    const d = c.agvhd_days[i];
    if (![0, 2, 3, 4].includes(g)) fail(i, `agvhd_grade ${g}`);
    if (g === 0 && !Number.isNaN(d)) fail(i, "agvhd_days without grade");
    if (g > 0 && !(Number.isInteger(d) && d >= 1 && d < c.event_days[i])) fail(i, `agvhd_days ${d} vs event_days ${c.event_days[i]}`);
    if (c.same_donor[i] && c.donor_sct1[i] !== c.donor_sct2[i]) fail(i, "same donor but different donor type");
    if (c.same_donor[i] && c.source_sct2[i] === 2) fail(i, "same donor with cord blood");
    if (c.donor_sct2[i] === 1 && c.source_sct2[i] === 1) fail(i, "unrelated peripheral blood");
    if (c.ph_positive[i] && c.immunophenotype[i] !== 0) fail(i, "Ph+ outside B-precursor");
  }
  expect(bad).toEqual([]);
}
