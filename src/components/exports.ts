// Downloads without a server: the figure (curve + legend + risk table + caption) serialised into ONE
// SVG or PNG with its computed CSS inlined, tables as CSV (formula injection neutralised) and specs
// as JSON, each handed to the browser through a blob: URL. Nothing here touches the network.

import {type CsvColumn, safeFilename, toCsv, toJson} from "./serialize.js";
import {h, s, SVG_NS} from "./dom.js";

/** Presentation properties copied from the live, styled element onto the exported clone. */
const STYLE_PROPERTIES = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-dasharray",
  "stroke-linecap",
  "stroke-linejoin",
  "opacity",
  "font-family",
  "font-size",
  "font-weight",
  "font-style",
  "font-variant-numeric",
  "text-anchor",
  "dominant-baseline",
  "paint-order",
  "white-space",
  "visibility"
];

/**
 * The SVG panels of a figure, in document order: every `<svg>` under `element` that is not inside
 * another SVG (or `element` itself when it is an SVG).
 */
export function exportPanels(element: Element): SVGSVGElement[] {
  if (element instanceof SVGSVGElement) return [element];
  return Array.from(element.querySelectorAll("svg")).filter((svg) => !svg.parentElement?.closest("svg"));
}

function size(svg: SVGSVGElement): {width: number; height: number} {
  const w = parseFloat(svg.getAttribute("width") ?? "");
  const hgt = parseFloat(svg.getAttribute("height") ?? "");
  if (w > 0 && hgt > 0) return {width: w, height: hgt};
  const vb = svg.viewBox?.baseVal;
  if (vb && vb.width > 0 && vb.height > 0) return {width: vb.width, height: vb.height};
  const r = svg.getBoundingClientRect();
  return {width: r.width, height: r.height};
}

function inlineStyles(source: Element, clone: Element): void {
  const cs = getComputedStyle(source);
  const decl: string[] = [];
  if (cs.display === "none") {
    clone.setAttribute("display", "none");
    return;
  }
  for (const p of STYLE_PROPERTIES) {
    const v = cs.getPropertyValue(p);
    if (v) decl.push(`${p}:${v}`);
  }
  if (decl.length) clone.setAttribute("style", decl.join(";"));
  const a = source.children;
  const b = clone.children;
  for (let i = 0; i < a.length && i < b.length; ++i) inlineStyles(a[i], b[i]);
}

function backgroundOf(element: Element): string {
  for (let e: Element | null = element; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && bg !== "transparent" && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
  }
  return "white";
}

/** Options of {@link compositeSvg}. */
export interface CompositeOptions {
  /** Background fill (default: the page's background behind the figure, else white). */
  background?: string;
  /** Padding around the panels in px (default 8). */
  padding?: number;
}

/**
 * One standalone SVG holding every panel of `element` (legend, curves, number-at-risk table,
 * caption…) stacked as laid out, each at its own intrinsic size, with computed styles inlined and
 * Plot's `<style>` sheets and pointer tips removed. The element must be in the document (styles are
 * read from it). Throws if it holds no SVG.
 */
export function compositeSvg(element: Element, options: CompositeOptions = {}): SVGSVGElement {
  const panels = exportPanels(element);
  if (!panels.length) throw new Error("nothing to export: the element holds no SVG");
  const {padding = 8} = options;
  const background = options.background ?? backgroundOf(element);
  const sizes = panels.map(size);
  const width = Math.ceil(Math.max(...sizes.map((d) => d.width)) + 2 * padding);
  const height = Math.ceil(sizes.reduce((a, d) => a + d.height, 0) + 2 * padding);
  const root = s("svg", {xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}`, "font-family": "system-ui, sans-serif"});
  root.append(s("rect", {width: "100%", height: "100%", fill: background}));
  let y = padding;
  panels.forEach((panel, i) => {
    const clone = panel.cloneNode(true) as SVGSVGElement;
    inlineStyles(panel, clone);
    clone.querySelectorAll("style").forEach((e) => e.remove());
    clone.querySelectorAll('[aria-label="tip"]').forEach((e) => e.remove());
    const {width: w, height: hh} = sizes[i];
    clone.setAttribute("x", String(padding));
    clone.setAttribute("y", String(y));
    clone.setAttribute("width", String(w));
    clone.setAttribute("height", String(hh));
    if (!clone.getAttribute("viewBox")) clone.setAttribute("viewBox", `0 0 ${w} ${hh}`);
    // The live panel's CSS (max-width, height:auto) must not resize it inside the composite.
    const style = (clone.getAttribute("style") ?? "").replace(/(^|;)\s*(max-width|height|width|display)\s*:[^;]*/g, "");
    clone.setAttribute("style", `${style};overflow:visible`);
    root.append(clone);
    y += hh;
  });
  return root;
}

/** The composite as SVG source text with an XML declaration. */
export function svgText(element: Element, options?: CompositeOptions): string {
  const svg = compositeSvg(element, options);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}`;
}

/** The element to export: a figure or SVG itself, else the first `.sv-figure` / SVG inside. */
export function exportTarget(element: Element): Element {
  if (element instanceof SVGSVGElement || element.classList.contains("sv-figure")) return element;
  return element.querySelector(".sv-figure") ?? element.querySelector("svg") ?? element;
}

/** Hand a blob to the browser as a download through a temporary blob: URL (no network). */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = h("a", {href: url, download: filename, rel: "noopener", style: "display:none"});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Download the figure (all its panels, risk table included) as one SVG file. */
export function exportSvg(element: Element, filename = "figure"): void {
  const text = svgText(exportTarget(element));
  downloadBlob(new Blob([text], {type: "image/svg+xml;charset=utf-8"}), safeFilename(filename, "svg"));
}

/** Render the composite SVG to a PNG blob at `scale` × its size (default 2, for print). */
export async function pngBlob(element: Element, {scale = 2, ...options}: CompositeOptions & {scale?: number} = {}): Promise<Blob> {
  const svg = compositeSvg(exportTarget(element), options);
  const width = +svg.getAttribute("width")!;
  const height = +svg.getAttribute("height")!;
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(svg)], {type: "image/svg+xml;charset=utf-8"}));
  try {
    const img = new Image();
    img.width = width;
    img.height = height;
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2D canvas context");
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Download the figure (all its panels, risk table included) as one PNG file. */
export async function exportPng(element: Element, filename = "figure", options: CompositeOptions & {scale?: number} = {}): Promise<void> {
  downloadBlob(await pngBlob(element, options), safeFilename(filename, "png"));
}

/** Options of {@link exportCsv}. */
export interface ExportCsvOptions {
  /** Prepend a UTF-8 byte-order mark so Excel reads "≥", "–", accents correctly (default true). */
  bom?: boolean;
}

/**
 * Download rows as CSV (see `toCsv`: explicit columns, numeric columns stay numeric, text cells
 * starting with = + - @ are prefixed with an apostrophe).
 */
export function exportCsv(rows: Iterable<unknown>, columns: readonly (string | CsvColumn)[], filename = "table", {bom = true}: ExportCsvOptions = {}): void {
  const text = (bom ? "\ufeff" : "") + toCsv(rows, columns);
  downloadBlob(new Blob([text], {type: "text/csv;charset=utf-8"}), safeFilename(filename, "csv"));
}

/** Download a value as JSON (typed arrays as arrays, NaN/Infinity as null). */
export function exportJson(value: unknown, filename = "analysis"): void {
  downloadBlob(new Blob([toJson(value)], {type: "application/json"}), safeFilename(filename, "json"));
}

/** A table to offer as CSV. */
export interface CsvSource {
  rows: Iterable<unknown> | (() => Iterable<unknown>);
  columns: readonly (string | CsvColumn)[];
}

/** Options of {@link downloadButtons}. */
export interface DownloadButtonsOptions {
  /** File name stem (default "figure"). */
  filename?: string;
  /** Offer SVG / PNG of the figure (default true when the target holds an SVG). */
  svg?: boolean;
  png?: boolean;
  /** Offer the plotted data as CSV. */
  csv?: CsvSource;
  /** Offer the number-at-risk table as CSV ("<name>-at-risk.csv"). */
  riskCsv?: CsvSource;
  /** Offer a JSON document (e.g. the analysis spec) — a value or a function returning it. */
  json?: unknown;
}

const BUTTON_STYLE =
  "font:12px var(--sans-serif, system-ui, sans-serif);padding:2px 8px;border:1px solid color-mix(in srgb, currentColor 30%, transparent);border-radius:4px;background:transparent;color:inherit;cursor:pointer";

/**
 * A row of download buttons for a figure or table: SVG, PNG, CSV (data), CSV (at risk), JSON.
 * `target` is the figure, a container holding it (e.g. a `resize` cell), or a function returning
 * it at click time. Failures are reported inline, never with alert().
 */
export function downloadButtons(target: Element | (() => Element | null), options: DownloadButtonsOptions = {}): HTMLDivElement {
  const {filename = "figure", csv, riskCsv, json} = options;
  const resolve = () => {
    const el = typeof target === "function" ? target() : target;
    if (!el) throw new Error("nothing to export");
    return exportTarget(el);
  };
  const status = h("span", {class: "sv-download-status", role: "status", style: "font-size:12px;margin-left:.5rem"});
  const bar = h("div", {class: "sv-downloads", style: "display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.4rem 0"});
  const add = (label: string, name: string, run: () => void | Promise<void>) => {
    const b = h("button", {type: "button", class: `sv-download sv-download-${name}`, style: BUTTON_STYLE, title: `Download ${label}`}, label);
    b.addEventListener("click", async () => {
      status.textContent = "";
      try {
        await run();
      } catch (e) {
        status.textContent = `Export failed: ${(e as Error).message}`;
      }
    });
    bar.append(b);
  };
  const hasSvg = typeof target === "function" || exportPanels(target).length > 0 || target.classList.contains("sv-figure");
  if (options.svg ?? hasSvg) add("SVG", "svg", () => exportSvg(resolve(), filename));
  if (options.png ?? hasSvg) add("PNG", "png", () => exportPng(resolve(), filename));
  if (csv) add("CSV", "csv", () => exportCsv(typeof csv.rows === "function" ? csv.rows() : csv.rows, csv.columns, filename));
  if (riskCsv) add("At-risk CSV", "risk-csv", () => exportCsv(typeof riskCsv.rows === "function" ? riskCsv.rows() : riskCsv.rows, riskCsv.columns, `${filename}-at-risk`));
  if (json !== undefined) add("JSON", "json", () => exportJson(typeof json === "function" ? (json as () => unknown)() : json, filename));
  bar.append(status);
  return bar;
}
