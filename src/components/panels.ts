// SVG panels shared by the figure components: legend strip, wrapped text (title, caption) and the
// number-at-risk table, all sized from one SharedX so that they align with the chart's frame.

import * as Plot from "npm:@observablehq/plot";
import {RISK_ROW_TITLES, type RiskTableModel} from "./curves.js";
import {s} from "./dom.js";
import {flowLayout, textWidth, truncateText} from "./layout.js";

export const TABLE_FONT = 11;

/** The panel widths and the shared x scale; computed once so every panel uses the same numbers. */
export interface SharedX {
  width: number;
  marginLeft: number;
  marginRight: number;
  domain: [number, number];
  ticks: number[];
}

/** Legend strip (line or area swatches) aligned with the plot frame, wrapping to several rows. */
export function legendSvg(items: {label: string; color: string; dash: string | null; kind: "line" | "area"}[], shared: SharedX): SVGSVGElement {
  const font = 12;
  const sw = items.some((d) => d.kind === "line") ? 22 : 14;
  const natural = items.map((d) => sw + 6 + textWidth(d.label, font));
  // Start at the plot frame when everything fits in two rows there; otherwise use the full width.
  const fromFrame = flowLayout(natural, shared.width - shared.marginLeft - 4);
  const x0 = fromFrame.length === 0 || fromFrame[fromFrame.length - 1].row < 2 || shared.marginLeft < 60 ? shared.marginLeft : 4;
  const avail = shared.width - x0 - 4;
  const widths = natural.map((w) => Math.min(w, avail));
  const pos = flowLayout(widths, avail);
  const rows = pos.length ? pos[pos.length - 1].row + 1 : 0;
  const rowH = 18;
  const height = rows * rowH + 6;
  const svg = s("svg", {
    class: "sv-legend",
    width: shared.width,
    height,
    viewBox: `0 0 ${shared.width} ${height}`,
    style: "display:block;max-width:100%;height:auto",
    "font-family": "system-ui, sans-serif",
    "font-size": font,
    fill: "currentColor",
    role: "list",
    "aria-label": "Legend"
  });
  items.forEach((d, i) => {
    const {row, x} = pos[i];
    const y = row * rowH + rowH / 2 + 2;
    const g = s("g", {transform: `translate(${x0 + x},${y})`, role: "listitem"});
    if (d.kind === "area") g.append(s("rect", {x: 0, y: -6, width: sw, height: 12, fill: d.color}));
    else g.append(s("line", {x1: 0, x2: sw, y1: 0, y2: 0, stroke: d.color, "stroke-width": 2.5, "stroke-dasharray": d.dash ?? undefined}));
    g.append(s("text", {x: sw + 6, y: 0, dy: "0.32em"}, truncateText(d.label, avail - sw - 6, font)));
    g.append(s("title", {}, d.label));
    svg.append(g);
  });
  return svg;
}

/** Wrap `text` into lines of at most `width` px (estimated). */
function wrap(text: string, width: number, font: number, bold = false): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    const next = line ? `${line} ${w}` : w;
    if (line && textWidth(next, font, bold) > width) {
      lines.push(line);
      line = w;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** A block of wrapped text as an SVG (title or caption), so it travels with exports. */
export function textBlockSvg(text: string, width: number, {font = 12, weight = 400, x = 0, className = "sv-text"}: {font?: number; weight?: number; x?: number; className?: string} = {}): SVGSVGElement {
  const lines = wrap(text, width - x - 4, font, weight >= 600);
  const lh = Math.round(font * 1.35);
  const height = lines.length * lh + 6;
  const svg = s("svg", {
    class: className,
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    style: "display:block;max-width:100%;height:auto",
    "font-family": "system-ui, sans-serif",
    "font-size": font,
    "font-weight": weight,
    fill: "currentColor"
  });
  lines.forEach((l, i) => svg.append(s("text", {x, y: (i + 1) * lh - 2}, l)));
  return svg;
}

/**
 * The number-at-risk table as its own Plot chart on the shared x scale: one block per row kind
 * (at risk, cumulative events, cumulative censored), one line per group labelled in its colour.
 */
export function riskTableSvg(model: RiskTableModel, shared: SharedX, {labelWidth, gap}: {labelWidth: number; gap: number}): SVGSVGElement {
  const keys: string[] = [];
  const titles: {key: string; text: string}[] = [];
  const labels: {key: string; text: string; color: string; full: string}[] = [];
  for (const row of model.rows) {
    const tk = `${row}\u0000title`;
    keys.push(tk);
    titles.push({key: tk, text: RISK_ROW_TITLES[row]});
    for (const g of model.groups) {
      const key = `${row}\u0000${g.group}`;
      keys.push(key);
      labels.push({key, text: truncateText(g.label, labelWidth, TABLE_FONT, true), color: g.color, full: g.label});
    }
  }
  const rowH = 17;
  const marginTop = 4;
  const marginBottom = 6;
  const height = keys.length * rowH + marginTop + marginBottom;
  const cells = model.cells.map((c) => ({...c, key: `${c.row}\u0000${c.group}`}));
  const svg = Plot.plot({
    width: shared.width,
    height,
    marginLeft: shared.marginLeft,
    marginRight: shared.marginRight,
    marginTop,
    marginBottom,
    style: {overflow: "visible"},
    x: {domain: shared.domain, axis: null},
    y: {type: "band", domain: keys, axis: null, padding: 0},
    ariaLabel: "Number at risk",
    marks: [
      Plot.text(titles, {y: "key", text: "text", frameAnchor: "left", dx: -shared.marginLeft + 2, textAnchor: "start", fontWeight: 700, fontSize: TABLE_FONT}),
      Plot.text(labels, {
        y: "key",
        text: "text",
        title: "full",
        fill: "color",
        frameAnchor: "left",
        dx: -gap,
        textAnchor: "end",
        fontWeight: 600,
        fontSize: TABLE_FONT
      }),
      Plot.text(cells, {x: "x", y: "key", text: "text", fontSize: TABLE_FONT, fontVariant: "tabular-nums"})
    ]
  }) as unknown as SVGSVGElement;
  svg.classList.add("sv-risk-table");
  return svg;
}

