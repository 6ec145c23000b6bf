// The inputs of the validation: R's committed fixtures (parsed JSON) and the reference data sets
// (columns), gathered once by ./node.ts and passed to the pure comparison suites.

/** A reference data set as columns: numbers as Float64Array (NaN where missing), text as strings (null where missing). */
export type Columns = Record<string, Float64Array | readonly (string | null)[]>;

/** Everything the suites read. Fixtures are keyed by file name (`km-datasets.json`), tables by path (`test/data/lung.csv`). */
export interface ReferenceSources {
  // The fixtures are R's output as parsed JSON: their shapes are described where they are read.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fixtures: Record<string, any>;
  tables: Record<string, Columns>;
}

/** The fixture files the suites read (in test/reference/). */
export const FIXTURE_FILES = [
  "km-datasets.json",
  "km-edge.json",
  "km-confint.json",
  "logrank-public.json",
  "logrank-edge.json",
  "cif-public.json",
  "cif-edge.json",
  "gray-public.json",
  "gray-edge.json",
  "cox-datasets.json",
  "cox-edge.json",
  "zph-datasets.json",
  "finegray-bmt.json",
  "finegray-mgus2.json",
  "split-bmt.json",
  "wilcoxon.json",
  "table1-tests.json"
] as const;

/** The reference data sets the suites read (paths from the project root). */
export const TABLE_FILES = ["test/data/lung.csv", "test/data/veteran.csv", "test/data/aml.csv", "test/data/mgus2.csv", "data/bmt.csv"] as const;

/** A fixture by file name; throws naming the file when it was not loaded. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixture(src: ReferenceSources, file: string): any {
  const f = src.fixtures[file];
  if (f === undefined) throw new Error(`validation: fixture test/reference/${file} was not loaded`);
  return f;
}

/** A data set by path; throws naming the path when it was not loaded. */
export function table(src: ReferenceSources, path: string): Columns {
  const t = src.tables[path];
  if (!t) throw new Error(`validation: data set ${path} was not loaded`);
  return t;
}

/** A numeric column; throws naming the data set and column when it is absent or text. */
export function numericColumn(cols: Columns, name: string, where = ""): Float64Array {
  const c = cols[name];
  if (!(c instanceof Float64Array)) throw new Error(`validation: ${where ? `${where}: ` : ""}column ${name} is ${c ? "not numeric" : "missing"}`);
  return c;
}

/** A column of any type, for group labels and categorical covariates. */
export function anyColumn(cols: Columns, name: string, where = ""): Float64Array | readonly (string | null)[] {
  const c = cols[name];
  if (!c) throw new Error(`validation: ${where ? `${where}: ` : ""}column ${name} is missing`);
  return c;
}

/** Labels as strings (numbers written as R prints them), missing → null: how R's factor() sees a column. */
export function labels(col: ArrayLike<number | string | null>): (string | null)[] {
  return Array.from(col, (v) => (v === null || (typeof v === "number" && Number.isNaN(v)) ? null : String(v)));
}

/** The file's name without folder and extension: `test/data/lung.csv` → `lung`. */
export function datasetName(path: string): string {
  return path.replace(/^.*\//, "").replace(/\.[^.]*$/, "");
}
