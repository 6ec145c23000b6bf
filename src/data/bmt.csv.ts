// Data loader for the second, real cohort: Klein & Moeschberger's bone-marrow-transplant data
// (data/bmt.csv, from R's KMsurv; provenance in data/README.md). Validated, then emitted unchanged.
import {readFileSync} from "node:fs";
import {readTable} from "../cohort/readTable.js";

const bytes = new Uint8Array(readFileSync("data/bmt.csv"));
const {table, report} = await readTable(bytes, {name: "bmt.csv"});
if (!table || !report.ok) {
  process.stderr.write(`bmt.csv: data/bmt.csv is not usable:\n${report.messages.map((m) => `  ${m}`).join("\n")}\n`);
  process.exit(1);
}
process.stdout.write(bytes);
