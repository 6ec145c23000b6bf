// The view in the URL: every page reads the analysis spec from the fragment (parsed as data by the data
// layer: bounded, unknown or invalid parts reported and ignored), and writes it back as controls change,
// so a copied link restores the view. The last spec is also kept in sessionStorage so that moving between
// pages keeps the selection; the URL, when present, wins. Nothing here touches the page's HTML.
import {decodeSpec, emptySpec, encodeSpec, type AnalysisSpec, type DecodedSpec} from "../cohort/spec.js";
import type {CohortTable} from "../cohort/table.js";

const STORAGE_KEY = "sct2-notebook-spec";

function storage(): Storage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** Decode the view for this page: the URL fragment if any, else the session's last view, else defaults. */
export function readViewSpec(table: CohortTable, options: {endpoints?: readonly string[]} = {}): DecodedSpec & {source: "url" | "session" | "default"} {
  const hash = typeof location === "undefined" ? "" : location.hash.replace(/^#/, "");
  const dataset = {name: table.source.name, fingerprint: table.source.fingerprint};
  if (hash) return {...decodeSpec(hash, {columns: table, dataset, endpoints: options.endpoints}), source: "url"};
  const stored = storage()?.getItem(STORAGE_KEY);
  if (stored) {
    const decoded = decodeSpec(stored, {columns: table, dataset, endpoints: options.endpoints});
    // A stored view from another dataset is not applied silently.
    if (!decoded.problems.some((p) => p.code === "spec-other-dataset")) return {...decoded, source: "session"};
  }
  return {spec: {...emptySpec(), dataset: table.source.fingerprint ? {name: table.source.name, fingerprint: table.source.fingerprint} : null}, problems: [], unmatched: [], source: "default"};
}

/**
 * Write the view into the URL fragment (replacing the history entry, so the back button is not flooded)
 * and the session. With `defer`, the URL is written after the current task (the newest view wins).
 * Returns the fragment, or null (and leaves the URL alone) when it would exceed the link limit.
 */
export function writeViewSpec(spec: AnalysisSpec, {defer = false}: {defer?: boolean} = {}): string | null {
  let fragment: string;
  try {
    fragment = encodeSpec(spec);
  } catch {
    return null;
  }
  if (typeof history !== "undefined" && typeof location !== "undefined") {
    // Deferred: after the current task (a redraw should not wait ~5 ms for history.replaceState).
    if (defer) urlWriter.later(fragment);
    else urlWriter.now(fragment);
  }
  // The session copy (for moving between pages) is always written after the current task: a synchronous
  // sessionStorage write costs several milliseconds, which a filter change should not wait for.
  sessionWriter.later(fragment);
  return fragment;
}

/**
 * A write of which only the newest value matters: `later` writes `delayMs` after the first pending
 * request (or when the page is hidden), `now` writes at once and drops a pending one.
 */
function deferredWriter(write: (fragment: string) => void, delayMs: number) {
  let pending: string | null = null;
  let listening = false;
  const flush = () => {
    if (pending === null) return;
    const fragment = pending;
    pending = null;
    write(fragment);
  };
  const now = (fragment: string) => {
    pending = null;
    write(fragment);
  };
  return {
    now,
    later(fragment: string) {
      if (typeof setTimeout === "undefined" || typeof addEventListener === "undefined") return now(fragment);
      const scheduled = pending !== null;
      pending = fragment;
      if (scheduled) return;
      setTimeout(flush, delayMs);
      if (!listening) {
        listening = true;
        addEventListener("pagehide", flush);
      }
    }
  };
}

const urlWriter = deferredWriter((fragment) => {
  if (location.hash.replace(/^#/, "") !== fragment) history.replaceState(history.state, "", `${location.pathname}${location.search}#${fragment}`);
}, 0);

const sessionWriter = deferredWriter((fragment) => {
  try {
    storage()?.setItem(STORAGE_KEY, fragment);
  } catch {
    // Storage full or refused: the URL still carries the view.
  }
}, 50);

/** The full link to this view (for the "copy link" control). */
export function viewLink(fragment: string): string {
  return typeof location === "undefined" ? `#${fragment}` : `${location.origin}${location.pathname}#${fragment}`;
}
