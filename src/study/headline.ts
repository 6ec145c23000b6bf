// The paper's headline figures, estimated by the engine on the selected patients: 2-year overall
// survival (Kaplan–Meier ± Greenwood SE), 2-year cumulative incidence of relapse, non-relapse mortality
// and refractory disease (Aalen–Johansen ± cmprsk SE, competing), and the median days to relapse after
// the second vs the first SCT.
import {cumulativeIncidence, type CumulativeIncidenceResult} from "../survival/cumulativeIncidence.js";
import {kaplanMeier, type KaplanMeierFit} from "../survival/kaplanMeier.js";
import {summaryAt} from "../survival/summaryAt.js";
import type {CohortTable} from "../cohort/table.js";
import {isNA} from "../cohort/table.js";
import {endpointInput, eventCodeOrder} from "./endpoints.js";

export interface Estimate {
  /** Proportion on [0, 1], or null when not estimable in this selection. */
  estimate: number | null;
  se: number | null;
  lower: number | null;
  upper: number | null;
}

export interface Headline {
  n: number;
  horizon: number;
  os: Estimate;
  relapse: Estimate;
  nrm: Estimate;
  refractory: Estimate;
  /** Median days from the second SCT to relapse among those who relapsed, and how many. */
  relapseAfterSecond: {median: number | null; n: number};
  /** Median days from the first SCT to relapse (all selected patients with the interval). */
  relapseAfterFirst: {median: number | null; n: number};
  deaths: number;
}

export const NONE: Estimate = {estimate: null, se: null, lower: null, upper: null};

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** 2-year (or `horizon`) survival and its SE/limits from a one-curve Kaplan–Meier fit; NONE without a fit. */
export function survivalEstimate(fit: KaplanMeierFit | null, horizon: number): {os: Estimate; deaths: number} {
  if (!fit) return {os: NONE, deaths: 0};
  const at = summaryAt(fit, [horizon]).strata[0].at[0];
  return {os: {estimate: at.surv, se: at.stdErr, lower: at.lower, upper: at.upper}, deaths: fit.strata[0].events};
}

/**
 * The incidence of each first event at the horizon, keyed by the file's event code (1 relapse, 2 NRM,
 * 3 refractory). The data layer numbers causes by the non-zero codes present (1, 3 → causes 1, 2):
 * `eventCodes[k − 1]` maps engine cause k back to its code.
 */
export function incidenceEstimates(result: CumulativeIncidenceResult | null, eventCodes: readonly number[]): Record<1 | 2 | 3, Estimate> {
  const cif: Record<number, Estimate> = {1: NONE, 2: NONE, 3: NONE};
  for (const c of result?.curves ?? []) {
    const code = eventCodes[c.cause - 1];
    if (code === undefined || !(code in cif)) continue;
    const p = c.at[0];
    cif[code] = {estimate: p.cif, se: p.variance === null ? null : Math.sqrt(p.variance), lower: p.lower, upper: p.upper};
  }
  return cif as Record<1 | 2 | 3, Estimate>;
}

/** The headline figures on the rows where `mask` is 1 (validated per selection), with the OS fit they come from. */
export function headlineWithFit(table: CohortTable, mask: Uint8Array, horizon: number, {confType = "log-log" as const} = {}): {headline: Headline; fit: KaplanMeierFit | null} {
  let n = 0;
  for (const m of mask) n += m;
  const os = endpointInput(table, "os", mask);
  const fit = os.ok && os.rows.length ? kaplanMeier(os.data, {confType}) : null;
  const {os: osEstimate, deaths} = survivalEstimate(fit, horizon);
  const ev = endpointInput(table, "events", mask);
  let cif = incidenceEstimates(null, []);
  const relapseTimes: number[] = [];
  if (ev.ok && ev.rows.length) {
    const codes = eventCodeOrder(table);
    cif = incidenceEstimates(cumulativeIncidence(ev.data, {times: [horizon]}), codes);
    const relapseCause = codes.indexOf(1) + 1;
    for (let j = 0; j < ev.rows.length; ++j) if (relapseCause > 0 && ev.data.event[j] === relapseCause) relapseTimes.push(ev.data.time[j]);
  }
  const interval: number[] = [];
  if (table.has("interval_days")) {
    const c = table.column("interval_days");
    for (let i = 0; i < mask.length; ++i) if (mask[i] && !isNA(c, i)) interval.push(c.values[i] as number);
  }
  return {
    headline: {
      n,
      horizon,
      os: osEstimate,
      relapse: cif[1],
      nrm: cif[2],
      refractory: cif[3],
      relapseAfterSecond: {median: median(relapseTimes), n: relapseTimes.length},
      relapseAfterFirst: {median: median(interval), n: interval.length},
      deaths
    },
    fit
  };
}

/** The headline figures on the rows where `mask` is 1 (see {@link headlineWithFit}). */
export function headline(table: CohortTable, mask: Uint8Array, horizon: number, options: {confType?: "log-log"} = {}): Headline {
  return headlineWithFit(table, mask, horizon, options).headline;
}
