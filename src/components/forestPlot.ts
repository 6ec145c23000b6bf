// Forest plot of ratios (hazard ratios, subdistribution HRs) with text columns: label, events/N,
// the interval on a log axis with a reference line at 1, "HR (95% CI)", P and P for interaction.
// Rows whose ratio cannot be estimated (null, non-finite, or flagged as diverging) are written as
// text, "not estimable", never drawn as a bar (survminer#590 shows what a 1.8e-7 bar looks like).

import * as Plot from "npm:@observablehq/plot";
import {formatCount, formatHR, formatP, isFiniteNumber} from "./format.js";
import {logTicks, textWidth, truncateText} from "./layout.js";
import {message} from "./message.js";
import {textBlockSvg} from "./panels.js";
import {downloadButtons} from "./exports.js";

/** One line of the forest plot. */
export interface ForestRow {
  label: string;
  /** Ratio estimate (e.g. exp(coef)); null when not estimable. */
  estimate?: number | null;
  /** Confidence limits of the ratio. */
  lower?: number | null;
  upper?: number | null;
  /** p-value of the row (Wald), and of the interaction (usually on a heading row). */
  p?: number | null;
  interactionP?: number | null;
  events?: number | null;
  n?: number | null;
  /** The fit diverged (monotone likelihood): draw as "not estimable" whatever the numbers. */
  possiblyInfinite?: boolean;
  /** A heading (e.g. the factor name above its levels): bold, no interval. */
  heading?: boolean;
  /** The reference level: "1 (reference)" instead of an interval. */
  reference?: boolean;
  /** Indentation level of the label (0, 1, 2). */
  indent?: number;
}

/** Options of {@link forestPlot}. */
export interface ForestPlotOptions {
  width?: number;
  /** Axis label (default "Hazard ratio (log scale)"). */
  xLabel?: string;
  /** Header of the ratio column (default "HR (95% CI)"). */
  ratioHeader?: string;
  /** Header of the label column (default "Subgroup"). */
  labelHeader?: string;
  /** Fixed axis domain; default from the finite limits, including 1, within [0.01, 100]. */
  domain?: [number, number];
  /** Labels under the axis, left and right of 1, e.g. ["favours transplant", "favours chemo"]. */
  favours?: [string, string];
  /** Mask event/patient counts 1…k−1 as "<k". */
  maskBelow?: number;
  /** Digits of the ratio text (default 2). */
  digits?: number;
  title?: string;
  caption?: string;
  download?: string | false;
}

/** Prepared row: what each column shows and what the interval mark draws. */
export interface ForestModelRow {
  key: string;
  label: string;
  indent: number;
  heading: boolean;
  /** Drawn interval (clamped to the domain) or null when nothing is drawn. */
  draw: {estimate: number | null; x1: number; x2: number; clippedLow: boolean; clippedHigh: boolean} | null;
  /** "not estimable" / "reference" text in the plot area. */
  note: string | null;
  ratioText: string;
  pText: string;
  interactionText: string;
  countText: string;
}

/** The pure part of the forest plot: domain, ticks and every cell's text. */
export interface ForestModel {
  rows: ForestModelRow[];
  domain: [number, number];
  ticks: number[];
  hasCounts: boolean;
  hasInteraction: boolean;
}

/** True when a row has a drawable ratio. */
export function isEstimable(r: ForestRow): boolean {
  return !r.possiblyInfinite && isFiniteNumber(r.estimate) && r.estimate > 0;
}

/**
 * Domain, ticks and texts of a forest plot. Non-estimable rows get "not estimable" (no interval);
 * intervals reaching beyond the domain are clamped and flagged so an arrow marks the cut.
 */
export function forestModel(rows: readonly ForestRow[], options: Pick<ForestPlotOptions, "domain" | "maskBelow" | "digits"> & {maxTicks?: number} = {}): ForestModel {
  const {maskBelow = 0, digits = 2, maxTicks = 9} = options;
  let domain = options.domain;
  if (!domain) {
    let lo = 1;
    let hi = 1;
    for (const r of rows) {
      if (!isEstimable(r) || r.heading || r.reference) continue;
      for (const v of [r.estimate, r.lower, r.upper]) {
        if (isFiniteNumber(v) && v > 0) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    lo = Math.max(0.01, lo / 1.15);
    hi = Math.min(100, hi * 1.15);
    if (hi / lo < 4) {
      const m = Math.sqrt(4 / (hi / lo));
      lo /= m;
      hi *= m;
    }
    domain = [lo, hi];
  }
  const [d0, d1] = domain;
  const out: ForestModelRow[] = rows.map((r, i) => {
    const key = String(i);
    const estimable = isEstimable(r);
    let draw: ForestModelRow["draw"] = null;
    let note: string | null = null;
    let ratioText = "";
    if (r.heading) {
      ratioText = "";
    } else if (r.reference) {
      ratioText = "1 (reference)";
    } else if (!estimable) {
      note = "not estimable";
      ratioText = "not estimable";
    } else {
      const est = r.estimate as number;
      const lo = isFiniteNumber(r.lower) ? r.lower : null;
      const hi = isFiniteNumber(r.upper) ? r.upper : (r.upper as unknown) === Infinity ? Infinity : null;
      ratioText = formatHR(est, lo, hi === Infinity ? null : hi, {digits});
      const a = lo === null ? est : lo;
      const b = hi === null ? est : hi;
      draw = {
        estimate: est >= d0 && est <= d1 ? est : null,
        x1: Math.min(Math.max(a, d0), d1),
        x2: Math.max(Math.min(b, d1), d0),
        clippedLow: a < d0,
        clippedHigh: b > d1
      };
    }
    const hasCount = isFiniteNumber(r.events) || isFiniteNumber(r.n);
    const countText = hasCount ? `${formatCount(r.events, {maskBelow})}/${formatCount(r.n, {maskBelow})}` : "";
    return {
      key,
      label: r.label,
      indent: Math.max(0, Math.min(3, r.indent ?? 0)),
      heading: !!r.heading,
      draw,
      note,
      ratioText,
      pText: r.p === undefined || r.heading ? "" : formatP(r.p),
      interactionText: r.interactionP === undefined ? "" : formatP(r.interactionP),
      countText
    };
  });
  return {
    rows: out,
    domain: [d0, d1],
    ticks: logTicks(d0, d1, maxTicks),
    hasCounts: rows.some((r) => isFiniteNumber(r.events) || isFiniteNumber(r.n)),
    hasInteraction: rows.some((r) => r.interactionP !== undefined)
  };
}

const F = 11;

/**
 * Forest plot: one line per row (headings bold, levels indented), the interval and estimate on a
 * log axis with a dashed reference line at 1, and text columns "Events/N", "HR (95% CI)", "P",
 * "P interaction". Presentation only: ratios and limits come from the caller's fits (exp(coef),
 * exp(coef ± z·se)). Returns a `<figure class="sv-figure">` or a message when there are no rows.
 */
export function forestPlot(rows: readonly ForestRow[], options: ForestPlotOptions = {}): HTMLElement {
  const {xLabel = "Hazard ratio (log scale)", ratioHeader = "HR (95% CI)", labelHeader = "Subgroup", favours, title, caption, download = false} = options;
  if (!rows.length) return message("Nothing to compare", {detail: "No estimates for this selection.", height: 120});
  const requested = Math.max(200, Math.round(options.width ?? 720));
  const model = forestModel(rows, {...options, maxTicks: Math.max(3, Math.floor(requested / 90))});
  // Column widths; on a narrow screen drop Events/N, then move P interaction into the P column of
  // the heading rows (where P is empty), before squeezing the labels.
  const minPlot = requested < 520 ? 110 : 150;
  const minLabel = 70;
  let wCount = model.hasCounts ? Math.max(textWidth("Events/N", F, true), ...model.rows.map((r) => textWidth(r.countText, F))) : 0;
  const wRatio = Math.max(textWidth(ratioHeader, F, true), ...model.rows.map((r) => textWidth(r.ratioText, F)));
  let wInt = model.hasInteraction ? Math.max(textWidth("P interaction", F, true), ...model.rows.map((r) => textWidth(r.interactionText, F))) : 0;
  const right = () => Math.ceil(14 + wRatio + 14 + wP + (wInt ? 14 + wInt : 0) + 4);
  const left = (label: number) => Math.ceil(6 + label + (wCount ? 16 + wCount : 0) + 14);
  let wP = Math.max(textWidth("P", F, true), ...model.rows.map((r) => textWidth(r.pText, F)));
  if (wCount && left(minLabel) + minPlot + right() > requested) wCount = 0;
  if (wInt && left(minLabel) + minPlot + right() > requested) {
    wInt = 0;
    for (const r of model.rows) if (r.heading && r.interactionText) r.pText = `int. ${r.interactionText}`;
    wP = Math.max(textWidth("P", F, true), ...model.rows.map((r) => textWidth(r.pText, F)));
  }
  const marginRight = right();
  const wantLabel = Math.max(textWidth(labelHeader, F, true), ...model.rows.map((r) => textWidth(r.label, F, r.heading) + r.indent * 12));
  const labelRoom = Math.max(minLabel, Math.min(wantLabel, requested - marginRight - minPlot - (wCount ? wCount + 16 : 0) - 20));
  const marginLeft = left(labelRoom);
  // Never narrower than its columns: below that the SVG is scaled down as a whole (max-width 100%).
  const width = Math.max(requested, marginLeft + minPlot + marginRight);
  const rowH = 22;
  const keys = ["header", ...model.rows.map((r) => r.key)];
  // The "favours" labels sit either side of HR = 1 under the axis; when one would run past the figure's
  // edge (1 near that end of the axis), it is set against that edge instead and the right one moves to a
  // second line, so that they cannot overlap.
  const [lo, hi] = model.domain;
  const at1 = marginLeft + (Math.log(1 / lo) / Math.log(hi / lo)) * (width - marginLeft - marginRight);
  const favourText = favours ? [`← ${favours[0]}`, `${favours[1]} →`] : null;
  const leftFits = !favourText || textWidth(favourText[0], F) + 6 <= at1 - 2;
  const rightFits = !favourText || textWidth(favourText[1], F) + 6 <= width - at1 - 2;
  const twoLines = !(leftFits && rightFits);
  const marginBottom = favours ? (twoLines ? 70 : 56) : 40;
  const height = keys.length * rowH + 8 + marginBottom;

  const labels = model.rows.map((r) => ({key: r.key, text: truncateText(r.label, labelRoom - r.indent * 12, F, r.heading), full: r.label, dx: -marginLeft + 6 + r.indent * 12, weight: r.heading ? 700 : 400}));
  const drawn = model.rows.filter((r) => r.draw);
  const header = (text: string, dx: number, anchor: "start" | "end", frameAnchor: "left" | "right") =>
    Plot.text([text], {y: () => "header", text: (d: string) => d, frameAnchor, dx, textAnchor: anchor, fontWeight: 700, fontSize: F});
  const rightX = 14;
  const marks: Plot.Markish[] = [
    Plot.gridX(model.ticks),
    Plot.axisX(model.ticks, {text: (d: number) => String(d), label: xLabel, labelAnchor: "center", labelArrow: "none", labelOffset: 32}),
    Plot.ruleX([1], {strokeDasharray: "4,3", strokeOpacity: 0.7}),
    Plot.ruleY(drawn, {y: "key", x1: (r: ForestModelRow) => r.draw!.x1, x2: (r: ForestModelRow) => r.draw!.x2, strokeWidth: 1.5}),
    Plot.dot(
      drawn.filter((r) => r.draw!.estimate !== null),
      {y: "key", x: (r: ForestModelRow) => r.draw!.estimate, symbol: "square", r: 4, fill: "currentColor"}
    ),
    Plot.text(drawn.filter((r) => r.draw!.clippedLow), {y: "key", x: () => model.domain[0], text: () => "◀", fontSize: 9, textAnchor: "start", dx: -2}),
    Plot.text(drawn.filter((r) => r.draw!.clippedHigh), {y: "key", x: () => model.domain[1], text: () => "▶", fontSize: 9, textAnchor: "end", dx: 2}),
    Plot.text(
      model.rows.filter((r) => r.note),
      {y: "key", text: "note", frameAnchor: "middle", fontStyle: "italic", fontSize: F, fillOpacity: 0.75}
    ),
    // Left columns.
    header(labelHeader, -marginLeft + 6, "start", "left"),
    // dx and fontWeight are constants in Plot, so one text mark per indentation × weight.
    ...[...new Set(labels.map((d) => `${d.dx}|${d.weight}`))].map((k) => {
      const [dx, weight] = k.split("|").map(Number);
      const subset = labels.filter((d) => d.dx === dx && d.weight === weight);
      return Plot.text(subset, {y: "key", text: "text", title: "full", frameAnchor: "left", dx, textAnchor: "start", fontWeight: weight, fontSize: F});
    }),
    ...(wCount
      ? [header("Events/N", -14, "end", "left"), Plot.text(model.rows, {y: "key", text: "countText", frameAnchor: "left", dx: -14, textAnchor: "end", fontSize: F, fontVariant: "tabular-nums"})]
      : []),
    // Right columns.
    header(ratioHeader, rightX, "start", "right"),
    Plot.text(model.rows, {y: "key", text: "ratioText", frameAnchor: "right", dx: rightX, textAnchor: "start", fontSize: F, fontVariant: "tabular-nums"}),
    header("P", rightX + wRatio + 14, "start", "right"),
    Plot.text(model.rows, {y: "key", text: "pText", frameAnchor: "right", dx: rightX + wRatio + 14, textAnchor: "start", fontSize: F, fontVariant: "tabular-nums"}),
    ...(wInt
      ? [
          header("P interaction", rightX + wRatio + 14 + wP + 14, "start", "right"),
          Plot.text(model.rows, {y: "key", text: "interactionText", frameAnchor: "right", dx: rightX + wRatio + 14 + wP + 14, textAnchor: "start", fontSize: F, fontVariant: "tabular-nums"})
        ]
      : [])
  ];
  if (favourText) {
    // Pointing away from the reference line, as forest plots conventionally do; they may run into
    // the (empty) bottom of the side columns on a narrow plot.
    const line = (k: number) => ({dy: marginBottom - 6 - (twoLines && k === 0 ? 14 : 0), fontSize: F, fontStyle: "italic"});
    const [left, right] = favourText;
    marks.push(
      leftFits
        ? Plot.text([left], {x: () => 1, text: (d: string) => d, frameAnchor: "bottom", dx: -6, textAnchor: "end", ...line(0)})
        : Plot.text([left], {text: (d: string) => d, frameAnchor: "bottom-left", dx: -marginLeft + 2, textAnchor: "start", ...line(0)}),
      rightFits
        ? Plot.text([right], {x: () => 1, text: (d: string) => d, frameAnchor: "bottom", dx: 6, textAnchor: "start", ...line(1)})
        : Plot.text([right], {text: (d: string) => d, frameAnchor: "bottom-right", dx: marginRight - 2, textAnchor: "end", ...line(1)})
    );
  }
  const plot = Plot.plot({
    width,
    height,
    marginLeft,
    marginRight,
    marginTop: 8,
    marginBottom,
    // Plot labels a log axis through d3's log tickFormat, which hides some of the given ticks
    // (0.3, 3 …); an explicit text channel labels every tick we chose.
    x: {type: "log", domain: model.domain, axis: null},
    y: {type: "band", domain: keys, axis: null, padding: 0},
    ariaLabel: title ?? "Forest plot",
    marks
  }) as unknown as SVGSVGElement;
  plot.classList.add("sv-forest");
  const figure = document.createElement("figure");
  figure.className = "sv-figure sv-forest-figure";
  figure.style.cssText = "margin:0 0 1rem 0;max-width:100%";
  if (title) figure.append(textBlockSvg(title, width, {font: 14, weight: 600, className: "sv-title"}));
  figure.append(plot);
  if (caption) figure.append(textBlockSvg(caption, width, {font: 11, className: "sv-caption"}));
  if (download) {
    const csvRows = rows.map((r) => ({
      label: r.label,
      events: r.events ?? null,
      n: r.n ?? null,
      estimate: isEstimable(r) ? r.estimate : null,
      lower: isEstimable(r) ? r.lower ?? null : null,
      upper: isEstimable(r) ? r.upper ?? null : null,
      p: r.p ?? null,
      interaction_p: r.interactionP ?? null,
      note: r.reference ? "reference" : !r.heading && !isEstimable(r) ? "not estimable" : ""
    }));
    const masked = options.maskBelow ? csvRows.map((r) => ({...r, events: formatCount(r.events, {maskBelow: options.maskBelow, missing: ""}), n: formatCount(r.n, {maskBelow: options.maskBelow, missing: ""})})) : csvRows;
    figure.append(
      downloadButtons(figure, {
        filename: download,
        csv: {
          rows: masked,
          columns: ["label", {key: "events", numeric: !options.maskBelow}, {key: "n", numeric: !options.maskBelow}, {key: "estimate", numeric: true}, {key: "lower", numeric: true}, {key: "upper", numeric: true}, {key: "p", numeric: true}, {key: "interaction_p", numeric: true}, "note"]
        }
      })
    );
  }
  return figure;
}
