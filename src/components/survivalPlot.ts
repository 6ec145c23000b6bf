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
import {type PixelFrame, type PixelScale, stepAreaPath, stepLinePath, tickMarksPath} from "./stepPaths.js";
import {frameClip, type RenderDimensions, type RenderScales} from "./frameClip.js";

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
  /**
   * Size the margins for risk-table counts up to this number (default: the largest count the figure
   * shows). A figure redrawn as filters change passes the cohort's size, so that its frame stays put.
   */
  maxCount?: number | null;
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

/** Tick labels: integers as is, fractions (0.25 year) with at most two decimals. */
function formatTick(d: number): string {
  return Number.isInteger(d) ? String(d) : String(+d.toFixed(2));
}

function emptyFigure(text: string): HTMLElement {
  return message(text, {detail: "There is nothing to draw for this selection.", height: 160});
}

/** Everything a curve figure's look depends on, computed once from the curves and the options. */
interface Layout {
  kind: Kind;
  options: CurvePlotOptions;
  width: number;
  height: number;
  marginLeft: number;
  marginRight: number;
  xMax: number;
  ticks: number[];
  yDomain: [number, number];
  timeUnit: TimeUnit;
  labelWidth: number;
  gap: number;
  prepared: PreparedCurve[];
  /** The prepared curves thinned to the pixel grid: what is drawn (the risk table and exports use all points). */
  drawn: PreparedCurve[];
  model: RiskTableModel | null;
  shared: SharedX;
  xLabel: string;
  yLabel: string;
  showLegend: boolean;
  /**
   * Every input of the frame (size, margins, axes, legend, risk-table rows and columns, caption): two
   * layouts with the same key differ only in what redrawCurves changes in place. Null when the caller
   * adds marks of its own (their data cannot be redrawn).
   */
  key: string | null;
}

const MARGIN_TOP = 26;
const MARGIN_BOTTOM = 42;

function layoutOf(curves: readonly (SurvivalCurve | IncidenceCurve)[], options: CurvePlotOptions, kind: Kind): Layout | null {
  const {
    width: rawWidth = 640,
    dataUnit = "days",
    timeUnit = "days",
    riskTable = true,
    maskBelow = 0,
    fadeBelowAtRisk = null,
    marks: extra = []
  } = options;
  if (!curves.length || curves.every((c) => c.time.length === 0)) return null;
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
  let widest = Math.max(1, options.maxCount ?? 0);
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
  const showLegend = options.legend ?? prepared.length > 1;

  // What is drawn is thinned to the pixel grid (a registry-sized curve has a step per distinct day);
  // the risk table and the exports use the full curves.
  const plotHeight = height - MARGIN_TOP - MARGIN_BOTTOM;
  const drawn = prepared.map((p) => thinCurve(p, frame / xMax, plotHeight / (yDomain[1] - yDomain[0] || 1)));
  const key = extra.length
    ? null
    : JSON.stringify([
        kind,
        width,
        height,
        marginLeft,
        marginRight,
        xMax,
        ticks,
        yDomain,
        timeUnit,
        xLabel,
        yLabel,
        options.percent ?? true,
        options.confBand ?? true,
        options.censorMarks ?? true,
        options.tip ?? true,
        options.title ?? null,
        options.caption ?? null,
        options.download ?? false,
        showLegend ? prepared.map((p) => [p.label, p.color, p.dash]) : null,
        labelWidth,
        gap,
        model && [model.rows, model.groups, model.cells.map((c) => [c.row, c.group, c.x])]
      ]);
  return {kind, options, width, height, marginLeft, marginRight, xMax, ticks, yDomain, timeUnit, labelWidth, gap, prepared, drawn, model, shared, xLabel, yLabel, showLegend, key};
}

/** The SVG groups a figure's curves are drawn into, and the scales they are drawn with. */
interface Layers {
  bands: SVGGElement;
  lines: SVGGElement;
  /** `url(#…)` of the frame's clip path (frameClip), for the curves and bands. */
  clip: string;
  sx: PixelScale;
  sy: PixelScale;
  frame: PixelFrame;
}

/**
 * Draw the confidence bands (into `layers.bands`) and the curves with their censoring marks (into
 * `layers.lines`), replacing what was there. The first drawing and every in-place redraw go through here.
 */
function drawLayers(layers: Layers, layout: Layout): void {
  const {sx, sy, frame, clip} = layers;
  const {confBand = true, censorMarks = true} = layout.options;
  const bands: SVGPathElement[] = [];
  const lines: SVGPathElement[] = [];
  for (const p of layout.drawn) {
    if (confBand && p.lower && p.upper) {
      const d = stepAreaPath(p.x, p.lower, p.upper, sx, sy);
      if (d) bands.push(s("path", {"aria-label": "area", d, fill: p.color, "fill-opacity": 0.14, "clip-path": clip}));
    }
  }
  for (const p of layout.drawn) {
    const {head, tail} = splitAt(p.x, p.y, p.fadeFrom);
    const stroke = {fill: "none", stroke: p.color, "stroke-width": 2, "stroke-dasharray": p.dash ?? undefined, "stroke-linejoin": "round", "stroke-linecap": "round", "clip-path": clip};
    for (const [part, opacity] of [[head, null], [tail, 0.35]] as const) {
      const d = stepLinePath(part.map((q) => q.x), part.map((q) => q.y), sx, sy);
      if (d) lines.push(s("path", {"aria-label": "line", d, ...stroke, "stroke-opacity": opacity ?? undefined}));
    }
    if (censorMarks && p.censor.length) {
      const d = tickMarksPath(p.censor, sx, sy, frame);
      if (d) lines.push(s("path", {"aria-label": "censored", class: "sv-censor-marks", d, fill: "none", stroke: p.color, "stroke-width": 1.3}));
    }
  }
  layers.bands.replaceChildren(...bands);
  layers.lines.replaceChildren(...lines);
}

/**
 * Plot marks that hand the figure's two layers to Plot (so they sit between its grid and axes) and
 * record the scales, so that redrawCurves can redraw them later without Plot.
 */
function layerMarks(layers: Partial<Layers> & {bands: SVGGElement; lines: SVGGElement}, layout: Layout): {bands: Plot.Markish; lines: Plot.Markish} {
  const bands = ((_index: unknown, scales: RenderScales, _values: unknown, d: RenderDimensions) => {
    layers.sx = scales.x!;
    layers.sy = scales.y!;
    // Censoring ticks whose centre falls outside the frame are left out, as a clipped mark would be.
    layers.frame = {left: d.marginLeft - 0.5, right: d.width - d.marginRight + 0.5, top: d.marginTop - 0.5, bottom: d.height - d.marginBottom + 0.5};
    const clip = frameClip(d, "sv-curve-clip");
    layers.clip = clip.url;
    drawLayers(layers as Layers, layout);
    return s("g", {class: "sv-curve-bands"}, clip.defs, layers.bands);
  }) as unknown as Plot.Markish;
  const lines = (() => layers.lines) as unknown as Plot.Markish;
  return {bands, lines};
}

/**
 * A pointer tip for step curves: at the pointer's time, the step in effect on the curve nearest to the
 * pointer vertically, with its estimate and confidence limits. It reads the figure's current layout on
 * every move, so an in-place redraw needs nothing from it.
 */
function attachTip(svg: SVGSVGElement, state: FigureState): void {
  const tip = s("g", {"aria-label": "tip", "pointer-events": "none", display: "none"});
  svg.append(tip);
  const hide = () => tip.setAttribute("display", "none");
  svg.addEventListener("pointerleave", hide);
  svg.addEventListener("pointermove", (event) => {
    const {layers} = state;
    const {drawn, timeUnit, width} = state.layout;
    const ctm = svg.getScreenCTM();
    if (!ctm || !layers.sx) return hide();
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(ctm.inverse());
    const {left, right, top, bottom} = layers.frame;
    if (p.x < left || p.x > right || p.y < top - 8 || p.y > bottom + 8) return hide();
    let best: {c: PreparedCurve; i: number; X: number; Y: number; dist: number} | null = null;
    for (const c of drawn) {
      // the last step starting at or before the pointer
      let lo = 0;
      let hi = c.x.length - 1;
      if (hi < 0 || layers.sx(c.x[0]) > p.x) continue;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (layers.sx(c.x[mid]) <= p.x) lo = mid;
        else hi = mid - 1;
      }
      const X = layers.sx(c.x[lo]);
      const Y = layers.sy(c.y[lo]);
      if (!Number.isFinite(Y)) continue;
      const dist = Math.abs(Y - p.y);
      if (!best || dist < best.dist) best = {c, i: lo, X, Y, dist};
    }
    if (!best) return hide();
    const {c, i, X, Y} = best;
    const lines = [
      c.label,
      `${formatDays(c.x[i] * DAYS_PER[timeUnit], {unit: timeUnit})}: ${formatPercent(c.y[i])}` +
        (c.lower && c.upper && c.lower[i] !== null && c.upper[i] !== null ? ` (95% CI ${formatCI(c.lower[i], c.upper[i], {percent: true})})` : "")
    ];
    const boxW = Math.ceil(Math.max(...lines.map((t, k) => textWidth(t, 11, k === 0)))) + 16;
    const boxH = lines.length * 15 + 10;
    const bx = X + 10 + boxW <= width ? X + 10 : Math.max(0, X - 10 - boxW);
    const by = Y - 10 - boxH >= 0 ? Y - 10 - boxH : Y + 10;
    tip.replaceChildren(
      s("circle", {cx: X, cy: Y, r: 3.5, fill: c.color, stroke: "white", "stroke-width": 1}),
      s("rect", {x: bx, y: by, width: boxW, height: boxH, rx: 3, style: "fill:var(--theme-background, white);stroke:currentColor;stroke-opacity:0.3"}),
      s("text", {x: bx + 8, y: by + 5, "font-size": 11, "text-anchor": "start", fill: "currentColor"}, ...lines.map((t, k) => s("tspan", {x: bx + 8, dy: k ? "15" : "1em", "font-weight": k ? null : 600}, t)))
    );
    tip.removeAttribute("display");
  });
}

/** What redrawCurves keeps of a figure it can redraw in place. */
interface FigureState {
  layout: Layout;
  curves: readonly (SurvivalCurve | IncidenceCurve)[];
  layers: Layers;
  /** The risk table's count texts, in the model's cell order (null: redraw the table). */
  counts: SVGTextElement[] | null;
  riskTable: SVGSVGElement | null;
}

const figures = new WeakMap<Element, FigureState>();

function curveFigure(curves: readonly (SurvivalCurve | IncidenceCurve)[], options: CurvePlotOptions, kind: Kind): HTMLElement {
  const layout = layoutOf(curves, options, kind);
  if (!layout) return emptyFigure(options.emptyMessage ?? "No patients match these filters");
  const {width, height, marginLeft, marginRight, xMax, ticks, yDomain, model, shared, labelWidth, gap, timeUnit} = layout;
  const {percent = true, tip = true, title, caption, download = false, marks: extra = []} = options;
  const fmtY = (d: number) => (percent ? `${formatNumber(d * 100, 0)}%` : formatNumber(d, 1));

  const layers = {bands: s("g", {"aria-label": "confidence bands"}), lines: s("g", {"aria-label": "curves"})};
  const marks = layerMarks(layers, layout);
  const plot = Plot.plot({
    width,
    height,
    marginLeft,
    marginRight,
    marginTop: MARGIN_TOP,
    marginBottom: MARGIN_BOTTOM,
    x: {domain: [0, xMax], ticks, tickFormat: formatTick, label: layout.xLabel, labelAnchor: "center", labelArrow: "none", labelOffset: 34},
    y: {domain: yDomain, grid: true, tickFormat: fmtY, label: layout.yLabel, labelArrow: "none"},
    ariaLabel: title ?? layout.yLabel,
    marks: [marks.bands, Plot.ruleY([yDomain[0]], {strokeOpacity: 0.6}), marks.lines, ...extra]
  }) as unknown as SVGSVGElement;
  plot.classList.add("sv-curves");
  const state: FigureState = {layout, curves, layers: layers as Layers, counts: null, riskTable: null};
  if (tip) attachTip(plot, state);

  const figure = document.createElement("figure");
  figure.className = `sv-figure sv-${kind}`;
  figure.style.cssText = "margin:0 0 1rem 0;max-width:100%";
  figure.dataset.width = String(width);
  if (title) figure.append(textBlockSvg(title, width, {font: 14, weight: 600, className: "sv-title"}));
  if (layout.showLegend) figure.append(legendSvg(layout.prepared.map((p) => ({label: p.label, color: p.color, dash: p.dash, kind: "line" as const})), shared));
  figure.append(plot);
  if (model) {
    state.riskTable = riskTableSvg(model, shared, {labelWidth, gap});
    state.counts = countTexts(state.riskTable, model);
    figure.append(state.riskTable);
  }
  if (caption) figure.append(textBlockSvg(caption, width, {font: 11, className: "sv-caption"}));
  if (download) {
    figure.append(
      downloadButtons(figure, {
        filename: download,
        // Read when clicked: after an in-place redraw they export what is shown.
        csv: {rows: () => curvesCsvRows(state.curves), columns: [...CURVE_CSV_COLUMNS]},
        riskCsv: model ? {rows: () => (state.layout.model ? riskCsvRows(state.layout.model, timeUnit) : []), columns: ["row", "group", {key: `time_${timeUnit}`, numeric: true}, "count"]} : undefined
      })
    );
  }
  if (layout.key !== null) figures.set(figure, state);
  return figure;
}

/** The risk table's count texts in the model's cell order, or null when they cannot be matched one to one. */
function countTexts(table: SVGSVGElement, model: RiskTableModel): SVGTextElement[] | null {
  const groups = table.querySelectorAll('g[aria-label="text"]');
  const texts = Array.from(groups[groups.length - 1]?.querySelectorAll("text") ?? []);
  if (texts.length !== model.cells.length || texts.some((t, i) => t.textContent !== model.cells[i].text)) return null;
  return texts;
}

/**
 * Redraw a figure made by {@link survivalPlot} or {@link cumulativeIncidencePlot} in place with new
 * curves. When the new curves and options give the same frame (size, margins, axes, legend, risk-table
 * rows and columns, caption), only the curves, bands, censoring marks and risk-table counts are redrawn,
 * the tip and the downloads read the new curves, and true is returned. Otherwise nothing is touched and
 * false is returned: build a new figure. The result looks exactly as a new figure of the same curves.
 */
export function redrawCurves(figure: Element, curves: readonly (SurvivalCurve | IncidenceCurve)[], options: CurvePlotOptions = {}): boolean {
  const state = figures.get(figure);
  if (!state) return false;
  const layout = layoutOf(curves, options, state.layout.kind);
  if (!layout || layout.key === null || layout.key !== state.layout.key) return false;
  state.layout = layout;
  state.curves = curves;
  drawLayers(state.layers, layout);
  if (layout.model && state.riskTable) {
    if (state.counts) layout.model.cells.forEach((c, i) => state.counts![i].textContent !== c.text && (state.counts![i].textContent = c.text));
    else {
      const table = riskTableSvg(layout.model, layout.shared, {labelWidth: layout.labelWidth, gap: layout.gap});
      state.riskTable.replaceWith(table);
      state.riskTable = table;
      state.counts = countTexts(table, layout.model);
    }
  }
  return true;
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

/**
 * Show survival curves in `container`: the figure already there is redrawn in place when the frame is
 * unchanged ({@link redrawCurves}); otherwise a new figure replaces the container's content. For pages
 * that redraw on every filter change. Returns the figure (or the message shown instead).
 */
export function showSurvivalPlot(container: Element, curves: readonly SurvivalCurve[], options: CurvePlotOptions = {}): HTMLElement {
  const current = container.firstElementChild;
  if (current instanceof HTMLElement && container.childElementCount === 1 && redrawCurves(current, curves, options)) return current;
  const figure = survivalPlot(curves, options);
  container.replaceChildren(figure);
  return figure;
}
