// Columns handed straight from the parse worker to the analysis worker, so that a large published cohort's
// endpoints are validated and ranked (src/workers/analysis.ts) while the parse worker is still preparing the
// study cohort for the page (derived variables, factors, the transfer): the Overview's first answer then
// does not wait for the page to copy those columns to the analysis worker after the whole load.
//
// The page makes the channel (`columnHandoff`): one port goes with the parse request, the other with the
// analysis worker's "adopt" request. The parse worker posts, right after reading the file, a copy of the
// named columns with the file's fingerprint, or null when it has nothing to hand over. The page checks that
// what was adopted is its own table (same rows, same fingerprint) before using it; otherwise the analysis
// worker is loaded from the page's table as before. Plain data only; nothing here fetches.
import type {CohortTable} from "../cohort/table.js";
import {copyColumns, tableToPayload, type TablePayload} from "./transfer.js";

/** The page's side: the port for the parse request, the columns to hand over, and what became of it. */
export interface ColumnHandoff {
  /** Goes with the parse request (transferred); the page keeps it while unused. */
  port: MessagePort;
  columns: readonly string[];
  /** "unused": the port is still the page's; "sent": a parse worker read the cohort with it; "failed": that worker failed. */
  state: "unused" | "sent" | "failed";
}

/** What travels on the channel: the columns of the file read, or null (nothing to hand over). */
export type HandoffMessage = {fingerprint: string | null; rows: number; payload: TablePayload} | null;

/** A new handoff of `columns`, and the port for the receiving worker; null where there is no MessageChannel. */
export function columnHandoff(columns: readonly string[]): {handoff: ColumnHandoff; receiver: MessagePort} | null {
  if (typeof MessageChannel === "undefined") return null;
  const channel = new MessageChannel();
  return {handoff: {port: channel.port1, columns, state: "unused"}, receiver: channel.port2};
}

/** Post a copy of `columns` of `table` (those it has) on `port`, or null without a table; then close the port. */
export function handOver(port: MessagePort, table: CohortTable | null, columns: readonly string[]): void {
  try {
    if (!table) port.postMessage(null satisfies HandoffMessage);
    else {
      const {payload, transfer} = tableToPayload(copyColumns(table, columns));
      port.postMessage({fingerprint: table.source.fingerprint, rows: table.numRows, payload} satisfies HandoffMessage, transfer);
    }
  } catch {
    port.postMessage(null satisfies HandoffMessage);
  } finally {
    port.close();
  }
}

/** The first message on `port` (then closed). */
export function receiveHandoff(port: MessagePort): Promise<HandoffMessage> {
  return new Promise((resolve) => {
    port.onmessage = (e: MessageEvent<HandoffMessage>) => {
      port.close();
      resolve(e.data ?? null);
    };
  });
}
