// The benchmark's data: the ten columns that `npm run bench` and bench/r-bench.R work on, derived from
// the synthetic Kato 2012 model (src/synthetic/kato2012.ts), written to / read from CSV.
//
// Columns (issue 3, "Benchmark"):
//   time       days from SCT2 to the first event or censoring (the cohort's event_days)
//   event      0 censored, 1 relapse, 2 any competing first event that is not a relapse: non-relapse
//              death (cohort code 2) AND refractory disease / never in CR after SCT2 (cohort code 3).
//              The two non-relapse codes are merged so that the competing-risk operations see exactly
//              two causes, as cuminc/crr are called with failcode 1 and every other non-zero code competing.
//   os_time    days from SCT2 to death or last follow-up (os_days)
//   os_status  0 alive (censored), 1 dead
//   age        years at SCT2, one decimal (the models use age > 9 as a 0/1 term, computed outside the timing)
//   late       1 when SCT1 → relapse ≥ 180 days, else 0
//   cr         1 in complete remission at SCT2, else 0
//   mac        1 myeloablative conditioning, else 0 (RIC)
//   donor      SCT2 donor in three levels: "related", "unrelated_BM", "unrelated_CB" (the model's
//              donor/source draw; related peripheral-blood grafts are "related"). Categorical; the
//              reference is "related", the first level in sorted order in JS and in R.
//   agvhd      1 acute GVHD grade II–IV before the first event, else 0 (carried along, not modelled)
import {readFileSync} from "node:fs";
import {generateKato2012Cohort, type Kato2012Cohort} from "../src/synthetic/kato2012.js";

/** The three donor levels, in sorted order (the first is the reference level in both engines). */
export const DONOR_LEVELS = ["related", "unrelated_BM", "unrelated_CB"] as const;

/** The bench columns, typed; `age9` is derived (age > 9) and not written to CSV. */
export interface BenchCohort {
  n: number;
  time: Float64Array;
  event: Float64Array;
  os_time: Float64Array;
  os_status: Float64Array;
  age: Float64Array;
  late: Float64Array;
  cr: Float64Array;
  mac: Float64Array;
  donor: (string | null)[];
  agvhd: Float64Array;
  /** 1 when age > 9, else 0 (Kato's age factor), computed once outside any timing. */
  age9: Float64Array;
}

/** The CSV header of the bench columns, in file order. */
export const BENCH_COLUMNS = ["time", "event", "os_time", "os_status", "age", "late", "cr", "mac", "donor", "agvhd"] as const;

function age9Of(age: Float64Array): Float64Array {
  const out = new Float64Array(age.length);
  for (let i = 0; i < age.length; ++i) out[i] = age[i] > 9 ? 1 : age[i] <= 9 ? 0 : NaN;
  return out;
}

/** Convert a generated cohort to the bench columns (see the module comment for the coding). */
export function benchFromCohort(c: Kato2012Cohort): BenchCohort {
  const n = c.n;
  const b: BenchCohort = {
    n,
    time: new Float64Array(n),
    event: new Float64Array(n),
    os_time: new Float64Array(n),
    os_status: new Float64Array(n),
    age: Float64Array.from(c.age),
    late: new Float64Array(n),
    cr: new Float64Array(n),
    mac: new Float64Array(n),
    donor: new Array<string | null>(n),
    agvhd: new Float64Array(n),
    age9: new Float64Array(0)
  };
  for (let i = 0; i < n; ++i) {
    b.time[i] = c.event_days[i];
    const e = c.event[i];
    b.event[i] = e === 0 ? 0 : e === 1 ? 1 : 2;
    b.os_time[i] = c.os_days[i];
    b.os_status[i] = c.os_status[i];
    b.late[i] = c.interval_days[i] >= 180 ? 1 : 0;
    b.cr[i] = c.status_sct2[i] === 0 ? 1 : 0;
    b.mac[i] = c.conditioning[i] === 0 ? 1 : 0;
    // donor_sct2: 0 related, 1 unrelated; source_sct2: 0 BM, 1 PB, 2 CB (unrelated grafts are BM or CB)
    b.donor[i] = c.donor_sct2[i] === 0 ? DONOR_LEVELS[0] : c.source_sct2[i] === 2 ? DONOR_LEVELS[2] : DONOR_LEVELS[1];
    b.agvhd[i] = c.agvhd_grade[i] >= 2 ? 1 : 0;
  }
  b.age9 = age9Of(b.age);
  return b;
}

/** A seeded synthetic bench cohort of n patients (same n and seed → same data). */
export function generateBenchCohort(n: number, seed: number): BenchCohort {
  return benchFromCohort(generateKato2012Cohort(n, seed));
}

/** The rows of a cohort in the order `order` (a permutation of 0…n−1). */
export function permuteCohort(b: BenchCohort, order: ArrayLike<number>): BenchCohort {
  const take = (col: Float64Array) => {
    const out = new Float64Array(order.length);
    for (let k = 0; k < order.length; ++k) out[k] = col[order[k]];
    return out;
  };
  return {
    n: order.length,
    time: take(b.time),
    event: take(b.event),
    os_time: take(b.os_time),
    os_status: take(b.os_status),
    age: take(b.age),
    late: take(b.late),
    cr: take(b.cr),
    mac: take(b.mac),
    donor: Array.from(order, (i) => b.donor[i]),
    agvhd: take(b.agvhd),
    age9: take(b.age9)
  };
}

/** Row order sorted by a time column ascending (ties: events first, then original order). */
export function orderBy(time: Float64Array, event: Float64Array): Uint32Array {
  const order = new Uint32Array(time.length);
  for (let i = 0; i < order.length; ++i) order[i] = i;
  return order.sort((a, b) => time[a] - time[b] || event[b] - event[a] || a - b);
}

/** The cohort as CSV text (header + one line per patient, "\n" line ends, no quoting needed). */
export function benchCsv(b: BenchCohort): string {
  const lines = new Array<string>(b.n + 1);
  lines[0] = BENCH_COLUMNS.join(",");
  for (let i = 0; i < b.n; ++i)
    lines[i + 1] = `${b.time[i]},${b.event[i]},${b.os_time[i]},${b.os_status[i]},${b.age[i]},${b.late[i]},${b.cr[i]},${b.mac[i]},${b.donor[i]},${b.agvhd[i]}`;
  return lines.join("\n") + "\n";
}

/**
 * Read a CSV with (at least) the bench columns: comma-separated, a header line, optional double quotes
 * around a field (no embedded commas or quotes), empty / NA fields read as missing (NaN; `null` for
 * donor). A deliberately small reader: the benchmark measures the engine, not parsing.
 */
export function readBenchCsv(file: string): BenchCohort {
  const text = readFileSync(file, "utf8");
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new Error(`${file}: empty file`);
  const unquote = (s: string) => (s.length >= 2 && s[0] === '"' && s[s.length - 1] === '"' ? s.slice(1, -1) : s);
  const header = lines[0].replace(/^\uFEFF/, "").split(",").map((h) => unquote(h.trim()));
  const index = new Map(header.map((h, j) => [h, j]));
  for (const col of BENCH_COLUMNS) if (!index.has(col)) throw new Error(`${file}: no column "${col}" (header: ${header.join(",")})`);
  const n = lines.length - 1;
  const num = () => new Float64Array(n);
  const b: BenchCohort = {
    n,
    time: num(),
    event: num(),
    os_time: num(),
    os_status: num(),
    age: num(),
    late: num(),
    cr: num(),
    mac: num(),
    donor: new Array<string | null>(n),
    agvhd: num(),
    age9: num()
  };
  const numeric = BENCH_COLUMNS.filter((c) => c !== "donor");
  const at = numeric.map((c) => index.get(c)!);
  const donorAt = index.get("donor")!;
  const missing = (s: string) => s === "" || s === "NA";
  for (let i = 0; i < n; ++i) {
    const f = lines[i + 1].split(",");
    for (let k = 0; k < numeric.length; ++k) {
      const s = unquote((f[at[k]] ?? "").trim());
      (b[numeric[k]] as Float64Array)[i] = missing(s) ? NaN : Number(s);
    }
    const d = unquote((f[donorAt] ?? "").trim());
    b.donor[i] = missing(d) ? null : d;
  }
  b.age9 = age9Of(b.age);
  return b;
}
