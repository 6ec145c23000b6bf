// Write a synthetic cohort from the Kato 2012 model (src/synthetic/kato2012.ts).
//
//   npm run generate                                   → data/kato2012-synthetic.csv (n = 171, accepted seed)
//   npm run generate -- --n 100000 --out FILE [--seed S]   → a larger cohort from the same model
//
// The committed file is exactly what `npm run generate` writes (test/synthetic/kato2012.test.ts checks
// the bytes). The accepted seed is KATO2012_ACCEPTED_SEED; how it was chosen is in data/README.md.
import {closeSync, mkdirSync, openSync, writeSync} from "node:fs";
import {dirname} from "node:path";
import {
  KATO2012_ACCEPTED_SEED,
  KATO2012_N,
  cohortCsvBytes,
  cohortCsvHeader,
  generateKato2012Cohort
} from "../src/synthetic/kato2012.js";

const DEFAULT_OUT = "data/kato2012-synthetic.csv";

function usage(message: string): never {
  process.stderr.write(`generate-cohort: ${message}\nusage: npm run generate -- [--n N] [--seed S] [--out FILE]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): {n: number; seed: number; out: string} {
  let n = KATO2012_N;
  let seed = KATO2012_ACCEPTED_SEED;
  let out = DEFAULT_OUT;
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
    else if (flag === "--help" || flag === "-h") usage("help");
    else usage(`unknown argument ${JSON.stringify(argv[i])}`);
  }
  return {n, seed, out};
}

function main() {
  const {n, seed, out} = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const cohort = generateKato2012Cohort(n, seed);
  const t1 = performance.now();
  mkdirSync(dirname(out), {recursive: true});
  const fd = openSync(out, "w");
  try {
    writeSync(fd, cohortCsvHeader() + "\n");
    const chunk = 50_000;
    for (let start = 0; start < n; start += chunk) writeSync(fd, cohortCsvBytes(cohort, start, Math.min(n, start + chunk)));
  } finally {
    closeSync(fd);
  }
  const t2 = performance.now();
  process.stderr.write(
    `wrote ${out}: ${n} patients, seed ${seed} (generate ${((t1 - t0) / 1000).toFixed(2)} s, write ${((t2 - t1) / 1000).toFixed(2)} s)\n`
  );
}

try {
  main();
} catch (error) {
  process.stderr.write(`generate-cohort: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
