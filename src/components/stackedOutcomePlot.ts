// Stacked outcome probabilities over time: e.g. alive in remission (relapse-free survival), relapse,
// non-relapse mortality (and refractory), which sum to 1 at every time (one Aalen–Johansen fit).
// Drawn as step areas so the reader sees the decomposition; the risk table can sit under it on
// the same x scale.

import * as Plot from "npm:@observablehq/plot";
import {type AtRiskCounts, PALETTE, pixelIndex} from "./curves.js";
import {DAYS_PER, type TimeUnit, formatCount, formatDays, formatNumber, formatPercent, isFiniteNumber} from "./format.js";
import {atRiskAt, textWidth, timeTicks} from "./layout.js";
import {message} from "./message.js";
import {downloadButtons} from "./exports.js";
import {legendSvg, riskTableSvg, textBlockSvg, type SharedX} from "./panels.js";
import {s} from "./dom.js";
import {frameClip, type RenderDimensions, type RenderScales} from "./frameClip.js";
import {stepAreaPath} from "./stepPaths.js";

/** One state of the decomposition. */
export interface OutcomeState {
  label: string;
  /** Probability of being in this state at each time, on [0, 1]. */
  values: ArrayLike<number>;
  color?: string;
}

/** Input of {@link stackedOutcomePlot}: a common time grid and the state probabilities on it. */
export interface StackedOutcomes {
  /** Times (data unit, ascending). */
  time: ArrayLike<number>;
  /** States, bottom to top. The first is the initial state (probability 1 at the origin). */
  states: OutcomeState[];
  /** At risk just before each time, for the number-at-risk table (or give `atRisk`). */
  nRisk?: ArrayLike<number> | null;
  atRisk?: AtRiskCounts | null;
}

/** Options of {@link stackedOutcomePlot}. */
export interface StackedOutcomeOptions {
  width?: number;
  height?: number;
  dataUnit?: TimeUnit;
  timeUnit?: TimeUnit;
  ticks?: number[] | null;
  xMax?: number | null;
  xLabel?: string;
  yLabel?: string;
  /** Show the number-at-risk row under the plot (default true when nRisk/atRisk is given). */
  riskTable?: boolean;
  /** Label of the risk-table row (default "All patients"). */
  riskLabel?: string;
  maskBelow?: number;
  title?: string;
  caption?: string;
  tip?: boolean;
  download?: string | false;
}

/** Default colours: the initial state (alive in remission) teal, then warm colours for the bad outcomes. */
const STATE_COLORS = ["#6cc5b0", "#ff725c", "#a463f2", "#efb118", "#9498a0", ...PALETTE];

/**
 * Long rows for the stacked area: one per time × state, with the origin prepended (first state 1,
 * others 0) when the grid does not start at 0. Values that are not finite become 0 so the stack
 * stays closed, and are reported in `nonFinite`.
 */
export function stackedRows(data: StackedOutcomes, k = 1): {rows: {x: number; state: string; value: number; order: number}[]; nonFinite: number; maxSumError: number} {
  const n = data.time.length;
  for (const st of data.states) if (st.values.length !== n) throw new Error(`state "${st.label}": ${st.values.length} values for ${n} times`);
  const rows: {x: number; state: string; value: number; order: number}[] = [];
  let nonFinite = 0;
  let maxSumError = 0;
  if (n === 0 || data.time[0] > 0) data.states.forEach((st, j) => rows.push({x: 0, state: st.label, value: j === 0 ? 1 : 0, order: j}));
  for (let i = 0; i < n; ++i) {
    let sum = 0;
    data.states.forEach((st, j) => {
      let v = st.values[i];
      if (!isFiniteNumber(v)) {
        nonFinite += 1;
        v = 0;
      }
      sum += v;
      rows.push({x: data.time[i] * k, state: st.label, value: v, order: j});
    });
    maxSumError = Math.max(maxSumError, Math.abs(sum - 1));
  }
  return {rows, nonFinite, maxSumError};
}

/**
 * Stacked-area figure of state probabilities over time (step-after), e.g. relapse-free survival +
 * relapse + NRM (+ refractory) = 1, with a legend, optional number-at-risk row and a tooltip
 * listing every state at the pointer time. If the states do not sum to 1 (by more than 0.05
 * percentage points anywhere), a visible note says so rather than hiding it.
 */
export function stackedOutcomePlot(data: StackedOutcomes, options: StackedOutcomeOptions = {}): HTMLElement {
  const {dataUnit = "days", timeUnit = "days", maskBelow = 0, tip = true, title, caption, download = false} = options;
  if (!data.states.length || data.time.length === 0) return message("No patients match these filters", {detail: "There is nothing to draw for this selection.", height: 160});
  const width = Math.max(280, Math.round(options.width ?? 640));
  const height = options.height ?? Math.round(Math.min(400, Math.max(200, width * 0.5)));
  const k = DAYS_PER[dataUnit] / DAYS_PER[timeUnit];
  const {rows, maxSumError} = stackedRows(data, k);
  const xMax = options.xMax ?? (data.time[data.time.length - 1] * k || 1);
  const colors = data.states.map((st, j) => st.color ?? STATE_COLORS[j % STATE_COLORS.length]);
  const labels = data.states.map((st) => st.label);

  // Margins first (from the largest count the table can show), then as many ticks as the frame holds.
  const showRisk = options.riskTable ?? !!(data.nRisk || data.atRisk);
  const riskLabel = options.riskLabel ?? "All patients";
  let widest = 1;
  for (const a of [data.nRisk, data.atRisk?.nRisk]) if (a) for (let i = 0; i < a.length; ++i) widest = Math.max(widest, a[i] || 0);
  const countHalf = showRisk ? Math.max(8, textWidth(String(Math.round(widest)), 11) / 2, textWidth(`<${maskBelow}`, 11) / 2) : 8;
  const gap = Math.ceil(countHalf + 6);
  const labelWidth = showRisk ? Math.min(textWidth(riskLabel, 11, true), width * 0.3) : 0;
  const marginLeft = Math.round(Math.max(46, labelWidth + gap + 4));
  const marginRight = Math.round(Math.max(20, countHalf + 6));
  const maxTicks = Math.max(3, Math.min(12, Math.floor((width - marginLeft - marginRight) / 50) + 1));
  const ticks = options.ticks?.length ? options.ticks.filter((t) => t >= 0 && t <= xMax * (1 + 1e-9)) : data.atRisk ? Array.from(data.atRisk.time, (t) => t * k) : timeTicks(xMax, timeUnit, maxTicks);
  let counts: (number | null)[] = [];
  if (showRisk) {
    if (data.atRisk && data.atRisk.time.length === ticks.length) counts = Array.from(data.atRisk.nRisk, (v) => (isFiniteNumber(v) ? v : null));
    else if (data.nRisk) counts = atRiskAt(data.time, data.nRisk, ticks.map((t) => t / k));
    else counts = ticks.map(() => null);
  }
  const texts = counts.map((c) => formatCount(c, {maskBelow}));
  const shared: SharedX = {width, marginLeft, marginRight, domain: [0, xMax], ticks};

  // The stack as step areas between running sums (first state at the bottom), drawn from the points a
  // pixel column can show (a registry-sized cohort has a step per distinct day); the CSV keeps every point.
  const S = data.states.length;
  const xs = Array.from({length: rows.length / S}, (_, i) => rows[i * S].x);
  const frame = width - marginLeft - marginRight;
  const keep = pixelIndex(xs, frame / xMax) ?? xs.map((_, i) => i);
  const keptX = keep.map((i) => xs[i]);
  const bounds: {lower: number[]; upper: number[]}[] = [];
  let below = keep.map(() => 0);
  for (let j = 0; j < S; ++j) {
    const upper = keep.map((i, q) => below[q] + rows[i * S + j].value);
    bounds.push({lower: below, upper});
    below = upper;
  }
  const areas = ((_index: unknown, scales: RenderScales, _values: unknown, d: RenderDimensions) => {
    const clip = frameClip(d, "sv-stack-clip");
    return s(
      "g",
      {"aria-label": "area", class: "sv-stacked-areas"},
      clip.defs,
      ...bounds.map((b, j) => s("path", {d: stepAreaPath(keptX, b.lower, b.upper, scales.x!, scales.y!), fill: colors[j], "clip-path": clip.url}))
    );
  }) as unknown as Plot.Markish;
  const marks: Plot.Markish[] = [areas, Plot.ruleY([0])];
  if (tip) {
    const pts = keep.map((i) => ({
      x: xs[i],
      text: `${formatDays(xs[i] * DAYS_PER[timeUnit], {unit: timeUnit})}\n${data.states.map((st, j) => `${st.label}: ${formatPercent(rows[i * S + j].value)}`).join("\n")}`
    }));
    marks.push(Plot.tip(pts, Plot.pointerX({x: "x", y: () => 0.5, title: "text", fontSize: 11})));
  }
  const plot = Plot.plot({
    width,
    height,
    marginLeft,
    marginRight,
    marginTop: 26,
    marginBottom: 42,
    x: {domain: [0, xMax], ticks, tickFormat: (d: number) => (Number.isInteger(d) ? String(d) : String(+d.toFixed(2))), label: options.xLabel ?? `Time since transplant (${timeUnit})`, labelAnchor: "center", labelArrow: "none", labelOffset: 34},
    y: {domain: [0, 1], grid: true, tickFormat: (d: number) => `${formatNumber(d * 100, 0)}%`, label: options.yLabel ?? "Probability of state", labelArrow: "none"},
    ariaLabel: title ?? "Stacked outcome probabilities",
    marks
  }) as unknown as SVGSVGElement;
  plot.classList.add("sv-stacked");

  const figure = document.createElement("figure");
  figure.className = "sv-figure sv-stacked-figure";
  figure.style.cssText = "margin:0 0 1rem 0;max-width:100%";
  if (title) figure.append(textBlockSvg(title, width, {font: 14, weight: 600, className: "sv-title"}));
  figure.append(legendSvg(labels.map((label, j) => ({label, color: colors[j], dash: null, kind: "area" as const})), shared));
  figure.append(plot);
  if (showRisk) {
    const model = {
      ticks,
      groups: [{group: riskLabel, color: "currentColor", label: riskLabel}],
      rows: ["atRisk" as const],
      cells: ticks.map((x, i) => ({row: "atRisk" as const, group: riskLabel, color: "currentColor", x, value: counts[i], text: texts[i]}))
    };
    figure.append(riskTableSvg(model, shared, {labelWidth, gap}));
  }
  // Visible at display precision (0.1 percentage point): say so rather than hide it.
  if (maxSumError > 5e-4) {
    figure.append(textBlockSvg(`Note: the states do not sum to 1 (largest deviation ${formatNumber(maxSumError, 4)}).`, width, {font: 11, className: "sv-warning"}));
  }
  if (caption) figure.append(textBlockSvg(caption, width, {font: 11, className: "sv-caption"}));
  if (download) {
    const csvRows = () => rows.map((r) => ({state: r.state, [`time_${timeUnit}`]: r.x, probability: r.value}));
    figure.append(downloadButtons(figure, {filename: download, csv: {rows: csvRows, columns: ["state", {key: `time_${timeUnit}`, numeric: true}, {key: "probability", numeric: true}]}}));
  }
  return figure;
}
