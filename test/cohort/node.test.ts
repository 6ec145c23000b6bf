// readTableFile (Node): format by magic bytes then extension, size checked before reading, on the small
// committed fixtures in test/cohort/fixtures (bytes described in each test) and on temporary files.
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parquetWriteBuffer} from "hyparquet-writer";
import {describe, expect, it} from "vitest";
import {formatOf, readTableFile, readTableFileOrThrow} from "../../src/cohort/node.js";
import type {NumberColumn, StringColumn} from "../../src/cohort/table.js";

const fixture = (name: string) => join("test/cohort/fixtures", name);

describe("readTableFile", () => {
  it("bom-crlf.csv: UTF-8 BOM + CRLF", async () => {
    const {table, report} = await readTableFile(fixture("bom-crlf.csv"));
    expect(table!.names).toEqual(["time", "status", "age"]);
    expect(report.name).toBe("bom-crlf.csv");
    expect(report.messages).toEqual(["BOM removed (UTF-8 byte-order mark at the start of the file)"]);
  });

  it("semicolon-decimal-comma.csv: European Excel export", async () => {
    const {table} = await readTableFile(fixture("semicolon-decimal-comma.csv"));
    expect(Array.from((table!.column("time") as NumberColumn).values)).toEqual([5.5, 6.25, 12]);
    expect(Array.from((table!.column("weight") as NumberColumn).values)).toEqual([70.2, 81, 66.5]);
  });

  it("windows-1252.csv: warned, and readable with encoding: 'windows-1252'", async () => {
    const warned = await readTableFile(fixture("windows-1252.csv"));
    expect(warned.report.problems.map((p) => p.code)).toEqual(["encoding"]);
    const {table} = await readTableFile(fixture("windows-1252.csv"), {encoding: "windows-1252"});
    expect((table!.column("grade") as StringColumn).values).toEqual(["Sévère", "mild"]);
  });

  it("utf16le.txt: Excel 'Unicode Text' (UTF-16 LE, tab-delimited)", async () => {
    const {table, report} = await readTableFile(fixture("utf16le.txt"));
    expect(report.format).toBe("tsv");
    expect(Array.from((table!.column("time") as NumberColumn).values)).toEqual([5, 6]);
  });

  it("ragged.csv and unclosed-quote.csv: errors with their lines; readTableFileOrThrow fails with the messages", async () => {
    expect((await readTableFile(fixture("ragged.csv"))).report.messages).toEqual(["Row 2 (line 3) has 2 fields, header has 3"]);
    await expect(readTableFileOrThrow(fixture("unclosed-quote.csv"))).rejects.toThrow("unclosed-quote.csv: Unclosed quote starting at line 2, column 3");
  });

  it("records.json: by extension", async () => {
    const {table, report} = await readTableFile(fixture("records.json"));
    expect(report.format).toBe("json");
    expect((table!.column("id") as StringColumn).values).toEqual(["0012", "0013"]);
  });

  it("a Parquet file saved as .csv is read as Parquet (magic bytes before the extension); the size limit applies before reading", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cohort-"));
    const path = join(dir, "export.csv");
    writeFileSync(path, new Uint8Array(parquetWriteBuffer({columnData: [{name: "time", data: Float64Array.from([1, 2]), type: "DOUBLE"}]})));
    const {table, report} = await readTableFile(path);
    expect(report.format).toBe("parquet");
    expect(Array.from((table!.column("time") as NumberColumn).values)).toEqual([1, 2]);
    const big = await readTableFile(path, {maxBytes: 100});
    expect(big.table).toBeNull();
    expect(big.report.messages[0]).toMatch(/^export\.csv is \d+ bytes; the limit is 100 bytes\. Use Parquet or Arrow, or export fewer columns or rows\.$/);
    expect(formatOf(new TextEncoder().encode("a\tb"), "x.tsv")).toBe("tsv");
  });
});
