// readTable against the file, encoding and structure rows of the bad-input catalogue
// (shared/reference/bad-inputs-and-edge-cases.md §7, rows 1–23). Expected messages are this project's
// (the catalogue gives their wording); expected values are hand-computed from the literal inputs.
import {describe, expect, it} from "vitest";
import {readTable, readTableOrThrow, type ReadOptions} from "../../src/cohort/readTable.js";
import {CohortError} from "../../src/cohort/problems.js";
import type {NumberColumn, StringColumn} from "../../src/cohort/table.js";

const enc = (s: string) => new TextEncoder().encode(s);
async function read(input: string | Uint8Array, options: ReadOptions = {}) {
  return readTable(input, {name: "cohort.csv", ...options});
}
const num = (t: {column(n: string): unknown}, n: string) => t.column(n) as NumberColumn;
const str = (t: {column(n: string): unknown}, n: string) => t.column(n) as StringColumn;

describe("readTable: file and encoding (catalogue rows 1–10)", () => {
  it("row 1: an empty file is an error 'The file is empty.'", async () => {
    const {table, report} = await read(new Uint8Array(0));
    expect(table).toBeNull();
    expect(report.ok).toBe(false);
    expect(report.messages).toEqual(["The file is empty."]);
    expect(report.problems[0]).toMatchObject({severity: "error", code: "empty"});
  });

  it("row 1: a file of blank lines is empty too", async () => {
    const {table, report} = await read("\n\r\n  \n");
    expect(table).toBeNull();
    expect(report.messages[0]).toBe("The file is empty (only blank lines or spaces).");
  });

  it("row 2: header only → 'No data rows (header has N columns: …)'", async () => {
    const {table, report} = await read("time,status,age\n");
    expect(table).toBeNull();
    expect(report.messages).toContain("No data rows (header has 3 columns: time, status, age)");
  });

  it("row 3: a UTF-8 BOM is removed and noted; the first column is `time`", async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc("time,status\n5,1\n")]);
    const {table, report} = await read(bytes);
    expect(table!.names).toEqual(["time", "status"]);
    expect(report.messages).toContain("BOM removed (UTF-8 byte-order mark at the start of the file)");
    expect(Array.from(num(table!, "time").values)).toEqual([5]);
  });

  it("row 3: a BOM in text input (not bytes) is removed as well", async () => {
    const {table} = await read("\uFEFFtime,status\n5,1\n");
    expect(table!.names).toEqual(["time", "status"]);
  });

  it("row 4: UTF-16 LE with a BOM is detected and decoded, with a warning", async () => {
    const text = "time\tstatus\r\n5\t1\r\n";
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes[0] = 0xff;
    bytes[1] = 0xfe;
    for (let i = 0; i < text.length; ++i) bytes[2 + 2 * i] = text.charCodeAt(i);
    const {table, report} = await read(bytes, {name: "unicode.txt"});
    expect(table!.names).toEqual(["time", "status"]);
    expect(report.encoding).toBe("utf-16le");
    expect(report.messages).toContain(`File is UTF-16 LE (Excel "Unicode Text"); decoded it — save as 'CSV UTF-8' to avoid this`);
  });

  it("row 4: UTF-16 BE with a BOM is decoded", async () => {
    const text = "a,b\n1,2\n";
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes[0] = 0xfe;
    bytes[1] = 0xff;
    for (let i = 0; i < text.length; ++i) bytes[3 + 2 * i] = text.charCodeAt(i);
    const {table, report} = await read(bytes);
    expect(table!.names).toEqual(["a", "b"]);
    expect(report.encoding).toBe("utf-16be");
  });

  it("row 4: UTF-16 without a BOM (NUL bytes between characters) is refused, never garbage columns", async () => {
    const text = "time,status\n5,1\n";
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; ++i) bytes[2 * i] = text.charCodeAt(i);
    const {table, report} = await read(bytes);
    expect(table).toBeNull();
    expect(report.messages).toEqual(["File is UTF-16 without a byte-order mark (NUL bytes between characters); save as 'CSV UTF-8'"]);
  });

  it("row 5: Windows-1252 bytes are warned about with the first affected cell and the count; labels are not merged", async () => {
    // "Sévère" in Windows-1252: é = 0xE9, è = 0xE8
    const bytes = new Uint8Array([...enc("id,grade\n1,S"), 0xe9, 0x76, 0xe8, ...enc("re\n2,mild\n")]);
    const {table, report} = await read(bytes);
    expect(report.messages).toContain(
      "2 characters could not be decoded as UTF-8 (first at row 1, column 'grade': 'S\uFFFDv\uFFFDre'); the file may be Windows-1252/Latin-1 — read it with encoding 'windows-1252' or save it as 'CSV UTF-8'"
    );
    expect(report.problems.find((p) => p.code === "encoding")).toMatchObject({row: 1, column: "grade", count: 2});
    const fixed = await read(bytes, {encoding: "windows-1252"});
    expect(str(fixed.table!, "grade").values).toEqual(["Sévère", "mild"]);
    expect(fixed.report.problems.some((p) => p.code === "encoding")).toBe(false);
  });

  it.each([
    ["xlsx", [0x50, 0x4b, 0x03, 0x04, ...enc("....[Content_Types].xml")], "This is an Excel workbook (.xlsx) (cohort.csv), not a CSV/TSV/JSON text file: open it in Excel and save the sheet as 'CSV UTF-8'."],
    ["zip", [0x50, 0x4b, 0x03, 0x04, ...enc("data/cohort.csv")], "This is a ZIP archive (cohort.csv), not a CSV/TSV/JSON text file: extract the data file first."],
    ["pdf", [...enc("%PDF-1.7\n")], "This is a PDF document (cohort.csv), not a CSV/TSV/JSON text file: export the table from its source as CSV."],
    ["gzip", [0x1f, 0x8b, 0x08, 0x00], "This is a gzip-compressed file (cohort.csv), not a CSV/TSV/JSON text file: decompress it first."],
    ["xls", [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0], "This is an Excel 97–2003 workbook (.xls) (cohort.csv), not a CSV/TSV/JSON text file: open it in Excel and save the sheet as 'CSV UTF-8'."],
    ["binary", [0x01, 0x02, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07], "This is a binary file, not text (NUL byte at offset 2): choose a CSV, TSV, JSON, Arrow or Parquet file."]
  ])("row 6: %s under a .csv name is identified by its magic bytes and refused", async (_kind, bytes, message) => {
    const {table, report} = await read(new Uint8Array(bytes as number[]));
    expect(table).toBeNull();
    expect(report.messages).toEqual([message]);
  });

  it("row 7: a file over the size limit is refused before decoding, stating its size and the limit", async () => {
    const {table, report} = await read(enc("time,status\n1,0\n"), {maxBytes: 10});
    expect(table).toBeNull();
    expect(report.messages).toEqual(["cohort.csv is 16 bytes; the limit is 10 bytes. Use Parquet or Arrow, or export fewer columns or rows."]);
    expect(report.fingerprint).toBeNull();
  });

  it("row 8: CR-only and mixed line endings parse to the same rows", async () => {
    const lf = await read("time,status\n5,1\n6,0\n7,1\n");
    const cr = await read("time,status\r5,1\r6,0\r7,1\r");
    const mixed = await read("time,status\r\n5,1\r6,0\n7,1");
    for (const r of [cr, mixed]) {
      expect(r.table!.numRows).toBe(3);
      expect(Array.from(num(r.table!, "time").values)).toEqual(Array.from(num(lf.table!, "time").values));
      expect(Array.from(num(r.table!, "status").values)).toEqual([1, 0, 1]);
    }
  });

  it("row 9: blank lines inside and at the end are dropped and counted, never all-missing patients", async () => {
    const {table, report} = await read("time,status\n5,1\n\n6,0\n,\n\n7,1\n\n");
    expect(table!.numRows).toBe(3);
    expect(report.blankRows).toBe(4);
    expect(report.messages).toContain("4 blank rows dropped (lines 3, 5, 6, 8)");
    expect(num(table!, "time").missingCount).toBe(0);
  });

  it("row 10: a truncated last row is an error naming its row and line", async () => {
    const {table, report} = await read("time,status,age\n5,1,40\n6,0");
    expect(table).toBeNull();
    expect(report.messages).toEqual(["Row 2 (line 3) has 2 fields, header has 3 — the file may be truncated"]);
  });

  it("row 10: a file cut inside a quoted field is an unclosed-quote error with line and column", async () => {
    const {table, report} = await read('id,label\n1,"ok"\n2,"cut in the mid');
    expect(table).toBeNull();
    expect(report.messages).toEqual(["Unclosed quote starting at line 3, column 3"]);
  });
});

describe("readTable: structure (catalogue rows 11–23)", () => {
  it("row 11: a semicolon file with decimal commas is sniffed; `5,5;1` keeps both fields", async () => {
    const {table, report} = await read("time;status\n5,5;1\n6,25;0\n12;1\n");
    expect(report.delimiter).toBe(";");
    expect(table!.names).toEqual(["time", "status"]);
    expect(Array.from(num(table!, "time").values)).toEqual([5.5, 6.25, 12]);
    expect(Array.from(num(table!, "status").values)).toEqual([1, 0, 1]);
    expect(report.messages).toContain("Delimiter: semicolon (sniffed)");
    expect(report.messages).toContain("time: read with decimal commas ('5,5' = 5.5)");
  });

  it("row 11: Excel's sep= line sets the delimiter", async () => {
    const {table, report} = await read("sep=;\na;b\n1;2\n");
    expect(table!.names).toEqual(["a", "b"]);
    expect(report.messages).toContain("Excel 'sep=' line: delimiter is semicolon");
  });

  it("row 12: decimal commas only when the whole column matches; `1.234,5` is ambiguous and not read as a number", async () => {
    const {table, report} = await read("a;b\n1.234,5;1\n2,5;2\n");
    expect(str(table!, "a").type).toBe("string");
    expect(report.messages).toContain("a: ambiguous number '1.234,5' at row 1 (dot thousands separator with a decimal comma?); read as text — declare decimal: ',' to read it as a number");
    const declared = await read("a;b\n1.234,5;1\n2,5;2\n", {decimal: ","});
    expect(Array.from(num(declared.table!, "a").values)).toEqual([1234.5, 2.5]);
  });

  it("row 12: a column mixing 5.5 and 5,5 is not silently converted", async () => {
    const {table, report} = await read("a;b\n5.5;1\n5,5;2\n");
    expect(table!.column("a").type).toBe("string");
    expect(report.messages).toContain("a: mixes decimal points and decimal commas (first comma at row 2: '5,5'); read as text");
  });

  it("row 13: a tab-delimited file named .csv is sniffed", async () => {
    const {table, report} = await read("time\tstatus\tlabel\n5\t1\ta,b\n");
    expect(report.delimiter).toBe("\t");
    expect(report.format).toBe("tsv");
    expect(str(table!, "label").values).toEqual(["a,b"]);
  });

  it('row 14: quoted fields keep delimiters, embedded newlines and "" escapes; line numbers count the newline', async () => {
    const {table} = await read('id,label,x\n1,"a, b",1\n2,"two\nlines",2\n3,"say ""hi""",3\n4,x,4\n');
    expect(str(table!, "label").values).toEqual(["a, b", "two\nlines", 'say "hi"', "x"]);
    expect(Array.from(num(table!, "x").values)).toEqual([1, 2, 3, 4]);
    const ragged = await read('id,label,x\n1,"a, b",1\n2,"two\nlines",2\n4,x\n');
    expect(ragged.table).toBeNull();
    expect(ragged.report.messages).toEqual(["Row 3 (line 5) has 2 fields, header has 3 — the file may be truncated"]);
  });

  it("row 14: CRLF inside quotes is kept", async () => {
    const {table} = await read('id,label\r\n1,"a\r\nb"\r\n');
    expect(str(table!, "label").values).toEqual(["a\r\nb"]);
  });

  it("row 15: an unterminated quote is an error with its line and column, not one giant cell", async () => {
    const {table, report} = await read('time,label\n5,"unterminated\n6,x\n7,y\n');
    expect(table).toBeNull();
    expect(report.messages).toEqual(["Unclosed quote starting at line 2, column 3"]);
  });

  it("row 15: text after a closing quote is an error", async () => {
    const {report} = await read('a,b\n"x"y,1\n');
    expect(report.messages).toEqual(["Unexpected text 'y' after a closing quote at line 2, column 4"]);
  });

  it("row 16: ragged rows are errors 'Row 17 has 10 fields, header has 12', short and long, never padded or dropped", async () => {
    const header = Array.from({length: 12}, (_, j) => `c${j + 1}`).join(",");
    const good = Array.from({length: 12}, (_, j) => String(j)).join(",");
    const lines = [header];
    for (let r = 1; r <= 20; ++r) lines.push(r === 17 ? good.split(",").slice(0, 10).join(",") : r === 19 ? good + ",12" : good);
    const {table, report} = await read(lines.join("\n") + "\n");
    expect(table).toBeNull();
    expect(report.messages).toEqual(["Row 17 (line 18) has 10 fields, header has 12", "Row 19 (line 20) has 13 fields, header has 12"]);
    expect(report.problems[0]).toMatchObject({code: "ragged-row", row: 17, line: 18});
  });

  it("row 16: with ragged: 'pad', short rows load with missing values and are listed; long rows stay errors", async () => {
    const {table, report} = await read("a,b,c\n1,2,3\n4,5\n6,7,8\n", {ragged: "pad"});
    expect(report.messages).toContain("Row 2 (line 3) has 2 fields, header has 3; padded with missing values");
    expect(table!.numRows).toBe(3);
    expect(num(table!, "c").missing[1]).toBe(1);
    const long = await read("a,b\n1,2,3\n", {ragged: "pad"});
    expect(long.table).toBeNull();
    expect(long.report.messages).toEqual(["Row 1 (line 2) has 3 fields, header has 2"]);
  });

  it("row 16: more than 20 ragged rows are summarised with the count", async () => {
    const lines = ["a,b"];
    for (let r = 0; r < 30; ++r) lines.push("1");
    const {report} = await read(lines.join("\n"));
    expect(report.problems.filter((p) => p.code === "ragged-row")).toHaveLength(20);
    expect(report.messages).toContain("30 rows have a number of fields different from the header's 2 (the first 20 are listed)");
  });

  it("row 17: duplicate names are renamed deterministically (time, time_2) with a warning, never collapsed", async () => {
    const {table, report} = await read("id,time,time,time_2\n1,5,7,9\n");
    expect(table!.names).toEqual(["id", "time", "time_3", "time_2"]);
    expect(Array.from(num(table!, "time").values)).toEqual([5]);
    expect(Array.from(num(table!, "time_3").values)).toEqual([7]);
    expect(Array.from(num(table!, "time_2").values)).toEqual([9]);
    expect(report.messages).toContain("Duplicate column name 'time' (columns 2 and 3); column 3 is named time_3");
    const simple = await read("id,time,time\n1,5,7\n");
    expect(simple.table!.names).toEqual(["id", "time", "time_2"]);
    expect(simple.report.messages).toContain("Duplicate column name 'time' (columns 2 and 3); column 3 is named time_2");
  });

  it("row 18: an empty column name becomes column_3 with a warning", async () => {
    const {table, report} = await read("time,status,,age\n5,1,x,40\n");
    expect(table!.names).toEqual(["time", "status", "column_3", "age"]);
    expect(report.messages).toContain("Column 3 has no name; named it column_3");
  });

  it("row 19: Object.prototype names are ordinary columns (Map-backed), shown with their true names", async () => {
    const names = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"];
    const {table} = await read(`${names.join(",")}\n1,2,3,4,5\n6,7,8,9,10\n`);
    expect(table!.names).toEqual(names);
    names.forEach((n, j) => expect(Array.from(num(table!, n).values)).toEqual([j + 1, j + 6]));
    expect(table!.has("__proto__")).toBe(true);
    expect(table!.has("isPrototypeOf")).toBe(false);
    expect(() => table!.column("isPrototypeOf")).toThrow(CohortError);
  });

  it("row 20: HTML/JS in names and labels is kept verbatim as text (nothing here interprets it)", async () => {
    const xss = "<img src=x onerror=alert(1)>";
    const {table} = await read(`"${xss}",label\n1,"""><svg onload=alert(1)>"\n2,javascript:alert(1)\n`);
    expect(table!.names).toEqual([xss, "label"]);
    expect(str(table!, "label").values).toEqual(['"><svg onload=alert(1)>', "javascript:alert(1)"]);
  });

  it("row 21: whitespace in headers is trimmed for matching, kept for display; case variants are warned about", async () => {
    const {table, report} = await read(" time,Time,status \n1,2,0\n");
    expect(table!.names).toEqual(["time", "Time", "status"]);
    expect(table!.column("time").header).toBe(" time");
    expect(report.messages).toContain("Column 1 name ' time' has surrounding spaces; matched as 'time'");
    expect(report.messages).toContain("Columns 'time', 'Time' differ only by case; they are kept apart");
  });

  it("row 21: trimming that creates a collision is reported as a duplicate", async () => {
    const {table, report} = await read("time, time\n1,2\n");
    expect(table!.names).toEqual(["time", "time_2"]);
    expect(report.messages).toContain("Duplicate column name 'time' (columns 1 and 2); column 2 is named time_2");
  });

  it("row 22: a 10 KB name and 10,000 columns load", async () => {
    const long = "x".repeat(10_000);
    const r1 = await read(`${long},b\n1,2\n`);
    expect(r1.table!.names[0]).toBe(long);
    const header = Array.from({length: 10_000}, (_, j) => `v${j}`).join(",");
    const row = Array.from({length: 10_000}, (_, j) => String(j)).join(",");
    const r2 = await read(`${header}\n${row}\n`);
    expect(r2.table!.names).toHaveLength(10_000);
    expect(num(r2.table!, "v9999").values[0]).toBe(9999);
  });

  it("row 23: a first row of numbers is flagged as probably data; header: false gives generic names", async () => {
    const {report} = await read("5,1,63\n6,0,70\n");
    expect(report.messages).toContain("First row looks like data (every name is a number: '5', '1', '63'); read with header: false to use generic names (column_1, …)");
    const {table} = await read("5,1,63\n6,0,70\n", {header: false});
    expect(table!.names).toEqual(["column_1", "column_2", "column_3"]);
    expect(Array.from(num(table!, "column_3").values)).toEqual([63, 70]);
  });
});

describe("readTable: report and entry points", () => {
  it("the report lists columns, rows, the fingerprint (SHA-256 of the bytes) and the source", async () => {
    const {table, report} = await read("abc");
    // SHA-256("abc"), FIPS 180-2 appendix B.1
    expect(report.fingerprint).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(report.ok).toBe(false);
    expect(table).toBeNull();
    const ok = await read("time,status\n5,NA\n");
    expect(ok.report.columns).toEqual([
      {name: "time", header: "time", type: "number", missing: 0, invalid: 0},
      {name: "status", header: "status", type: "number", missing: 1, invalid: 0}
    ]);
    expect(ok.table!.source).toMatchObject({name: "cohort.csv", format: "csv", byteLength: 17});
    expect(ok.table!.source.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("readTableOrThrow throws a CohortError carrying every problem", async () => {
    await expect(readTableOrThrow("", {name: "x.csv"})).rejects.toThrow("x.csv: The file is empty.");
    try {
      await readTableOrThrow("a,b\n1\n");
    } catch (e) {
      expect(e).toBeInstanceOf(CohortError);
      expect((e as CohortError).problems[0].code).toBe("ragged-row");
    }
  });

  it("JSON is detected from the content when the name has no extension", async () => {
    const {table, report} = await readTable('[{"time": 5, "status": 1}]', {name: "upload"});
    expect(report.format).toBe("json");
    expect(table!.names).toEqual(["time", "status"]);
  });

  it("messages list errors first, then warnings, then notes", async () => {
    const {report} = await read("\uFEFFa,a\n1,2,3\n");
    expect(report.problems.map((p) => p.severity)).toContain("info");
    expect(report.messages[0]).toBe("Row 1 (line 2) has 3 fields, header has 2");
  });
});
