// The worker ↔ page transfer format (src/workers/transfer.ts) for the published cohort: text as a dictionary
// or, for mostly distinct values, one joined string; text rebuilt on first use; codes built by the study's
// derived factors sent as they are. Expected values: the table before the transfer.
import {assert, describe, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import {deriveStudyVariables, levelsOf, studyFactors} from "../../src/study/cohort.js";
import {generateKato2012Cohort, cohortToCsv} from "../../src/synthetic/kato2012.js";
import {tableFromPayload, tableToPayload, type DictText, type JoinedText} from "../../src/workers/transfer.js";

const CSV = cohortToCsv(generateKato2012Cohort(5000, 5));

describe("tableToPayload / tableFromPayload", () => {
  it("sends an id column as one string with end offsets, a label column as a dictionary; both come back exactly, nulls included", async () => {
    const text = "id,grp\n" + Array.from({length: 3000}, (_, i) => `${i % 500 === 7 ? "" : `P${i}é`},${i % 3 === 0 ? "" : "ab"[i % 2]}`).join("\n") + "\n";
    const sent = (await readTable(text, {name: "t.csv"})).table!;
    const want = (await readTable(text, {name: "t.csv"})).table!;
    const {payload, transfer} = tableToPayload(sent);
    const ids = payload.columns[0].values as JoinedText;
    const grp = payload.columns[1].values as DictText;
    assert.ok("text" in ids && ids.ends.length === sent.numRows, "ids joined");
    assert.deepStrictEqual(grp.dict.slice().sort(), ["a", "b"]);
    const back = tableFromPayload(structuredClone(payload, {transfer}));
    for (const n of ["id", "grp"]) {
      assert.deepStrictEqual(Array.from(back.column(n).values as ArrayLike<unknown>), Array.from(want.column(n).values as ArrayLike<unknown>), n);
      assert.deepStrictEqual(Array.from(back.column(n).missing), Array.from(want.column(n).missing), n);
    }
    assert.strictEqual(back.column("id").values, back.column("id").values, "rebuilt once, then the same array");
  });

  it("derived factors built forTransfer send the codes they were built with, and give the same table and levels", async () => {
    // Two reads: the derived tables share the file's columns with the table they come from, and the transfer moves them.
    const plain = deriveStudyVariables((await readTable(CSV, {name: "c.csv"})).table!).table;
    const coded = deriveStudyVariables((await readTable(CSV, {name: "c.csv"})).table!, {forTransfer: true}).table;
    assert.deepStrictEqual(coded.names, plain.names);
    for (const n of plain.names) assert.deepStrictEqual(Array.from(coded.column(n).values as ArrayLike<unknown>), Array.from(plain.column(n).values as ArrayLike<unknown>), n);
    // Levels from the transfer encoding (forTransfer) = levels from the cells.
    assert.deepStrictEqual(studyFactors(coded, {forTransfer: true}), studyFactors(plain));
    for (const n of ["sex", "immunophenotype", "era", "age_group"]) assert.deepStrictEqual(levelsOf(coded, n, {forTransfer: true}), levelsOf(plain, n), n);
    const {payload, transfer} = tableToPayload(coded);
    const ageGroup = payload.columns.find((c) => c.name === "age_group")!.values as DictText;
    assert.deepStrictEqual(ageGroup.dict.slice().sort(), ["> 9 years", "≤ 9 years"]);
    const back = tableFromPayload(structuredClone(payload, {transfer}));
    for (const n of plain.names) assert.deepStrictEqual(Array.from(back.column(n).values as ArrayLike<unknown>), Array.from(plain.column(n).values as ArrayLike<unknown>), n);
    // A second payload of the same table (the codes went with the first) encodes again.
    const again = tableFromPayload(structuredClone(tableToPayload(back).payload));
    assert.deepStrictEqual(Array.from(again.column("age_group").values as ArrayLike<unknown>), Array.from(plain.column("age_group").values as ArrayLike<unknown>));
  });
});
