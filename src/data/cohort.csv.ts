// Data loader for the published cohort when it is a CSV file (the default, data/kato2012-synthetic.csv, or
// COHORT=path/to/file.csv). Reads the raw file, validates it with the project's data layer (every row, every
// column) and, when it is clean, emits the file's bytes unchanged — so the SHA-256 fingerprint a page shows is
// the fingerprint of the file a researcher has. An invalid file fails the build with the data layer's
// one-line messages.
//
// COHORT=path/to/file npm run build publishes the site on another cohort file (CSV or Parquet); the site then
// contains that file's patient-level data, which this loader says loudly. When the cohort is Parquet, this
// loader emits an empty file and cohort.parquet.ts publishes it (see published-cohort.ts; pages open the
// right one through openStudy, src/study/page.ts, from cohort-info.json's `format`).
import {publishCohort} from "./published-cohort.js";

await publishCohort("csv");
