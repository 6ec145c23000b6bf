// The set-up every browser test file shares: build (or reuse) the site, serve it on 127.0.0.1 and
// launch Chromium around the file's tests, plus the study cohort the expected numbers are computed on.
// `server` and `session` are live bindings, set in the hooks that useSite() registers.
import {readFileSync} from "node:fs";
import {afterAll, beforeAll} from "vitest";
import type {CohortTable} from "../../src/cohort/table.js";
import {loadStudyCohort, type Factor} from "../../src/study/cohort.js";
import {type BrowserSession, type StaticServer, buildSite, discoverPages, launch, serve} from "./harness.js";

export let server: StaticServer;
export let session: BrowserSession;

/** Build the site once for this test file and register the hooks that serve it and drive Chromium. */
export function useSite(viewport = {width: 1280, height: 900}): {site: string; routes: string[]} {
  const site = buildSite();
  const routes = discoverPages(site);
  beforeAll(async () => {
    server = await serve(site);
    session = await launch(viewport);
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });
  return {site, routes};
}

/** The committed study cohort, prepared as the pages prepare it (the same bytes the built site serves). */
export async function studyCohort(): Promise<{table: CohortTable; factors: Factor[]}> {
  const loaded = await loadStudyCohort(readFileSync("data/kato2012-synthetic.csv"), "kato2012-synthetic.csv");
  if (!loaded.table) throw new Error(loaded.report.messages[0] ?? "data/kato2012-synthetic.csv could not be read");
  return loaded as {table: CohortTable; factors: Factor[]};
}
