// The comparison ledger of the Subgroups page: every distinct comparison a researcher has looked at in
// this browser session — (filters, grouping, endpoint, test) with its raw p-value — kept in
// sessionStorage, counted, and adjusted together with Holm's step-down method, so that exploring many
// subgroups is visibly costly. Pure (storage is passed in); no DOM.
import type {Filter} from "../cohort/filters.js";

/** One comparison that was shown. */
export interface LedgerEntry {
  /** Identity of the comparison: the canonical JSON of [filters, grouping, endpoint, test]. */
  key: string;
  /** Readable description of the selection ("All 171 patients", "86 of 171 patients (…)"). */
  selection: string;
  /** Readable grouping ("Age at second SCT", "Age (years) cut at ≤ 9"). */
  grouping: string;
  /** Endpoint in words ("Overall survival", "Relapse"). */
  endpoint: string;
  /** Test in words ("Log-rank", "Gray's test", "Interaction LR test: Late vs Early"). */
  test: string;
  /** Raw (unadjusted) p-value, in [0, 1]. */
  p: number;
  /** Order in which it was first seen in the session (1, 2, …). */
  seq: number;
}

/** A comparison to record: everything but its identity and order, plus the parts its identity is made of. */
export interface LedgerComparison {
  filters: readonly Filter[];
  /** Identity of the grouping (factor column, or column plus cut points). */
  groupingKey: string;
  grouping: string;
  selection: string;
  endpoint: string;
  test: string;
  p: number | null;
}

/** Where the ledger lives: the parts of the Web Storage API it uses. */
export interface LedgerStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** sessionStorage key of the ledger. */
export const LEDGER_KEY = "sct2-notebook-ledger";
/** At most this many comparisons are kept (the oldest are never dropped: new ones are refused and counted). */
export const LEDGER_LIMIT = 5000;

/**
 * Holm's (1979) step-down adjustment, as R's `p.adjust(p, method = "holm")`: with the m non-missing
 * p-values sorted ascending, p₍ᵢ₎ is multiplied by (m − i + 1), a running maximum is taken, and the
 * result is capped at 1; each adjusted value is returned in the caller's order. Missing values
 * (`null`, `NaN`) stay `null` and do not count in m (p.adjust's default `n = sum(!is.na(p))`). Ties keep
 * the caller's order (R's `order()` is stable), which does not change the result.
 * Input and output on the probability scale.
 */
export function holm(p: ArrayLike<number | null>): (number | null)[] {
  const n = p.length;
  const out: (number | null)[] = new Array(n).fill(null);
  const index: number[] = [];
  for (let i = 0; i < n; ++i) {
    const v = p[i];
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`p[${i}]: ${v} (p-values must be in [0, 1])`);
    index.push(i);
  }
  const m = index.length;
  index.sort((a, b) => (p[a] as number) - (p[b] as number) || a - b);
  let running = 0;
  for (let k = 0; k < m; ++k) {
    const i = index[k];
    const adjusted = (m - k) * (p[i] as number);
    if (adjusted > running) running = adjusted;
    out[i] = Math.min(1, running);
  }
  return out;
}

/** Filters in a canonical order (by their JSON), so the same selection gives the same key however it was built. */
function canonicalFilters(filters: readonly Filter[]): string[] {
  return filters.map((f) => JSON.stringify([f.column, f.op, f.value])).sort();
}

/** The identity of a comparison: the same filters, grouping, endpoint and test give the same key. */
export function ledgerKey(c: Pick<LedgerComparison, "filters" | "groupingKey" | "endpoint" | "test">): string {
  return JSON.stringify([canonicalFilters(c.filters), c.groupingKey, c.endpoint, c.test]);
}

function isEntry(x: unknown): x is LedgerEntry {
  if (x === null || typeof x !== "object") return false;
  const e = x as Record<string, unknown>;
  return (
    typeof e.key === "string" &&
    typeof e.selection === "string" &&
    typeof e.grouping === "string" &&
    typeof e.endpoint === "string" &&
    typeof e.test === "string" &&
    typeof e.p === "number" &&
    e.p >= 0 &&
    e.p <= 1 &&
    typeof e.seq === "number" &&
    Number.isInteger(e.seq)
  );
}

/** The ledger stored in the session (an empty list when absent or unreadable; malformed entries are skipped). */
export function readLedger(storage: LedgerStorage | null): LedgerEntry[] {
  if (!storage) return [];
  let text: string | null;
  try {
    text = storage.getItem(LEDGER_KEY);
  } catch {
    return [];
  }
  if (!text) return [];
  try {
    const data: unknown = JSON.parse(text);
    if (!Array.isArray(data)) return [];
    const seen = new Set<string>();
    const entries: LedgerEntry[] = [];
    for (const x of data) if (isEntry(x) && !seen.has(x.key)) seen.add(x.key), entries.push(x);
    return entries;
  } catch {
    return [];
  }
}

function writeLedger(storage: LedgerStorage | null, entries: readonly LedgerEntry[]): boolean {
  if (!storage) return false;
  try {
    storage.setItem(LEDGER_KEY, JSON.stringify(entries));
    return true;
  } catch {
    return false;
  }
}

/** What {@link recordComparisons} did. */
export interface LedgerUpdate {
  entries: LedgerEntry[];
  /** Comparisons added by this call (not seen before in the session). */
  added: number;
  /** Comparisons without a p-value (not tests that were carried out): not recorded. */
  skipped: number;
  /** New comparisons refused because the ledger is full. */
  refused: number;
  /** False when the storage could not be written (private mode, quota): the count holds for this page only. */
  stored: boolean;
}

/**
 * Add the comparisons now on screen to the session's ledger. A comparison already in the ledger (same
 * key) keeps its first p-value and position: the ledger counts distinct comparisons looked at, not
 * views. Comparisons without a p-value are skipped.
 */
export function recordComparisons(storage: LedgerStorage | null, comparisons: readonly LedgerComparison[]): LedgerUpdate {
  const entries = readLedger(storage);
  const keys = new Set(entries.map((e) => e.key));
  let seq = entries.reduce((m, e) => Math.max(m, e.seq), 0);
  let added = 0;
  let skipped = 0;
  let refused = 0;
  for (const c of comparisons) {
    if (c.p === null || !Number.isFinite(c.p) || c.p < 0 || c.p > 1) {
      ++skipped;
      continue;
    }
    const key = ledgerKey(c);
    if (keys.has(key)) continue;
    if (entries.length >= LEDGER_LIMIT) {
      ++refused;
      continue;
    }
    keys.add(key);
    entries.push({key, selection: c.selection, grouping: c.grouping, endpoint: c.endpoint, test: c.test, p: c.p, seq: ++seq});
    ++added;
  }
  const stored = added === 0 ? storage !== null : writeLedger(storage, entries);
  return {entries, added, skipped, refused, stored};
}

/** Empty the session's ledger. */
export function resetLedger(storage: LedgerStorage | null): void {
  if (!storage) return;
  try {
    storage.removeItem(LEDGER_KEY);
  } catch {
    // storage unavailable: nothing was kept
  }
}

/** One row of the ledger table: the entry with its Holm-adjusted p-value among all entries. */
export interface LedgerRow extends LedgerEntry {
  holm: number;
}

/** The ledger as shown: every entry in the order first seen, with Holm-adjusted p over all of them. */
export function ledgerTable(entries: readonly LedgerEntry[]): {count: number; rows: LedgerRow[]; significantRaw: number; significantHolm: number} {
  const adjusted = holm(entries.map((e) => e.p));
  const rows = entries.map((e, i) => ({...e, holm: adjusted[i] as number})).sort((a, b) => a.seq - b.seq);
  return {
    count: rows.length,
    rows,
    significantRaw: rows.filter((r) => r.p < 0.05).length,
    significantHolm: rows.filter((r) => r.holm < 0.05).length
  };
}

/** The session's storage, or null where there is none (Node, or storage blocked). */
export function sessionLedgerStorage(): LedgerStorage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null;
  }
}
