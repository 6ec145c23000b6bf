// Node-only: gather the validation's inputs from disk (the committed R fixtures in test/reference/ and
// the reference data sets, read with the project's own data layer). Used by the data loader
// src/data/validation.json.ts and by test/validation/validation.test.ts.
import {readFile} from "node:fs/promises";
import {join} from "node:path";
import {readTableFile} from "../cohort/node.js";
import {FIXTURE_FILES, TABLE_FILES, type Columns, type ReferenceSources} from "./sources.js";

/**
 * Read every fixture in {@link FIXTURE_FILES} and data set in {@link TABLE_FILES} below `root`
 * (default: the working directory, the project root for Framework loaders and vitest).
 * Throws an Error naming the file when one is missing, is not valid JSON, or is not a clean table.
 */
export async function loadReferenceSources(root = process.cwd()): Promise<ReferenceSources> {
  const fixtures: ReferenceSources["fixtures"] = {};
  for (const file of FIXTURE_FILES) {
    const path = join(root, "test/reference", file);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      throw new Error(`validation: cannot read the R fixture ${path} (${(err as Error).message}); regenerate it with Rscript test/reference/${file.replace(/\.json$/, ".R")}`);
    }
    try {
      fixtures[file] = JSON.parse(text);
    } catch (err) {
      throw new Error(`validation: ${path} is not valid JSON (${(err as Error).message})`);
    }
  }
  const tables: Record<string, Columns> = {};
  for (const file of TABLE_FILES) {
    const {table, report} = await readTableFile(join(root, file));
    if (!table || !report.ok) throw new Error(`validation: reference data set ${file} is not usable:\n  ${report.messages.join("\n  ")}`);
    const cols: Columns = {};
    for (const [name, column] of table.columns) {
      if (column.type === "date") throw new Error(`validation: ${file}: column ${name} was read as dates; reference data sets hold numbers and labels only`);
      cols[name] = column.values;
    }
    tables[file] = cols;
  }
  return {fixtures, tables};
}
