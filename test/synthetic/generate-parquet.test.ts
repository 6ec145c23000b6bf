// scripts/generate-cohort.ts --format parquet: the same cohort as the CSV writer, as Parquet (hyparquet-writer).
// Expected values: the CSV of the same n and seed (cohortToCsv), read by the same data layer.
import {execFileSync, spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {assert, describe, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import {rawValue} from "../../src/cohort/table.js";
import {cohortToCsv, generateKato2012Cohort, KATO2012_COLUMNS} from "../../src/synthetic/kato2012.js";
import {cohortParquetBytes} from "../../scripts/generate-cohort.js";

async function assertSameTable(parquet: Uint8Array, csv: string): Promise<void> {
  const p = await readTable(parquet, {name: "c.parquet"});
  const c = await readTable(csv, {name: "c.csv"});
  assert.deepStrictEqual(p.report.messages, []);
  assert.deepStrictEqual(c.report.messages, []);
  assert.strictEqual(p.report.format, "parquet");
  assert.deepStrictEqual(p.table!.names, KATO2012_COLUMNS.map((x) => x.name));
  assert.deepStrictEqual(p.table!.names, c.table!.names);
  for (const name of c.table!.names) {
    const a = p.table!.column(name);
    const b = c.table!.column(name);
    assert.deepStrictEqual([a.type, a.length, a.missingCount, a.invalidCount], [b.type, b.length, b.missingCount, b.invalidCount], name);
    assert.deepStrictEqual(Array.from(a.missing), Array.from(b.missing), name);
    assert.deepStrictEqual(Array.from(a.values as ArrayLike<unknown>), Array.from(b.values as ArrayLike<unknown>), name);
    for (let i = 0; i < a.length; i += 97) if (!a.missing[i]) assert.strictEqual(rawValue(a, i), rawValue(b, i), `${name} row ${i + 1}`);
  }
}

describe("cohortParquetBytes (scripts/generate-cohort.ts)", () => {
  it("holds the same columns and values as the CSV of the same cohort: the data layer reads both to the same table", async () => {
    const cohort = generateKato2012Cohort(2000, 7);
    await assertSameTable(cohortParquetBytes(cohort), cohortToCsv(cohort));
  });
});

describe("npm run generate -- --format parquet", () => {
  it("writes the Parquet file (also chosen by a .parquet name); a bad --format exits 2 with a message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "generate-parquet-"));
    const out = join(dir, "c.bin");
    execFileSync(process.execPath, ["--import", "tsx", "scripts/generate-cohort.ts", "--n", "500", "--seed", "3", "--format", "parquet", "--out", out], {stdio: "pipe"});
    const bytes = new Uint8Array(readFileSync(out));
    assert.strictEqual(Buffer.from(bytes.subarray(0, 4)).toString(), "PAR1");
    await assertSameTable(bytes, cohortToCsv(generateKato2012Cohort(500, 3)));
    const byName = join(dir, "c.parquet");
    execFileSync(process.execPath, ["--import", "tsx", "scripts/generate-cohort.ts", "--n", "500", "--seed", "3", "--out", byName], {stdio: "pipe"});
    assert.strictEqual(Buffer.compare(readFileSync(byName), Buffer.from(bytes)), 0);
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/generate-cohort.ts", "--format", "xlsx", "--out", join(dir, "x")], {encoding: "utf8"});
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /^generate-cohort: --format must be csv or parquet, got "xlsx"/);
  });
});
