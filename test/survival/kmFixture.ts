// Test-only helpers for the Kaplan–Meier fixtures written by test/reference/km-datasets.R and
// test/reference/km-edge.R (R 4.2.2, survival 3.5-3).
import {readFileSync} from "node:fs";
import type {SurvivalData} from "../../src/survival/input.js";
import type {ConfType} from "../../src/survival/confidenceInterval.js";
import {readCsvColumns} from "../util/csv.js";

type Num = number | null;
type Arr = Num[];

export interface KmCurveFixture {
  level: string | null;
  n: number;
  events: number;
  steps: {time: Arr; nRisk: Arr; nEvent: Arr; nCensor: Arr; surv: Arr; stdErrLog: Arr; stdErr: Arr; lower: Arr | null; upper: Arr | null};
  median: Num;
  medianLower: Num;
  medianUpper: Num;
  quantile: {probs: number[]; quantile: Arr; lower: Arr; upper: Arr};
  at: {time: Arr; surv: Arr; stdErr: Arr; lower: Arr; upper: Arr; nRisk: Arr; nEvent: Arr; nCensor: Arr};
  rmean: {tau: number; rmean: number; se: number}[];
}

export interface KmCaseFixture {
  name: string;
  call: string;
  note: string | null;
  confType: Exclude<ConfType, never>;
  confLevel: number;
  cause: number | null;
  timefix: boolean;
  probs: number[];
  times: number[];
  taus: number[];
  strata: KmCurveFixture[];
  source?: {csv: string; time: string; event: string; group: string | null; entry: string[] | null; weights: string[] | null};
  data?: {time: string[]; event: number[]; entry: string[] | null; group: string[] | null; weights: string[] | null};
}

export function loadKmFixture(file: string): {meta: Record<string, string>; cases: KmCaseFixture[]} {
  return JSON.parse(readFileSync(new URL(`../reference/${file}`, import.meta.url), "utf8"));
}

const csvCache = new Map<string, ReturnType<typeof readCsvColumns>>();

/** The case's input columns: from the CSV it names (plus inline derived columns) or inline data. */
export function caseData(c: KmCaseFixture): SurvivalData {
  const nums = (a: string[] | null | undefined) => (a ? Float64Array.from(a, Number) : undefined);
  if (c.data) {
    return {
      time: Float64Array.from(c.data.time, Number),
      event: Float64Array.from(c.data.event),
      entry: nums(c.data.entry),
      group: c.data.group ?? undefined,
      weights: nums(c.data.weights)
    };
  }
  const s = c.source!;
  let cols = csvCache.get(s.csv);
  if (!cols) csvCache.set(s.csv, (cols = readCsvColumns(new URL(`../../${s.csv}`, import.meta.url).pathname)));
  return {
    time: Float64Array.from(cols[s.time] as number[]),
    event: Float64Array.from(cols[s.event] as number[]),
    group: s.group ? cols[s.group] : undefined,
    entry: nums(s.entry),
    weights: nums(s.weights)
  };
}

/** Non-finite → null, for comparing with R values written as JSON (NA, NaN and Inf all become null). */
export function finite(a: ArrayLike<number>): Num[] {
  return Array.from(a, (v) => (Number.isFinite(v) ? v : null));
}
