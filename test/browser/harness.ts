// Browser-test harness: build the static site, serve it from 127.0.0.1 with node:http, drive
// Debian's Chromium through playwright-core, and record everything a page does (console errors,
// uncaught exceptions, every request, dialogs, Framework cell errors, "NaN" on the page) together
// with a full-page screenshot. Used by pages.test.ts (vitest) and screenshots.ts (npm run screenshots).

import {execFileSync} from "node:child_process";
import {createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync} from "node:fs";
import {createServer, type Server} from "node:http";
import {tmpdir} from "node:os";
import {dirname, extname, join, relative, resolve, sep} from "node:path";
import {fileURLToPath} from "node:url";
import {chromium, type BrowserContext, type Page} from "playwright-core";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SCREENSHOT_DIR = join(ROOT, "test-results", "screenshots");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags that work as root in a container with no network but loopback (framework-offline.md). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--font-render-hinting=none"
];

/**
 * Build the site for the browser tests and return the directory to serve.
 *
 * Runs the same steps as `npm run build` (prime the npm cache, `observable build` with the
 * project's config) but writes to test-results/site: Framework empties its output directory first,
 * and test/build/offline-build.test.ts builds dist/ at the same time under vitest. Set
 * BROWSER_SITE_DIR=dist (or any built directory) to test an existing build without rebuilding.
 */
export function buildSite(): string {
  if (process.env.BROWSER_SITE_DIR) return resolve(ROOT, process.env.BROWSER_SITE_DIR);
  const output = join(ROOT, "test-results", "site");
  const env = {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "1", BROWSER_SITE_OUTPUT: output};
  const bin = join(ROOT, "node_modules", "@observablehq", "framework", "dist", "bin", "observable.js");
  const run = () => {
    execFileSync(process.execPath, [join(ROOT, "scripts", "prime-npm-cache.mjs")], {cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"]});
    execFileSync(process.execPath, ["--import", "tsx/esm", bin, "build", "--config", join("test", "browser", "observablehq.config.ts")], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20
    });
    // The same Content-Security-Policy step as `npm run build`, so the browser tests see the CSP.
    execFileSync(process.execPath, [join(ROOT, "scripts", "csp.mjs"), output], {cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"]});
  };
  try {
    run();
  } catch {
    // On a fresh clone the offline-build test primes the same npm cache at the same moment; a
    // half-written cache file can fail one build. Once primed, a second run is deterministic.
    try {
      run();
    } catch (e) {
      const err = e as {stdout?: Buffer; stderr?: Buffer; message: string};
      throw new Error(`site build failed: ${err.message}\n${err.stdout?.toString().slice(-4000) ?? ""}\n${err.stderr?.toString().slice(-4000) ?? ""}`);
    }
  }
  return output;
}

/** Framework's own asset folders in a built site: not pages. */
const ASSET_DIRS = new Set(["_observablehq", "_npm", "_import", "_file", "_node"]);

/**
 * Routes of every page in a built site, from its *.html files: "index.html" → "/",
 * "a/index.html" → "/a/", "a/b.html" → "/a/b" (Framework's clean URLs). 404.html is skipped.
 */
export function discoverPages(siteDir: string): string[] {
  const routes: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (!ASSET_DIRS.has(name)) walk(path);
      } else if (name.endsWith(".html") && relative(siteDir, path) !== "404.html") {
        const rel = relative(siteDir, path).split(sep).join("/");
        routes.push("/" + (rel === "index.html" ? "" : rel.endsWith("/index.html") ? rel.slice(0, -"index.html".length) : rel.slice(0, -".html".length)));
      }
    }
  };
  walk(siteDir);
  return routes;
}

/** File-system-safe name of a route for screenshots: "/" → "index", "/a/b" → "a/b", "/a/" → "a/index". */
export function routeName(route: string): string {
  const r = route.replace(/^\//, "");
  return r === "" ? "index" : r.endsWith("/") ? `${r}index` : r;
}

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".arrow": "application/vnd.apache.arrow.file",
  ".parquet": "application/octet-stream",
  ".woff2": "font/woff2"
};

/** A static server for a built site on 127.0.0.1 (random port), with Framework's clean URLs. */
export interface StaticServer {
  origin: string;
  /** Requests that got a 404, as paths. */
  notFound: string[];
  close(): Promise<void>;
}

/** Serve `siteDir` read-only: no directory listing, no path outside it, "/x" → x.html, "/a/" → a/index.html. */
export async function serve(siteDir: string): Promise<StaticServer> {
  const base = resolve(siteDir);
  const notFound: string[] = [];
  const server: Server = createServer((req, res) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const candidates = pathname.endsWith("/") ? [join(pathname, "index.html")] : [pathname, `${pathname}.html`];
    for (const c of candidates) {
      const file = resolve(base, "." + c);
      if (file !== base && !file.startsWith(base + sep)) break;
      if (existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, {"content-type": MIME[extname(file)] ?? "application/octet-stream", "cache-control": "no-store"});
        if (req.method === "HEAD") res.end();
        else createReadStream(file).pipe(res);
        return;
      }
    }
    notFound.push(pathname);
    res.writeHead(404, {"content-type": "text/plain"}).end("not found");
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("server has no port");
  return {
    origin: `http://127.0.0.1:${address.port}`,
    notFound,
    close: () => new Promise<void>((ok) => server.close(() => ok()))
  };
}

/** A Chromium with a fresh profile, downloads accepted (the export buttons are tested). */
export interface BrowserSession {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launch Chromium (playwright-core, /usr/bin/chromium) with a new, temporary user-data-dir. */
export async function launch({width = 1280, height = 900} = {}): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  const profile = mkdtempSync(join(tmpdir(), "sv-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: {width, height},
    deviceScaleFactor: 1,
    colorScheme: "light",
    locale: "en-US",
    timezoneId: "UTC"
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, {recursive: true, force: true});
    }
  };
}

/** What a page did while loading and rendering. */
export interface PageReport {
  route: string;
  url: string;
  title: string;
  consoleErrors: string[];
  pageErrors: string[];
  /** Every request URL the page made. */
  requests: string[];
  /** Requests whose origin is not the site's (blob: and data: URLs are local, not network). */
  foreignRequests: string[];
  failedRequests: string[];
  /** Responses with status ≥ 400. */
  badResponses: string[];
  dialogs: string[];
  /** Text of Framework cells that rendered an error. */
  cellErrors: string[];
  /** Visible text that betrays a broken value: NaN, Infinity, [object Object]; "undefined" in values. */
  suspiciousText: string[];
  screenshot: string | null;
  /** The page declares no icon, so Chromium's own /favicon.ico request is not counted as a problem. */
  implicitFavicon: boolean;
}

/** Origin of a request URL for the same-origin check; blob: URLs carry their creator's origin. */
export function requestOrigin(url: string): string | null {
  if (url.startsWith("data:")) return null;
  try {
    const u = new URL(url);
    if (u.protocol === "blob:") return new URL(u.pathname).origin;
    return u.origin;
  } catch {
    return "invalid";
  }
}

// Anywhere on the page: values no reader should see. "undefined" is also an English word, so it is
// only flagged where values are shown (tables, charts, cell outputs, component messages).
const SUSPICIOUS = /\bNaN\b|(?<![\w-])-?Infinity\b|\[object Object\]/g;
const SUSPICIOUS_IN_VALUES = /\bundefined\b/g;
const VALUE_SELECTOR = "table, svg, .observablehq--block, .sv-message, .sv-figure";

/**
 * Open `route`, wait until Framework has rendered every cell and the network is idle, then
 * collect the report and (optionally) save a full-page screenshot to
 * test-results/screenshots/<route>.png. Dialogs are dismissed and recorded. The page stays open
 * for further checks; close it when done.
 */
export async function visit(context: BrowserContext, origin: string, route: string, {screenshot = true, suffix = ""}: {screenshot?: boolean; suffix?: string} = {}): Promise<{page: Page; report: PageReport}> {
  const page = await context.newPage();
  const report: PageReport = {
    route,
    url: origin + route,
    title: "",
    consoleErrors: [],
    pageErrors: [],
    requests: [],
    foreignRequests: [],
    failedRequests: [],
    badResponses: [],
    dialogs: [],
    cellErrors: [],
    suspiciousText: [],
    screenshot: null,
    implicitFavicon: false
  };
  page.on("console", (m) => {
    if (m.type() === "error") report.consoleErrors.push(`${m.text()} @ ${m.location().url}:${m.location().lineNumber}`);
  });
  page.on("pageerror", (e) => report.pageErrors.push(String(e.stack ?? e)));
  page.on("request", (r) => {
    report.requests.push(r.url());
    const o = requestOrigin(r.url());
    if (o !== null && o !== origin) report.foreignRequests.push(r.url());
  });
  page.on("requestfailed", (r) => {
    // An aborted download navigation is not a failure of the page.
    if (!r.url().startsWith("blob:")) report.failedRequests.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) report.badResponses.push(`${r.status()} ${r.url()}`);
  });
  page.on("dialog", async (d) => {
    report.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  await page.goto(report.url, {waitUntil: "load", timeout: 60_000});
  await settle(page);
  report.title = await page.title();
  // Chromium asks for /favicon.ico by itself when a page declares no icon; that request is the
  // browser's, not the page's, so problems() notes it (implicitFavicon) rather than failing the
  // page. A declared icon that fails still fails the page.
  report.implicitFavicon = !(await page.$('link[rel~="icon"]'));
  report.cellErrors = await page.$$eval(".observablehq--error", (els) => els.map((e) => (e.textContent ?? "").trim().slice(0, 500)));
  const {text, values} = await page.evaluate((selector) => {
    const root = document.querySelector("main") ?? document.body;
    const values = Array.from(root.querySelectorAll(selector))
      .filter((e) => !e.parentElement?.closest(selector))
      .map((e) => (e instanceof HTMLElement ? e.innerText : e.textContent ?? ""))
      .join("\n");
    return {text: (root as HTMLElement).innerText, values};
  }, VALUE_SELECTOR);
  const excerpt = (t: string, m: RegExpMatchArray) => t.slice(Math.max(0, m.index! - 40), m.index! + m[0].length + 40).replace(/\s+/g, " ");
  report.suspiciousText = [...[...text.matchAll(SUSPICIOUS)].map((m) => excerpt(text, m)), ...[...values.matchAll(SUSPICIOUS_IN_VALUES)].map((m) => excerpt(values, m))];
  if (screenshot) report.screenshot = await saveScreenshot(page, routeName(route) + suffix);
  return {page, report};
}

/** Wait for the load, for Framework's loading placeholders to go, for the network to idle, for fonts. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle", {timeout: 30_000}).catch(() => {});
  await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0, null, {timeout: 30_000}).catch(() => {});
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
  await page.waitForTimeout(150);
}

/** Full-page screenshot to test-results/screenshots/<name>.png; returns the path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  mkdirSync(dirname(file), {recursive: true});
  await page.screenshot({path: file, fullPage: true});
  return file;
}

/** Problems that fail a page, as readable lines (empty when the page is clean). */
export function problems(report: PageReport, notFound: readonly string[] = []): string[] {
  const favicon = (u: string) => report.implicitFavicon && /\/favicon\.ico\b/.test(u);
  const keep = (list: readonly string[]) => list.filter((u) => !favicon(u));
  return [
    ...keep(report.consoleErrors).map((e) => `console error: ${e}`),
    ...report.pageErrors.map((e) => `page error: ${e}`),
    ...report.foreignRequests.map((u) => `request to another origin: ${u}`),
    ...keep(report.failedRequests).map((u) => `failed request: ${u}`),
    ...keep(report.badResponses).map((u) => `bad response: ${u}`),
    ...keep(notFound).map((p) => `404: ${p}`),
    ...report.dialogs.map((d) => `dialog: ${d}`),
    ...report.cellErrors.map((e) => `cell error: ${e}`),
    ...report.suspiciousText.map((t) => `suspicious text: …${t}…`)
  ];
}

/**
 * Geometry checks of every component figure (.sv-figure) on the page, as readable problems:
 * each number-at-risk count centred under its x-axis tick (±1 px), no SVG text cut off at its
 * SVG's edge, no two legend entries overlapping.
 */
export async function figureProblems(page: Page): Promise<string[]> {
  // Passed as source text: tsx (esbuild keepNames) would wrap named functions in a __name helper
  // that does not exist in the page.
  return page.evaluate(`(() => {${FIGURE_CHECKS}})()`) as Promise<string[]>;
}

const FIGURE_CHECKS = `
    const out = [];
    const center = (e) => {
      const r = e.getBoundingClientRect();
      return r.left + r.width / 2;
    };
    document.querySelectorAll(".sv-figure").forEach((fig, f) => {
      const name = \`figure \${f + 1} (\${fig.className})\`;
      // 1. Risk-table columns under the ticks.
      const curves = fig.querySelector("svg.sv-curves, svg.sv-stacked");
      const table = fig.querySelector("svg.sv-risk-table");
      if (curves && table) {
        const ticks = Array.from(curves.querySelectorAll('g[aria-label="x-axis tick label"] text')).map(center);
        const groups = table.querySelectorAll('g[aria-label="text"]');
        const counts = Array.from(groups[groups.length - 1]?.querySelectorAll("text") ?? []);
        if (!ticks.length) out.push(\`\${name}: no x-axis tick labels\`);
        if (counts.length === 0 || counts.length % ticks.length !== 0) out.push(\`\${name}: \${counts.length} counts for \${ticks.length} ticks\`);
        counts.forEach((c, i) => {
          const want = ticks[i % ticks.length];
          const got = center(c);
          if (!(Math.abs(got - want) <= 1)) out.push(\`\${name}: count "\${c.textContent}" at x=\${got.toFixed(1)}, its tick at x=\${want.toFixed(1)}\`);
        });
      }
      // 2. No text cut at its SVG's edge.
      fig.querySelectorAll("svg").forEach((svg) => {
        if (svg.parentElement?.closest("svg")) return;
        const box = svg.getBoundingClientRect();
        svg.querySelectorAll("text").forEach((t) => {
          if (t.closest('[aria-label="tip"]') || !t.textContent?.trim()) return;
          const r = t.getBoundingClientRect();
          if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
            out.push(\`\${name}: text "\${t.textContent}" [\${r.left.toFixed(0)}, \${r.right.toFixed(0)}] × [\${r.top.toFixed(0)}, \${r.bottom.toFixed(0)}] outside its SVG [\${box.left.toFixed(0)}, \${box.right.toFixed(0)}] × [\${box.top.toFixed(0)}, \${box.bottom.toFixed(0)}]\`);
          }
        });
      });
      // 3. Legend entries do not overlap.
      fig.querySelectorAll("svg.sv-legend").forEach((legend) => {
        const items = Array.from(legend.querySelectorAll("g[role=listitem]")).map((g) => ({label: g.textContent, r: g.getBoundingClientRect()}));
        for (let i = 0; i < items.length; ++i)
          for (let j = i + 1; j < items.length; ++j) {
            const a = items[i].r;
            const b = items[j].r;
            if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) out.push(\`\${name}: legend entries "\${items[i].label}" and "\${items[j].label}" overlap\`);
          }
      });
    });
    return out;
`;
