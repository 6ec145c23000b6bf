// Row selections and cohort loading shared by the study-layer tests.
import {readFileSync} from "node:fs";
import type {CohortTable} from "../../src/cohort/table.js";
import {loadStudyCohort} from "../../src/study/cohort.js";

/** The study cohort of a file's bytes (as the pages prepare it); throws if unreadable. */
export async function study(bytes: Uint8Array, name: string): Promise<CohortTable> {
  const s = await loadStudyCohort(bytes, name);
  if (!s.table) throw new Error("cohort unreadable");
  return s.table;
}

/** A deterministic pseudo-random mask (xorshift), about `p` of the rows. */
export function randomMask(n: number, seed: number, p: number): Uint8Array {
  let x = seed >>> 0 || 1;
  const m = new Uint8Array(n);
  for (let i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    m[i] = (x >>> 0) / 2 ** 32 < p ? 1 : 0;
  }
  return m;
}

/** The committed synthetic cohort's CSV bytes with one cell replaced (data row `row`, 1-based, of `column`). */
export function syntheticWithCell(column: string, row: number, value: string): Uint8Array {
  const text = readFileSync("data/kato2012-synthetic.csv", "utf8").split("\n");
  const header = text[0].split(",");
  const cells = text[row].split(",");
  cells[header.indexOf(column)] = value;
  text[row] = cells.join(",");
  return new TextEncoder().encode(text.join("\n"));
}
