// Kaplan–Meier and cumulative-incidence figures with a number-at-risk table drawn on the SAME x
// scale as the curves: both panels are Plot charts built with one width, one pair of left/right
// margins, one x domain and one tick list, so each count sits exactly under its tick (the most
// frequent complaint about survminer/lifelines, peers.md A1). The figure is a stack of SVGs
// (legend, curves, table, caption) that exports as one SVG/PNG (exports.ts).

import * as Plot from "npm:@observablehq/plot";
import {
  type IncidenceCurve,
  type PreparedCurve,
  RISK_ROW_TITLES,
  type RiskRow,
  type RiskTableModel,
  type SurvivalCurve,
  CURVE_CSV_COLUMNS,
  chooseTicks,
  curvesCsvRows,
  maxTime,
  prepareCurves,
  riskTableModel,
  splitAt,
  thinCurve
} from "./curves.js";
import {TABLE_FONT, type SharedX, legendSvg, riskTableSvg, textBlockSvg} from "./panels.js";
import {type TimeUnit, DAYS_PER, formatDays, formatNumber, formatPercent, formatCI} from "./format.js";
import {textWidth} from "./layout.js";
import {message} from "./message.js";
import {downloadButtons} from "./exports.js";
import {s} from "./dom.js";

export type {SurvivalCurve, IncidenceCurve, RiskRow, AtRiskCounts} from "./curves.js";

/** Options of {@link survivalPlot} and {@link cumulativeIncidencePlot}. */
export interface CurvePlotOptions {
  /** Total width in px (default 640). Use Framework's `resize((width) => survivalPlot(c, {width}))`. */
  width?: number;
  /** Height of the curve panel in px (default: 0.55 × width, between 220 and 420). */
  height?: number;
  /** Unit of the curves' times (default "days"). */
  dataUnit?: TimeUnit;
  /** Unit of the x axis and of the risk-table columns (default "days"). */
  timeUnit?: TimeUnit;
  /** Explicit tick positions in `timeUnit`; the risk table uses the same ones. */
  ticks?: number[] | null;
  /** Right end of the x axis in `timeUnit` (default: the last time of any curve). */
  xMax?: number | null;
  /** Largest number of ticks when they are computed (default from the width, at most 10). */
  maxTicks?: number;
  /** x-axis label (default "Time since transplant (<unit>)"). */
  xLabel?: string;
  /** y-axis label (default "Survival probability" / "Cumulative incidence"). */
  yLabel?: string;
  /** y domain (default [0, 1]). */
  yDomain?: [number, number];
  /** y ticks as percentages (default true). */
  percent?: boolean;
  /** Draw the confidence bands from `lower`/`upper` as step areas (default true). */
  confBand?: boolean;
  /** Draw censoring tick marks (default true). */
  censorMarks?: boolean;
  /** The number-at-risk table: true (at risk only), false, or the rows to show. Default true. */
  riskTable?: boolean | RiskRow[];
  /** Mask risk-table counts 1…k−1 as "<k" (small-cell suppression). Default 0 (off). */
  maskBelow?: number;
  /** Fade each curve from where fewer than this many remain at risk (needs nRisk). */
  fadeBelowAtRisk?: number | null;
  /** Legend (default: when there is more than one curve). */
  legend?: boolean;
  /** Title and caption drawn into the figure (and so into exports). */
  title?: string;
  caption?: string;
  /** Pointer tooltip with estimate, CI and time (default true). */
  tip?: boolean;
  /** Extra Plot marks for the curve panel (x in `timeUnit`, y on the estimate scale). */
  marks?: Plot.Markish[];
  /** Add SVG/PNG/CSV download buttons under the figure, with this file name stem. */
  download?: string | false;
  /** Text instead of a chart when there are no curves (default "No patients match these filters"). */
  emptyMessage?: string;
}

/** Kind of curve panel. */
type Kind = "survival" | "incidence";

// A vertical stroke centred on the point: censor marks as on R's plot.survfit ("|" rather than "+").
/**
 * Censoring marks: a vertical tick 8 px tall at each censored time on the curve, drawn as ONE path (a
 * registry-sized curve has hundreds of them; one SVG element each made every redraw slower). Ticks
 * outside the plot frame are left out, as a clipped mark would.
 */
function censorTicks(points: readonly {x: number; y: number}[], color: string): Plot.Markish {
  return ((_index: unknown, scales: {x?: (v: number) => number; y?: (v: number) => number}, _values: unknown, dimensions: {width: number; height: number; marginLeft: number; marginRight: number; marginTop: number; marginBottom: number}) => {
    const sx = scales.x!;
    const sy = scales.y!;
    const left = dimensions.marginLeft - 0.5;
    const right = dimensions.width - dimensions.marginRight + 0.5;
    const top = dimensions.marginTop - 0.5;
    const bottom = dimensions.height - dimensions.marginBottom + 0.5;
    const parts: string[] = [];
    for (const c of points) {
      const px = sx(c.x);
      const py = sy(c.y);
      if (!(px >= left && px <= right && py >= top && py <= bottom)) continue;
      parts.push(`M${Math.round(px * 10) / 10},${Math.round((py - 4) * 10) / 10}v8`);
    }
    return s("g", {"aria-label": "censored", class: "sv-censor-marks"}, s("path", {d: parts.join(""), fill: "none", stroke: color, "stroke-width": 1.3}));
  }) as unknown as Plot.Markish;
}


/** Tick labels: integers as is, fractions (0.25 year) with at most two decimals. */
function formatTick(d: number): string {
  return Number.isInteger(d) ? String(d) : String(+d.toFixed(2));
}

function emptyFigure(text: string): HTMLElement {
  return message(text, {detail: "There is nothing to draw for this selection.", height: 160});
}

function curveFigure(curves: readonly (SurvivalCurve | IncidenceCurve)[], options: CurvePlotOptions, kind: Kind): HTMLElement {
  const {
    width: rawWidth = 640,
    dataUnit = "days",
    timeUnit = "days",
    confBand = true,
    censorMarks = true,
    riskTable = true,
    maskBelow = 0,
    fadeBelowAtRisk = null,
    percent = true,
    tip = true,
    title,
    caption,
    download = false,
    marks: extra = []
  } = options;
  if (!curves.length || curves.every((c) => c.time.length === 0)) return emptyFigure(options.emptyMessage ?? "No patients match these filters");
  const width = Math.max(280, Math.round(rawWidth));
  const initial = kind === "survival" ? 1 : 0;
  const yDomain = options.yDomain ?? [0, 1];
  const height = options.height ?? Math.round(Math.min(420, Math.max(220, width * 0.55)));
  const prepared = prepareCurves(curves, {dataUnit, timeUnit, initial, fadeBelowAtRisk});
  const k = DAYS_PER[dataUnit] / DAYS_PER[timeUnit];
  const xMax = options.xMax ?? (maxTime(curves) * k || 1);
  const rows: RiskRow[] = riskTable === true ? ["atRisk"] : riskTable === false ? [] : riskTable;

  // Margins shared by every panel: room for the y tick labels, the risk-table labels, and half of
  // the widest count at the first and last tick (counts are centred on their ticks). They are
  // sized before the ticks are chosen (the number of ticks depends on the frame width), from the
  // largest count any cell can show: the number at risk at the origin, or the group size.
  let widest = 1;
  for (const c of curves) {
    for (const a of [c.nRisk, c.atRisk?.nRisk, c.nEvent, c.nCensor]) if (a) for (let i = 0; i < a.length; ++i) widest = Math.max(widest, a[i] || 0);
  }
  if (rows.includes("events") || rows.includes("censored")) widest = Math.max(widest, ...curves.map((c) => (c.nRisk?.length ? c.nRisk[0] : 0)));
  const countHalf = rows.length ? Math.max(8, textWidth(String(Math.round(widest)), TABLE_FONT) / 2, textWidth(`<${maskBelow}`, TABLE_FONT) / 2) : 8;
  const groupLabels = [...new Set(prepared.map((p) => p.group))];
  const wantedLabel = rows.length ? Math.max(0, ...groupLabels.map((g) => textWidth(g, TABLE_FONT, true))) : 0;
  const labelWidth = Math.min(wantedLabel, Math.round(width * 0.3));
  const gap = Math.ceil(countHalf + 6); // labels end this far left of x = 0
  const marginLeft = Math.round(Math.max(46, labelWidth + gap + 4));
  const marginRight = Math.round(Math.max(20, countHalf + 6));
  const frame = width - marginLeft - marginRight;
  const maxTicks = options.maxTicks ?? Math.max(3, Math.min(12, Math.floor(frame / 50) + 1));
  const ticks = chooseTicks(prepared, {dataUnit, timeUnit, ticks: options.ticks, xMax, maxTicks});
  const model = rows.length ? riskTableModel(prepared, {dataUnit, timeUnit, ticks, xMax, rows, maskBelow}) : null;
  const shared: SharedX = {width, marginLeft, marginRight, domain: [0, xMax], ticks};

  const xLabel = options.xLabel ?? `Time since transplant (${timeUnit})`;
  const yLabel = options.yLabel ?? (kind === "survival" ? "Survival probability" : "Cumulative incidence");
  const fmtY = (d: number) => (percent ? `${formatNumber(d * 100, 0)}%` : formatNumber(d, 1));

  // What is drawn is thinned to the pixel grid (a registry-sized curve has a step per distinct day);
  // the risk table above and the exports below use the full curves.
  const plotHeight = height - 26 - 42;
  const drawn = prepared.map((p) => thinCurve(p, frame / xMax, plotHeight / (yDomain[1] - yDomain[0] || 1)));
  const marks: Plot.Markish[] = [];
  if (confBand) {
    for (const p of drawn) {
      if (!p.lower || !p.upper) continue;
      const pts = p.x.map((x, i) => ({x, lo: p.lower![i], hi: p.upper![i]}));
      marks.push(Plot.areaY(pts, {x: "x", y1: "lo", y2: "hi", curve: "step-after", fill: p.color, fillOpacity: 0.14, clip: true}));
    }
  }
  marks.push(Plot.ruleY([yDomain[0]], {strokeOpacity: 0.6}));
  for (const p of drawn) {
    const {head, tail} = splitAt(p.x, p.y, p.fadeFrom);
    const line = {x: "x", y: "y", curve: "step-after" as const, stroke: p.color, strokeWidth: 2, strokeDasharray: p.dash ?? undefined, clip: true};
    marks.push(Plot.line(head, {...line}));
    if (tail.length) marks.push(Plot.line(tail, {...line, strokeOpacity: 0.35}));
    if (censorMarks && p.censor.length) {
      marks.push(censorTicks(p.censor, p.color));
    }
  }
  marks.push(...extra);
  if (tip) {
    const pts = drawn.flatMap((p) =>
      p.x.map((x, i) => ({
        curve: p.label,
        x,
        y: p.y[i],
        text:
          `${p.label}\n${formatDays(x * DAYS_PER[timeUnit], {unit: timeUnit})}: ${formatPercent(p.y[i])}` +
          (p.lower && p.upper ? ` (95% CI ${formatCI(p.lower[i], p.upper[i], {percent: true})})` : "")
      }))
    );
    marks.push(Plot.tip(pts, Plot.pointerX({x: "x", y: "y", title: "text", fontSize: 11})));
  }
  const plot = Plot.plot({
    width,
    height,
    marginLeft,
    marginRight,
    marginTop: 26,
    marginBottom: 42,
    x: {domain: [0, xMax], ticks, tickFormat: formatTick, label: xLabel, labelAnchor: "center", labelArrow: "none", labelOffset: 34},
    y: {domain: yDomain, grid: true, tickFormat: fmtY, label: yLabel, labelArrow: "none"},
    ariaLabel: title ?? yLabel,
    marks
  }) as unknown as SVGSVGElement;
  plot.classList.add("sv-curves");

  const figure = document.createElement("figure");
  figure.className = `sv-figure sv-${kind}`;
  figure.style.cssText = "margin:0 0 1rem 0;max-width:100%";
  figure.dataset.width = String(width);
  if (title) figure.append(textBlockSvg(title, width, {font: 14, weight: 600, className: "sv-title"}));
  const showLegend = options.legend ?? prepared.length > 1;
  if (showLegend) figure.append(legendSvg(prepared.map((p) => ({label: p.label, color: p.color, dash: p.dash, kind: "line" as const})), shared));
  figure.append(plot);
  if (model) figure.append(riskTableSvg(model, shared, {labelWidth, gap}));
  if (caption) figure.append(textBlockSvg(caption, width, {font: 11, className: "sv-caption"}));
  if (download) {
    figure.append(
      downloadButtons(figure, {
        filename: download,
        csv: {rows: curvesCsvRows(curves), columns: [...CURVE_CSV_COLUMNS]},
        riskCsv: model ? {rows: riskCsvRows(model, timeUnit), columns: ["row", "group", {key: `time_${timeUnit}`, numeric: true}, "count"]} : undefined
      })
    );
  }
  return figure;
}

/** The risk table as CSV rows (masked text as shown, so an export never reveals a masked count). */
function riskCsvRows(model: RiskTableModel, timeUnit: TimeUnit): Record<string, string | number>[] {
  return model.cells.map((c) => ({row: RISK_ROW_TITLES[c.row], group: c.group, [`time_${timeUnit}`]: c.x, count: c.text}));
}

/**
 * Kaplan–Meier figure: step curves (one per group), pointwise CI bands as step areas, censor
 * marks, legend, and the number-at-risk table on the same x scale. Presentation only: the caller
 * passes the engine's curves (`time`, `surv`, `lower`, `upper`, `nRisk`, `nEvent`, `nCensor`, all
 * per distinct time, probabilities on [0, 1], times in days unless `dataUnit`).
 *
 * At-risk convention: the count under tick t is the number with time ≥ t (R's
 * `summary(survfit, times = t)$n.risk`), read off the steps unless the caller passes `atRisk`.
 *
 * Returns a `<figure class="sv-figure">` of stacked SVGs (exportable as one image), or a message
 * box when there is nothing to draw.
 */
export function survivalPlot(curves: readonly SurvivalCurve[], options: CurvePlotOptions = {}): HTMLElement {
  return curveFigure(curves, options, "survival");
}

/**
 * Cumulative-incidence figure for competing risks: one curve per cause × group (colour by
 * `group`, dash by `cause`), CI bands, censor marks and the shared number-at-risk table (one row
 * per group). Values are the caller's Aalen–Johansen estimates on [0, 1] (`estimate`), as
 * `cmprsk::cuminc` / `survfit(Surv(time, factor(status)) ~ group)` give them.
 */
export function cumulativeIncidencePlot(curves: readonly IncidenceCurve[], options: CurvePlotOptions = {}): HTMLElement {
  return curveFigure(curves, options, "incidence");
}
