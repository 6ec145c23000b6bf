// The column handoff from the parse worker to the analysis worker (src/workers/handoff.ts): the Overview's
// columns, posted as soon as the file is read, must give the analysis worker exactly what loading them from
// the page's finished table gives. Expected values: the page-side functions on the page's table —
// overviewOf(prepareStudy(studyColumns(table))) (checked against R in test/study/preparedStudy.test.ts).
// Both ends run here on a real MessageChannel.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import type {CohortTable} from "../../src/cohort/table.js";
import {loadStudyCohort} from "../../src/study/cohort.js";
import {HORIZON_2Y} from "../../src/study/kato2012.js";
import {overviewOf, prepareStudy, studyColumns} from "../../src/study/preparedStudy.js";
import {cohortToCsv, generateKato2012Cohort} from "../../src/synthetic/kato2012.js";
import {analysisHandlers} from "../../src/workers/analysis.js";
import {columnHandoff, handOver} from "../../src/workers/handoff.js";

const OVERVIEW = ["os_days", "os_status", "event_days", "event", "interval_days"];

/** The study cohort as the parse worker prepares it, and the table it had read when it handed the columns over. */
async function load(bytes: Uint8Array, name: string): Promise<{table: CohortTable; asRead: CohortTable}> {
  let asRead: CohortTable | null = null;
  const loaded = await loadStudyCohort(bytes, name, {forTransfer: true, onRead: (t) => (asRead = t)});
  if (!loaded.table || !asRead) throw new Error("not loaded");
  return {table: loaded.table, asRead};
}

function masks(n: number): Uint8Array[] {
  let seed = 7;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return [new Uint8Array(n).fill(1), new Uint8Array(n), ...[0.2, 0.5, 0.9].map((p) => Uint8Array.from({length: n}, () => (rnd() < p ? 1 : 0)))];
}

describe("column handoff", async () => {
  const csv = cohortToCsv(generateKato2012Cohort(6000, 3));
  const {table, asRead} = await load(new TextEncoder().encode(csv), "gen.csv");

  it("the columns as read are the columns of the finished table (the derived variables leave them alone)", () => {
    for (const name of OVERVIEW) {
      const a = asRead.column(name);
      const b = table.column(name);
      expect([a.type, a.missingCount, a.invalidCount], name).toEqual([b.type, b.missingCount, b.invalidCount]);
      expect(Array.from(a.values as ArrayLike<unknown>), name).toEqual(Array.from(b.values as ArrayLike<unknown>));
      expect(Array.from(a.missing), name).toEqual(Array.from(b.missing));
    }
    expect(asRead.source.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(asRead.source.fingerprint).toBe(table.source.fingerprint);
  });

  it("the analysis worker adopts them and answers as if loaded from the page's table", async () => {
    const pair = columnHandoff(OVERVIEW)!;
    const worker = analysisHandlers();
    const adopted = worker.adopt({port: pair.receiver});
    handOver(pair.handoff.port, asRead, pair.handoff.columns);
    expect(await adopted).toEqual({adopted: true, fingerprint: table.source.fingerprint, rows: table.numRows, valid: true});
    const page = prepareStudy(studyColumns(table));
    for (const mask of masks(table.numRows)) expect(worker.overview({mask, horizon: HORIZON_2Y})).toStrictEqual(overviewOf(page, mask, HORIZON_2Y));
  });

  it("nothing to hand over: the adoption ends empty and the worker has no cohort until loaded", async () => {
    const pair = columnHandoff(OVERVIEW)!;
    const worker = analysisHandlers();
    const adopted = worker.adopt({port: pair.receiver});
    handOver(pair.handoff.port, null, pair.handoff.columns);
    expect(await adopted).toEqual({adopted: false});
    expect(() => worker.overview({mask: new Uint8Array(table.numRows), horizon: HORIZON_2Y})).toThrow(/no cohort loaded/);
  });

  it("a file whose endpoint fails validation is adopted as invalid (the page then uses its per-selection path)", async () => {
    const lines = csv.split("\n");
    const header = lines[0].split(",");
    const cells = lines[5].split(",");
    cells[header.indexOf("os_days")] = "-5";
    lines[5] = cells.join(",");
    const bad = await load(new TextEncoder().encode(lines.join("\n")), "bad.csv");
    const pair = columnHandoff(OVERVIEW)!;
    const worker = analysisHandlers();
    const adopted = worker.adopt({port: pair.receiver});
    handOver(pair.handoff.port, bad.asRead, pair.handoff.columns);
    expect(await adopted).toMatchObject({adopted: true, valid: false, rows: bad.table.numRows});
  });
});
