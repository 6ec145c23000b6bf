// Framework resolves every `npm:` import (explicit, and the implicit ones behind Plot, Inputs,
// aq, html, FileAttachment.csv …) by downloading it from a CDN at build time. This machine and
// CI reach only the npm registry, so we fill Framework's cache ourselves from the packages that
// package-lock.json installed: the built site then self-hosts exactly the locked versions.
//
// For each package below we bundle node_modules/<name> with esbuild into
//   src/.observablehq/cache/_npm/<name>@<installed version>/_esm.js
// and remove any other cached version of that name (a stale or empty folder would win).
import {build} from "esbuild";
import {existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cache = join(root, "src", ".observablehq", "cache", "_npm");

// Every client library a page may reach, directly or through Framework's implicit imports.
export const PACKAGES = ["@observablehq/plot", "@observablehq/inputs", "htl", "isoformat", "arquero", "d3-dsv", "d3-array"];

function installedVersion(name) {
  return JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;
}

async function prime(name) {
  const version = installedVersion(name);
  const dir = join(cache, `${name}@${version}`);
  const file = join(dir, "_esm.js");
  const parent = dirname(join(cache, name));
  const base = name.split("/").pop();
  if (existsSync(parent)) {
    for (const entry of readdirSync(parent)) {
      if (entry.startsWith(`${base}@`) && entry !== `${base}@${version}`) rmSync(join(parent, entry), {recursive: true});
    }
  }
  if (existsSync(file)) return `${name}@${version} (cached)`;
  mkdirSync(dir, {recursive: true});
  const result = await build({
    stdin: {contents: `export * from ${JSON.stringify(name)};`, resolveDir: root, loader: "js"},
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "silent",
    legalComments: "inline"
  });
  writeFileSync(file, result.outputFiles[0].text);
  return `${name}@${version}`;
}

// Framework's client bundle also names libraries that no page here loads (react-dom for JSX cells,
// the recommended libraries d3, lodash, echarts …, sample datasets). The build needs only a version
// number to write each of those imports and would otherwise ask the registry for the latest one; a
// cache folder at a pinned version answers offline and deterministically. Where the package is
// installed (apache-arrow, parquet-wasm for the data layer), it is bundled for real instead.
export const REFERENCED_ONLY = {
  react: "19.3.1",
  "react-dom": "19.3.1",
  "@observablehq/sample-datasets": "1.0.1",
  d3: "7.9.2",
  lodash: "4.18.1",
  echarts: "6.1.0",
  leaflet: "1.9.4",
  "mapbox-gl": "3.32.0",
  "topojson-client": "3.1.0",
  "apache-arrow": "21.2.0",
  "parquet-wasm": "0.8.0",
  "@duckdb/duckdb-wasm": "1.32.0",
  "@observablehq/duckdb": "1.0.0"
};

const primed = [];
for (const name of PACKAGES) primed.push(await prime(name));
for (const [name, version] of Object.entries(REFERENCED_ONLY)) {
  if (existsSync(join(root, "node_modules", name, "package.json"))) primed.push(await prime(name));
  else mkdirSync(join(cache, `${name}@${version}`), {recursive: true});
}
console.log(`primed Framework's npm cache: ${primed.join(", ")}`);
