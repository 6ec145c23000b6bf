// The calibration of the synthetic Kato 2012 cohort, computed by the project's own engine and printed
// beside the paper's figures.
//
//   npm run calibration                         → data/kato2012-synthetic.csv
//   npm run calibration -- --data FILE          → another file written by `npm run generate`
//   npm run calibration -- --json               → the full result as JSON
//   npm run calibration -- --search 1-200 [--n 171]
//        regenerate cohorts for seeds 1…200 and report which pass the acceptance rule; the committed
//        seed is the first that passes (data/README.md).
import {readFileSync} from "node:fs";
import {calibrateKato2012, KATO2012_FACTORS, KATO2012_PAPER, MEDIAN_TOLERANCE_DAYS, type Kato2012Calibration} from "../src/synthetic/calibration.js";
import {
  KATO2012_ACCEPTED_SEED,
  KATO2012_N,
  cohortToCsv,
  generateKato2012Cohort,
  parseKato2012Csv
} from "../src/synthetic/kato2012.js";

const DEFAULT_DATA = "data/kato2012-synthetic.csv";

function fail(message: string): never {
  process.stderr.write(`calibration: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let data = DEFAULT_DATA;
let json = false;
let search: [number, number] | null = null;
let n = KATO2012_N;
for (let i = 0; i < args.length; ++i) {
  const a = args[i];
  if (a === "--data") data = args[++i] ?? fail("--data needs a file");
  else if (a === "--json") json = true;
  else if (a === "--search") {
    const m = /^(\d+)-(\d+)$/.exec(args[++i] ?? "");
    if (!m || Number(m[1]) > Number(m[2])) fail("--search needs a seed range FROM-TO, e.g. 1-200");
    search = [Number(m[1]), Number(m[2])];
  } else if (a === "--n") {
    n = Number(args[++i]);
    if (!Number.isInteger(n) || n < 10) fail("--n needs an integer ≥ 10");
  } else fail(`unknown argument ${JSON.stringify(a)}`);
}

const pct = (v: number | null) => (v === null ? "—" : `${(100 * v).toFixed(1)}%`);
const num = (v: number | null, d = 3) => (v === null ? "—" : v.toFixed(d));
const pval = (p: number | null) => (p === null ? "—" : p < 0.0001 ? p.toExponential(1) : p.toFixed(4));
const yes = (b: boolean) => (b ? "yes" : "NO");

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((v, j) => v.padEnd(widths[j])).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function report(r: Kato2012Calibration, title: string): string {
  const P = KATO2012_PAPER;
  const out: string[] = [title, ""];
  const within = (e: {estimate: number}, t: {value: number; se: number}) => Math.abs(e.estimate - t.value) <= t.se + 1e-12;
  out.push(
    table(
      ["metric", "paper", "this cohort (± SE)", "within one SE of the paper"],
      [
        ["OS at 2 years", `${pct(P.os2.value)} ± ${pct(P.os2.se)}`, `${pct(r.os2.estimate)} ± ${pct(r.os2.se)}`, yes(within(r.os2, P.os2))],
        ["CIR at 2 years (refractory competing)", `${pct(P.cir2.value)} ± ${pct(P.cir2.se)}`, `${pct(r.cir2.estimate)} ± ${pct(r.cir2.se)}`, yes(within(r.cir2, P.cir2))],
        ["NRM at 2 years", `${pct(P.nrm2.value)} ± ${pct(P.nrm2.se)}`, `${pct(r.nrm2.estimate)} ± ${pct(r.nrm2.se)}`, yes(within(r.nrm2, P.nrm2))],
        ["refractory (3rd event) at 2 years", "implied ≈ 8–11% (derived)", `${pct(r.refractory2.estimate)} ± ${pct(r.refractory2.se)}`, "n/a"]
      ]
    )
  );
  out.push("");
  out.push("Relapse timing (the abstract's 117 vs 164 days, P = 0.04; its test is not stated):");
  const w = r.wilcoxon;
  out.push(
    table(
      ["quantity", "paper", "this cohort", "accepted window"],
      [
        [
          "median days SCT2 → relapse (relapsers)",
          String(P.relapseMedianDays.value),
          `${r.relapse.median} (n = ${r.relapse.n})`,
          `${P.relapseMedianDays.value} ± ${MEDIAN_TOLERANCE_DAYS.relapse}: ${yes(Math.abs(r.relapse.median - P.relapseMedianDays.value) <= MEDIAN_TOLERANCE_DAYS.relapse)}`
        ],
        [
          "median days SCT1 → relapse (all)",
          String(P.intervalMedianDays.value),
          `${r.interval.median} (n = ${r.interval.n})`,
          `${P.intervalMedianDays.value} ± ${MEDIAN_TOLERANCE_DAYS.interval}: ${yes(Math.abs(r.interval.median - P.intervalMedianDays.value) <= MEDIAN_TOLERANCE_DAYS.interval)}`
        ],
        ["Wilcoxon rank-sum test, two-sided", "P = 0.04", `W = ${w.statistic}, z = ${num(w.z, 2)}, p = ${pval(w.p)}`, `p < 0.05: ${yes(w.p !== null && w.p < 0.05)}`]
      ]
    )
  );
  out.push(`(${w.method}; x = days SCT2 → relapse among the ${w.nX} relapsers, y = interval_days of all ${w.nY} patients)`);
  out.push("");
  out.push("Univariate log-rank tests of OS (Kato: all four favourable):");
  out.push(
    table(
      ["factor (worse level)", "2-y OS better vs worse", "deaths O/E better level", "chi-squared", "p", "favourable & p < 0.05"],
      r.univariate.map((u) => [
        u.label,
        `${pct(u.os2[0])} vs ${pct(u.os2[1])} (n = ${u.n[0]} vs ${u.n[1]})`,
        `${u.observed[0]}/${u.expected[0].toFixed(1)}`,
        u.chisq.toFixed(2),
        pval(u.p),
        yes(u.p !== null && u.p < 0.05 && u.favourable)
      ])
    )
  );
  out.push("");
  out.push(`Multivariable Cox model of OS (Efron ties; ${r.cox.rows} (start, stop] rows for ${r.n} patients, split at aGVHD onset; ${r.cox.events} deaths):`);
  const expect: Record<string, boolean> = {age_gt9: true, early: true, noncr: false, ric: false, unrelated: false, agvhd: false};
  out.push(
    table(
      ["term (vs reference)", "HR (95% CI)", "p", "Kato", "agrees"],
      r.cox.terms.map((t) => {
        const sig = t.p !== null && t.p < 0.05 && (t.coef ?? 0) > 0;
        return [
          t.label,
          `${num(t.hr, 2)} (${num(t.lower, 2)}–${num(t.upper, 2)})`,
          pval(t.p),
          KATO2012_FACTORS.find((f) => f.key === t.term)!.kato,
          yes(expect[t.term] ? sig : t.p !== null && t.p >= 0.05)
        ];
      })
    )
  );
  out.push("");
  const failed = r.criteria.filter((k) => !k.pass);
  out.push(
    r.accepted
      ? `Acceptance: all ${r.criteria.length} criteria pass.`
      : `Acceptance: ${failed.length} of ${r.criteria.length} criteria FAIL:\n${failed.map((k) => `  - ${k.description}`).join("\n")}`
  );
  return out.join("\n");
}

if (search) {
  const [from, to] = search;
  const rows: string[][] = [];
  let first: number | null = null;
  for (let seed = from; seed <= to; ++seed) {
    const r = calibrateKato2012(generateKato2012Cohort(n, seed));
    if (r.accepted && first === null) first = seed;
    rows.push([
      String(seed),
      pct(r.os2.estimate),
      pct(r.cir2.estimate),
      pct(r.nrm2.estimate),
      String(r.relapse.median),
      String(r.interval.median),
      r.accepted ? "accepted" : r.criteria.filter((k) => !k.pass).map((k) => k.name).join(" ")
    ]);
  }
  if (json) process.stdout.write(JSON.stringify({from, to, n, firstAccepted: first}) + "\n");
  else {
    process.stdout.write(table(["seed", "OS2", "CIR2", "NRM2", "rel. median", "int. median", "failed criteria"], rows) + "\n\n");
    process.stdout.write(first === null ? `no seed in ${from}–${to} passes\n` : `first accepted seed in ${from}–${to}: ${first}\n`);
  }
} else {
  const text = readFileSync(data, "utf8");
  const cohort = parseKato2012Csv(text);
  const r = calibrateKato2012(cohort);
  if (json) process.stdout.write(JSON.stringify(r, null, 2) + "\n");
  else {
    let title = `Calibration of ${data} (n = ${cohort.n}) against Kato et al., Bone Marrow Transplant 2012;47:1307–1311 — computed by the project's engine`;
    if (data === DEFAULT_DATA) {
      const same = cohortToCsv(generateKato2012Cohort(KATO2012_N, KATO2012_ACCEPTED_SEED)) === text;
      title += `\n${same ? "The file is exactly" : "WARNING: the file is NOT"} what \`npm run generate\` writes (seed ${KATO2012_ACCEPTED_SEED}).`;
    }
    process.stdout.write(report(r, title) + "\n");
  }
  if (!r.accepted && data === DEFAULT_DATA) process.exitCode = 1;
}
