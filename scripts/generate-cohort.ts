// Write a synthetic cohort from the Kato 2012 model (src/synthetic/kato2012.ts).
//
//   npm run generate                                   → data/kato2012-synthetic.csv (n = 171, accepted seed)
//   npm run generate -- --n 100000 --out FILE [--seed S]   → a larger cohort from the same model
//   npm run generate -- --n 1000000 --format parquet --out FILE.parquet   → the same cohort as Parquet
//
// The committed file is exactly what `npm run generate` writes (test/synthetic/kato2012.test.ts checks
// the bytes). The accepted seed is KATO2012_ACCEPTED_SEED; how it was chosen is in data/README.md.
//
// Parquet (--format parquet, the default when --out ends in .parquet) holds the same columns, in the same
// order, with the same values as the CSV: text columns as STRING, integers as INT32, age as DOUBLE
// (rounded to one decimal, as the CSV writes it), agvhd_days as a nullable INT32 (null where the CSV cell is
// empty). Snappy-compressed (the codec src/cohort/binary.ts reads), written by hyparquet-writer. The data
// layer reads both files into the same typed table (test/synthetic/generate-parquet.test.ts).
import {closeSync, mkdirSync, openSync, writeFileSync, writeSync} from "node:fs";
import {dirname, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {parquetWriteBuffer} from "hyparquet-writer";
import {
  KATO2012_ACCEPTED_SEED,
  KATO2012_COLUMNS,
  KATO2012_LEVELS,
  KATO2012_N,
  cohortCsvBytes,
  cohortCsvHeader,
  cohortId,
  generateKato2012Cohort,
  type Kato2012Cohort,
  type Kato2012LabelColumn
} from "../src/synthetic/kato2012.js";

const DEFAULT_OUT = "data/kato2012-synthetic.csv";

function usage(message: string): never {
  process.stderr.write(`generate-cohort: ${message}\nusage: npm run generate -- [--n N] [--seed S] [--out FILE] [--format csv|parquet]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): {n: number; seed: number; out: string; format: "csv" | "parquet"} {
  let n = KATO2012_N;
  let seed = KATO2012_ACCEPTED_SEED;
  let out = DEFAULT_OUT;
  let format: "csv" | "parquet" | null = null;
  for (let i = 0; i < argv.length; ++i) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v;
    };
    if (flag === "--n") {
      const v = value();
      n = Number(v);
      if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1) usage(`--n must be a positive integer, got ${JSON.stringify(v)}`);
    } else if (flag === "--seed") {
      const v = value();
      seed = Number(v);
      if (!/^\d+$/.test(v) || seed > 0xffffffff) usage(`--seed must be an integer in [0, 4294967295], got ${JSON.stringify(v)}`);
    } else if (flag === "--out") out = value();
    else if (flag === "--format") {
      const v = value();
      if (v !== "csv" && v !== "parquet") usage(`--format must be csv or parquet, got ${JSON.stringify(v)}`);
      format = v;
    } else if (flag === "--help" || flag === "-h") usage("help");
    else usage(`unknown argument ${JSON.stringify(argv[i])}`);
  }
  return {n, seed, out, format: format ?? (/\.parquet$/i.test(out) ? "parquet" : "csv")};
}

/**
 * The cohort as Parquet bytes: every column of {@link KATO2012_COLUMNS} in file order, with the values the
 * CSV writer (cohortCsvBytes) writes — text as STRING, integers and codes as INT32, age as DOUBLE rounded to
 * one decimal, agvhd_days as nullable INT32 (null where missing). Snappy, hyparquet-writer's default row groups.
 */
export function cohortParquetBytes(c: Kato2012Cohort): Uint8Array {
  const n = c.n;
  const ids = new Array<string>(n);
  for (let i = 0; i < n; ++i) ids[i] = cohortId(i, n);
  const age = new Float64Array(n);
  // The CSV writes age as its tenths' integer and one decimal digit: the same decimal, parsed back.
  for (let i = 0; i < n; ++i) age[i] = Math.round(c.age[i] * 10) / 10;
  const columnData = KATO2012_COLUMNS.map((col) => {
    const name = col.name;
    if (name === "id") return {name, data: ids, type: "STRING" as const, nullable: false};
    if (name === "age") return {name, data: age, type: "DOUBLE" as const, nullable: false};
    if (name in KATO2012_LEVELS) {
      const levels = KATO2012_LEVELS[name as Kato2012LabelColumn];
      const codes = c[name as Kato2012LabelColumn];
      const text = new Array<string>(n);
      for (let i = 0; i < n; ++i) text[i] = levels[codes[i]];
      return {name, data: text, type: "STRING" as const, nullable: false};
    }
    if (name === "agvhd_days") {
      const days = c.agvhd_days;
      const data = new Array<number | null>(n);
      for (let i = 0; i < n; ++i) data[i] = Number.isNaN(days[i]) ? null : days[i];
      return {name, data, type: "INT32" as const, nullable: true};
    }
    const values = c[name as keyof Kato2012Cohort] as ArrayLike<number>;
    return {name, data: Int32Array.from(values), type: "INT32" as const, nullable: false};
  });
  return new Uint8Array(parquetWriteBuffer({columnData}));
}

function main() {
  const {n, seed, out, format} = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const cohort = generateKato2012Cohort(n, seed);
  const t1 = performance.now();
  mkdirSync(dirname(out), {recursive: true});
  if (format === "parquet") writeFileSync(out, cohortParquetBytes(cohort));
  else {
    const fd = openSync(out, "w");
    try {
      writeSync(fd, cohortCsvHeader() + "\n");
      const chunk = 50_000;
      for (let start = 0; start < n; start += chunk) writeSync(fd, cohortCsvBytes(cohort, start, Math.min(n, start + chunk)));
    } finally {
      closeSync(fd);
    }
  }
  const t2 = performance.now();
  process.stderr.write(
    `wrote ${out}: ${n} patients, seed ${seed}, ${format} (generate ${((t1 - t0) / 1000).toFixed(2)} s, write ${((t2 - t1) / 1000).toFixed(2)} s)\n`
  );
}

// Run only as a script (tests import cohortParquetBytes).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`generate-cohort: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
