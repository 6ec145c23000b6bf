// Cell values and column types: catalogue rows 24–28 and 33 (missing tokens, late non-numeric values,
// decorations, exotic numerals, ids, dates). Expected values are hand-computed from the literal inputs.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import type {DateColumn, NumberColumn, StringColumn} from "../../src/cohort/table.js";
import {civilFromDays, dateParser, daysFromCivil, parseDecimal, parseIsoDate} from "../../src/cohort/values.js";

const read = (text: string, options = {}) => readTable(text, {name: "values.csv", ...options});
const num = (t: {column(n: string): unknown}, n: string) => t.column(n) as NumberColumn;

describe("missing values (catalogue row 24)", () => {
  it('the default tokens "", NA, N/A, ., NaN, null, NULL, -, ?, #N/A and whitespace are missing and counted, never 0', async () => {
    const tokens = ["", "NA", "N/A", ".", "NaN", "null", "NULL", "-", "?", "#N/A", " ", "\t"];
    const text = "time,status\n" + tokens.map((t, i) => `${t === "\t" ? '"\t"' : t},${i % 2}`).join("\n") + "\n5,1\n";
    const {table, report} = await read(text);
    const time = num(table!, "time");
    expect(time.type).toBe("number");
    expect(time.missingCount).toBe(tokens.length);
    expect(Array.from(time.missing)).toEqual([...tokens.map(() => 1), 0]);
    expect(time.values[tokens.length]).toBe(5);
    for (let i = 0; i < tokens.length; ++i) expect(time.values[i]).toBeNaN();
    expect(time.raw![1]).toBe("NA");
    expect(report.columns[0]).toEqual({name: "time", header: "time", type: "number", missing: 12, invalid: 0});
  });

  it("the token set is configurable (e.g. SAS-style -99)", async () => {
    const {table} = await read("x\n-99\n3\n", {naTokens: ["", "NA", "-99"]});
    expect(num(table!, "x").missingCount).toBe(1);
    expect(num(table!, "x").values[1]).toBe(3);
  });

  it("a text column keeps missing cells as null, other values exactly as written", async () => {
    const {table} = await read("sex\nM\nNA\n female \n");
    expect((table!.column("sex") as StringColumn).values).toEqual(["M", null, " female "]);
  });
});

describe("whole-column validation (catalogue rows 25–27)", () => {
  it("row 25: 'NA'-like junk after row 1,000 is found and reported with its row (first at row 1,204)", async () => {
    const rows: string[] = [];
    for (let i = 1; i <= 2000; ++i) rows.push(i === 1204 || (i > 1500 && i <= 1536) ? "12 mo" : String(i));
    const {table, report} = await read("time\n" + rows.join("\n"));
    expect(report.messages).toContain("time: 37 non-numeric values (first at row 1,204: '12 mo')");
    const time = num(table!, "time");
    expect(time.invalidCount).toBe(37);
    expect(time.invalid![1203]).toBe(1);
    expect(time.missing[1203]).toBe(0);
    expect(time.raw![1203]).toBe("12 mo");
    expect(report.problems[0]).toMatchObject({code: "non-numeric", row: 1204, count: 37, values: ["12 mo"]});
  });

  it("row 26: decorations <5, >100, 12 mo, 3+ are not numbers; the column is flagged with examples", async () => {
    const {table, report} = await read("time\n1\n2\n3\n4\n<5\n>100\n12 mo\n3+\n9\n");
    expect(report.messages).toContain("time: 4 non-numeric values (first at row 5: '<5')");
    expect(report.problems[0].values).toEqual(["<5", ">100", "12 mo", "3+"]);
    expect(num(table!, "time").invalidCount).toBe(4);
  });

  it("row 26: a column that is mostly text is read as text", async () => {
    const {table} = await read("grade\nI\nII\nIII\n4\n");
    expect(table!.column("grade").type).toBe("string");
  });

  it("row 27: 0x1F, Infinity, 1e309 are not numbers (0x1F never becomes 31); 1e3 and -0 are plain decimals", async () => {
    const {table, report} = await read("x\n0x1F\nInfinity\n1e309\n1e3\n-0\n2.5\n7\n8\n");
    const x = num(table!, "x");
    expect(Array.from(x.values.subarray(3))).toEqual([1000, 0, 2.5, 7, 8]);
    expect(Object.is(x.values[4], 0)).toBe(true);
    expect(x.invalidCount).toBe(3);
    expect(report.messages).toContain("x: 3 non-numeric values (first at row 1: '0x1F')");
  });

  it("a type override forces a column: number (every non-number flagged) or string", async () => {
    const {table, report} = await read("a,b\nx,1\n2,2\n", {types: new Map([["a", "number"], ["b", "string"]])});
    expect(num(table!, "a").invalidCount).toBe(1);
    expect(report.messages).toContain("a: 1 non-numeric value (first at row 1: 'x')");
    expect(table!.column("b").type).toBe("string");
    // a plain record works, read by own properties only
    // a computed ["__proto__"] key is an own property and applies; an inherited one never does
    const rec = await read("__proto__\n0012\n", {types: {["__proto__"]: "number"} as Record<string, "number">});
    expect(num(rec.table!, "__proto__").values[0]).toBe(12);
    const inherited = await read("x\n0012\n", {types: Object.create({x: "number"}) as Record<string, "number">});
    expect(inherited.table!.column("x").type).toBe("string");
    const rec2 = await read("constructor\n0012\n", {types: JSON.parse('{"constructor": "number"}')});
    expect(num(rec2.table!, "constructor").values[0]).toBe(12);
  });

  it("parseDecimal equals Number() on every plain decimal (property) and refuses everything else", () => {
    fc.assert(
      fc.property(fc.double({noNaN: true, noDefaultInfinity: true}), (x) => {
        const s = String(x);
        expect(Object.is(parseDecimal(s), Number(s) + 0)).toBe(true);
      }),
      {numRuns: 2000}
    );
    fc.assert(
      fc.property(fc.stringMatching(/^-?\d{1,18}(\.\d{0,18})?$/), (s) => {
        expect(parseDecimal(s)).toBe(Number(s) + 0);
      }),
      {numRuns: 2000}
    );
    for (const s of ["", "-", "+", ".", "1.2.3", "0x10", "Infinity", "-Infinity", "NaN", "1e", "1e+", "1 2", "1,5", "٣"]) expect(parseDecimal(s)).toBeNaN();
  });
});

describe("ids (catalogue row 28)", () => {
  it("leading zeros and more than 15 digits stay text: 0012 ≠ 12, no precision lost beyond 2^53", async () => {
    const {table, report} = await read("id,big\n0012,12345678901234567890\n12,12345678901234567891\n");
    expect((table!.column("id") as StringColumn).values).toEqual(["0012", "12"]);
    expect((table!.column("big") as StringColumn).values).toEqual(["12345678901234567890", "12345678901234567891"]);
    expect(report.messages).toContain("id: kept as text because values have leading zeros (first at row 1: '0012')");
    expect(report.messages).toContain("big: kept as text because values have more than 15 digits (first at row 1: '12345678901234567890')");
  });

  it("0.5 and 0 are numbers, not ids", async () => {
    const {table} = await read("x\n0.5\n0\n10\n");
    expect(Array.from(num(table!, "x").values)).toEqual([0.5, 0, 10]);
  });
});

describe("dates (catalogue rows 32–33)", () => {
  it("a column of ISO dates becomes a date column (days since 1970-01-01, UTC calendar); an impossible date is flagged", async () => {
    const {table, report} = await read("dx\n2020-01-02\n1970-01-01\n2020-13-45\nNA\n");
    const dx = table!.column("dx") as DateColumn;
    expect(dx.type).toBe("date");
    expect(Array.from(dx.values.subarray(0, 2))).toEqual([18263, 0]);
    expect(dx.invalidCount).toBe(1);
    expect(dx.missingCount).toBe(1);
    expect(report.messages).toContain("dx: 1 value is not a valid YYYY-MM-DD date (first at row 3: '2020-13-45')");
  });

  it("01/02/2020 needs a declared format; DD/MM/YYYY and MM/DD/YYYY read it differently", async () => {
    const {table, report} = await read("d\n01/02/2020\n15/03/2021\n");
    expect(table!.column("d").type).toBe("string");
    expect(report.messages).toContain("d: looks like dates in a non-ISO format (e.g. '01/02/2020'); read as text — declare its format (e.g. DD/MM/YYYY or MM/DD/YYYY) to use it as a date");
    const dm = await read("d\n01/02/2020\n15/03/2021\n", {types: {d: {type: "date", format: "DD/MM/YYYY"}}});
    expect(Array.from((dm.table!.column("d") as DateColumn).values)).toEqual([daysFromCivil(2020, 2, 1), daysFromCivil(2021, 3, 15)]);
    const md = await read("d\n01/02/2020\n15/03/2021\n", {types: {d: {type: "date", format: "MM/DD/YYYY"}}});
    expect((md.table!.column("d") as DateColumn).values[0]).toBe(daysFromCivil(2020, 1, 2));
    expect(md.report.messages).toContain("d: 1 value is not a valid MM/DD/YYYY date (first at row 2: '15/03/2021')");
  });

  it("dates mixed with date-times are never mixed silently", async () => {
    const {table, report} = await read("d\n2020-01-02\n2020-01-02T10:00\n");
    expect(table!.column("d").type).toBe("string");
    expect(report.messages).toContain("d: has date-times (not only dates); read as text — only ISO dates (YYYY-MM-DD) are read as dates");
  });

  it("calendar helpers: leap days, the epoch, years before 100, DST-free day counts", () => {
    expect(parseIsoDate("2020-02-29")).toBe(18321);
    expect(parseIsoDate("2019-02-29")).toBeNaN();
    expect(civilFromDays(18321)).toBe("2020-02-29");
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(civilFromDays(daysFromCivil(99, 12, 31))).toBe("0099-12-31");
    // a European DST change (2021-03-28) is one calendar day
    expect(parseIsoDate("2021-03-29") - parseIsoDate("2021-03-28")).toBe(1);
    expect(dateParser("YYYYMMDD")("20200102")).toBe(18263);
    expect(dateParser("D.M.YYYY")("2.1.2020")).toBe(18263);
    expect(() => dateParser("DD/MM/YY")).toThrow("unsupported date format");
  });
});
