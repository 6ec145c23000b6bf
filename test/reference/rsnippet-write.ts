// Writes the R script of each round-trip view (test/study/rSnippet.cases.ts) to
// test/reference/rsnippet/<name>.R. Run from the project root, then run R on them:
//   npx tsx test/reference/rsnippet-write.ts && Rscript test/reference/rsnippet-roundtrip.R
import {writeFileSync} from "node:fs";
import {rSnippet} from "../../src/study/rSnippet.js";
import {ROUNDTRIP_CASES} from "../study/rSnippet.cases.js";

for (const {name, spec} of ROUNDTRIP_CASES) {
  const path = `test/reference/rsnippet/${name}.R`;
  writeFileSync(path, rSnippet(spec));
  console.log(`wrote ${path}`);
}
