// `npm run screenshots`: build the site, open every page in Chromium and save a full-page
// screenshot of each to test-results/screenshots/<page>.png (and <page>@390.png at a phone width),
// printing any console error, page error, foreign request, dialog, broken value or misaligned /
// clipped component figure found.
// Exits 1 if a page has a problem. Options: --no-build (serve the last build), --no-narrow.

import {buildSite, discoverPages, figureProblems, launch, problems, serve, visit} from "./harness.js";

const args = new Set(process.argv.slice(2));
if (args.has("--no-build") && !process.env.BROWSER_SITE_DIR) process.env.BROWSER_SITE_DIR = "test-results/site";
const site = buildSite();
const routes = discoverPages(site);
const server = await serve(site);
const wide = await launch({width: 1280, height: 900});
const narrow = args.has("--no-narrow") ? null : await launch({width: 390, height: 844});
let failed = 0;
try {
  for (const route of routes) {
    for (const [session, suffix] of [[wide, ""], [narrow, "@390"]] as const) {
      if (!session) continue;
      const before = server.notFound.length;
      const {page, report} = await visit(session.context, server.origin, route, {suffix});
      const list = [...problems(report, server.notFound.slice(before)), ...(await figureProblems(page))];
      await page.close();
      console.log(`${list.length ? "✗" : "✓"} ${route}${suffix ? ` (${suffix.slice(1)}px)` : ""} → ${report.screenshot} (${report.requests.length} requests)`);
      for (const p of list) console.log(`    ${p}`);
      if (list.length) failed += 1;
    }
  }
} finally {
  await wide.close();
  await narrow?.close();
  await server.close();
}
console.log(`${routes.length} page(s), ${failed} with problems`);
process.exit(failed ? 1 : 0);
