// JSON, Arrow IPC and Parquet through readTable: catalogue rows 45–47 and row 6 (a Parquet/Arrow file
// under a .csv name is routed by its magic bytes). Arrow inputs are written in the test with flechette and
// Parquet inputs with hyparquet-writer, so every expected value is the literal written.
import {columnFromArray, tableFromColumns, tableToIPC} from "@uwdata/flechette";
import {parquetWriteBuffer} from "hyparquet-writer";
import {describe, expect, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import type {DateColumn, NumberColumn, StringColumn} from "../../src/cohort/table.js";

const num = (t: {column(n: string): unknown}, n: string) => t.column(n) as NumberColumn;
const str = (t: {column(n: string): unknown}, n: string) => t.column(n) as StringColumn;

describe("JSON (catalogue row 47)", () => {
  it("an array of flat records is read columnar; __proto__ keys are ordinary columns; ids stay text", async () => {
    const text = '[{"id": "0012", "time": 5, "status": 1, "__proto__": "a"}, {"id": "0013", "time": null, "status": 0, "__proto__": "b", "constructor": 1}]';
    const {table, report} = await readTable(text, {name: "c.json"});
    expect(table!.names).toEqual(["id", "time", "status", "__proto__", "constructor"]);
    expect(str(table!, "id").values).toEqual(["0012", "0013"]);
    expect(str(table!, "__proto__").values).toEqual(["a", "b"]);
    expect(num(table!, "time").missingCount).toBe(1);
    expect(report.messages).toContain("constructor: absent from 1 record (first at row 1); counted as missing");
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it("an object of equal-length arrays is converted with a note; unequal lengths are refused", async () => {
    const ok = await readTable('{"time": [5, 6], "status": [1, 0]}', {name: "c.json"});
    expect(Array.from(num(ok.table!, "time").values)).toEqual([5, 6]);
    expect(ok.report.messages).toContain("Read a JSON object of 2 column arrays as a table");
    const bad = await readTable('{"time": [5, 6], "status": [1]}', {name: "c.json"});
    expect(bad.table).toBeNull();
    expect(bad.report.messages).toEqual(["JSON is an object of arrays with different lengths ('time': 2, 'status': 1); expected an array of records"]);
  });

  it("NDJSON is read one record per line, with a note", async () => {
    const {table, report} = await readTable('{"time": 5}\n{"time": 6}\n', {name: "c.ndjson"});
    expect(Array.from(num(table!, "time").values)).toEqual([5, 6]);
    expect(report.messages).toContain("Read as NDJSON (2 records, one per line)");
  });

  it.each([
    ['{"data": [{"a": 1}]}', "JSON is an object, not an array of records (the records may be under the key 'data': pass that array)"],
    ["[[1, 2], [3, 4]]", "JSON array element 1 is an array; expected an array of flat records (objects)"],
    ["[1, 2, 3]", "JSON array element 1 is a number; expected an array of flat records (objects)"],
    ['"text"', "JSON is a string, not an array of records"],
    ["[]", "No data rows (the JSON array is empty)"]
  ])("other shapes are refused with a message: %s", async (text, message) => {
    const {table, report} = await readTable(text, {name: "c.json"});
    expect(table).toBeNull();
    expect(report.messages).toEqual([message]);
  });

  it("invalid JSON is reported with the parser's reason", async () => {
    const {report} = await readTable('[{"a": 1},', {name: "c.json"});
    expect(report.messages[0]).toMatch(/^Not valid JSON: /);
  });

  it("nested values are refused by column name, or skipped on request; mixed types are warned about", async () => {
    const text = '[{"id": 1, "tags": ["a"], "x": 1}, {"id": 2, "tags": [], "x": "two"}]';
    const refused = await readTable(text, {name: "c.json"});
    expect(refused.table).toBeNull();
    expect(refused.report.messages).toContain("JSON column 'tags' is nested (objects or arrays, first at row 1; flatten it to one value per row); to load the other columns, read with unsupported: 'skip'");
    const skipped = await readTable(text, {name: "c.json", unsupported: "skip"});
    expect(skipped.table!.names).toEqual(["id", "x"]);
    expect(skipped.report.messages).toContain("JSON column 'tags' is nested (objects or arrays, first at row 1; flatten it to one value per row); skipped");
    expect(skipped.report.messages).toContain("x: mixes numbers and text; typed as number from the text of every value");
    expect(skipped.report.messages).toContain("x: 1 non-numeric value (first at row 2: 'two')");
  });

  it("booleans become 1/0 with a note; integers beyond 2^53 are flagged", async () => {
    const {table, report} = await readTable('[{"dead": true, "id": 12345678901234567890}, {"dead": false, "id": 1}]', {name: "c.json"});
    expect(Array.from(num(table!, "dead").values)).toEqual([1, 0]);
    expect(report.messages).toContain("dead: true/false read as 1/0");
    expect(report.messages).toContain("id: 1 integer beyond 2^53 lost precision when the file was written or parsed (first at row 1: 12345678901234567000); store ids as text");
  });
});

function arrowBytes(columns: [string, unknown[] | ArrayLike<unknown>, object?][]): Uint8Array {
  return tableToIPC(tableFromColumns(columns.map(([name, values, opts]) => [name, columnFromArray(values as unknown[], opts as never)])), {format: "file"})!;
}

describe("Arrow IPC (catalogue rows 45–46)", () => {
  it("numbers, strings, dictionary strings, booleans and dates are read; int64 BigInts become Numbers", async () => {
    const bytes = arrowBytes([
      ["id", BigInt64Array.from([1n, 2n, 3n])],
      ["time", Float64Array.from([5.5, NaN, 7])],
      ["sex", ["M", null, "F"]],
      ["dead", [true, false, null]],
      ["dx", [new Date(Date.UTC(2020, 0, 2)), null, new Date(0)]]
    ]);
    const {table, report} = await readTable(bytes, {name: "c.arrow"});
    expect(report.format).toBe("arrow");
    expect(table!.names).toEqual(["id", "time", "sex", "dead", "dx"]);
    expect(Array.from(num(table!, "id").values)).toEqual([1, 2, 3]);
    expect(num(table!, "time").missingCount).toBe(1);
    expect(str(table!, "sex").values).toEqual(["M", null, "F"]);
    expect(Array.from(num(table!, "dead").values.subarray(0, 2))).toEqual([1, 0]);
    const dx = table!.column("dx") as DateColumn;
    expect(dx.type).toBe("date");
    expect(dx.values[0]).toBe(18263);
    expect(dx.values[2]).toBe(0);
  });

  it("row 45: an int64 beyond ±2^53 − 1 is an error naming the column (never 'Cannot mix BigInt')", async () => {
    const bytes = arrowBytes([["id", BigInt64Array.from([1n, 9007199254740993n])]]);
    const {table, report} = await readTable(bytes, {name: "c.arrow"});
    expect(table).toBeNull();
    expect(report.messages).toEqual(["id: 1 integer beyond ±2^53 − 1 cannot be represented exactly (first at row 2: 9007199254740993); store ids as text"]);
  });

  it("row 46: a list column is refused by name, or skipped", async () => {
    const bytes = arrowBytes([["id", Int32Array.from([1, 2])], ["tags", [[1, 2], [3]]]]);
    const refused = await readTable(bytes, {name: "c.arrow"});
    expect(refused.report.messages).toEqual(["Arrow column 'tags' is a list column (flatten it to one value per row); to load the other columns, read with unsupported: 'skip'"]);
    const skipped = await readTable(bytes, {name: "c.arrow", unsupported: "skip"});
    expect(skipped.table!.names).toEqual(["id"]);
  });

  it("duplicate and __proto__ field names survive (read positionally, not through an object)", async () => {
    const bytes = arrowBytes([["time", [1, 2]], ["time", [3, 4]], ["__proto__", [5, 6]]]);
    const {table, report} = await readTable(bytes, {name: "c.arrow"});
    expect(table!.names).toEqual(["time", "time_2", "__proto__"]);
    expect(Array.from(num(table!, "time_2").values)).toEqual([3, 4]);
    expect(Array.from(num(table!, "__proto__").values)).toEqual([5, 6]);
    expect(report.messages).toContain("Duplicate column name 'time' (columns 1 and 2); column 2 is named time_2");
  });

  it("row 6: an Arrow file named .csv is routed to the Arrow reader with a note", async () => {
    const {table, report} = await readTable(arrowBytes([["x", [1]]]), {name: "c.csv"});
    expect(table!.names).toEqual(["x"]);
    expect(report.messages).toEqual(["c.csv is an Arrow IPC file (by its content); read it as Arrow"]);
  });
});

describe("Parquet (catalogue rows 45–46)", () => {
  it("typed columns are read: INT64 BigInt → Number, strings (missing tokens applied), doubles with nulls, booleans, dates", async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        {name: "id", data: BigInt64Array.from([1n, 2n, 3n]), type: "INT64"},
        {name: "sex", data: ["M", null, "NA"], type: "STRING"},
        {name: "time", data: [1.5, null, 3], type: "DOUBLE"},
        {name: "dead", data: [true, false, null], type: "BOOLEAN"},
        {name: "dx", data: [new Date("2020-01-02"), new Date("2020-01-03"), null], type: "TIMESTAMP"}
      ]
    });
    const {table, report} = await readTable(new Uint8Array(buffer), {name: "c.parquet"});
    expect(report.format).toBe("parquet");
    expect(Array.from(num(table!, "id").values)).toEqual([1, 2, 3]);
    expect(str(table!, "sex").values).toEqual(["M", null, null]);
    expect(str(table!, "sex").missingCount).toBe(2);
    expect(num(table!, "time").values[0]).toBe(1.5);
    expect(num(table!, "time").missing[1]).toBe(1);
    expect(Array.from(num(table!, "dead").values.subarray(0, 2))).toEqual([1, 0]);
    expect(Array.from((table!.column("dx") as DateColumn).values.subarray(0, 2))).toEqual([18263, 18264]);
  });

  it("row 45: an INT64 beyond 2^53 is an error naming the column", async () => {
    const buffer = parquetWriteBuffer({columnData: [{name: "id", data: BigInt64Array.from([1n, -9007199254740993n]), type: "INT64"}]});
    const {report} = await readTable(new Uint8Array(buffer), {name: "c.parquet"});
    expect(report.messages).toEqual(["id: 1 integer beyond ±2^53 − 1 cannot be represented exactly (first at row 2: -9007199254740993); store ids as text"]);
  });

  it("row 46: a nested LIST column and an unsupported codec are refused by name; the rest loads with unsupported: 'skip'", async () => {
    const nested = parquetWriteBuffer({
      schema: [
        {name: "root", num_children: 2},
        {name: "id", type: "INT32", repetition_type: "REQUIRED"},
        {name: "tags", repetition_type: "OPTIONAL", num_children: 1, converted_type: "LIST"},
        {name: "list", repetition_type: "REPEATED", num_children: 1},
        {name: "element", type: "INT32", repetition_type: "OPTIONAL"}
      ],
      columnData: [
        {name: "id", data: Int32Array.from([1, 2, 3])},
        {name: "tags", data: [[1, 2], [3], []]}
      ]
    });
    const refused = await readTable(new Uint8Array(nested), {name: "c.parquet"});
    expect(refused.table).toBeNull();
    expect(refused.report.messages).toEqual(["Parquet column 'tags' is a list column (flatten it to one value per row); to load the other columns, read with unsupported: 'skip'"]);
    const skipped = await readTable(new Uint8Array(nested), {name: "c.parquet", unsupported: "skip"});
    expect(Array.from(num(skipped.table!, "id").values)).toEqual([1, 2, 3]);

    // ZSTD in the metadata (the "compressor" here is the identity: only the codec name matters to the check)
    const zstd = parquetWriteBuffer({codec: "ZSTD", compressors: {ZSTD: (b: Uint8Array) => b}, columnData: [{name: "id", data: Int32Array.from([1, 2]), type: "INT32"}]});
    const z = await readTable(new Uint8Array(zstd), {name: "c.parquet"});
    expect(z.report.messages).toEqual(["Parquet column 'id' is compressed with ZSTD, which this reader does not support (re-save with Snappy or no compression); to load the other columns, read with unsupported: 'skip'"]);
  });

  it("timestamps with a time of day are read as ISO text with a warning", async () => {
    const buffer = parquetWriteBuffer({columnData: [{name: "t", data: [new Date("2020-01-02T10:00:00Z"), null], type: "TIMESTAMP"}]});
    const {table, report} = await readTable(new Uint8Array(buffer), {name: "c.parquet"});
    expect(str(table!, "t").values).toEqual(["2020-01-02T10:00:00.000Z", null]);
    expect(report.messages).toContain("t: timestamps with a time of day are read as text (ISO 8601, UTC); durations need dates or numeric times");
  });

  it("row 6: a Parquet file named .csv is routed by its PAR1 magic; a text file forced as Parquet is refused", async () => {
    const buffer = parquetWriteBuffer({columnData: [{name: "x", data: Int32Array.from([1]), type: "INT32"}]});
    const {table, report} = await readTable(new Uint8Array(buffer), {name: "c.csv"});
    expect(table!.names).toEqual(["x"]);
    expect(report.messages).toEqual(["c.csv is a Parquet file (by its content); read it as Parquet"]);
    const forced = await readTable("x\n1\n", {name: "c.parquet", format: "parquet"});
    expect(forced.report.messages).toEqual(["Expected a Parquet file, but c.parquet does not start with its signature (it looks like text)."]);
  });

  it("a corrupt Parquet file is an error, not a crash", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("PAR1"), 1, 2, 3, 4, 5, 6, 7, 8]);
    const {table, report} = await readTable(bytes, {name: "c.parquet"});
    expect(table).toBeNull();
    expect(report.messages[0]).toMatch(/^Not a readable Parquet file: /);
  });
});
