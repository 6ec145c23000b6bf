import {readFileSync} from "node:fs";

/**
 * Read a simple, well-formed reference CSV (as written by R's write.csv with row.names = FALSE)
 * into columns: numeric columns become number[] (NA → NaN), others string[] (NA → null).
 * Test-only: the project's real reader with full validation lives in src/cohort/.
 */
export function readCsvColumns(path: string): Record<string, (number | string | null)[]> & {length: number} {
  const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const split = (line: string) => {
    const out: string[] = [];
    let cur = "";
    let quoted = false;
    for (let i = 0; i < line.length; ++i) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') (cur += '"'), ++i;
        else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") out.push(cur), (cur = "");
      else cur += c;
    }
    out.push(cur);
    return out;
  };
  const header = split(lines[0]);
  const raw = header.map(() => [] as string[]);
  for (const line of lines.slice(1)) split(line).forEach((v, j) => raw[j].push(v));
  const out = Object.create(null) as Record<string, (number | string | null)[]> & {length: number};
  header.forEach((name, j) => {
    const vals = raw[j];
    const numeric = vals.every((v) => v === "NA" || v === "" || Number.isFinite(Number(v)));
    out[name] = numeric ? vals.map((v) => (v === "NA" || v === "" ? NaN : Number(v))) : vals.map((v) => (v === "NA" ? null : v));
  });
  Object.defineProperty(out, "length", {value: lines.length - 1, enumerable: false});
  return out;
}

/** A numeric column as a Float64Array (throws if the column is not numeric). */
export function numeric(cols: Record<string, (number | string | null)[]>, name: string): Float64Array {
  const c = cols[name];
  if (!c) throw new Error(`no column ${name}`);
  return Float64Array.from(c, (v) => {
    if (typeof v !== "number") throw new Error(`column ${name} is not numeric`);
    return v;
  });
}
