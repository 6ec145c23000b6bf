// Input types of the curve components and the pure preparation behind them: normalising curves,
// the points each Plot mark draws, the number-at-risk table model, and the CSV of the step data.
// Presentation only: every number here is read from the caller's estimates; nothing is estimated.

import {DAYS_PER, type TimeUnit, formatCount, isFiniteNumber} from "./format.js";
import {atRiskAt, cumulativeAt, fadeStart, stepValueAt, timeTicks} from "./layout.js";

/** Numbers at risk at chosen times, computed by the caller (e.g. `summary(fit, times)` style). */
export interface AtRiskCounts {
  /** Times (data unit, usually days) at which the counts hold; become the x-axis ticks. */
  time: ArrayLike<number>;
  /** Number at risk at each time. */
  nRisk: ArrayLike<number>;
  /** Cumulative number of events by each time (optional row). */
  cumEvents?: ArrayLike<number>;
  /** Cumulative number censored by each time (optional row). */
  cumCensor?: ArrayLike<number>;
}

/**
 * One Kaplan–Meier curve as the engine returns it for one group: the distinct times (events and
 * censorings) with the estimate after each, optional pointwise confidence limits, and the counts
 * from which the risk table is read. Arrays may be typed arrays; null/NaN limits leave a gap in the
 * band.
 */
export interface SurvivalCurve {
  /** Legend and risk-table label. */
  label: string;
  /** Distinct times, ascending, in `dataUnit` (days by default). */
  time: ArrayLike<number>;
  /** S(t) after each time, on [0, 1]. */
  surv: ArrayLike<number>;
  /** Lower/upper pointwise confidence limits on [0, 1] (null: no band). */
  lower?: ArrayLike<number | null> | null;
  upper?: ArrayLike<number | null> | null;
  /** Censoring times (drawn as tick marks on the curve); derived from `nCensor` if omitted. */
  censorTimes?: ArrayLike<number> | null;
  /** At risk just before each time (survfit's n.risk); needed for the risk table unless `atRisk`. */
  nRisk?: ArrayLike<number> | null;
  /** Events and censorings at each time (for the cumulative rows of the table). */
  nEvent?: ArrayLike<number> | null;
  nCensor?: ArrayLike<number> | null;
  /** Counts at the ticks computed by the caller; when given they define the ticks. */
  atRisk?: AtRiskCounts | null;
  /** Key of the risk-table row and of the colour (defaults to the label); curves sharing it share a row. */
  group?: string;
  /** Explicit colour (CSS). */
  color?: string;
  /** Line dash pattern (SVG stroke-dasharray), e.g. "4,3"; used for a second cause. */
  dash?: string | null;
}

/** A cumulative-incidence curve (one cause, one group): as {@link SurvivalCurve} with `estimate`. */
export interface IncidenceCurve extends Omit<SurvivalCurve, "surv"> {
  /** Cumulative incidence after each time, on [0, 1]. */
  estimate: ArrayLike<number>;
  /** Cause label, e.g. "Relapse"; curves of different causes get different dash patterns. */
  cause?: string;
}

/** Which rows the number-at-risk table shows. */
export type RiskRow = "atRisk" | "events" | "censored";

/** A curve ready to draw: values in display units, initial value prepended. */
export interface PreparedCurve {
  label: string;
  group: string;
  color: string;
  dash: string | null;
  /** Step points starting at the origin: x in display unit. */
  x: number[];
  y: number[];
  lower: (number | null)[] | null;
  upper: (number | null)[] | null;
  /** Censor marks (display unit) with the curve's value there. */
  censor: {x: number; y: number}[];
  /** Display-unit time from which the curve is faded (few at risk), or null. */
  fadeFrom: number | null;
  source: SurvivalCurve | IncidenceCurve;
}

/**
 * Categorical palette (Observable 10, Plot's default) so that curves, legend swatches and risk-table
 * labels share one colour per group.
 */
export const PALETTE = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5", "#9c6b4e", "#9498a0"];

/** Dash patterns for successive causes of one group (solid, dashed, dotted, dash-dot). */
export const DASHES: (string | null)[] = [null, "6,3", "2,2.5", "8,3,2,3"];

function toNumbers(a: ArrayLike<number | null> | null | undefined): (number | null)[] | null {
  if (!a) return null;
  return Array.from(a, (v) => (isFiniteNumber(v) ? v : null));
}

/** Options shared by the preparation functions. */
export interface PrepareOptions {
  /** Unit of the curves' times (default "days"). */
  dataUnit?: TimeUnit;
  /** Unit of the x axis (default "days"). */
  timeUnit?: TimeUnit;
  /** Value before the first time: 1 for survival, 0 for incidence. */
  initial: number;
  /** Time origin (data unit, default 0). */
  origin?: number;
  /** Fade the curve where fewer than this many are at risk (needs nRisk). */
  fadeBelowAtRisk?: number | null;
}

/** Values of a curve, whichever kind it is. */
export function curveValues(c: SurvivalCurve | IncidenceCurve): ArrayLike<number> {
  return "surv" in c ? c.surv : c.estimate;
}

/**
 * Normalise curves for drawing: convert times to the display unit, prepend the origin point,
 * assign colours by group (first appearance order) and dashes by cause, locate censor marks on the
 * step function, and find where to fade the tail. Throws if a curve's arrays differ in length.
 */
export function prepareCurves(curves: readonly (SurvivalCurve | IncidenceCurve)[], options: PrepareOptions): PreparedCurve[] {
  const {dataUnit = "days", timeUnit = "days", initial, origin = 0, fadeBelowAtRisk = null} = options;
  const k = DAYS_PER[dataUnit] / DAYS_PER[timeUnit];
  const groups = new Map<string, number>();
  const causes = new Map<string, number>();
  return curves.map((c) => {
    const values = curveValues(c);
    const n = c.time.length;
    if (values.length !== n) throw new Error(`curve "${c.label}": ${values.length} estimates for ${n} times`);
    for (const [name, arr] of [["lower", c.lower], ["upper", c.upper], ["nRisk", c.nRisk], ["nEvent", c.nEvent], ["nCensor", c.nCensor]] as const) {
      if (arr && arr.length !== n) throw new Error(`curve "${c.label}": ${name} has ${arr.length} values for ${n} times`);
    }
    const group = c.group ?? c.label;
    if (!groups.has(group)) groups.set(group, groups.size);
    const cause = "cause" in c && c.cause !== undefined ? c.cause : "";
    if (!causes.has(cause)) causes.set(cause, causes.size);
    const x = [origin * k];
    const y = [initial];
    for (let i = 0; i < n; ++i) {
      x.push(c.time[i] * k);
      y.push(isFiniteNumber(values[i]) ? values[i] : NaN);
    }
    const lo = toNumbers(c.lower);
    const hi = toNumbers(c.upper);
    let censorTimes: number[] = [];
    if (c.censorTimes) censorTimes = Array.from(c.censorTimes);
    else if (c.nCensor) for (let i = 0; i < n; ++i) if (c.nCensor[i] > 0) censorTimes.push(c.time[i]);
    const censor = censorTimes.map((t) => ({x: t * k, y: stepValueAt(c.time, values, t, initial)}));
    const fade = fadeBelowAtRisk && c.nRisk ? fadeStart(c.time, c.nRisk, fadeBelowAtRisk, origin) : null;
    return {
      label: c.label,
      group,
      color: c.color ?? PALETTE[groups.get(group)! % PALETTE.length],
      dash: c.dash !== undefined ? c.dash : DASHES[causes.get(cause)! % DASHES.length],
      x,
      y,
      lower: lo && [initial, ...lo],
      upper: hi && [initial, ...hi],
      censor,
      fadeFrom: fade === null ? null : fade * k,
      source: c
    };
  });
}

/**
 * Split step points at `from` into a solid head and a faded tail that share the point at `from`
 * (the step value there), so the two pieces join without a gap.
 */
export function splitAt(x: readonly number[], y: readonly number[], from: number | null): {head: {x: number; y: number}[]; tail: {x: number; y: number}[]} {
  const pts = x.map((xi, i) => ({x: xi, y: y[i]}));
  if (from === null) return {head: pts, tail: []};
  const head = pts.filter((p) => p.x <= from);
  const tail = pts.filter((p) => p.x > from);
  if (tail.length === 0) return {head, tail};
  const joint = head.length ? head[head.length - 1].y : tail[0].y;
  return {head, tail: [{x: from, y: joint}, ...tail]};
}

/** Options of {@link riskTableModel}. */
export interface RiskTableOptions {
  dataUnit?: TimeUnit;
  timeUnit?: TimeUnit;
  /** Ticks in the display unit (default: computed from the longest curve). */
  ticks?: readonly number[] | null;
  /** Largest x (display unit) the axis shows. */
  xMax: number;
  /** Rows to show (default ["atRisk"]). */
  rows?: readonly RiskRow[];
  /** Mask counts 1…maskBelow−1 as "<maskBelow" (default 0: off). */
  maskBelow?: number;
}

/** One text cell of the risk table. */
export interface RiskCell {
  row: RiskRow;
  group: string;
  color: string;
  /** Tick position (display unit). */
  x: number;
  /** Count, or null when the curve does not carry what the row needs. */
  value: number | null;
  /** Displayed text (masked / "—"). */
  text: string;
}

/** The risk table: ticks (display unit), row keys in order, and cells. */
export interface RiskTableModel {
  ticks: number[];
  groups: {group: string; color: string; label: string}[];
  rows: RiskRow[];
  cells: RiskCell[];
}

/** Row titles shown above each block of the table. */
export const RISK_ROW_TITLES: Record<RiskRow, string> = {
  atRisk: "Number at risk",
  events: "Cumulative events",
  censored: "Cumulative censored"
};

/**
 * Ticks for the x axis: explicit ones (display unit), else the times of the caller's `atRisk`
 * counts (if every curve of the table gives the same times), else `timeTicks(xMax)`.
 */
export function chooseTicks(prepared: readonly PreparedCurve[], options: {dataUnit?: TimeUnit; timeUnit?: TimeUnit; ticks?: readonly number[] | null; xMax: number; maxTicks?: number}): number[] {
  const {dataUnit = "days", timeUnit = "days", xMax, maxTicks = 8} = options;
  if (options.ticks && options.ticks.length) return options.ticks.filter((t) => t >= 0 && t <= xMax * (1 + 1e-9));
  const k = DAYS_PER[dataUnit] / DAYS_PER[timeUnit];
  const given = prepared.map((p) => p.source.atRisk?.time).filter((t): t is ArrayLike<number> => !!t);
  if (given.length && given.length === prepared.length) {
    const first = Array.from(given[0], (t) => t * k);
    if (given.every((g) => g.length === first.length && Array.from(g).every((t, i) => Math.abs(t * k - first[i]) < 1e-9 * Math.max(1, first[i])))) {
      return first.filter((t) => t <= xMax * (1 + 1e-9));
    }
  }
  return timeTicks(xMax, timeUnit, maxTicks);
}

/**
 * The number-at-risk table at the ticks, one row per group (curves sharing a group share a row).
 * Counts come from the caller's `atRisk` when its times match the ticks, else they are read off the
 * step data (`atRiskAt`, `cumulativeAt`); a count a curve cannot provide shows "—".
 */
export function riskTableModel(prepared: readonly PreparedCurve[], options: RiskTableOptions): RiskTableModel {
  const {dataUnit = "days", timeUnit = "days", xMax, rows = ["atRisk"], maskBelow = 0} = options;
  const ticks = options.ticks ? [...options.ticks] : chooseTicks(prepared, {dataUnit, timeUnit, xMax});
  const k = DAYS_PER[dataUnit] / DAYS_PER[timeUnit];
  const ticksData = ticks.map((t) => t / k);
  const seen = new Set<string>();
  const groups: RiskTableModel["groups"] = [];
  const cells: RiskCell[] = [];
  for (const p of prepared) {
    if (seen.has(p.group)) continue;
    seen.add(p.group);
    groups.push({group: p.group, color: p.color, label: p.group});
    const c = p.source;
    const given = c.atRisk;
    const matches =
      given && given.time.length === ticks.length && Array.from(given.time).every((t, i) => Math.abs(t * k - ticks[i]) < 1e-9 * Math.max(1, ticks[i]));
    for (const row of rows) {
      let values: (number | null)[];
      if (matches && given) {
        const src = row === "atRisk" ? given.nRisk : row === "events" ? given.cumEvents : given.cumCensor;
        values = src ? Array.from(src, (v) => (isFiniteNumber(v) ? v : null)) : ticks.map(() => null);
      } else if (row === "atRisk") {
        values = c.nRisk ? atRiskAt(c.time, c.nRisk, ticksData) : ticks.map(() => null);
      } else {
        const counts = row === "events" ? c.nEvent : c.nCensor;
        values = counts ? cumulativeAt(c.time, counts, ticksData) : ticks.map(() => null);
      }
      ticks.forEach((x, i) => {
        const value = values[i];
        cells.push({row, group: p.group, color: p.color, x, value, text: formatCount(value, {maskBelow})});
      });
    }
  }
  return {ticks, groups, rows: [...rows], cells};
}

/**
 * Long-format rows of the step data (one per curve × time) for the CSV download: label, group,
 * time (data unit), estimate, lower, upper, n.risk, n.event, n.censor. Full precision, no rounding.
 */
export function curvesCsvRows(curves: readonly (SurvivalCurve | IncidenceCurve)[]): Record<string, string | number | null>[] {
  const out: Record<string, string | number | null>[] = [];
  for (const c of curves) {
    const v = curveValues(c);
    for (let i = 0; i < c.time.length; ++i) {
      const num = (a: ArrayLike<number | null> | null | undefined) => {
        const x = a ? a[i] : null;
        return isFiniteNumber(x) ? x : null;
      };
      out.push({
        curve: c.label,
        group: c.group ?? c.label,
        cause: "cause" in c && c.cause !== undefined ? c.cause : null,
        time: c.time[i],
        estimate: num(v),
        lower: num(c.lower),
        upper: num(c.upper),
        n_risk: num(c.nRisk),
        n_event: num(c.nEvent),
        n_censor: num(c.nCensor)
      });
    }
  }
  return out;
}

/** Columns of {@link curvesCsvRows}. */
export const CURVE_CSV_COLUMNS = [
  {key: "curve"},
  {key: "group"},
  {key: "cause"},
  {key: "time", numeric: true},
  {key: "estimate", numeric: true},
  {key: "lower", numeric: true},
  {key: "upper", numeric: true},
  {key: "n_risk", numeric: true},
  {key: "n_event", numeric: true},
  {key: "n_censor", numeric: true}
] as const;

/** Largest time over all curves (data unit), 0 if none. */
export function maxTime(curves: readonly (SurvivalCurve | IncidenceCurve)[]): number {
  let m = 0;
  for (const c of curves) for (let i = 0; i < c.time.length; ++i) if (c.time[i] > m) m = c.time[i];
  for (const c of curves) if (c.censorTimes) for (let i = 0; i < c.censorTimes.length; ++i) if (c.censorTimes[i] > m) m = c.censorTimes[i];
  return m;
}

/** Curves with more points (or censor marks) than this are thinned to the pixel grid before drawing. */
export const THIN_ABOVE = 500;

/**
 * The points of a prepared curve that a plot `pxPerUnit` pixels per x unit wide can show: for each pixel
 * column, its first and last step point (a step function's path through the column is then drawn the same
 * to the pixel, since the dropped points lie between them), and one censor mark per pixel column and
 * pixel row (`pxPerY` pixels per y unit). Curves with at most `THIN_ABOVE` points (or censor marks), or
 * no more than two points per column, come back unchanged. Only what is drawn is thinned: risk tables and exports use the full curve.
 */
export function thinCurve(p: PreparedCurve, pxPerUnit: number, pxPerY: number): PreparedCurve {
  if (!(pxPerUnit > 0) || !Number.isFinite(pxPerUnit)) return p;
  const col = (x: number) => Math.floor(x * pxPerUnit);
  let censor = p.censor;
  if (censor.length > THIN_ABOVE) {
    const seen = new Set<number>();
    censor = censor.filter((c) => {
      const key = col(c.x) * 65536 + Math.round(c.y * pxPerY);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  const keep = pixelIndex(p.x, pxPerUnit);
  if (!keep) return censor === p.censor ? p : {...p, censor};
  return {
    ...p,
    x: keep.map((i) => p.x[i]),
    y: keep.map((i) => p.y[i]),
    lower: p.lower && keep.map((i) => p.lower![i]),
    upper: p.upper && keep.map((i) => p.upper![i]),
    censor
  };
}

/**
 * The indices of ascending step times `x` that a plot `pxPerUnit` pixels per x unit wide can show: for each
 * pixel column, its first and last point (a step function drawn through the kept points is the same to the
 * pixel). Null (keep every point) for at most `THIN_ABOVE` points or no more than two per column.
 */
export function pixelIndex(x: ArrayLike<number>, pxPerUnit: number): number[] | null {
  const n = x.length;
  if (!(pxPerUnit > 0) || !Number.isFinite(pxPerUnit)) return null;
  const col = (v: number) => Math.floor(v * pxPerUnit);
  if (n <= THIN_ABOVE || n <= 2 * (col(x[n - 1]) - col(x[0]) + 1)) return null;
  const keep: number[] = [];
  for (let i = 0; i < n; ++i) {
    const c = col(x[i]);
    if (i === 0 || i === n - 1 || c !== col(x[i - 1]) || c !== col(x[i + 1])) keep.push(i);
  }
  return keep;
}
