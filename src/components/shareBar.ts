// The share / export bar at the end of an analysis page: copy a link to the exact view, download the
// analysis spec as JSON, and show / download an R script that reproduces the view. Everything happens in
// the browser (clipboard, blob: downloads); every text is set with textContent, never parsed as HTML.

import {h} from "./dom.js";
import {downloadBlob, exportJson} from "./exports.js";
import {safeFilename} from "./serialize.js";

/** Options of {@link shareBar}. */
export interface ShareBarOptions {
  /**
   * The view's URL fragment, without `#` (what `recordView` returns). `null` when the view is too long
   * for a link: the copy button is then disabled and says why.
   */
  fragment: string | null;
  /** The analysis spec offered as JSON (a value, or a function returning it at click time). */
  spec: unknown;
  /** The R script reproducing the view (text, or a function returning it when first shown). Omit to leave out "R code". */
  rCode?: string | (() => string);
  /** File name stem of the downloads: `<filename>-analysis.json`, `<filename>.R` (default "analysis"). */
  filename?: string;
  /** Base of the link (default: the page's `location.origin + location.pathname`). */
  base?: string;
}

const BUTTON_STYLE =
  "font:12px var(--sans-serif, system-ui, sans-serif);padding:2px 8px;border:1px solid color-mix(in srgb, currentColor 30%, transparent);border-radius:4px;background:transparent;color:inherit;cursor:pointer";

/** The full link to a view: `origin + pathname + "#" + fragment` (the query string is not kept). */
export function shareLink(fragment: string, base?: string): string {
  const b = base ?? (typeof location === "undefined" ? "" : `${location.origin}${location.pathname}`);
  return `${b}#${fragment}`;
}

function button(label: string, name: string, title: string): HTMLButtonElement {
  return h("button", {type: "button", class: `sv-share-button sv-share-${name}`, style: BUTTON_STYLE, title}, label);
}

/**
 * A "Copy link" button. Copies the link with `navigator.clipboard.writeText` and says "Copied"; where
 * the clipboard is unavailable or refused (an insecure context, a denied permission), shows the link
 * in a read-only, pre-selected text field to copy by hand. Disabled, with the reason, when `fragment`
 * is null. Returns the button with its status line and fallback field in one inline element.
 */
export function copyLinkButton(fragment: string | null, options: {base?: string; label?: string} = {}): HTMLSpanElement {
  const wrap = h("span", {class: "sv-share-copy-wrap", style: "display:inline-flex;flex-wrap:wrap;gap:.4rem;align-items:center"});
  const b = button(options.label ?? "Copy link", "copy", "Copy a link to this exact view");
  const status = h("span", {class: "sv-share-status", role: "status", style: "font-size:12px"});
  wrap.append(b, status);
  if (fragment === null) {
    b.disabled = true;
    b.title = "This view has too many settings for a link";
    status.textContent = "Too many settings for a link";
    return wrap;
  }
  const link = shareLink(fragment, options.base);
  let field: HTMLInputElement | null = null;
  const fallback = (why: string) => {
    if (!field) {
      field = h("input", {type: "text", readonly: "readonly", class: "sv-share-link", "aria-label": "Link to this view", style: "font:12px var(--monospace, monospace);width:min(36rem, 100%)"});
      field.value = link;
      field.addEventListener("focus", () => field!.select());
      wrap.append(field);
    }
    field.focus();
    field.select();
    status.textContent = why;
  };
  b.addEventListener("click", async () => {
    status.textContent = "";
    const clipboard = typeof navigator !== "undefined" ? navigator.clipboard : undefined;
    if (!clipboard?.writeText) return fallback("Select the link and copy it (Ctrl+C / ⌘C)");
    try {
      await clipboard.writeText(link);
      status.textContent = "Copied";
    } catch {
      fallback("The clipboard is not available here: select the link and copy it (Ctrl+C / ⌘C)");
    }
  });
  return wrap;
}

/**
 * The share / export bar of an analysis page: "Copy link" (see {@link copyLinkButton}), "Analysis spec
 * (JSON)" (downloads `spec` as `<filename>-analysis.json` through `exportJson`) and "R code" (toggles a
 * panel with the script in a `<pre>`, a "Download .R" button saving `<filename>.R`, and "Copy code").
 * @example display(shareBar({fragment, spec: {...ctx.spec, filters}, rCode: rSnippet({...}), filename: "overview"}))
 */
export function shareBar(options: ShareBarOptions): HTMLDivElement {
  const {fragment, spec, rCode, filename = "analysis", base} = options;
  const root = h("div", {class: "sv-share", style: "margin:1rem 0"});
  const bar = h("div", {class: "sv-share-bar", role: "group", "aria-label": "Share and export this view", style: "display:flex;flex-wrap:wrap;gap:.4rem;align-items:center"});
  const status = h("span", {class: "sv-share-status", role: "status", style: "font-size:12px"});
  bar.append(copyLinkButton(fragment, {base}));

  const json = button("Analysis spec (JSON)", "json", "Download the analysis settings as JSON");
  json.addEventListener("click", () => {
    status.textContent = "";
    try {
      exportJson(typeof spec === "function" ? (spec as () => unknown)() : spec, `${filename}-analysis`);
    } catch (e) {
      status.textContent = `Export failed: ${(e as Error).message}`;
    }
  });
  bar.append(json);
  root.append(bar);

  if (rCode !== undefined) {
    const toggle = button("R code", "r", "Show R code (survival / cmprsk) that reproduces this view");
    toggle.setAttribute("aria-expanded", "false");
    const panel = h("div", {class: "sv-share-r-panel", hidden: "hidden", style: "margin-top:.5rem"});
    let code: string | null = null;
    const text = () => (code ??= typeof rCode === "function" ? rCode() : rCode);
    const pre = h("pre", {class: "sv-share-r-code", style: "max-height:24rem;overflow:auto;font-size:12px;white-space:pre"});
    const download = button("Download .R", "r-download", "Download the R script");
    const copy = button("Copy code", "r-copy", "Copy the R script");
    const panelStatus = h("span", {class: "sv-share-status", role: "status", style: "font-size:12px"});
    download.addEventListener("click", () => downloadBlob(new Blob([text()], {type: "text/plain;charset=utf-8"}), safeFilename(filename, "R")));
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(text());
        panelStatus.textContent = "Copied";
      } catch {
        const range = document.createRange();
        range.selectNodeContents(pre);
        const sel = getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
        panelStatus.textContent = "Code selected: copy it with Ctrl+C / ⌘C";
      }
    });
    panel.append(h("div", {style: "display:flex;flex-wrap:wrap;gap:.4rem;align-items:center"}, download, copy, panelStatus), pre);
    toggle.addEventListener("click", () => {
      status.textContent = "";
      try {
        const open = panel.hidden;
        if (open) pre.textContent = text();
        panel.hidden = !open;
        toggle.setAttribute("aria-expanded", String(open));
      } catch (e) {
        status.textContent = `R code not available: ${(e as Error).message}`;
      }
    });
    bar.append(toggle);
    root.append(panel);
  }
  bar.append(status);
  return root;
}
