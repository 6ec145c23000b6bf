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
 * and the session. With `defer`, the URL is written after the current task (the newest view wins). Returns the fragment, or null (and leaves the URL alone) when it would exceed the
 * link limit.
 */
export function writeViewSpec(spec: AnalysisSpec, {defer = false}: {defer?: boolean} = {}): string | null {
  let fragment: string;
  try {
    fragment = encodeSpec(spec);
  } catch {
    return null;
  }
  if (typeof history !== "undefined" && typeof location !== "undefined") {
    if (defer && typeof setTimeout !== "undefined") {
      // After the current task (a redraw that should not wait ~5 ms for history.replaceState); only the newest.
      const scheduled = pendingUrl !== null;
      pendingUrl = fragment;
      if (!scheduled) setTimeout(flushUrl, 0);
    } else {
      pendingUrl = null;
      replaceFragment(fragment);
    }
  }
  rememberInSession(fragment);
  return fragment;
}

let pendingUrl: string | null = null;
function flushUrl(): void {
  if (pendingUrl === null) return;
  const fragment = pendingUrl;
  pendingUrl = null;
  replaceFragment(fragment);
}
function replaceFragment(fragment: string): void {
  if (location.hash.replace(/^#/, "") !== fragment) history.replaceState(history.state, "", `${location.pathname}${location.search}#${fragment}`);
}

// The session copy (for moving between pages) is written after the current task: a synchronous
// sessionStorage write costs several milliseconds, which a filter change should not wait for. Only the
// newest view is written; `pagehide` flushes one still pending.
let pendingSession: string | null = null;
function flushSession(): void {
  if (pendingSession === null) return;
  const fragment = pendingSession;
  pendingSession = null;
  try {
    storage()?.setItem(STORAGE_KEY, fragment);
  } catch {
    // Storage full or refused: the URL still carries the view.
  }
}
function rememberInSession(fragment: string): void {
  if (typeof setTimeout === "undefined" || typeof addEventListener === "undefined") {
    pendingSession = fragment;
    flushSession();
    return;
  }
  const scheduled = pendingSession !== null;
  pendingSession = fragment;
  if (!scheduled) {
    setTimeout(flushSession, 50);
    if (!listening) {
      listening = true;
      addEventListener("pagehide", flushSession);
    }
  }
}
let listening = false;

/** The full link to this view (for the "copy link" control). */
export function viewLink(fragment: string): string {
  return typeof location === "undefined" ? `#${fragment}` : `${location.origin}${location.pathname}#${fragment}`;
}
