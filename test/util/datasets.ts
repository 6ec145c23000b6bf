// The reference data sets the engine's Cox tests fit (written by test/reference/export-datasets.R from R's
// survival package; data/bmt.csv from KMsurv), read once per test file.
import {readCsvColumns} from "./csv.js";

export const lung = readCsvColumns("test/data/lung.csv");
export const veteran = readCsvColumns("test/data/veteran.csv");
export const aml = readCsvColumns("test/data/aml.csv");
export const bmt = readCsvColumns("data/bmt.csv");
export const mgus2 = readCsvColumns("test/data/mgus2.csv");

/** A column of a read data set, as cells. */
export const col = (c: Record<string, unknown[]>, name: string) => c[name] as (number | string | null)[];
