// The build-time cohort loaders: src/data/cohort.csv.ts, src/data/cohort.parquet.ts and cohort-info.json.ts
// (shared logic in src/data/published-cohort.ts), run as Framework runs them (a child process, cwd = project
// root, the file on stdout). Exactly one of the two cohort loaders publishes the cohort — the CSV one for a CSV
// file, the Parquet one for a Parquet file — validated by the data layer, bytes unchanged, with the loud
// warning for COHORT builds; the other writes an empty file. Expected values are the input files themselves.
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {parquetWriteBuffer} from "hyparquet-writer";
import {assert, describe, it} from "vitest";
import {generateKato2012Cohort} from "../../src/synthetic/kato2012.js";
import {cohortParquetBytes} from "../../scripts/generate-cohort.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const STUDY = readFileSync(join(ROOT, "data/kato2012-synthetic.csv"));
const WARNING = /WARNING: building the site on .* \((\d+) rows\)\. The published site will CONTAIN THIS FILE'S PATIENT-LEVEL DATA\./;

const run = (loader: string, env: Record<string, string>) => {
  const r = spawnSync(process.execPath, ["--import", "tsx/esm", join(ROOT, "src/data", loader)], {cwd: ROOT, env: {...process.env, ...env}, maxBuffer: 64 << 20});
  return {status: r.status, stdout: r.stdout, stderr: r.stderr.toString()};
};

const dir = mkdtempSync(join(tmpdir(), "cohort-loaders-"));
const file = (name: string, bytes: Uint8Array | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

describe("the default build (no COHORT)", () => {
  it("publishes data/kato2012-synthetic.csv unchanged as data/cohort.csv, an empty data/cohort.parquet, and says so in cohort-info.json", () => {
    const csv = run("cohort.csv.ts", {COHORT: ""});
    assert.strictEqual(csv.status, 0, csv.stderr);
    assert.strictEqual(Buffer.compare(csv.stdout, STUDY), 0);
    assert.notMatch(csv.stderr, WARNING);
    const parquet = run("cohort.parquet.ts", {COHORT: ""});
    assert.strictEqual(parquet.status, 0, parquet.stderr);
    assert.strictEqual(parquet.stdout.length, 0);
    assert.strictEqual(parquet.stderr, "");
    const info = run("cohort-info.json.ts", {COHORT: ""});
    assert.deepStrictEqual(JSON.parse(info.stdout.toString()), {name: "kato2012-synthetic.csv", synthetic: true, format: "csv"});
  });
});

describe("COHORT=file.csv", () => {
  it("publishes the given file's bytes unchanged, warns that the site then holds patient-level data, and labels it not synthetic", () => {
    const path = file("mine.csv", STUDY.subarray(0, STUDY.indexOf("\nK021,")).toString() + "\n");
    const out = run("cohort.csv.ts", {COHORT: path});
    assert.strictEqual(out.status, 0, out.stderr);
    assert.strictEqual(Buffer.compare(out.stdout, readFileSync(path)), 0);
    assert.strictEqual(WARNING.exec(out.stderr)?.[1], "20");
    const parquet = run("cohort.parquet.ts", {COHORT: path});
    assert.deepStrictEqual([parquet.status, parquet.stdout.length, parquet.stderr], [0, 0, ""]);
    const info = run("cohort-info.json.ts", {COHORT: path});
    assert.deepStrictEqual(JSON.parse(info.stdout.toString()), {name: "mine.csv", synthetic: false, format: "csv"});
  });

  it("fails the build, with the data layer's message, on an unusable file or a file that is neither CSV nor Parquet", () => {
    const bad = run("cohort.csv.ts", {COHORT: file("bad.csv", "time,status\n1,0\n2,1,9\n")});
    assert.strictEqual(bad.status, 1);
    assert.match(bad.stderr, /bad\.csv is not a usable cohort file:\n {2}Row 2 \(line 3\) has 3 fields/);
    assert.strictEqual(bad.stdout.length, 0);
    const json = run("cohort.csv.ts", {COHORT: file("c.json", '[{"time":1,"status":0}]')});
    assert.strictEqual(json.status, 1);
    assert.match(json.stderr, /^cohort\.csv: .*c\.json is json; the build-time cohort must be a CSV or Parquet file\.\n$/);
  });
});

describe("COHORT=file.parquet", () => {
  const bytes = cohortParquetBytes(generateKato2012Cohort(300, 7));

  it("publishes the Parquet file's bytes unchanged as data/cohort.parquet (validated, with the warning), an empty data/cohort.csv, format parquet", () => {
    const path = file("registry.parquet", bytes);
    const out = run("cohort.parquet.ts", {COHORT: path});
    assert.strictEqual(out.status, 0, out.stderr);
    assert.strictEqual(Buffer.compare(out.stdout, Buffer.from(bytes)), 0);
    assert.strictEqual(WARNING.exec(out.stderr)?.[1], "300");
    const csv = run("cohort.csv.ts", {COHORT: path});
    assert.deepStrictEqual([csv.status, csv.stdout.length, csv.stderr], [0, 0, ""]);
    const info = run("cohort-info.json.ts", {COHORT: path});
    assert.deepStrictEqual(JSON.parse(info.stdout.toString()), {name: "registry.parquet", synthetic: false, format: "parquet"});
  });

  it("recognises Parquet by its signature whatever the name (a Parquet file named .csv is published as Parquet)", () => {
    const path = file("export.csv", bytes);
    assert.strictEqual(Buffer.compare(run("cohort.parquet.ts", {COHORT: path}).stdout, Buffer.from(bytes)), 0);
    assert.strictEqual(run("cohort.csv.ts", {COHORT: path}).stdout.length, 0);
    assert.strictEqual(JSON.parse(run("cohort-info.json.ts", {COHORT: path}).stdout.toString()).format, "parquet");
  });

  it("fails the build with one line from the data layer (no stack trace) on a damaged file, a text file named .parquet, or a nested column", () => {
    const cases: [string, Uint8Array | string, RegExp][] = [
      // The signature at both ends, the footer length pointing past the start: hyparquet cannot read the metadata.
      ["truncated.parquet", Buffer.concat([bytes.subarray(0, 64), bytes.subarray(bytes.length - 8)]), /^ {2}Not a readable Parquet file: .+$/],
      ["text.parquet", "time,status\n1,0\n", /^ {2}Expected a Parquet file, but text\.parquet does not start with its signature \(it looks like text\)\.$/],
      [
        "nested.parquet",
        new Uint8Array(
          parquetWriteBuffer({
            columnData: [{name: "time", data: Float64Array.from([1, 2])}, {name: "visits", data: [[1, 2], [3]]}],
            schema: [
              {name: "root", num_children: 2},
              {name: "time", type: "DOUBLE", repetition_type: "REQUIRED"},
              {name: "visits", repetition_type: "OPTIONAL", num_children: 1, converted_type: "LIST"},
              {name: "list", repetition_type: "REPEATED", num_children: 1},
              {name: "element", type: "INT32", repetition_type: "OPTIONAL"}
            ]
          })
        ),
        /^ {2}Parquet column 'visits' is a list column \(flatten it to one value per row\); to load the other columns, read with unsupported: 'skip'$/
      ]
    ];
    for (const [name, content, message] of cases) {
      const path = file(name, content);
      const out = run("cohort.parquet.ts", {COHORT: path});
      assert.strictEqual(out.status, 1, name);
      assert.strictEqual(out.stdout.length, 0, name);
      const lines = out.stderr.trimEnd().split("\n");
      assert.strictEqual(lines[0], `cohort.parquet: ${path} is not a usable cohort file:`, name);
      assert.strictEqual(lines.length, 2, `${name}: ${out.stderr}`);
      assert.match(lines[1], message, name);
      // The CSV loader leaves it to the Parquet loader.
      assert.strictEqual(run("cohort.csv.ts", {COHORT: path}).status, 0, name);
    }
  });
});
