// Data loader for the "Methods & validation" page: re-runs the statistics engine on the reference data
// sets and compares every estimate with the committed R fixtures (test/reference/*.json). The numbers in
// the page's table are computed here at build time, never copied. A failing comparison fails the build,
// so the site cannot publish a table that shows the engine disagreeing with R.
import {runValidation} from "../validation/index.js";
import {loadReferenceSources} from "../validation/node.js";

let result;
try {
  result = runValidation(await loadReferenceSources());
} catch (err) {
  process.stderr.write(`validation.json: could not run the validation against R: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
if (!result.pass) {
  const failed = result.rows.filter((r) => !r.pass);
  process.stderr.write(
    `validation.json: ${failed.length} of ${result.rows.length} comparisons with R fail:\n` +
      failed.map((r) => `  ${r.estimator} · ${r.dataset} · ${r.quantity}: ${r.failure}`).join("\n") +
      "\n"
  );
  process.exit(1);
}
process.stdout.write(JSON.stringify(result));
