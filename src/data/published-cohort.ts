// What the two cohort loaders (cohort.csv.ts, cohort.parquet.ts) and cohort-info.json.ts share: which file
// the site is built on and in which format. Not a loader itself (no `.ext.ts` name); run at build time only.
//
// The published cohort is data/kato2012-synthetic.csv, or the file named by COHORT=path. It is Parquet when
// its bytes start with Parquet's signature or its name ends in .parquet (a file named .parquet that is not
// Parquet is then refused by the Parquet loader, rather than read as text); CSV otherwise. Exactly one of the
// two loaders publishes it (validated, bytes unchanged); the other emits an empty file that no page reads.
import {readFileSync} from "node:fs";
import {basename} from "node:path";
import {readTable} from "../cohort/readTable.js";
import {sniffKind} from "../cohort/sniff.js";

/** The format a published cohort is served in. */
export type PublishedFormat = "csv" | "parquet";

/** The cohort file the site is built on (COHORT=path, else the synthetic study cohort). */
export function publishedCohortPath(): string {
  return process.env.COHORT || "data/kato2012-synthetic.csv";
}

/** Parquet by signature or extension, else CSV. */
export function publishedFormat(path: string, bytes: Uint8Array): PublishedFormat {
  return sniffKind(bytes) === "parquet" || /\.parquet$/i.test(path) ? "parquet" : "csv";
}

/**
 * The body of the loader for `format`: when the published cohort is in that format, read it with the data
 * layer (every row, every column) and write its bytes unchanged to stdout; an unusable file fails the build
 * with the data layer's one-line messages (exit 1). When the cohort is in the other format, write nothing.
 */
export async function publishCohort(format: PublishedFormat): Promise<void> {
  const loader = `cohort.${format}`;
  const path = publishedCohortPath();
  const bytes = new Uint8Array(readFileSync(path));
  if (publishedFormat(path, bytes) !== format) return;
  const {table, report} = await readTable(bytes, {name: basename(path), format: format === "parquet" ? "parquet" : "auto"});
  if (!table || !report.ok) {
    process.stderr.write(`${loader}: ${path} is not a usable cohort file:\n${report.messages.map((m) => `  ${m}`).join("\n")}\n`);
    process.exit(1);
  }
  if (report.format !== format) {
    process.stderr.write(`${loader}: ${path} is ${report.format}; the build-time cohort must be a CSV or Parquet file.\n`);
    process.exit(1);
  }
  if (process.env.COHORT) {
    process.stderr.write(
      `\nWARNING: building the site on ${path} (${table.numRows} rows). The published site will CONTAIN THIS FILE'S PATIENT-LEVEL DATA.\n` +
        "Do not publish it anywhere its patients have not consented to.\n\n"
    );
  }
  process.stdout.write(bytes);
}
