// `npm run --silent analyze -- <command> --data FILE ...`: the headless runner. Reads the file through
// the data layer, runs the same engine the pages use, prints JSON on stdout. Any problem ends with one
// line on stderr and a non-zero exit (2: usage, 1: data or analysis) — never a stack trace.
import {readFileSync, statSync} from "node:fs";
import {basename} from "node:path";
import {CohortError} from "../cohort/problems.js";
import {checkFileSize, readTable} from "../cohort/readTable.js";
import {SurvivalInputError} from "../survival/errors.js";
import {parseArgs, UsageError} from "./args.js";
import {RunnerError} from "./columns.js";
import {runAnalysis, toJsonText} from "./run.js";

function fail(message: string, code: number): never {
  process.stderr.write(`analyze: ${message.split("\n")[0]}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  let size: number;
  try {
    size = statSync(args.data).size;
  } catch {
    fail(`cannot read --data ${JSON.stringify(args.data)}: no such file`, 1);
  }
  const tooBig = checkFileSize(size, basename(args.data));
  if (tooBig) fail(tooBig.message, 1);
  const {table, report} = await readTable(new Uint8Array(readFileSync(args.data)), {name: basename(args.data)});
  const errors = report.problems.filter((p) => p.severity === "error");
  if (!table || errors.length) fail(errors[0]?.message ?? report.messages[0] ?? "the file could not be read", 1);
  const result = runAnalysis(table, args);
  const warnings = report.problems.filter((p) => p.severity === "warning").map((p) => p.message);
  process.stdout.write(toJsonText(warnings.length ? {...result, readWarnings: warnings} : result) + "\n");
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) fail(error.message, 2);
  if (error instanceof RunnerError || error instanceof SurvivalInputError || error instanceof CohortError) fail(error.message, 1);
  fail(`internal error: ${error instanceof Error ? error.message : String(error)}`, 70);
});
