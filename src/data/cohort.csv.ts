// Data loader for the default cohort. Reads the raw file from the top-level data/ folder, validates it
// with the project's data layer (every row, every column) and, when it is clean, emits the file's bytes
// unchanged — so the SHA-256 fingerprint a page shows is the fingerprint of the file a researcher has.
// An invalid file fails the build with the data layer's one-line messages.
//
// COHORT=path/to/file npm run build publishes the site on another cohort file (CSV/TSV); the site then
// contains that file's patient-level data, which this loader says loudly.
import {readFileSync} from "node:fs";
import {basename} from "node:path";
import {readTable} from "../cohort/readTable.js";

const path = process.env.COHORT || "data/kato2012-synthetic.csv";
const bytes = new Uint8Array(readFileSync(path));
const {table, report} = await readTable(bytes, {name: basename(path)});
if (!table || !report.ok) {
  process.stderr.write(`cohort.csv: ${path} is not a usable cohort file:\n${report.messages.map((m) => `  ${m}`).join("\n")}\n`);
  process.exit(1);
}
if (report.format !== "csv") {
  process.stderr.write(`cohort.csv: ${path} is ${report.format}; the build-time cohort must be a CSV file.\n`);
  process.exit(1);
}
if (process.env.COHORT) {
  process.stderr.write(
    `\nWARNING: building the site on ${path} (${table.numRows} rows). The published site will CONTAIN THIS FILE'S PATIENT-LEVEL DATA.\n` +
      "Do not publish it anywhere its patients have not consented to.\n\n"
  );
}
process.stdout.write(bytes);
