// Every page setting lives in the link (issue 5): for each page control the analysis spec now carries
// (Outcomes' time unit; Subgroups' test, trend option, forest comparison and endpoint; Model's ties; Acute
// GVHD's landmark; Cohort's small-cell mask), set the control in Chromium, read the fragment, open that
// link in a fresh tab, and check that the control is restored and the page shows the same numbers (the
// whole text of the page, which differs from the default view's). Also: a filter on a level with markup
// characters ("Early (< 180 days)") survives the link, a hostile or out-of-range setting is reported and
// ignored, and the GVHD landmark no longer leaks into the Outcomes horizon through the session.
import type {Page} from "playwright-core";
import {assert, describe, it} from "vitest";
import {settle} from "./harness.js";
import {server, session, useSite} from "./site.js";

const {routes} = useSite();


async function open(route: string, hash = ""): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(`${server.origin}${route}${hash}`, {waitUntil: "load"});
  await settle(page);
  return page;
}
/**
 * The page's text (whitespace collapsed), without the data banner (which says where a link was made), up
 * to `until` when given (e.g. a session-only section).
 */
async function pageText(page: Page, until?: string): Promise<string> {
  const raw = (await page.evaluate(() => {
    const main = document.querySelector("main")?.cloneNode(true) as HTMLElement | undefined;
    main?.querySelectorAll(".sv-data-banner").forEach((b) => b.remove());
    return main?.textContent ?? "";
  })) as string;
  const text = raw.replace(/\s+/g, " ");
  return until && text.includes(until) ? text.slice(0, text.indexOf(until)) : text;
}
const hash = (page: Page) => page.evaluate(() => location.hash.replace(/^#/, "")) as Promise<string>;
/** Wait until the fragment, decoded (URLSearchParams writes a space as "+"), contains `part`. */
const waitForHash = (page: Page, part: string) => page.waitForFunction((p) => decodeURIComponent(location.hash.replace(/\+/g, " ")).includes(p), part, {timeout: 20_000});
const waitForText = (page: Page, text: string) => page.waitForFunction((t) => (document.querySelector("main")?.textContent ?? "").replace(/\s+/g, " ").includes(t), text, {timeout: 20_000});
const selected = (page: Page, label: string) => page.getByLabel(label, {exact: true}).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent);

/**
 * Open `route` at `start`, change its controls, wait for `parts` in the fragment, then open the fragment in
 * a new tab: `check` sees the restored controls, and the text must equal the changed page's (and differ
 * from the default's). Returns the fragment.
 */
async function roundTrip(route: string, start: string, change: (page: Page) => Promise<void>, parts: string[], check: (page: Page) => Promise<void>, until?: string): Promise<string> {
  const page = await open(route, `#${start}`);
  let fragment: string;
  let changedText: string;
  try {
    const before = await pageText(page, until);
    await change(page);
    for (const part of parts) await waitForHash(page, part);
    await settle(page);
    changedText = await pageText(page, until);
    assert.notStrictEqual(changedText, before, "the settings change the page");
    fragment = await hash(page);
  } finally {
    await page.close();
  }
  const restored = await open(route, `#${fragment}`);
  try {
    await check(restored);
    assert.strictEqual(await pageText(restored, until), changedText, "the same text and numbers from the link");
    assert.strictEqual(await hash(restored), fragment, "the restored page writes back the same view");
  } finally {
    await restored.close();
  }
  return fragment;
}

describe.runIf(routes.includes("/outcomes"))("Outcomes: the time unit", () => {
  it("unit=months round-trips through a link", async () => {
    await roundTrip(
      "/outcomes",
      "v=1",
      (page) => page.getByLabel("months", {exact: true}).check(),
      ["unit=months"],
      async (page) => {
        assert.ok(await page.getByLabel("months", {exact: true}).isChecked(), "months checked");
        assert.ok(!(await page.getByLabel("years", {exact: true}).isChecked()), "years not checked");
      }
    );
  });

  it("an unknown unit is reported and the page shows years", async () => {
    const page = await open("/outcomes", "#v=1&unit=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    try {
      await waitForText(page, "Setting 'unit': value contains markup; ignored");
      assert.ok(await page.getByLabel("years", {exact: true}).isChecked());
      assert.notInclude(await hash(page), "unit=%3C");
    } finally {
      await page.close();
    }
  });
});

describe.runIf(routes.includes("/subgroups"))("Subgroups: test, trend, forest comparison and endpoint", () => {
  it("Peto–Peto, trend, a forest comparison of age groups for relapse and a relapse-timing filter round-trip", async () => {
    const fragment = await roundTrip(
      "/subgroups",
      "v=1&group=era",
      async (page) => {
        await page.getByLabel("Peto–Peto (early differences)").check();
        await page.getByLabel("Test for trend (groups in the order shown)").check();
        await page.getByLabel("Compare", {exact: true}).selectOption({label: "Age at second SCT"});
        await waitForHash(page, "age_group");
        await page.getByLabel("Group", {exact: true}).selectOption({label: "> 9 years"});
        await page.getByLabel("Relapse (cause-specific hazard)").check();
        await page.getByLabel("Early (< 180 days)", {exact: true}).first().uncheck();
      },
      ["test=peto", "trend=1", "cmpEndpoint=relapse", 'f=["relapse_timing","in",["Late (≥ 180 days)"]]', `cmp=${JSON.stringify(["age_group", "> 9 years", "≤ 9 years"])}`],
      async (page) => {
        assert.strictEqual(await selected(page, "Group by"), "Year of second SCT");
        assert.ok(await page.getByLabel("Peto–Peto (early differences)").isChecked(), "Peto–Peto");
        assert.ok(await page.getByLabel("Test for trend (groups in the order shown)").isChecked(), "trend");
        assert.strictEqual(await selected(page, "Compare"), "Age at second SCT");
        assert.strictEqual(await selected(page, "Group"), "> 9 years");
        assert.strictEqual(await selected(page, "versus (reference)"), "≤ 9 years");
        assert.ok(await page.getByLabel("Relapse (cause-specific hazard)").isChecked(), "forest endpoint");
        assert.ok(!(await page.getByLabel("Early (< 180 days)", {exact: true}).first().isChecked()), "filter restored");
        const text = await pageText(page);
        assert.include(text, "Peto–Peto");
        assert.include(text, "Hazard ratio of");
        assert.notMatch(text, /ignored/);
      },
      "Comparisons viewed in this session"
    );
    assert.deepStrictEqual(new URLSearchParams(fragment).getAll("f"), ['["relapse_timing","in",["Late (≥ 180 days)"]]']);
  });

  it("a comparison that is not two levels of a factor is reported and the default comparison shown", async () => {
    const cmp = encodeURIComponent(JSON.stringify(["age_group", "> 9 years", "nope"]));
    const page = await open("/subgroups", `#v=1&cmp=${cmp}&cmpEndpoint=nrm`);
    try {
      await waitForText(page, "Setting 'cmp': 'nope' is not a value of 'age_group'; ignored");
      await waitForText(page, "The forest plot has no endpoint “nrm”");
      assert.strictEqual(await selected(page, "Compare"), "Relapse after first SCT");
      assert.ok(!(await page.getByLabel("Relapse (cause-specific hazard)").isChecked()), "the forest shows overall survival");
    } finally {
      await page.close();
    }
  });
});

describe.runIf(routes.includes("/model"))("Model: ties", () => {
  it("ties=breslow round-trips through a link", async () => {
    await roundTrip(
      "/model",
      "v=1",
      (page) => page.getByLabel("Breslow").check(),
      ["ties=breslow"],
      async (page) => {
        assert.ok(await page.getByLabel("Breslow").isChecked(), "Breslow");
        assert.include(await pageText(page), "Breslow handling");
      }
    );
  });
});

describe.runIf(routes.includes("/gvhd"))("Acute GVHD: the landmark", () => {
  it("landmark=45 round-trips through a link, and is not the horizon", async () => {
    const fragment = await roundTrip(
      "/gvhd",
      "v=1&horizon=1000",
      async (page) => {
        const input = page.locator('input[type="number"]').last();
        await input.fill("45");
        await input.dispatchEvent("input");
      },
      ["landmark=45"],
      async (page) => {
        assert.strictEqual(await page.locator('input[type="number"]').last().inputValue(), "45");
        await waitForText(page, "At day 45: ");
      }
    );
    assert.include(fragment, "horizon=1000", "the link's horizon is kept, untouched");
  });

  it("the landmark does not leak into the Outcomes page's horizon through the session", async () => {
    const page = await open("/gvhd", "#v=1&landmark=60");
    try {
      await waitForText(page, "At day 60: ");
      await page.goto(`${server.origin}/outcomes`, {waitUntil: "load"});
      await settle(page);
      const h = await hash(page);
      assert.include(h, "landmark=60", "the session keeps the landmark");
      assert.include(h, "horizon=730.5", "Outcomes keeps its two-year horizon");
    } finally {
      await page.close();
    }
  });

  it("an out-of-range or hostile landmark is reported and the default day shown", async () => {
    for (const [value, text] of [
      ["1e309", "Setting 'landmark': '1e309' is not a finite number of days in (0, 3,650]; ignored"],
      ["500", "The link's landmark (day 500) is not a whole day from 14 to 365"]
    ]) {
      const page = await open("/gvhd", `#v=1&landmark=${value}`);
      try {
        await waitForText(page, text);
        assert.notStrictEqual(await page.locator('input[type="number"]').last().inputValue(), value);
      } finally {
        await page.close();
      }
    }
  });
});

describe.runIf(routes.includes("/cohort"))("Cohort: small-cell masking", () => {
  it("mask=5 round-trips through a link, and a link's threshold labels the toggle", async () => {
    await roundTrip(
      "/cohort",
      "v=1&group=era",
      (page) => page.getByLabel("Mask counts below 5 (small-cell suppression)").check(),
      ["mask=5"],
      async (page) => {
        assert.ok(await page.getByLabel("Mask counts below 5 (small-cell suppression)").isChecked(), "mask on");
        assert.include(await pageText(page), "<5");
      }
    );
    const page = await open("/cohort", "#v=1&group=era&mask=3");
    try {
      assert.ok(await page.getByLabel("Mask counts below 3 (small-cell suppression)").isChecked(), "mask 3 on");
      assert.include(await pageText(page), "“<3”");
    } finally {
      await page.close();
    }
  });
});

describe.runIf(routes.includes("/"))("Overview: the curve redrawn in place is the one its link draws", () => {
  // The Overview redraws its survival figure in place on a filter change (src/components/survivalPlot.ts,
  // redrawCurves: new paths and risk-table counts in the same SVG). Whatever it shows must be exactly what
  // a fresh load of the same link draws from scratch: same paths, same counts, same axes.
  const figureHtml = (page: Page) =>
    page.evaluate(() => {
      const fig = document.querySelector(".sv-survival")?.cloneNode(true) as HTMLElement | undefined;
      fig?.querySelectorAll('[aria-label="tip"]').forEach((t) => t.remove());
      return (fig?.outerHTML ?? "").replace(/sv-curve-clip-\d+/g, "sv-curve-clip");
    }) as Promise<string>;
  const box = (page: Page, label: string) => page.locator("details.filter-panel label", {hasText: label}).locator("input[type=checkbox]").first();

  it("after each of several filter changes, the same figure element holds what a fresh load of the link draws", async () => {
    const page = await open("/");
    try {
      await page.evaluate(() => ((document.querySelector(".sv-survival") as HTMLElement & {probe?: number}).probe = 1));
      const first = await figureHtml(page);
      const seen = new Set([first]);
      // ≤ 9 years off (85 patients: two-digit counts), late relapse off, then ≤ 9 years back on.
      for (const [label, wanted] of [["≤ 9 years", false], ["Late (≥ 180 days)", false], ["≤ 9 years", true]] as const) {
        await box(page, label).setChecked(wanted);
        await page.waitForFunction(() => !document.querySelector("main [aria-busy=true]"));
        const fragment = await hash(page);
        const here = await figureHtml(page);
        assert.strictEqual(await page.evaluate(() => (document.querySelector(".sv-survival") as HTMLElement & {probe?: number}).probe), 1, `${label}: the figure was rebuilt, not redrawn in place`);
        assert.ok(!seen.has(here), `${label}: the figure did not change`);
        seen.add(here);
        const fresh = await open("/", `#${fragment}`);
        try {
          assert.strictEqual(await figureHtml(fresh), here, `${label}: the redrawn figure differs from a fresh load of #${fragment}`);
        } finally {
          await fresh.close();
        }
      }
    } finally {
      await page.close();
    }
  });

  it("a link made with every level of a factor unticked opens on the same empty selection", async () => {
    const page = await open("/");
    try {
      for (const label of ["≤ 9 years", "> 9 years"]) await box(page, label).setChecked(false);
      await waitForText(page, "No patients match these filters");
      const fragment = await hash(page);
      assert.include(decodeURIComponent(fragment), '["age_group","in",[]]');
      const fresh = await open("/", `#${fragment}`);
      try {
        await waitForText(fresh, "No patients match these filters");
        for (const label of ["≤ 9 years", "> 9 years"]) assert.isFalse(await box(fresh, label).isChecked(), `${label} unticked from the link`);
        assert.notInclude(await pageText(fresh), "ignored", "the link's filter was not reported as invalid");
      } finally {
        await fresh.close();
      }
    } finally {
      await page.close();
    }
  });

  it("the pointer tip gives the step under the pointer, and the CSV download exports the redrawn curve", async () => {
    const page = await open("/");
    try {
      await box(page, "≤ 9 years").setChecked(false);
      const svg = page.locator(".sv-survival svg.sv-curves");
      await svg.scrollIntoViewIfNeeded();
      const b = (await svg.boundingBox())!;
      await page.mouse.move(b.x + b.width * 0.5, b.y + b.height * 0.6);
      // Chromium delivers pointer moves with the next frame.
      await page.waitForFunction(() => !!document.querySelector('.sv-survival [aria-label="tip"]')?.textContent);
      const tip = await page.locator('.sv-survival [aria-label="tip"]').textContent();
      assert.match(tip ?? "", /^Selected patients\d+(\.\d+)? years: \d+\.\d% \(95% CI \d+\.\d–\d+\.\d%\)$/);
      const [d] = await Promise.all([page.waitForEvent("download", {timeout: 15_000}), page.locator(".sv-survival .sv-download-csv").click()]);
      const csv = (await import("node:fs")).readFileSync((await d.path())!, "utf8");
      // The first data row is the first step of the selection's curve: its n_risk is the selection's size.
      const count = await page.locator(".sv-survival svg.sv-risk-table g[aria-label='text']").last().locator("text").first().textContent();
      const rows = csv.replace(/^\ufeff/, "").split("\r\n");
      const header = rows[0].split(",");
      assert.strictEqual(rows[1].split(",")[header.indexOf("n_risk")], count, "the CSV's first n_risk is the risk table's first count");
      assert.notStrictEqual(count, "171", "the whole cohort's count: the CSV did not follow the redraw");
    } finally {
      await page.close();
    }
  });
});
