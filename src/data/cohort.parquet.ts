// Data loader for the published cohort when it is a Parquet file (COHORT=path/to/file.parquet npm run build):
// validated by the data layer as cohort.csv.ts validates a CSV (every row, every column; an unusable file
// fails the build with the data layer's one-line messages; the loud warning that the site will contain
// patient-level data), then emitted unchanged. For a CSV cohort (the default) it emits an empty file that no
// page reads (see published-cohort.ts).
import {publishCohort} from "./published-cohort.js";

await publishCohort("parquet");
