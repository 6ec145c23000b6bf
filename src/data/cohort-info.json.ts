// What the published cohort is, for the pages' labels and for openStudy (src/study/page.ts): its file name,
// whether it is the synthetic study cohort, and its format — "csv" (served as data/cohort.csv) or "parquet"
// (data/cohort.parquet). COHORT=path npm run build publishes another file; see published-cohort.ts.
import {readFileSync} from "node:fs";
import {basename} from "node:path";
import {publishedCohortPath, publishedFormat} from "./published-cohort.js";

const path = publishedCohortPath();
const format = publishedFormat(path, new Uint8Array(readFileSync(path)));
process.stdout.write(JSON.stringify({name: basename(path), synthetic: !process.env.COHORT, format}));
