// Storage of the user's cohort (src/study/store.ts) through its key-value interface; IndexedDB itself is
// exercised in Chromium by test/browser/upload.test.ts (the record survives a page change and is deleted
// by "forget my data").
import {assert, describe, it} from "vitest";
import {emptyMapping, type CohortMapping} from "../../src/study/mapping.js";
import {
  DEFAULT_SMALL_CELL_THRESHOLD,
  forgetCohort,
  isStoredCohort,
  maskBelowFor,
  memoryBackend,
  readCohort,
  readSmallCells,
  saveCohort,
  setCohortActive,
  writeSmallCells,
  type SettingStorage
} from "../../src/study/store.js";

const mapping: CohortMapping = {...emptyMapping(), os: {time: {kind: "duration", column: "t", unit: "days"}, status: {column: "s", codes: [["0", 0], ["1", 1]]}}};
const fp = "ab".repeat(32);

function fakeStorage(): SettingStorage & {map: Map<string, string>} {
  const map = new Map<string, string>();
  return {map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v)};
}

describe("the stored cohort", () => {
  it("saves, reads back, switches on and off, and forgets", async () => {
    const b = memoryBackend();
    assert.strictEqual(await readCohort(b), null);
    const bytes = new TextEncoder().encode("t,s\n1,0\n");
    const saved = await saveCohort(b, {name: "mine.csv", fingerprint: fp, bytes, mapping, active: true, savedAt: "2024-01-02T03:04:05.000Z"});
    assert.strictEqual(saved.byteLength, bytes.byteLength);
    const back = await readCohort(b);
    assert.deepStrictEqual(back, {v: 1, name: "mine.csv", fingerprint: fp, byteLength: bytes.byteLength, bytes, mapping, savedAt: "2024-01-02T03:04:05.000Z", active: true});
    assert.ok(await setCohortActive(b, false));
    assert.strictEqual((await readCohort(b))!.active, false);
    await forgetCohort(b);
    assert.strictEqual(await readCohort(b), null);
    assert.strictEqual(await setCohortActive(b, true), false);
  });

  it("refuses to store, and ignores when reading, anything that is not a complete record", async () => {
    const b = memoryBackend();
    const bytes = new Uint8Array([1, 2, 3]);
    for (const bad of [{fingerprint: "xyz"}, {mapping: {v: 2}}, {name: 5}])
      await saveCohort(b, {name: "a", fingerprint: fp, bytes, mapping, active: true, ...(bad as object)}).then(
        () => assert.fail(`stored ${JSON.stringify(bad)}`),
        (e) => assert.instanceOf(e, TypeError)
      );
    await b.put("uploaded-cohort", {v: 1, name: "a", fingerprint: fp, byteLength: 99, bytes, mapping, savedAt: "", active: true});
    assert.strictEqual(await readCohort(b), null, "byteLength disagrees with the bytes");
    await b.put("uploaded-cohort", {__proto__: {v: 1}, name: "a"});
    assert.strictEqual(await readCohort(b), null);
    assert.ok(!isStoredCohort(null) && !isStoredCohort("x"));
  });
});

describe("small-cell protection setting", () => {
  it("defaults to on for the user's data and off for the published cohort, threshold 5", () => {
    const s = readSmallCells(fakeStorage());
    assert.deepStrictEqual(s, {enabled: null, threshold: DEFAULT_SMALL_CELL_THRESHOLD});
    assert.strictEqual(maskBelowFor(s, true), 5);
    assert.strictEqual(maskBelowFor(s, false), 0);
    assert.strictEqual(readSmallCells(null).threshold, 5);
  });

  it("keeps an explicit choice and rejects malformed stored values", () => {
    const st = fakeStorage();
    writeSmallCells({enabled: true, threshold: 10}, st);
    assert.deepStrictEqual(readSmallCells(st), {enabled: true, threshold: 10});
    assert.strictEqual(maskBelowFor(readSmallCells(st), false), 10);
    writeSmallCells({enabled: false, threshold: 1e309}, st);
    assert.deepStrictEqual(readSmallCells(st), {enabled: false, threshold: 5});
    assert.strictEqual(maskBelowFor(readSmallCells(st), true), 0);
    for (const text of ["{", "null", '{"enabled":"yes","threshold":1.5}', '{"__proto__":{"enabled":true}}', "x".repeat(200)]) {
      st.map.set("sct2-notebook-small-cells", text);
      assert.deepStrictEqual(readSmallCells(st), {enabled: null, threshold: 5}, text.slice(0, 40));
    }
  });
});
