// `npm run bench:browser` (npx tsx bench/browser.ts): how long a filter change takes in the browser.
//
// For each cohort size it generates a synthetic cohort (scripts/generate-cohort.ts, cached under
// test-results/bench-browser/cohorts/), builds the site on it (COHORT=… through src/data/cohort.csv.ts,
// from a copy of src/ into test-results/bench-browser/<n>/site, see bench/observablehq.config.ts), serves
// it and opens the Overview page in Debian's Chromium (the browser-test harness), then ticks/unticks a
// level of a factor in the shared filter panel `--changes` times. Each change is timed in the page from
// just before the input event to the last DOM change it caused, once Framework's runtime has no variable
// pending and two animation frames have passed with no further change.
//
//   npx tsx bench/browser.ts                                171 / 10,000 / 100,000 / 1,000,000 patients
//   npx tsx bench/browser.ts --sizes 171,10000              only these sizes ("none": only the Parquet sizes)
//   npx tsx bench/browser.ts --changes 20                   filter changes per size (default 20)
//   npx tsx bench/browser.ts --pages /,/outcomes            pages to measure (default: the Overview, /)
//   npx tsx bench/browser.ts --json                         prints only {"171":{"p50":ms,"p95":ms,"longestTask":ms},…,
//                                                           "parquetFirstRender1000000":ms}
//   npx tsx bench/browser.ts --parquet-sizes 1000000        first render of the site built on a Parquet cohort of
//                                                           these sizes (default: 1000000 when --sizes has it; "none")
//   npx tsx bench/browser.ts --first-renders 3              page loads per Parquet size (the median is reported)
//   npx tsx bench/browser.ts --reuse                        reuse a site already built for a size
//   npx tsx bench/browser.ts --profile 100000               CPU profile of one change at this size (0 = off;
//                                                           default 100000 when that size is measured)
//   npx tsx bench/browser.ts --out DIR                      cohorts, builds and results.json in DIR, inside
//                                                           the project (default test-results/bench-browser)
//   npx tsx bench/browser.ts --build-timeout 900 --load-timeout 300 --change-timeout 120   caps, in seconds
//
// A Parquet size (issue 7: "first render of a 1,000,000-row Parquet cohort ≤ 3 s") is generated with
// `--format parquet`, the site built on it (COHORT=….parquet, published through src/data/cohort.parquet.ts),
// and the Overview page loaded `--first-renders` times (the server sends no-store: every load fetches the file);
// no filter changes are timed there. Every first render also records the page's own measures of the cohort's
// loading (performance.measure sv:cohort:fetch/parse/transfer/decode/load, src/study/publishedCohort.ts).
//
// Progress goes to stderr; the table (or the JSON) to stdout. Full details of every size (first render,
// every change, the CDP time breakdown, the profile summary) are written to
// test-results/bench-browser/results.json. Timings are reported, never asserted. A size that fails or
// exceeds a cap gets null figures and a reason; the run goes on to the next size.
import {spawn} from "node:child_process";
import {cpSync, existsSync, mkdirSync, rmSync, writeFileSync} from "node:fs";
import {cpus, freemem, loadavg, totalmem} from "node:os";
import {join, relative, resolve, sep} from "node:path";
import type {CDPSession, Page} from "playwright-core";
import {CHROMIUM, ROOT, launch, routeName, serve, type BrowserSession} from "../test/browser/harness.js";

/** Where cohorts, builds, profiles and results.json go (--out). */
let OUT = join(ROOT, "test-results", "bench-browser");
const DEFAULT_SIZES = [171, 10_000, 100_000, 1_000_000];

interface Options {
  sizes: number[];
  changes: number;
  pages: string[];
  json: boolean;
  reuse: boolean;
  parquetSizes: number[];
  firstRenders: number;
  profile: number;
  buildTimeout: number;
  loadTimeout: number;
  changeTimeout: number;
  out: string;
}

function usage(message: string): never {
  process.stderr.write(`bench:browser: ${message}\n(see the comment at the top of bench/browser.ts for the options)\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = {sizes: DEFAULT_SIZES, changes: 20, pages: ["/"], json: false, reuse: false, parquetSizes: [-1], firstRenders: 3, profile: -1, buildTimeout: 900, loadTimeout: 300, changeTimeout: 120, out: OUT};
  for (let i = 0; i < argv.length; ++i) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v;
    };
    const positive = (v: string) => {
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1) usage(`${flag} must be a positive integer, got ${JSON.stringify(v)}`);
      return n;
    };
    if (flag === "--sizes") {
      const v = value().trim();
      o.sizes = v === "none" ? [] : v.split(",").map((s) => positive(s.trim().replace(/_/g, "")));
    }
    else if (flag === "--changes") o.changes = positive(value());
    else if (flag === "--pages") o.pages = value().split(",").map((s) => s.trim());
    else if (flag === "--json") o.json = true;
    else if (flag === "--parquet-sizes") {
      const v = value().trim();
      o.parquetSizes = v === "" || v === "none" ? [] : v.split(",").map((x) => positive(x.trim().replace(/_/g, "")));
    } else if (flag === "--first-renders") o.firstRenders = positive(value());
    else if (flag === "--reuse") o.reuse = true;
    else if (flag === "--profile") o.profile = Number(value());
    else if (flag === "--build-timeout") o.buildTimeout = positive(value());
    else if (flag === "--load-timeout") o.loadTimeout = positive(value());
    else if (flag === "--change-timeout") o.changeTimeout = positive(value());
    else if (flag === "--out") {
      o.out = resolve(ROOT, value());
      // The copy of src/ is built there, and its loaders and modules resolve node_modules from it.
      if (!o.out.startsWith(ROOT)) usage(`--out must be inside the project (${ROOT}), got ${o.out}`);
    }
    else usage(`unknown option ${flag}`);
  }
  if (o.profile < 0) o.profile = o.sizes.includes(100_000) ? 100_000 : 0;
  // By default the Parquet first render is measured when the 1,000,000-row size is.
  if (o.parquetSizes[0] === -1) o.parquetSizes = o.sizes.includes(1_000_000) ? [1_000_000] : [];
  return o;
}

const log = (line: string) => process.stderr.write(line + "\n");

// ---------------------------------------------------------------------------------------------------
// Child processes with a cap: a timed-out build is killed with its whole process group (Framework runs
// the data loaders as children).

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutS: number): Promise<{ok: boolean; reason: string | null; seconds: number}> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(cmd, args, {cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"]});
    let tail = "";
    const keep = (b: Buffer) => {
      tail = (tail + b.toString()).slice(-3000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutS * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1000;
      if (timedOut) resolve({ok: false, reason: `${relative(ROOT, args[args.length - 1] ?? cmd)}: killed after the ${timeoutS} s cap`, seconds});
      else if (code !== 0) resolve({ok: false, reason: `exit ${code ?? signal}: ${tail.replace(/\x1b\[[0-9;]*m/g, "").trim().split("\n").slice(-6).join(" | ")}`, seconds});
      else resolve({ok: true, reason: null, seconds});
    });
  });
}

const tsxEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  OBSERVABLE_TELEMETRY_DISABLE: "1",
  PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
  ...extra
});

type Format = "csv" | "parquet";

/** The cohort file of `n` patients from the Kato 2012 model (seed 44, the accepted seed), generated once. */
async function cohortFile(n: number, format: Format, timeoutS: number): Promise<{path: string | null; reason: string | null}> {
  const path = join(OUT, "cohorts", `n${n}.${format}`);
  if (existsSync(path)) return {path, reason: null};
  mkdirSync(join(OUT, "cohorts"), {recursive: true});
  const tmp = `${path}.tmp`;
  const r = await run(process.execPath, ["--import", "tsx/esm", join(ROOT, "scripts", "generate-cohort.ts"), "--n", String(n), "--format", format, "--out", tmp], tsxEnv({}), timeoutS);
  if (!r.ok) return {path: null, reason: `generating the cohort failed: ${r.reason}`};
  cpSync(tmp, path);
  rmSync(tmp);
  return {path, reason: null};
}

/**
 * Build the site on `cohort` into test-results/bench-browser/<n>/site: the same steps as the harness's
 * buildSite (prime the npm cache, `observable build`, the CSP step) but from a copy of src/ whose loader
 * cache starts empty, so that COHORT= takes effect and the shared cache in src/ is left alone.
 */
async function buildFor(n: number, format: Format, cohort: string, o: Options): Promise<{site: string | null; seconds: number | null; reason: string | null}> {
  const dir = join(OUT, format === "csv" ? String(n) : `${n}-${format}`);
  const site = join(dir, "site");
  if (o.reuse && existsSync(join(site, "index.html"))) return {site, seconds: null, reason: null};
  const root = join(dir, "src");
  rmSync(dir, {recursive: true, force: true});
  const prime = await run(process.execPath, [join(ROOT, "scripts", "prime-npm-cache.mjs")], tsxEnv({}), o.buildTimeout);
  if (!prime.ok) return {site: null, seconds: null, reason: `priming the npm cache failed: ${prime.reason}`};
  const cacheData = join(ROOT, "src", ".observablehq", "cache", "data") + sep;
  cpSync(join(ROOT, "src"), root, {recursive: true, filter: (p) => !(p + sep).startsWith(cacheData)});
  const bin = join(ROOT, "node_modules", "@observablehq", "framework", "dist", "bin", "observable.js");
  const env = tsxEnv({COHORT: cohort, BENCH_SITE_ROOT: relative(ROOT, root), BROWSER_SITE_OUTPUT: relative(ROOT, site)});
  const build = () => run(process.execPath, ["--import", "tsx/esm", bin, "build", "--config", join("bench", "observablehq.config.ts")], env, o.buildTimeout);
  // As the harness does: a build that fails (not one that hits the cap) is tried once more, since a
  // build elsewhere in the working tree priming the same npm cache at that moment can fail one build.
  let built = await build();
  if (!built.ok && !/cap$/.test(built.reason ?? "")) {
    log(`  build failed (${built.reason}); trying once more`);
    built = await build();
  }
  if (!built.ok) return {site: null, seconds: built.seconds, reason: `site build failed: ${built.reason}`};
  const csp = await run(process.execPath, [join(ROOT, "scripts", "csp.mjs"), site], env, o.buildTimeout);
  if (!csp.ok) return {site: null, seconds: built.seconds, reason: `CSP step failed: ${csp.reason}`};
  return {site, seconds: built.seconds, reason: null};
}

// ---------------------------------------------------------------------------------------------------
// In the page. Passed as source text: tsx (esbuild keepNames) would wrap named functions in a __name
// helper that does not exist in the page.
//
// Framework marks no pending cell with a class (its client has no "running" indicator after the first
// render), so the bench reaches its runtime: it imports the page's own runtime module (same URL, same
// module instance) and wraps Runtime.prototype._computeNow. At the next computation that wrapper sees the
// page's runtime and wraps Variable.prototype._pending/_fulfilled/_rejected, so that the bench knows at
// every moment which variables are computing. A MutationObserver on <main> records the last DOM change;
// a PerformanceObserver records long tasks (the Long Tasks API reports tasks of 50 ms or more only).

const INSTALL = `(async () => {
  if (window.__svBench) return window.__svBench.ready;
  const s = {pending: new Set(), runtime: null, lastMutation: 0, mutations: 0, longTasks: [], errors: [], observer: null, computes: [], lastSettled: 0};
  window.__svBench = s;
  s.ready = (async () => {
    const href = Array.from(document.querySelectorAll('link[rel="modulepreload"]'), (l) => l.href).find((h) => /\\/_observablehq\\/runtime\\.[0-9a-f]+\\.js$/.test(h));
    if (!href) throw new Error("no _observablehq/runtime.*.js module on the page");
    const {Runtime} = await import(href);
    const computeNow = Runtime.prototype._computeNow;
    Runtime.prototype._computeNow = function () {
      if (!s.runtime) {
        s.runtime = this;
        const any = this._variables.values().next().value;
        const V = Object.getPrototypeOf(any);
        const pend = V._pending, ful = V._fulfilled, rej = V._rejected;
        V._pending = function () { s.pending.add(this); return pend.call(this); };
        V._fulfilled = function (value) { s.pending.delete(this); s.lastSettled = performance.now(); return ful.call(this, value); };
        V._rejected = function (error) { s.pending.delete(this); s.errors.push(String(error && error.message || error)); return rej.call(this, error); };
      }
      s.computes.push(performance.now());
      return computeNow.call(this);
    };
    const main = document.querySelector("main") || document.body;
    new MutationObserver((records) => { s.lastMutation = performance.now(); s.mutations += records.length; })
      .observe(main, {subtree: true, childList: true, characterData: true, attributes: true});
    s.observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) s.longTasks.push({start: e.startTime, duration: e.duration}); });
    s.observer.observe({type: "longtask", buffered: true});
    return true;
  })();
  return s.ready;
})()`;

// One filter change: click checkbox `index` of the filter panel, wait until the runtime is idle, no part of
// the page is aria-busy and two frames have passed with no DOM change, and return the timings (ms, page clock).
const CHANGE = (index: number, timeoutMs: number) => `(async () => {
  const s = window.__svBench;
  const boxes = Array.from(document.querySelectorAll("details.filter-panel input[type=checkbox]"));
  if (!boxes.length) throw new Error("no checkbox in the filter panel (details.filter-panel)");
  const box = boxes[${index} % boxes.length];
  const label = (box.closest("label") || box.parentElement).textContent.trim();
  const group = (box.closest("form") && box.closest("form").querySelector("label") || {}).textContent || "";
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  // Busy: a runtime variable computing, or a page part waiting for a worker (the live Overview and the fit
  // pages mark those aria-busy; without this, a reply slower than two frames would end the wait early).
  const busy = () => s.pending.size > 0 || document.querySelector("main [aria-busy=true]") !== null || (s.runtime !== null && (s.runtime._computing !== null || s.runtime._updates.size > 0 || s.runtime._precomputes.length > 0));
  const errorsBefore = s.errors.length;
  s.lastMutation = 0;
  const mutationsBefore = s.mutations;
  s.computes = [];
  s.lastSettled = 0;
  const t0 = performance.now();
  box.click();
  const tClick = performance.now();
  let quiet = 0, seen = -1, sawRuntime = false;
  while (quiet < 2) {
    await frame();
    if (performance.now() - t0 > ${timeoutMs}) return {timeout: true, label, group: group.trim(), pendingCells: s.pending.size};
    if (busy()) { sawRuntime = true; quiet = 0; seen = s.mutations; continue; }
    if (s.mutations !== seen) { seen = s.mutations; quiet = 0; continue; }
    ++quiet;
  }
  const tEnd = s.lastMutation || tClick;
  const tasks = s.longTasks.concat(s.observer.takeRecords().map((e) => ({start: e.startTime, duration: e.duration})));
  s.longTasks = tasks;
  let longest = 0;
  for (const t of tasks) if (t.start + t.duration >= t0 && t.start <= tEnd) longest = Math.max(longest, t.duration);
  return {
    timeout: false,
    label, group: group.trim(), checked: box.checked,
    ms: tEnd - t0,
    inputMs: tClick - t0,
    longestTask: longest,
    mutations: s.mutations - mutationsBefore,
    sawRuntime,
    computesMs: s.computes.map((t) => Math.round((t - t0) * 10) / 10),
    runtimeIdleMs: s.lastSettled ? s.lastSettled - t0 : null,
    errors: s.errors.slice(errorsBefore)
  };
})()`;

// First render: from navigation start until Framework's loading placeholders are gone, a curve figure
// (or the "no patients" message, or the Cohort page's Table 1, which has no figure) is on the page and the
// filter panel is there. Polled in the page on animation frames (playwright's waitForFunction would need
// 'unsafe-eval', which the site's CSP forbids).
const RENDERED = (timeoutMs: number) => `new Promise((resolve) => {
  const done = () => document.querySelectorAll("observablehq-loading").length === 0 &&
    !!document.querySelector("details.filter-panel") && !!document.querySelector("main .sv-figure svg, main .sv-message, main table.sv-cohort-table");
  const start = performance.now();
  const poll = () => done() ? resolve(performance.now()) : performance.now() - start > ${timeoutMs} ? resolve(null) : requestAnimationFrame(poll);
  poll();
})`;

// The page's own measures of the cohort's loading (src/study/publishedCohort.ts), ms.
// "open.start" is when openStudy began, from navigation start (the page's modules and cohort-info.json before it).
const LOAD_MEASURES = `Object.fromEntries(performance.getEntriesByType("measure").filter((m) => m.name.startsWith("sv:cohort:")).flatMap((m) => [[m.name.slice(10), Math.round(m.duration * 10) / 10], ...(m.name === "sv:cohort:open" ? [["open.start", Math.round(m.startTime)]] : [])]))`;

interface ChangeResult {
  label: string;
  group: string;
  checked: boolean;
  ms: number;
  inputMs: number;
  longestTask: number;
  mutations: number;
  sawRuntime: boolean;
  /** When Framework's runtime started each computation (it waits for an animation frame before each). */
  computesMs: number[];
  /** When the last variable settled. */
  runtimeIdleMs: number | null;
  errors: string[];
  cdp: Record<string, number>;
}

interface PageResult {
  route: string;
  firstRenderMs: number | null;
  /** How the page read the cohort at first render (fetch, parse, transfer, decode, load; ms), from its performance measures. */
  cohortLoad: Record<string, number> | null;
  heapMB: number | null;
  changes: ChangeResult[];
  p50: number | null;
  p95: number | null;
  longestTask: number | null;
  breakdown: Record<string, number> | null;
  profile: ProfileSummary | null;
  reason: string | null;
  pageErrors: string[];
}

/** First renders of one page on a site built on a Parquet cohort (no filter changes). */
interface FirstRenderResult {
  route: string;
  /** Median of `loads`. */
  firstRenderMs: number | null;
  loads: {firstRenderMs: number; cohortLoad: Record<string, number>; heapMB: number | null}[];
  reason: string | null;
  pageErrors: string[];
}

interface ParquetResult {
  n: number;
  cohortMB: number | null;
  buildSeconds: number | null;
  pages: FirstRenderResult[];
  reason: string | null;
}

interface SizeResult {
  n: number;
  cohortMB: number | null;
  buildSeconds: number | null;
  pages: PageResult[];
  reason: string | null;
}

/** Nearest-rank percentile. */
function percentile(xs: readonly number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const METRICS = ["TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration"];

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const {metrics} = (await cdp.send("Performance.getMetrics")) as {metrics: {name: string; value: number}[]};
  return Object.fromEntries(metrics.filter((m) => METRICS.includes(m.name) || m.name === "JSHeapUsedSize").map((m) => [m.name, m.value]));
}

// ---------------------------------------------------------------------------------------------------
// A CPU profile of one change (Chromium's sampling profiler through CDP), summarised by self time.

interface ProfileSummary {
  file: string;
  totalMs: number;
  byFunction: {name: string; where: string; selfMs: number}[];
  byFile: {file: string; selfMs: number}[];
}

interface ProfileNode {
  id: number;
  callFrame: {functionName: string; url: string; lineNumber: number};
  hitCount?: number;
}

async function profileChange(page: Page, cdp: CDPSession, index: number, timeoutMs: number, file: string): Promise<ProfileSummary> {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", {interval: 100});
  await cdp.send("Profiler.start");
  await page.evaluate(CHANGE(index, timeoutMs));
  const {profile} = (await cdp.send("Profiler.stop")) as {profile: {nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number}};
  await cdp.send("Profiler.disable");
  writeFileSync(file, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; ++i) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const fn = new Map<string, {name: string; where: string; selfMs: number}>();
  const files = new Map<string, number>();
  for (const [id, ms] of self) {
    const {functionName, url, lineNumber} = byId.get(id)!.callFrame;
    const short = url ? url.replace(/^https?:\/\/[^/]+\//, "").replace(/\.[0-9a-f]{8}\.js$/, ".js") : "";
    const name = functionName || (short ? "(anonymous)" : "(native)");
    const where = short ? `${short}:${lineNumber + 1}` : "";
    const key = `${name}@${where}`;
    const e = fn.get(key) ?? {name, where, selfMs: 0};
    e.selfMs += ms;
    fn.set(key, e);
    const f = short || name;
    files.set(f, (files.get(f) ?? 0) + ms);
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    file: relative(ROOT, file),
    totalMs: round((profile.endTime - profile.startTime) / 1000),
    byFunction: [...fn.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, 20).map((e) => ({...e, selfMs: round(e.selfMs)})),
    byFile: [...files].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([file, ms]) => ({file, selfMs: round(ms)}))
  };
}

// ---------------------------------------------------------------------------------------------------

async function measurePage(browser: BrowserSession, origin: string, route: string, n: number, o: Options): Promise<PageResult> {
  const result: PageResult = {route, firstRenderMs: null, cohortLoad: null, heapMB: null, changes: [], p50: null, p95: null, longestTask: null, breakdown: null, profile: null, reason: null, pageErrors: []};
  const page = await browser.context.newPage();
  page.on("pageerror", (e) => result.pageErrors.push(String(e.message ?? e).slice(0, 300)));
  page.on("crash", () => result.pageErrors.push("page crashed"));
  try {
    const deadline = Date.now() + o.loadTimeout * 1000;
    await page.goto(origin + route, {waitUntil: "commit", timeout: o.loadTimeout * 1000});
    const capped = new Promise<"cap">((r) => setTimeout(() => r("cap"), Math.max(1000, deadline - Date.now()) + 5000).unref());
    const rendered = await Promise.race([page.evaluate(RENDERED(Math.max(1000, deadline - Date.now()))) as Promise<number | null>, capped]);
    if (rendered === null || rendered === "cap") throw new Error(`first render not reached within the ${o.loadTimeout} s cap`);
    result.firstRenderMs = rendered;
    result.cohortLoad = (await page.evaluate(LOAD_MEASURES)) as Record<string, number>;
    await page.evaluate(INSTALL);
    // Let the first render finish (resize() figures draw in a later frame) before the first change.
    await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 200))))");
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const heap = await metrics(cdp);
    result.heapMB = Math.round((heap.JSHeapUsedSize ?? 0) / 2 ** 20);
    // Change k ticks/unticks checkbox 3⌊k/2⌋ of the panel: untick on even k, tick it again on odd k, so
    // every other change returns to the whole cohort and the changes walk through the factors.
    const indexOf = (k: number) => 3 * Math.floor(k / 2);
    for (let k = 0; k < o.changes; ++k) {
      const before = await metrics(cdp);
      const r = (await page.evaluate(CHANGE(indexOf(k), o.changeTimeout * 1000))) as (Omit<ChangeResult, "cdp"> & {timeout: false}) | {timeout: true; label: string; pendingCells: number};
      if (r.timeout) throw new Error(`change ${k + 1} (${r.label}) not finished within the ${o.changeTimeout} s cap (${r.pendingCells} variables still pending)`);
      const after = await metrics(cdp);
      const cdpMs = Object.fromEntries(METRICS.map((m) => [m, Math.round((after[m] - before[m]) * 1e4) / 10]));
      result.changes.push({...r, cdp: cdpMs});
      if (r.errors.length) result.pageErrors.push(...r.errors);
      log(`  ${String(n).padStart(9)} ${route} change ${String(k + 1).padStart(2)}: ${r.checked ? "tick  " : "untick"} ${r.label.padEnd(14)} ${r.ms.toFixed(1).padStart(8)} ms (runtime passes at ${r.computesMs.join("/")}, cells settled ${r.runtimeIdleMs?.toFixed(1)}, longest task ${r.longestTask.toFixed(0)} ms, script ${cdpMs.ScriptDuration} ms, layout ${cdpMs.LayoutDuration} ms)`);
      await page.waitForTimeout(50);
    }
    const ms = result.changes.map((c) => c.ms);
    result.p50 = percentile(ms, 50);
    result.p95 = percentile(ms, 95);
    result.longestTask = Math.max(0, ...result.changes.map((c) => c.longestTask));
    const mean = (m: string) => Math.round((result.changes.reduce((a, c) => a + c.cdp[m], 0) / result.changes.length) * 10) / 10;
    result.breakdown = Object.fromEntries(METRICS.map((m) => [m, mean(m)]));
    if (o.profile === n) {
      result.profile = await profileChange(page, cdp, indexOf(0), o.changeTimeout * 1000, join(OUT, String(n), `change-${routeName(route).replace(/\W+/g, "-")}.cpuprofile`));
      // put the panel back as it was
      await page.evaluate(CHANGE(indexOf(0), o.changeTimeout * 1000));
    }
    await cdp.detach().catch(() => {});
  } catch (e) {
    result.reason = (e as Error).message.split("\n")[0].slice(0, 300);
  } finally {
    await page.close().catch(() => {});
  }
  return result;
}

/** Load `route` `o.firstRenders` times (a new tab each time, the file fetched each time) and time the first render. */
async function measureFirstRenders(browser: BrowserSession, origin: string, route: string, o: Options): Promise<FirstRenderResult> {
  const result: FirstRenderResult = {route, firstRenderMs: null, loads: [], reason: null, pageErrors: []};
  for (let k = 0; k < o.firstRenders && result.reason === null; ++k) {
    const page = await browser.context.newPage();
    page.on("pageerror", (e) => result.pageErrors.push(String(e.message ?? e).slice(0, 300)));
    page.on("crash", () => result.pageErrors.push("page crashed"));
    try {
      const deadline = Date.now() + o.loadTimeout * 1000;
      await page.goto(origin + route, {waitUntil: "commit", timeout: o.loadTimeout * 1000});
      const capped = new Promise<"cap">((r) => setTimeout(() => r("cap"), Math.max(1000, deadline - Date.now()) + 5000).unref());
      const rendered = await Promise.race([page.evaluate(RENDERED(Math.max(1000, deadline - Date.now()))) as Promise<number | null>, capped]);
      if (rendered === null || rendered === "cap") throw new Error(`first render not reached within the ${o.loadTimeout} s cap`);
      const cohortLoad = (await page.evaluate(LOAD_MEASURES)) as Record<string, number>;
      const heap = (await page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : null")) as number | null;
      result.loads.push({firstRenderMs: Math.round(rendered * 10) / 10, cohortLoad, heapMB: heap === null ? null : Math.round(heap / 2 ** 20)});
      log(`  first render ${k + 1}/${o.firstRenders}: ${rendered.toFixed(0)} ms (cohort: ${Object.entries(cohortLoad).map(([m, ms]) => `${m} ${ms}`).join(", ")})`);
    } catch (e) {
      result.reason = (e as Error).message.split("\n")[0].slice(0, 300);
    } finally {
      await page.close().catch(() => {});
    }
  }
  result.firstRenderMs = percentile(result.loads.map((l) => l.firstRenderMs), 50);
  return result;
}

async function measureParquet(n: number, o: Options): Promise<ParquetResult> {
  const result: ParquetResult = {n, cohortMB: null, buildSeconds: null, pages: [], reason: null};
  log(`${n} patients (Parquet): cohort`);
  const cohort = await cohortFile(n, "parquet", o.buildTimeout);
  if (!cohort.path) return {...result, reason: cohort.reason};
  const {statSync} = await import("node:fs");
  result.cohortMB = Math.round((statSync(cohort.path).size / 2 ** 20) * 10) / 10;
  log(`${n} patients (Parquet): building the site on ${relative(ROOT, cohort.path)} (${result.cohortMB} MB)`);
  const built = await buildFor(n, "parquet", cohort.path, o);
  result.buildSeconds = built.seconds === null ? null : Math.round(built.seconds * 10) / 10;
  if (!built.site) return {...result, reason: built.reason};
  log(`${n} patients (Parquet): site built${built.seconds === null ? " (reused)" : ` in ${built.seconds.toFixed(1)} s`}; loading ${o.pages.join(", ")} ${o.firstRenders} times`);
  const server = await serve(built.site);
  const browser = await launch();
  try {
    for (const route of o.pages) {
      const p = await measureFirstRenders(browser, server.origin, route, o);
      result.pages.push(p);
      log(`${n} patients (Parquet) ${route}: ${p.reason ? `FAILED: ${p.reason}` : `first render median ${p.firstRenderMs?.toFixed(0)} ms of ${p.loads.map((l) => l.firstRenderMs.toFixed(0)).join(", ")}`}`);
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
  return result;
}

async function measureSize(n: number, o: Options): Promise<SizeResult> {
  const result: SizeResult = {n, cohortMB: null, buildSeconds: null, pages: [], reason: null};
  log(`${n} patients: cohort`);
  const cohort = await cohortFile(n, "csv", o.buildTimeout);
  if (!cohort.path) return {...result, reason: cohort.reason};
  const {statSync} = await import("node:fs");
  result.cohortMB = Math.round((statSync(cohort.path).size / 2 ** 20) * 10) / 10;
  log(`${n} patients: building the site on ${relative(ROOT, cohort.path)} (${result.cohortMB} MB)`);
  const built = await buildFor(n, "csv", cohort.path, o);
  result.buildSeconds = built.seconds === null ? null : Math.round(built.seconds * 10) / 10;
  if (!built.site) return {...result, reason: built.reason};
  log(`${n} patients: site built${built.seconds === null ? " (reused)" : ` in ${built.seconds.toFixed(1)} s`}; opening ${o.pages.join(", ")}`);
  const server = await serve(built.site);
  const browser = await launch();
  try {
    for (const route of o.pages) {
      const p = await measurePage(browser, server.origin, route, n, o);
      result.pages.push(p);
      log(`${n} patients ${route}: ${p.reason ? `FAILED: ${p.reason}` : `first render ${p.firstRenderMs?.toFixed(0)} ms, p50 ${p.p50?.toFixed(1)} ms, p95 ${p.p95?.toFixed(1)} ms, longest task ${p.longestTask?.toFixed(0)} ms`}`);
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
  return result;
}

function fmt(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? "—" : x.toFixed(digits);
}

/** "fetch 120 / parse 900 / transfer 80 / decode 150" from a page's sv:cohort:* measures. */
function loadSummary(m: Record<string, number> | null | undefined): string {
  if (!m || !Object.keys(m).length) return "";
  return ["fetch", "parse", "worker-read", "worker-derive", "worker-factors", "worker-encode", "main-thread", "transfer", "decode"].filter((k) => k in m).map((k) => `${k} ${Math.round(m[k])}`).join(" / ");
}

function table(results: SizeResult[], parquet: ParquetResult[]): string {
  const rows = [["patients", "page", "first render ms", "p50 ms", "p95 ms", "longest task ms", "CDP script ms/change", "CDP layout+style ms/change", "cohort load ms", "note"]];
  for (const r of results) {
    const pages = r.pages.length ? r.pages : [null];
    for (const p of pages) {
      rows.push([
        r.n.toLocaleString("en-US"),
        p?.route ?? "—",
        fmt(p?.firstRenderMs, 0),
        fmt(p?.p50),
        fmt(p?.p95),
        p?.longestTask === null || p?.longestTask === undefined ? "—" : p.longestTask === 0 ? "< 50" : p.longestTask.toFixed(0),
        fmt(p?.breakdown?.ScriptDuration),
        p?.breakdown ? fmt(p.breakdown.LayoutDuration + p.breakdown.RecalcStyleDuration) : "—",
        loadSummary(p?.cohortLoad),
        (p?.reason ?? r.reason ?? "") + (p?.pageErrors.length ? ` page errors: ${p.pageErrors.slice(0, 2).join("; ")}` : "")
      ]);
    }
  }
  for (const r of parquet) {
    const pages = r.pages.length ? r.pages : [null];
    for (const p of pages) {
      const median = p?.loads.find((l) => l.firstRenderMs === p.firstRenderMs);
      rows.push([
        `${r.n.toLocaleString("en-US")} Parquet`,
        p?.route ?? "—",
        fmt(p?.firstRenderMs, 0),
        "—",
        "—",
        "—",
        "—",
        "—",
        loadSummary(median?.cohortLoad),
        [p?.loads.length ? `median of ${p.loads.length} loads (${p.loads.map((l) => l.firstRenderMs.toFixed(0)).join(", ")})` : "", p?.reason ?? r.reason ?? "", p?.pageErrors.length ? `page errors: ${p.pageErrors.slice(0, 2).join("; ")}` : ""].filter(Boolean).join("; ")
      ]);
    }
  }
  const widths = rows[0].map((_, j) => Math.max(...rows.map((row) => row[j].length)));
  return rows.map((row) => row.map((c, j) => (j < 2 || j === row.length - 1 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ").trimEnd()).join("\n");
}

type SizeFigures = {p50: number | null; p95: number | null; longestTask: number | null; reason?: string};

/**
 * The --json figures: the first page measured at each size, keyed by size as issue 7 asks; then, beside them,
 * one extra key per Parquet size, `parquetFirstRender<n>`: the median first render in ms (null when it failed,
 * with `parquetFirstRender<n>Reason`). A reader that takes the numeric keys gets exactly the issue's shape.
 */
function jsonFigures(results: SizeResult[], parquet: ParquetResult[]): Record<string, SizeFigures | number | string | null> {
  const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  const out: Record<string, SizeFigures | number | string | null> = Object.fromEntries(
    results.map((r) => {
      const p = r.pages[0];
      const reason = r.reason ?? p?.reason ?? null;
      const figures = {p50: round(p?.p50 ?? null), p95: round(p?.p95 ?? null), longestTask: round(p?.longestTask ?? null)};
      return [String(r.n), reason && figures.p95 === null ? {...figures, reason} : figures];
    })
  );
  for (const r of parquet) {
    const p = r.pages[0];
    out[`parquetFirstRender${r.n}`] = round(p?.firstRenderMs ?? null);
    const reason = r.reason ?? p?.reason ?? null;
    if (reason && !p?.firstRenderMs) out[`parquetFirstRender${r.n}Reason`] = reason;
  }
  return out;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  OUT = o.out;
  if (!existsSync(CHROMIUM)) usage(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  mkdirSync(OUT, {recursive: true});
  const machine = {
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? "?"}`,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGB: Math.round(freemem() / 2 ** 30),
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version
  };
  log(`bench:browser — sizes ${o.sizes.join(", ")}, ${o.changes} changes, Parquet first render at ${o.parquetSizes.join(", ") || "no size"}, pages ${o.pages.join(", ")}; load average ${machine.loadAverageAtStart.join(" ")}`);
  const results: SizeResult[] = [];
  for (const n of o.sizes) {
    try {
      results.push(await measureSize(n, o));
    } catch (e) {
      results.push({n, cohortMB: null, buildSeconds: null, pages: [], reason: (e as Error).message.split("\n")[0]});
    }
  }
  const parquet: ParquetResult[] = [];
  for (const n of o.parquetSizes) {
    try {
      parquet.push(await measureParquet(n, o));
    } catch (e) {
      parquet.push({n, cohortMB: null, buildSeconds: null, pages: [], reason: (e as Error).message.split("\n")[0]});
    }
  }
  const loadAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  writeFileSync(join(OUT, "results.json"), JSON.stringify({date: new Date().toISOString(), machine: {...machine, loadAverageAtEnd: loadAtEnd}, options: o, results, parquet}, null, 2) + "\n");
  if (o.json) {
    process.stdout.write(JSON.stringify(jsonFigures(results, parquet)) + "\n");
  } else {
    process.stdout.write(table(results, parquet) + "\n");
    process.stdout.write(`\nmachine: ${machine.cpus}, ${machine.memoryGB} GB; load average ${machine.loadAverageAtStart.join(" ")} at start, ${loadAtEnd.join(" ")} at end\n`);
    for (const r of results)
      for (const p of r.pages)
        if (p.profile) {
          process.stdout.write(`\nwhere one change's time goes at ${r.n.toLocaleString("en-US")} patients (${p.route}, CPU profile ${p.profile.file}, ${p.profile.totalMs} ms recorded), self time:\n`);
          for (const f of p.profile.byFile.slice(0, 10)) process.stdout.write(`  ${f.selfMs.toFixed(1).padStart(8)} ms  ${f.file}\n`);
          process.stdout.write("  top functions:\n");
          for (const f of p.profile.byFunction.slice(0, 12)) process.stdout.write(`  ${f.selfMs.toFixed(1).padStart(8)} ms  ${f.name} ${f.where}\n`);
        }
    process.stdout.write(`\ndetails: ${relative(ROOT, join(OUT, "results.json"))}\n`);
  }
}

await main();
