// Fuzzing the loader (bad-inputs §5 "Robustness"): random tables written with RFC 4180 quoting parse back
// exactly; random bytes, truncated files and random quoting never throw and always give either a table or
// an error in the report.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {parseDelimited, type Delimiter} from "../../src/cohort/delimited.js";
import {readTable} from "../../src/cohort/readTable.js";

const cell = fc.string({unit: fc.constantFrom("a", "b", " ", ",", ";", "\t", '"', "\n", "\r", "é", "1", ".", "-", "名"), maxLength: 6});

function write(rows: string[][], delimiter: Delimiter, eol: string): string {
  const needs = new RegExp(`["\\r\\n${delimiter === "\t" ? "\\t" : delimiter}]`);
  return rows.map((r) => r.map((v) => (v === "" || needs.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(delimiter)).join(eol) + eol;
}

describe("parser fuzzing", () => {
  it("random tables round-trip through RFC 4180 text, any delimiter and line ending (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 5}).chain((w) => fc.tuple(fc.array(fc.array(cell, {minLength: w, maxLength: w}), {minLength: 2, maxLength: 8}), fc.constantFrom<Delimiter>(",", ";", "\t"), fc.constantFrom("\n", "\r\n", "\r"))),
        ([rows, delimiter, eol]) => {
          const parsed = parseDelimited(write(rows, delimiter, eol), {delimiter});
          expect(parsed.problems.filter((p) => p.severity === "error")).toEqual([]);
          expect(parsed.headers).toEqual(rows[0]);
          expect(parsed.numRows).toBe(rows.length - 1);
          parsed.columns.forEach((c, j) => expect(c.toArray()).toEqual(rows.slice(1).map((r) => r[j])));
        }
      ),
      {numRuns: 1000}
    );
  });

  it("random bytes, random text and every truncation of a valid file never throw (property)", async () => {
    const check = async (input: Uint8Array | string, name: string) => {
      const {table, report} = await readTable(input, {name});
      expect(table === null).toBe(!report.ok);
      if (!table) expect(report.problems.some((p) => p.severity === "error")).toBe(true);
      for (const m of report.messages) expect(typeof m).toBe("string");
    };
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({maxLength: 200}), fc.constantFrom("x.csv", "x.json", "x.parquet", "x"), (bytes, name) => check(bytes, name)),
      {numRuns: 300}
    );
    await fc.assert(
      fc.asyncProperty(fc.string({unit: fc.constantFrom("a", "1", ",", ";", "\t", '"', "\n", "\r", " ", "N", "A", "{", "[", "]", "}", ":"), maxLength: 80}), (text) => check(text, "x.csv")),
      {numRuns: 500}
    );
    const valid = 'id,label,time\n1,"a, ""b""\nc",5\n2,x,NA\n3,"",7\n';
    for (let k = 0; k <= valid.length; ++k) await check(valid.slice(0, k), "cut.csv");
  });
});
