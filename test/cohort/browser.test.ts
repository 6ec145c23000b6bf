// The data layer in a real browser: src/cohort bundled for the browser (esbuild, platform "browser") and run
// in headless Chromium on about:blank — an insecure context without crypto.subtle, so the SHA-256 fallback
// is exercised too. Skipped when /usr/bin/chromium is absent (apt-get install -y chromium).
import {existsSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {build} from "esbuild";
import {chromium} from "playwright-core";
import {describe, expect, it} from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const root = fileURLToPath(new URL("../../", import.meta.url));

const entry = `
import {readTable, decodeSpec, encodeSpec, emptySpec, sha256HexSync} from "./src/cohort/index.ts";
import {parquetWriteBuffer} from "hyparquet-writer";
import {columnFromArray, tableFromColumns, tableToIPC} from "@uwdata/flechette";
globalThis.run = async () => {
  const csv = await readTable("\\uFEFFid,time,__proto__\\n0012,5,a\\n0013,NA,b\\n", {name: "x.csv"});
  const pq = await readTable(new Uint8Array(parquetWriteBuffer({columnData: [{name: "id", data: BigInt64Array.from([1n, 2n]), type: "INT64"}]})), {name: "x.parquet"});
  const arrow = await readTable(tableToIPC(tableFromColumns([["t", columnFromArray([1.5, 2.5])]]), {format: "file"}), {name: "x.arrow"});
  return {
    secure: typeof crypto !== "undefined" && !!crypto.subtle,
    csv: {ok: csv.report.ok, names: csv.table.names, id: csv.table.column("id").values, missing: csv.table.column("time").missingCount, fingerprint: csv.report.fingerprint},
    expected: sha256HexSync(new TextEncoder().encode("\\uFEFFid,time,__proto__\\n0012,5,a\\n0013,NA,b\\n")),
    parquet: Array.from(pq.table.column("id").values),
    arrow: Array.from(arrow.table.column("t").values),
    spec: decodeSpec(encodeSpec({...emptySpec(), endpoint: "os", horizon: 730.5}), {columns: []}).spec
  };
};`;

describe.skipIf(!existsSync(CHROMIUM))("src/cohort in headless Chromium", () => {
  it("reads CSV, Parquet and Arrow and round-trips a spec in the browser", async () => {
    const bundle = await build({stdin: {contents: entry, resolveDir: root, loader: "ts"}, bundle: true, format: "iife", platform: "browser", write: false, logLevel: "silent"});
    const code = bundle.outputFiles[0].text;
    expect(code).not.toMatch(/from\s*"node:|require\("node:/);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    });
    try {
      const page = await browser.newPage();
      await page.goto("about:blank");
      await page.addScriptTag({content: code});
      const result = await page.evaluate(() => (globalThis as unknown as {run: () => Promise<Record<string, unknown>>}).run());
      expect(result.secure).toBe(false);
      expect(result.csv).toEqual({ok: true, names: ["id", "time", "__proto__"], id: ["0012", "0013"], missing: 1, fingerprint: result.expected});
      expect(result.parquet).toEqual([1, 2]);
      expect(result.arrow).toEqual([1.5, 2.5]);
      expect(result.spec).toMatchObject({endpoint: "os", horizon: 730.5});
    } finally {
      await browser.close();
    }
  });
});
