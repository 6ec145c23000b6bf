import type {KaplanMeierFit} from "./kaplanMeier.js";

/** A Kaplan–Meier curve read at one requested time; `null` where R gives NA/NaN. */
export interface SurvivalAtTime {
  time: number;
  /** S(time): the curve's value at the last step at or before `time` (1 before the first step). */
  surv: number;
  /** Standard error of S (probability scale, R's `summary()$std.err`); `null` where S = 0. */
  stdErr: number | null;
  lower: number | null;
  upper: number | null;
  /** Number at risk at `time` (weighted): that of the first step at or after `time`; 0 beyond the last. */
  nRisk: number;
  /** Events (weighted) in (previous requested time, time]; from 0 for the first. */
  nEvent: number;
  /** Censorings (weighted) in (previous requested time, time]. */
  nCensor: number;
}

export interface SurvivalSummaryAt {
  /** The requested times, ascending (as R sorts them). */
  times: number[];
  strata: {level: string | null; at: SurvivalAtTime[]}[];
}

/**
 * Survival, its standard error, confidence limits and numbers at risk at requested times, as R's
 * `summary(survfit(...), times = times, extend = TRUE)` (survival 3.5-3): times before the first
 * step give S = 1, SE 0, limits 1 (R's `survfit0` start row) and the number at risk at the start;
 * times after the last observation repeat the last value of the curve with 0 at risk. Times are
 * reported in ascending order; `nEvent`/`nCensor` count what happened since the previous requested
 * time, as R does. Probability scale; time in the data's units.
 */
export function summaryAt(fit: KaplanMeierFit, times: ArrayLike<number>): SurvivalSummaryAt {
  const sorted = Array.from(times);
  for (let i = 0; i < sorted.length; ++i)
    if (typeof sorted[i] !== "number" || !Number.isFinite(sorted[i]))
      throw new RangeError(`times[${i}]: ${String(sorted[i])} (summary times must be finite numbers)`);
  sorted.sort((a, b) => a - b);
  const none = fit.confType === "none";
  const f = (v: number) => (Number.isFinite(v) ? v : null);
  const strata = fit.strata.map((s) => {
    const m = s.time.length;
    // R prepends a start row at time 0 (surv 1, SE 0, limits 1, n at risk of the first row) unless
    // the curve already starts at 0.
    const pre = m === 0 || s.time[0] !== 0 ? 1 : 0;
    const m0 = m + pre;
    const timeAt = (k: number) => (pre && k === 0 ? 0 : s.time[k - pre]);
    // cumulative events and censorings over the rows, as R's cumsum
    const cumEvent = new Float64Array(m0 + 1);
    const cumCensor = new Float64Array(m0 + 1);
    for (let k = pre; k < m0; ++k) {
      cumEvent[k + 1] = cumEvent[k] + s.nEvent[k - pre];
      cumCensor[k + 1] = cumCensor[k] + s.nCensor[k - pre];
    }
    let prevEvent = 0;
    let prevCensor = 0;
    let idx = 0; // number of rows with time ≤ t
    let idx2 = 0; // number of rows with time < t
    const at: SurvivalAtTime[] = sorted.map((t) => {
      while (idx < m0 && timeAt(idx) <= t) ++idx;
      while (idx2 < m0 && timeAt(idx2) < t) ++idx2;
      const row = Math.max(idx, 1) - 1; // last row at or before t (the first row when none)
      const isStart = pre === 1 && row === 0;
      const r = row - pre;
      const nEvent = cumEvent[idx] - prevEvent;
      const nCensor = cumCensor[idx] - prevCensor;
      prevEvent = cumEvent[idx];
      prevCensor = cumCensor[idx];
      const nRisk = idx2 >= m0 ? 0 : pre && idx2 === 0 ? (m > 0 ? s.nRisk[0] : 0) : s.nRisk[idx2 - pre];
      return {
        time: t,
        surv: isStart ? 1 : s.surv[r],
        stdErr: isStart ? 0 : f(s.stdErr[r]),
        lower: none ? null : isStart ? 1 : f(s.lower[r]),
        upper: none ? null : isStart ? 1 : f(s.upper[r]),
        nRisk,
        nEvent,
        nCensor
      };
    });
    return {level: s.level, at};
  });
  return {times: sorted, strata};
}
