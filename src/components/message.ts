// Plain-language messages for selections an analysis cannot use (no patients, one group, no
// events). Pages show these instead of a chart or a statistic, so no NaN or broken chart appears.

import {h} from "./dom.js";

/** Counts describing the current selection, as the page knows them. */
export interface SelectionSummary {
  /** Patients in the selection (after filters and after the engine dropped missing rows). */
  n: number;
  /** Non-empty groups being compared (1 when not stratified). */
  groups?: number;
  /** Events of the endpoint (any cause, or the cause of interest). */
  events?: number;
}

/** What the view is about to compute, to decide which message applies. */
export interface SelectionNeeds {
  /** A test or model comparing groups (log-rank, Gray, Cox on a factor). */
  comparison?: boolean;
  /** Name of the test, for the message ("Log-rank", "Gray's test"). Default "A comparison". */
  test?: string;
  /** A model or curve that needs at least one event (Cox, CIF of a cause). */
  events?: boolean;
  /** Name of the endpoint in messages ("deaths", "relapses"). Default "events". */
  eventName?: string;
}

/**
 * The message to show instead of a result, or null when the selection can be analysed:
 * - n = 0 → "No patients match these filters";
 * - a comparison with fewer than 2 groups → "Log-rank needs at least 2 groups";
 * - no events where they are needed → "No deaths in this selection".
 */
export function selectionMessage(summary: SelectionSummary, needs: SelectionNeeds = {}): string | null {
  const {n, groups = 1, events} = summary;
  if (!(n > 0)) return "No patients match these filters";
  if (needs.comparison && groups < 2) {
    const test = needs.test ?? "A comparison";
    return `${test} needs at least 2 groups; this selection has ${groups === 1 ? "1 group" : "none"}`;
  }
  if (needs.events && events !== undefined && !(events > 0)) return `No ${needs.eventName ?? "events"} in this selection`;
  return null;
}

/** Options of {@link message}. */
export interface MessageOptions {
  /** Smaller second line. */
  detail?: string;
  /** "empty" (grey, the default) or "warning" (amber). */
  kind?: "empty" | "warning";
  /** Height in px, to keep the page layout stable where a chart would be (default auto). */
  height?: number;
}

/**
 * A message box (role="status") to show in place of a chart or table. Text is set as text, never HTML.
 * @example message("No patients match these filters", {detail: "Widen the age range or clear a filter."})
 */
export function message(text: string, options: MessageOptions = {}): HTMLDivElement {
  const {detail, kind = "empty", height} = options;
  const warning = kind === "warning";
  const box = h(
    "div",
    {
      class: `sv-message sv-message-${kind}`,
      role: "status",
      style: [
        "display:flex;flex-direction:column;justify-content:center;align-items:center;text-align:center",
        "padding:1.25rem 1rem;border-radius:6px;font:14px/1.4 var(--sans-serif, system-ui, sans-serif)",
        warning
          ? "border:1px solid #d6a400;background:color-mix(in srgb, #efb118 12%, transparent)"
          : "border:1px dashed color-mix(in srgb, currentColor 35%, transparent);color:color-mix(in srgb, currentColor 75%, transparent)",
        height ? `min-height:${height}px;box-sizing:border-box` : ""
      ].join(";")
    },
    h("div", {class: "sv-message-text", style: "font-weight:600"}, text),
    detail ? h("div", {class: "sv-message-detail", style: "font-size:12px;margin-top:.25rem"}, detail) : null
  );
  return box;
}
