// The published cohort as Parquet (data/cohort.parquet, written by src/data/cohort.parquet.ts when the site is
// built with COHORT=file.parquet). Imported only by loadPublishedCohort (src/study/publishedCohort.ts), and only
// when cohort-info.json says the cohort is Parquet: pages keep passing FileAttachment("data/cohort.csv").
//
// The attachment is only ever used through `.arrayBuffer()`: Framework infers a file's client libraries from
// how it is called, and a bare FileAttachment("….parquet") would make every page import apache-arrow and
// parquet-wasm (which the offline build cannot fetch, and which the data layer does not need: it reads Parquet
// with hyparquet).
import {FileAttachment} from "npm:@observablehq/stdlib";

/** The bytes of data/cohort.parquet (fetched from this site). */
export function publishedParquetBytes(): Promise<ArrayBuffer> {
  return FileAttachment("../data/cohort.parquet").arrayBuffer();
}
