// Why src/cohort has its own parser and typing (bad-inputs §3.1): the behaviours of d3-dsv 3.0.1 and
// Arquero 8.0.3 that would lose or bend values, observed here on the locked packages, beside ours.
import {columnFromArray, tableFromColumns, tableToIPC} from "@uwdata/flechette";
import * as aq from "arquero";
// @ts-expect-error d3-dsv ships no type declarations (and @types/d3-dsv is not a dependency)
import {autoType as autoTypeUntyped, csvParse as csvParseUntyped} from "d3-dsv";
import {describe, expect, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import type {NumberColumn} from "../../src/cohort/table.js";

const csvParse = csvParseUntyped as (text: string) => Record<string, string>[];
const autoType = autoTypeUntyped as (row: Record<string, string>) => Record<string, unknown>;

describe("what d3-dsv and Arquero do, and what readTable does instead", () => {
  it("d3-dsv drops a __proto__ column, keeps only the last duplicate, pads/drops ragged fields; autoType turns 0x1F into 31", async () => {
    const rows = csvParse("time,__proto__,time\n5,abc,7\n1\n2,3,4,5\n");
    expect(Object.keys(rows[0])).toEqual(["time"]);
    expect(rows[0].time).toBe("7");
    expect(rows[2].time).toBe("4");
    expect(autoType({x: "0x1F", id: "0012", t: " "})).toEqual({x: 31, id: 12, t: null});
    const ours = await readTable("time,__proto__,time\n5,abc,7\n", {name: "x.csv"});
    expect(ours.table!.names).toEqual(["time", "__proto__", "time_2"]);
    expect((await readTable("x\n0x1F\n1\n2\n", {name: "x.csv"})).report.messages).toContain("x: 1 non-numeric value (first at row 1: '0x1F')");
  });

  it("Arquero's fromCSV infers types from the first rows and turns a later 'NA' into NaN without a word; ' ' becomes 0", async () => {
    const text = "t\n" + Array.from({length: 1200}, (_, i) => (i === 1100 ? "NA" : i === 1101 ? " " : String(i))).join("\n") + "\n";
    const dt = aq.fromCSV(text);
    const t = dt.array("t") as unknown as ArrayLike<number>;
    expect(Number.isNaN(t[1100])).toBe(true);
    expect(t[1101]).toBe(0);
    const ours = await readTable(text, {name: "x.csv"});
    const c = ours.table!.column("t") as NumberColumn;
    expect([c.missing[1100], c.missing[1101], c.missingCount]).toEqual([1, 1, 2]);
  });

  it("Arquero's fromArrow keys columns by name, so duplicate Arrow field names collapse; readTable keeps both", async () => {
    const bytes = tableToIPC(tableFromColumns([["time", columnFromArray([1, 2])], ["time", columnFromArray([3, 4])]]), {format: "file"})!;
    const dt = aq.fromArrow(bytes);
    expect(dt.columnNames()).toEqual(["time"]);
    const ours = await readTable(bytes, {name: "x.arrow"});
    expect(ours.table!.names).toEqual(["time", "time_2"]);
  });
});
