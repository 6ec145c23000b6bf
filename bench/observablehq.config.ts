// Framework config for the browser benchmark (bench/browser.ts): the project's config built from a copy
// of src/ (BENCH_SITE_ROOT) into its own output folder (BROWSER_SITE_OUTPUT). A copy, because Framework
// caches a data loader's output in <root>/.observablehq/cache and re-runs the loader only when the loader
// file changes: building src/ itself with COHORT=another.csv would either reuse the cached default cohort
// or overwrite the cache every other build in the working tree reads.
import config from "../observablehq.config.js";

const root = process.env.BENCH_SITE_ROOT;
const output = process.env.BROWSER_SITE_OUTPUT;
if (!root || !output) throw new Error("bench/observablehq.config.ts needs BENCH_SITE_ROOT and BROWSER_SITE_OUTPUT");

export default {...config, root, output};
