// Reading a user's file on the Your data page (src/study/upload.ts, src/workers/transfer.ts). The Web Worker itself runs in Chromium in
// test/browser/upload.test.ts; here the same parse runs on the main thread (worker: false) and the worker's
// transfer format is checked through structuredClone, which is what postMessage does.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {assert, describe, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import {rawValue} from "../../src/cohort/table.js";
import {sha256Hex} from "../../src/cohort/fingerprint.js";
import {suggestMapping} from "../../src/study/mapping.js";
import {memoryBackend, saveCohort} from "../../src/study/store.js";
import {parseUpload, previewRows, problemRows, uploadedCohortForPage} from "../../src/study/upload.js";
import {tableFromPayload, tableToPayload} from "../../src/workers/transfer.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const STUDY = readFileSync(join(ROOT, "data/kato2012-synthetic.csv"));
const HOSTILE = readFileSync(join(ROOT, "test/fixtures/hostile/hostile.csv"));

function fileOf(bytes: Uint8Array, name: string, onRead?: () => void) {
  return {
    name,
    size: bytes.byteLength,
    arrayBuffer: async () => {
      onRead?.();
      return bytes.slice().buffer;
    }
  };
}

describe("the worker's transfer format", () => {
  it("a table survives tableToPayload → structuredClone (with transfer) → tableFromPayload: names, headers, types, values, masks, levels", async () => {
    const text = "id,age,when,grp,__proto__\n01,5,2020-01-02,a,x\n02,12 mo,2020-02-30,,y\n03,NA,,b,toString\n";
    const {table} = await readTable(text, {name: "t.csv"});
    const sent = (await readTable(text, {name: "t.csv"})).table!;
    const {payload, transfer} = tableToPayload(sent);
    assert.ok(transfer.length >= 5, "typed arrays are transferred, not copied");
    const back = tableFromPayload(structuredClone(payload, {transfer}));
    assert.strictEqual(sent.column("age").missing.byteLength, 0, "the sender's buffers are detached (moved)");
    assert.deepStrictEqual(back.names, table!.names);
    assert.deepStrictEqual(back.source, table!.source);
    for (const n of table!.names) {
      const a = table!.column(n);
      const b = back.column(n);
      assert.deepStrictEqual([b.type, b.header, b.length, b.missingCount, b.invalidCount], [a.type, a.header, a.length, a.missingCount, a.invalidCount], n);
      assert.deepStrictEqual(Array.from(b.missing), Array.from(a.missing), n);
      assert.deepStrictEqual(Array.from(b.values as ArrayLike<unknown>), Array.from(a.values as ArrayLike<unknown>), n);
      for (let i = 0; i < a.length; ++i) if (!a.missing[i]) assert.strictEqual(rawValue(b, i), rawValue(a, i), `${n} row ${i + 1}`);
    }
    // The invalid cells keep the file's text for messages ("12 mo", "2020-02-30").
    assert.strictEqual(rawValue(back.column("age"), 1), "12 mo");
    assert.strictEqual(rawValue(back.column("when"), 1), "2020-02-30");
  });
});

describe("parseUpload", () => {
  it("refuses a file over the size limit before reading it", async () => {
    let read = false;
    const r = await parseUpload(fileOf(new Uint8Array(10), "big.csv", () => (read = true)), {worker: false, maxBytes: 5});
    assert.strictEqual(read, false, "File.arrayBuffer was not called");
    assert.strictEqual(r.table, null);
    assert.strictEqual(r.via, "not read");
    assert.strictEqual(r.report.problems[0].code, "too-large");
    assert.match(r.report.messages[0], /^big\.csv is 10 bytes; the limit is 5 bytes/);
  });

  it("reads a file's bytes (no fetch) and reports progress; the bytes come back for storing", async () => {
    const stages: string[] = [];
    const r = await parseUpload(fileOf(new Uint8Array(STUDY), "kato.csv"), {worker: false, onProgress: (p) => stages.push(p.stage)});
    assert.strictEqual(r.via, "main thread");
    assert.strictEqual(r.table!.numRows, 171);
    assert.strictEqual(r.report.fingerprint, await sha256Hex(new Uint8Array(STUDY)));
    assert.deepStrictEqual(Array.from(r.bytes!), Array.from(STUDY));
    assert.deepStrictEqual(stages, ["reading the file from your disk", "parsing on the main thread"]);
  });

  it("a bad file gives a report with rows, columns and values and no table", async () => {
    const r = await parseUpload(fileOf(new TextEncoder().encode("time,status\n1,0\n2,1,9\n"), "ragged.csv"), {worker: false});
    assert.strictEqual(r.table, null);
    const rows = problemRows(r.report.problems);
    assert.strictEqual(rows[0].severity, "error");
    assert.match(rows[0].message, /^Row 2 \(line 3\) has 3 fields/);
    assert.strictEqual(rows[0].row, "2");
  });
});

describe("previewRows", () => {
  it("gives the first rows as the file's text in null-prototype records, every hostile name kept", async () => {
    const {table} = await readTable(HOSTILE, {name: "hostile.csv"});
    const p = previewRows(table!, 3);
    assert.strictEqual(p.rows.length, 3);
    assert.deepStrictEqual(p.columns, table!.names);
    assert.strictEqual(Object.getPrototypeOf(p.rows[0]), null);
    assert.strictEqual(p.rows[0]["__proto__"], "__proto__");
    assert.strictEqual(p.rows[1]["__proto__"], "constructor");
    assert.strictEqual(p.rows[0]["toString"], "1");
    assert.strictEqual(p.rows[0]["<img src=x onerror=alert(1)>"], '"><svg onload=alert(1)>');
    assert.strictEqual(p.headers["constructor"], "constructor");
    assert.strictEqual(p.rows[1]["formula"], "-2+3");
  });
});

describe("uploadedCohortForPage", () => {
  it("none when nothing is stored or it is not chosen; ready with the mapped study cohort when chosen", async () => {
    const b = memoryBackend();
    assert.deepStrictEqual(await uploadedCohortForPage(b, {worker: false}), {kind: "none"});
    const {table, report} = await readTable(new Uint8Array(STUDY), {name: "mine.csv"});
    const mapping = suggestMapping(table!);
    await saveCohort(b, {name: "mine.csv", fingerprint: report.fingerprint!, bytes: new Uint8Array(STUDY), mapping, active: false});
    assert.deepStrictEqual(await uploadedCohortForPage(b, {worker: false}), {kind: "none"});
    await saveCohort(b, {name: "mine.csv", fingerprint: report.fingerprint!, bytes: new Uint8Array(STUDY), mapping, active: true, savedAt: "2024-05-06T07:08:09.000Z"});
    const r = await uploadedCohortForPage(b, {worker: false});
    assert.strictEqual(r.kind, "ready");
    if (r.kind !== "ready") return;
    assert.deepStrictEqual(r.info, {name: "mine.csv", fingerprint: report.fingerprint!, byteLength: STUDY.byteLength, savedAt: "2024-05-06T07:08:09.000Z", mapping, rows: 171});
    assert.strictEqual(r.cohort.table.source.fingerprint, report.fingerprint);
    assert.ok(r.cohort.factors.some((f) => f.column === "age_group"));
  });

  it("failed (and the page keeps the published cohort) when the stored bytes no longer match their fingerprint", async () => {
    const b = memoryBackend();
    const {table, report} = await readTable(new Uint8Array(STUDY), {name: "mine.csv"});
    const bytes = new Uint8Array(STUDY);
    bytes[bytes.length - 2] = "9".charCodeAt(0);
    await saveCohort(b, {name: "mine.csv", fingerprint: report.fingerprint!, bytes, mapping: suggestMapping(table!), active: true});
    const r = await uploadedCohortForPage(b, {worker: false});
    assert.strictEqual(r.kind, "failed");
    assert.match((r as {message: string}).message, /fingerprint does not match/);
  });
});

// The build-time loaders (COHORT=path, CSV and Parquet) are tested in test/data/loaders.test.ts.
