// The project's Framework config with a different output directory, so the browser tests build
// their own copy of the site (test-results/site by default) instead of dist/: Framework empties its
// output directory before writing, and test/build/offline-build.test.ts builds dist/ in parallel.
import config from "../../observablehq.config.js";

export default {...config, output: process.env.BROWSER_SITE_OUTPUT ?? "test-results/site"};
