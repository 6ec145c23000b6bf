// Pure layout helpers shared by the plot components: time-unit conversion, tick choice, reading a
// step function at the ticks (number at risk, cumulative events), where to fade a curve, log-scale
// ticks for forest plots, and text-width estimates for margins. No DOM, no statistics: everything
// here re-reads numbers the engine already computed.

import {DAYS_PER, type TimeUnit} from "./format.js";

/** Convert a time from `from` units to `to` units (days ↔ months ↔ years; 1 year = 365.25 days). */
export function convertTime(t: number, from: TimeUnit, to: TimeUnit): number {
  return from === to ? t : (t * DAYS_PER[from]) / DAYS_PER[to];
}

// Tick steps a reader expects in each unit, smallest first.
const STEPS: Record<TimeUnit, number[]> = {
  days: [1, 2, 5, 7, 10, 14, 20, 25, 30, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000],
  months: [1, 2, 3, 6, 12, 24, 36, 60, 120, 240],
  years: [0.25, 0.5, 1, 2, 5, 10, 20, 50]
};

/**
 * Tick positions from 0 to `max` (both in `unit`), at a step readers expect in that unit (months in
 * 3/6/12, years in 1/2/5 …), with at most `maxTicks` ticks. Ticks are integer multiples of the step,
 * so they never drift from float accumulation.
 *
 * @example timeTicks(60, "months", 8) // [0, 12, 24, 36, 48, 60]
 */
export function timeTicks(max: number, unit: TimeUnit, maxTicks = 8): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const limit = Math.max(2, Math.floor(maxTicks));
  const steps = STEPS[unit];
  let step = steps.find((s) => Math.floor(max / s + 1e-9) + 1 <= limit);
  if (step === undefined) {
    // Beyond the table: powers of ten times 1, 2, 5.
    const raw = max / (limit - 1);
    const p = 10 ** Math.floor(Math.log10(raw));
    step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  }
  const n = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  for (let i = 0; i <= n; ++i) ticks.push(+(i * step).toPrecision(12));
  return ticks;
}

/** Index of the last element of the ascending `time` that is ≤ t (−1 if none). */
export function lastIndexAtOrBefore(time: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = time.length; // invariant: time[< lo] ≤ t, time[≥ hi] > t
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Value of a right-continuous step function at t: `values[i]` for the last step time ≤ t, or
 * `initial` before the first step (S(t) = 1, CIF(t) = 0 before any time).
 */
export function stepValueAt(time: ArrayLike<number>, values: ArrayLike<number>, t: number, initial: number): number {
  const i = lastIndexAtOrBefore(time, t);
  return i < 0 ? initial : values[i];
}

/** Relative slack when matching a tick (converted from months/years back to days) to a data time. */
const TIE = 1e-9;

/**
 * Number at risk at each tick read off the step data, as `summary(survfit, times = ticks)$n.risk`:
 * the count at risk just before tick t is `nRisk` at the first step time ≥ t; past the last step
 * time nobody is at risk (0). `time` must list every distinct observed time (events and
 * censorings), ascending, as survfit and the engine's fits do; ticks are in the same unit as `time`.
 */
export function atRiskAt(time: ArrayLike<number>, nRisk: ArrayLike<number>, ticks: readonly number[]): number[] {
  return ticks.map((t) => {
    const i = lastIndexAtOrBefore(time, t - TIE * Math.max(1, Math.abs(t))) + 1;
    return i < time.length ? nRisk[i] : 0;
  });
}

/** Cumulative sum of `counts` over step times ≤ each tick (cumulative events or censorings). */
export function cumulativeAt(time: ArrayLike<number>, counts: ArrayLike<number>, ticks: readonly number[]): number[] {
  const cum = new Float64Array(time.length);
  let s = 0;
  for (let i = 0; i < time.length; ++i) cum[i] = s += counts[i];
  return ticks.map((t) => {
    const i = lastIndexAtOrBefore(time, t + TIE * Math.max(1, Math.abs(t)));
    return i < 0 ? 0 : cum[i];
  });
}

/**
 * Time after which fewer than `threshold` subjects remain at risk: `time[i − 1]` for the first step
 * i whose `nRisk[i]` (at risk just before `time[i]`) is below the threshold, or `origin` if that is
 * the first step; `null` if the count never drops below it. Used to fade a curve's unreliable tail.
 */
export function fadeStart(time: ArrayLike<number>, nRisk: ArrayLike<number>, threshold: number, origin = 0): number | null {
  for (let i = 0; i < time.length; ++i) {
    if (nRisk[i] < threshold) return i === 0 ? origin : time[i - 1];
  }
  return null;
}

/**
 * Ticks for a log-scaled ratio axis spanning [lo, hi]: the densest of 1·2·5, 1·3 and 1 × 10^k that
 * fits in `maxTicks` (every other decade if even that is too many). Contains 1 when 1 is in range.
 */
export function logTicks(lo: number, hi: number, maxTicks = 9): number[] {
  if (!(lo > 0) || !(hi > lo) || !Number.isFinite(hi)) return [1];
  const within = (v: number) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  const k0 = Math.floor(Math.log10(lo));
  const k1 = Math.ceil(Math.log10(hi));
  for (const mantissas of [[1, 2, 5], [1, 3], [1]]) {
    const ticks: number[] = [];
    for (let k = k0; k <= k1; ++k) for (const m of mantissas) if (within(m * 10 ** k)) ticks.push(+(m * 10 ** k).toPrecision(6));
    if (ticks.length <= maxTicks) return ticks;
  }
  const ticks: number[] = [];
  for (let k = k0; k <= k1; ++k) if (k % 2 === 0 && within(10 ** k)) ticks.push(+(10 ** k).toPrecision(6));
  return ticks;
}

/**
 * Approximate rendered width in px of `text` in a proportional sans-serif at `fontSize` px (bold:
 * ~15% wider). Used to size margins before the element is in the document (Plot needs margins up
 * front). Calibrated on DejaVu Sans, the widest common system-ui fallback, so it errs wide.
 */
export function textWidth(text: string, fontSize = 10, bold = false): number {
  let w = 0;
  for (const ch of text) {
    if (/[iIl.,:;'|!()[\]]/.test(ch)) w += 0.3;
    else if (/[fjrt ]/.test(ch)) w += 0.4;
    else if (/[mwMW%@]/.test(ch)) w += 0.9;
    else if (/[A-Z0-9]/.test(ch)) w += 0.68;
    else w += 0.58;
  }
  return w * fontSize * (bold ? 1.15 : 1.03);
}

/** `text` shortened with an ellipsis so that `textWidth` ≤ maxWidth (unchanged if it fits). */
export function truncateText(text: string, maxWidth: number, fontSize = 10, bold = false): string {
  if (textWidth(text, fontSize, bold) <= maxWidth) return text;
  const chars = Array.from(text);
  while (chars.length > 1 && textWidth(chars.join("") + "…", fontSize, bold) > maxWidth) chars.pop();
  return chars.join("").trimEnd() + "…";
}

/**
 * Greedy line-wrapping of legend items into rows no wider than `width`; returns, for each item,
 * its row and x offset. `itemWidths` include the swatch and padding.
 */
export function flowLayout(itemWidths: readonly number[], width: number, gap = 16): {row: number; x: number}[] {
  const out: {row: number; x: number}[] = [];
  let row = 0;
  let x = 0;
  for (const w of itemWidths) {
    if (x > 0 && x + w > width) {
      row += 1;
      x = 0;
    }
    out.push({row, x});
    x += w + gap;
  }
  return out;
}
