import {execFileSync} from "node:child_process";
import {createHash} from "node:crypto";
import {existsSync, readFileSync, readdirSync, statSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {assert, beforeAll, describe, it} from "vitest";

// Proves the requirement that `npm run build` works with nothing but node_modules: the
// build runs with test/build/no-network.cjs preloaded, which makes fetch, DNS look-ups and TCP
// connections to anything but loopback throw. The client libraries in dist/_npm must be the versions
// locked in package-lock.json, and no page may reference another origin.
const root = fileURLToPath(new URL("../../", import.meta.url));
const dist = join(root, "dist");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe("npm run build", () => {
  beforeAll(() => {
    execFileSync("npm", ["run", "--silent", "build"], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        ...process.env,
        OBSERVABLE_TELEMETRY_DISABLE: "1",
        NODE_OPTIONS: `--require ${join(root, "test/build/no-network.cjs")}`
      }
    });
  });

  it("writes the static site to dist/ with the network blocked", () => {
    assert.ok(existsSync(join(dist, "index.html")), "dist/index.html exists");
  });

  it("self-hosts exactly the client library versions locked in package-lock.json", () => {
    const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
    const hosted = files(join(dist, "_npm")).map((f) => f.slice(join(dist, "_npm").length + 1));
    assert.ok(hosted.length > 0, "dist/_npm has files");
    for (const path of hosted) {
      const m = /^((?:@[^/]+\/)?[^/@]+)@([^/]+)\//.exec(path);
      assert.ok(m, `unexpected path in dist/_npm: ${path}`);
      const [, name, version] = m!;
      const locked = lock.packages[`node_modules/${name}`]?.version;
      assert.strictEqual(version, locked, `${name} in dist is ${version}, package-lock.json has ${locked}`);
    }
    assert.ok(hosted.some((p) => p.startsWith("@observablehq/plot@")), "Plot is self-hosted");
  });

  it("references no other origin from any page, script or stylesheet", () => {
    const offenders: string[] = [];
    for (const f of files(dist)) {
      if (!/\.(html|css|js)$/.test(f)) continue;
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/(?:src|href)\s*=\s*["'](https?:)?\/\/[^"']+/g)) offenders.push(`${f}: ${m[0]}`);
      for (const m of text.matchAll(/@import\s+url\(["']?https?:[^)]+\)/g)) offenders.push(`${f}: ${m[0]}`);
      if (/fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr/.test(text)) offenders.push(`${f}: third-party host`);
    }
    assert.deepStrictEqual(offenders, []);
  });

  it("gives every page a Content-Security-Policy that allows no other origin and no unhashed inline script", () => {
    const pages = files(dist).filter((f) => f.endsWith(".html"));
    assert.ok(pages.length > 0);
    for (const page of pages) {
      const html = readFileSync(page, "utf8");
      const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
      assert.ok(m, `${page} has a CSP meta tag`);
      const directives = new Map(m![1].split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
      assert.deepStrictEqual(directives.get("connect-src"), ["'self'", "blob:"], `${page} connect-src`);
      assert.deepStrictEqual(directives.get("default-src"), ["'self'"]);
      const script = directives.get("script-src")!;
      assert.notInclude(script, "'unsafe-inline'");
      assert.notInclude(script, "'unsafe-eval'");
      assert.ok(script.every((s) => s === "'self'" || s === "'unsafe-hashes'" || /^'sha256-[A-Za-z0-9+/=]+'$/.test(s)), `${page}: ${script.join(" ")}`);
      // every inline script of the page is covered by a hash
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((x) => x[1]);
      for (const code of inline) assert.include(script, `'sha256-${createHash("sha256").update(code, "utf8").digest("base64")}'`);
    }
  });
});
