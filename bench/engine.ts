// `npm run bench`: times the survival engine alone (no file parsing) on seeded synthetic cohorts and,
// when Rscript with survival + cmprsk is installed, R on the same data (bench/r-bench.R).
//
//   npm run bench                                  1,000 / 10,000 / 100,000 / 1,000,000 patients, R alongside
//   npm run bench -- --sizes 1000,10000            only these sizes
//   npm run bench -- --runs 5                      timed runs per operation (median; default 3, after 1 warm-up)
//   npm run bench -- --no-r                        engine only
//   npm run bench -- --seed 7                      another synthetic cohort (default seed 2012)
//   npm run bench -- --crr-max 20000               largest cohort R's crr is run on (default 20,000)
//   npm run bench -- --presorted 1000000           size of the pre-sorted KM + log-rank + incidence check on a
//                                                  prepared cohort with a row mask (default: 1,000,000 when that
//                                                  size is benchmarked; 0 = off)
//   npm run --silent bench -- --data FILE --json   the five operations on a CSV with the bench columns;
//                                                  prints only {"km":s,...} (median seconds) on stdout
//
// Progress and notes go to stderr; the table (or the JSON) to stdout. Timings are reported, never asserted.
import {execFileSync, spawnSync} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {cpus, loadavg, tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {cumulativeIncidencePrepared} from "../src/survival/cumulativeIncidence.js";
import {kaplanMeierPrepared} from "../src/survival/kaplanMeier.js";
import {logRankPrepared} from "../src/survival/logRank.js";
import {prepareCohort, selectRows} from "../src/survival/prepared.js";
import {benchCsv, generateBenchCohort, orderBy, permuteCohort, readBenchCsv, type BenchCohort} from "./cohort.js";
import {
  OPERATION_LABELS,
  OPERATIONS,
  operations,
  timeMedian,
  type Operation,
  type Timing
} from "./operations.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const R_SCRIPT = join(HERE, "r-bench.R");
const DEFAULT_SIZES = [1_000, 10_000, 100_000, 1_000_000];

interface Args {
  sizes: number[];
  runs: number;
  r: boolean;
  seed: number;
  crrMax: number;
  presorted: number | null;
  data: string | null;
  json: boolean;
}

function usage(message: string): never {
  process.stderr.write(
    `bench: ${message}\nusage: npm run bench -- [--sizes 1000,10000] [--runs N] [--no-r] [--seed S] [--crr-max N] [--presorted N]\n` +
      `       npm run --silent bench -- --data FILE --json [--runs N]\n`
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const a: Args = {sizes: DEFAULT_SIZES, runs: 3, r: true, seed: 2012, crrMax: 20_000, presorted: null, data: null, json: false};
  const int = (flag: string, v: string, min: number) => {
    const x = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(x) || x < min) usage(`${flag} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return x;
  };
  for (let i = 0; i < argv.length; ++i) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v;
    };
    if (flag === "--sizes") a.sizes = value().split(",").map((s) => int("--sizes", s.trim().replace(/_/g, ""), 10));
    else if (flag === "--runs") a.runs = int("--runs", value(), 1);
    else if (flag === "--no-r") a.r = false;
    else if (flag === "--seed") a.seed = int("--seed", value(), 0);
    else if (flag === "--crr-max") a.crrMax = int("--crr-max", value(), 0);
    else if (flag === "--presorted") a.presorted = int("--presorted", value(), 0);
    else if (flag === "--data") a.data = value();
    else if (flag === "--json") a.json = true;
    else if (flag === "--help" || flag === "-h") usage("help");
    else usage(`unknown argument ${JSON.stringify(argv[i])}`);
  }
  if (a.json && !a.data) usage("--json needs --data FILE");
  return a;
}

const log = (s: string) => process.stderr.write(s + "\n");

type Times = Partial<Record<Operation, Timing | null>>;

/** Time the five operations on one cohort (ms, median of `runs` after one warm-up). */
function timeEngine(b: BenchCohort, runs: number, label: string): Times {
  const ops = operations(b);
  const out: Times = {};
  for (const op of OPERATIONS) {
    const t = timeMedian(ops[op], runs, 1);
    out[op] = t;
    log(`  ${label} ${op}: ${fmtMs(t.ms)} ms (CPU ${fmtMs(t.cpuMs)} ms)`);
  }
  return out;
}

/** Is Rscript with survival, cmprsk and jsonlite available? Returns its version line or null. */
function rAvailable(): string | null {
  try {
    const out = execFileSync(
      "Rscript",
      ["-e", 'suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)}); cat(R.version.string, "| survival", format(packageVersion("survival")), "| cmprsk", format(packageVersion("cmprsk")))'],
      {encoding: "utf8", stdio: ["ignore", "pipe", "ignore"]}
    );
    return out.trim() || null;
  } catch {
    return null;
  }
}

interface RResult {
  times: Times;
  version: string | null;
}

/** Run bench/r-bench.R on a CSV; times in ms. */
function timeR(file: string, runs: number, crrMax: number): RResult {
  const res = spawnSync("Rscript", [R_SCRIPT, file, String(runs), String(crrMax)], {encoding: "utf8", maxBuffer: 1 << 24});
  if (res.status !== 0) throw new Error(`r-bench.R failed (${res.status}): ${res.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  const line = res.stdout.trim().split("\n").pop() ?? "";
  const json = JSON.parse(line) as Record<string, unknown>;
  const cpu = (json.cpu ?? {}) as Record<string, unknown>;
  const used = (json.runs ?? {}) as Record<string, unknown>;
  const times: Times = {};
  for (const op of OPERATIONS)
    times[op] =
      typeof json[op] === "number"
        ? {ms: (json[op] as number) * 1000, cpuMs: typeof cpu[op] === "number" ? (cpu[op] as number) * 1000 : NaN, runs: Number(used[op] ?? 0)}
        : null;
  return {times, version: typeof json.r === "string" ? json.r : null};
}

function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

function fmtN(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * Issue 7's filter-change check: KM + log-rank + cumulative incidence on a cohort whose rows are sorted
 * by time and prepared once at load (`prepareCohort`: validation, time ranks, group codes — timed
 * separately, outside the per-change figures); each filter change is a row mask. Timed per change:
 * `selectRows` (one counting pass over the rows) shared by KM of OS by late and the log-rank test, and
 * the cumulative incidence of the first event by late with the same mask — everything a page redraws.
 * Two masks: every row, and the rows in CR at SCT2 (about half, scattered over the cohort).
 */
function timePresorted(n: number, seed: number, runs: number, cohort?: BenchCohort) {
  const b = cohort ?? generateBenchCohort(n, seed);
  // Two sorted views, as an app would keep them after load: OS rows by os_time, first-event rows by time.
  const os = permuteCohort(b, orderBy(b.os_time, b.os_status));
  const efs = permuteCohort(b, orderBy(b.time, b.event));
  const prepare = timeMedian(() => [prepareCohort({time: os.os_time, event: os.os_status, group: os.late}), prepareCohort({time: efs.time, event: efs.event, group: efs.late})], Math.min(runs, 3), 1);
  const osPrepared = prepareCohort({time: os.os_time, event: os.os_status, group: os.late});
  const efsPrepared = prepareCohort({time: efs.time, event: efs.event, group: efs.late});
  const masks: [string, Uint8Array, Uint8Array][] = [
    ["every row", new Uint8Array(b.n).fill(1), new Uint8Array(b.n).fill(1)],
    ["CR at SCT2 only", Uint8Array.from(os.cr), Uint8Array.from(efs.cr)]
  ];
  const rows = masks.map(([label, osMask, efsMask]) => {
    const parts: [string, () => unknown][] = [
      ["KM of OS by late (2 curves)", () => kaplanMeierPrepared(osPrepared, osMask, {confType: "log-log"})],
      ["log-rank by late", () => logRankPrepared(osPrepared, osMask)],
      ["cumulative incidence by late", () => cumulativeIncidencePrepared(efsPrepared, efsMask)]
    ];
    const change = () => {
      const selection = selectRows(osPrepared, osMask);
      return [kaplanMeierPrepared(selection, null, {confType: "log-log"}), logRankPrepared(selection), cumulativeIncidencePrepared(efsPrepared, efsMask)];
    };
    for (let i = 0; i < 10; ++i) change(); // a few filter changes first: steady state, as on a page
    const each = parts.map(([part, run]) => ({label: part, t: timeMedian(run, runs, 1)}));
    const total = timeMedian(change, runs, 1);
    return {label, each, total};
  });
  return {n: b.n, prepare, rows};
}

function ratio(r: number | undefined, o: number | undefined): string {
  if (r === undefined || o === undefined || !(r > 0) || !(o > 0)) return "—";
  const x = r / o;
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** A markdown table with the first `left` columns left-aligned, the rest right-aligned. */
function table(header: string[], rows: string[][], left = 1): string[] {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const fmtRow = (r: string[]) => "| " + r.map((c, j) => (j < left ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join(" | ") + " |";
  return [fmtRow(header), "|" + widths.map((w, j) => (j < left ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|", ...rows.map(fmtRow)];
}

async function main() {
  const args = parseArgs(process.argv.slice(2));

  if (args.data) {
    const b = readBenchCsv(args.data);
    const t = timeEngine(b, Math.max(3, args.runs), `n=${fmtN(b.n)}`);
    const out: Record<string, number | null> = {};
    for (const op of OPERATIONS) out[op] = t[op] ? t[op]!.ms / 1000 : null;
    if (args.json) process.stdout.write(JSON.stringify(out) + "\n");
    else for (const op of OPERATIONS) process.stdout.write(`${OPERATION_LABELS[op].padEnd(36)} ${fmtMs(t[op]?.ms)} ms\n`);
    return;
  }

  const rVersion = args.r ? rAvailable() : null;
  if (args.r && !rVersion) log("note: Rscript with survival, cmprsk and jsonlite not found; timing the engine only");
  const tmp = rVersion ? mkdtempSync(join(tmpdir(), "bench-")) : null;
  const ours: Record<number, Times> = {};
  const theirs: Record<number, Times> = {};
  const started = performance.now();
  const loadStart = loadavg()[0];
  let largest: BenchCohort | undefined;
  try {
    for (const n of args.sizes) {
      const t0 = performance.now();
      const b = generateBenchCohort(n, args.seed);
      log(`n = ${fmtN(n)}: generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      ours[n] = timeEngine(b, args.runs, `ours n=${fmtN(n)}`);
      if (tmp) {
        const file = join(tmp, `cohort-${n}.csv`);
        writeFileSync(file, benchCsv(b));
        const t1 = performance.now();
        theirs[n] = timeR(file, args.runs, args.crrMax).times;
        rmSync(file);
        for (const op of OPERATIONS) {
          const r = theirs[n][op];
          log(`  R    n=${fmtN(n)} ${op}: ${r ? `${fmtMs(r.ms)} ms (CPU ${fmtMs(r.cpuMs)} ms, ${r.runs} run${r.runs === 1 ? "" : "s"})` : "skipped"}`);
        }
        log(`  R total ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      }
      if (n === 1_000_000) largest = b;
    }
  } finally {
    if (tmp) rmSync(tmp, {recursive: true, force: true});
  }

  const presortN = args.presorted ?? (largest ? 1_000_000 : 0);
  const presortRuns = Math.max(args.runs, 5);
  const presorted = presortN > 0 ? timePresorted(presortN, args.seed, presortRuns, largest?.n === presortN ? largest : undefined) : null;

  // ---- report -------------------------------------------------------------------------------------
  const lines: string[] = [];
  const cpu = cpus();
  const load = `load average ${loadStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`;
  lines.push(`machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}${rVersion ? `, ${rVersion}` : ", R not run"}; ${load}`);
  lines.push(`data: synthetic Kato 2012 cohorts (seed ${args.seed}); median of ${args.runs} timed runs after warm-up (runs under 50 ms repeat the call and count per call); engine only, no parsing`);
  lines.push(`wall = elapsed ms; CPU = process user + system ms (differs from wall when the machine is shared)`);
  lines.push("");
  const header = ["operation", "n", "ours (ms)", ...(rVersion ? ["R (ms)", "R/ours", "ours CPU", "R CPU", "R/ours CPU"] : ["ours CPU"])];
  const rows: string[][] = [];
  for (const op of OPERATIONS)
    for (const n of args.sizes) {
      const o = ours[n][op];
      const r = theirs[n]?.[op];
      const skipped = op === "crr_finegray" && n > args.crrMax ? "skipped" : "—";
      const rCell = r ? fmtMs(r.ms) + (r.runs < args.runs ? ` (${r.runs} run${r.runs === 1 ? "" : "s"})` : "") : skipped;
      rows.push([
        OPERATION_LABELS[op],
        fmtN(n),
        fmtMs(o?.ms),
        ...(rVersion ? [rCell, ratio(r?.ms, o?.ms), fmtMs(o?.cpuMs), r ? fmtMs(r.cpuMs) : skipped, ratio(r?.cpuMs, o?.cpuMs)] : [fmtMs(o?.cpuMs)])
      ]);
    }
  lines.push(...table(header, rows));

  // Targets (issues 3 and 7).
  lines.push("");
  const o100 = ours[100_000];
  if (o100) {
    const fg = o100.crr_finegray;
    lines.push(`target: Fine–Gray at 100,000 < 1 s: ${fg ? `${fmtMs(fg.ms)} ms (CPU ${fmtMs(fg.cpuMs)} ms) — ${fg.ms < 1000 ? "met" : "NOT met"}` : "not run"}`);
    const r100 = theirs[100_000];
    if (r100)
      for (const op of OPERATIONS) {
        const o = o100[op];
        const r = r100[op];
        if (!o || !r) {
          if (o && op === "crr_finegray") lines.push(`target: ${op} at 100,000 ≤ 1/5 of R: R's crr not run above ${fmtN(args.crrMax)} patients (quadratic)`);
          continue;
        }
        const met = (x: number) => (x >= 5 ? "met" : "NOT met");
        lines.push(`target: ${op} at 100,000 ≤ 1/5 of R: R/ours wall ${ratio(r.ms, o.ms)} (${met(r.ms / o.ms)}), CPU ${ratio(r.cpuMs, o.cpuMs)} (${met(r.cpuMs / o.cpuMs)})`);
      }
  }
  if (presorted) {
    lines.push("");
    lines.push(
      `pre-sorted ${fmtN(presorted.n)}-row cohort, prepared once at load (prepareCohort for OS and for the first event: ` +
        `${fmtMs(presorted.prepare.ms)} ms, CPU ${fmtMs(presorted.prepare.cpuMs)} ms); per filter change (row mask), median of ${presortRuns}:`
    );
    for (const r of presorted.rows) {
      lines.push(`  mask: ${r.label}`);
      for (const e of r.each) lines.push(`    ${e.label.padEnd(36)} ${fmtMs(e.t.ms).padStart(7)} ms (CPU ${fmtMs(e.t.cpuMs)} ms)`);
      const what = "KM + log-rank + incidence";
      lines.push(
        `    ${what.padEnd(36)} ${fmtMs(r.total.ms).padStart(7)} ms (CPU ${fmtMs(r.total.cpuMs)} ms) — issue 7 target ≤ 20 ms: ` +
          `${r.total.ms <= 20 ? "met" : r.total.cpuMs <= 20 ? "met on CPU time, not on wall time" : "NOT met"}`
      );
    }
  }
  lines.push("");
  lines.push(`wall time of the whole benchmark ${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
