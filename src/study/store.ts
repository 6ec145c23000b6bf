// Where an uploaded cohort lives between pages: in this browser only (IndexedDB of this origin), as the
// file's bytes plus the column mapping, so that every analysis page can read it again and get the same
// table and the same SHA-256 fingerprint. Nothing here sends anything anywhere. "Forget my data" deletes
// the record. The small-cell setting is kept with the view in sessionStorage.
import {isCohortMapping, type CohortMapping} from "./mapping.js";

/** The minimal key-value store this module needs (IndexedDB in the browser; a Map in tests). */
export interface KeyValueBackend {
  readonly kind: "indexeddb" | "memory";
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The uploaded cohort as stored: the bytes exactly as read from the file, and how its columns map. */
export interface StoredCohort {
  v: 1;
  /** File name as the user's system gave it (a label only). */
  name: string;
  /** SHA-256 of `bytes`, lowercase hex. */
  fingerprint: string;
  byteLength: number;
  bytes: Uint8Array;
  mapping: CohortMapping;
  /** ISO time it was stored. */
  savedAt: string;
  /** True when the user chose it for the analysis pages. */
  active: boolean;
}

const KEY = "uploaded-cohort";
const DB_NAME = "sct2-notebook";
const STORE = "cohort";

/** A backend over a Map (tests, or browsers without IndexedDB: then the data last as long as the page). */
export function memoryBackend(): KeyValueBackend {
  const map = new Map<string, unknown>();
  return {
    kind: "memory",
    get: async (key) => map.get(key),
    put: async (key, value) => void map.set(key, structuredClone(value)),
    delete: async (key) => void map.delete(key)
  };
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("IndexedDB request failed"));
  });
}

/** A backend over IndexedDB (database `sct2-notebook`, object store `cohort`), or null when IndexedDB is unavailable. */
export function indexedDbBackend(dbName = DB_NAME): KeyValueBackend | null {
  if (typeof indexedDB === "undefined") return null;
  let db: Promise<IDBDatabase> | null = null;
  const open = () =>
    (db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(dbName, 1);
      r.onupgradeneeded = () => {
        if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE);
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => {
        db = null;
        reject(r.error ?? new Error("IndexedDB could not be opened"));
      };
      r.onblocked = () => reject(new Error("IndexedDB is blocked by another tab"));
    }));
  const tx = async <T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const d = await open();
    const t = d.transaction(STORE, mode);
    const result = await request(f(t.objectStore(STORE)));
    if (mode === "readwrite")
      await new Promise<void>((resolve, reject) => {
        t.oncomplete = () => resolve();
        t.onerror = () => reject(t.error ?? new Error("IndexedDB transaction failed"));
        t.onabort = () => reject(t.error ?? new Error("IndexedDB transaction aborted"));
      });
    return result;
  };
  return {
    kind: "indexeddb",
    get: (key) => tx("readonly", (s) => s.get(key)),
    put: async (key, value) => void (await tx("readwrite", (s) => s.put(value, key))),
    delete: async (key) => void (await tx("readwrite", (s) => s.delete(key)))
  };
}

let fallback: KeyValueBackend | null = null;

/** IndexedDB when the browser has it, else an in-page memory store (then nothing outlives the page). */
export function defaultBackend(): KeyValueBackend {
  return indexedDbBackend() ?? (fallback ??= memoryBackend());
}

const HEX64 = /^[0-9a-f]{64}$/;

/** A stored record is used only when it has exactly the expected shape (anything else is ignored). */
export function isStoredCohort(x: unknown): x is StoredCohort {
  if (!x || typeof x !== "object") return false;
  const r = x as Record<string, unknown>;
  return (
    r.v === 1 &&
    typeof r.name === "string" &&
    r.name.length <= 1000 &&
    typeof r.fingerprint === "string" &&
    HEX64.test(r.fingerprint) &&
    r.bytes instanceof Uint8Array &&
    r.byteLength === r.bytes.byteLength &&
    isCohortMapping(r.mapping) &&
    typeof r.savedAt === "string" &&
    typeof r.active === "boolean"
  );
}

/** Store (or replace) the uploaded cohort. */
export async function saveCohort(backend: KeyValueBackend, record: Omit<StoredCohort, "v" | "savedAt" | "byteLength"> & {savedAt?: string}): Promise<StoredCohort> {
  const full: StoredCohort = {v: 1, name: record.name, fingerprint: record.fingerprint, byteLength: record.bytes.byteLength, bytes: record.bytes, mapping: record.mapping, savedAt: record.savedAt ?? new Date().toISOString(), active: record.active};
  if (!isStoredCohort(full)) throw new TypeError("not a storable cohort record (name, 64-hex fingerprint, bytes, mapping)");
  await backend.put(KEY, full);
  return full;
}

/** The stored cohort, or null when there is none (or what is stored is not a valid record). */
export async function readCohort(backend: KeyValueBackend): Promise<StoredCohort | null> {
  let x: unknown;
  try {
    x = await backend.get(KEY);
  } catch {
    return null;
  }
  return isStoredCohort(x) ? x : null;
}

/** Choose (or stop choosing) the stored cohort for the analysis pages. Returns false when nothing is stored. */
export async function setCohortActive(backend: KeyValueBackend, active: boolean): Promise<boolean> {
  const r = await readCohort(backend);
  if (!r) return false;
  await backend.put(KEY, {...r, active});
  return true;
}

/** Delete the uploaded cohort from this browser. */
export async function forgetCohort(backend: KeyValueBackend): Promise<void> {
  await backend.delete(KEY);
}

// ---- Small-cell protection (kept with the view: sessionStorage) ----

/** Default threshold: counts 1–4 are shown as "<5". */
export const DEFAULT_SMALL_CELL_THRESHOLD = 5;
const SMALL_CELLS_KEY = "sct2-notebook-small-cells";

export interface SmallCellSetting {
  /** On, off, or null = the default (on for uploaded data, off for the published cohort). */
  enabled: boolean | null;
  /** Counts from 1 to threshold − 1 are masked; 2 … 100. */
  threshold: number;
}

/** Minimal Storage (sessionStorage in the browser). */
export interface SettingStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function sessionSettings(): SettingStorage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** The small-cell setting (defaults when absent or malformed). */
export function readSmallCells(storage: SettingStorage | null = sessionSettings()): SmallCellSetting {
  const fallback: SmallCellSetting = {enabled: null, threshold: DEFAULT_SMALL_CELL_THRESHOLD};
  const text = storage?.getItem(SMALL_CELLS_KEY);
  if (!text || text.length > 100) return fallback;
  try {
    const x = JSON.parse(text) as unknown;
    if (!x || typeof x !== "object") return fallback;
    const {enabled, threshold} = x as Record<string, unknown>;
    return {
      enabled: enabled === true || enabled === false ? enabled : null,
      threshold: Number.isInteger(threshold) && (threshold as number) >= 2 && (threshold as number) <= 100 ? (threshold as number) : DEFAULT_SMALL_CELL_THRESHOLD
    };
  } catch {
    return fallback;
  }
}

export function writeSmallCells(setting: SmallCellSetting, storage: SettingStorage | null = sessionSettings()): void {
  const threshold = Number.isInteger(setting.threshold) && setting.threshold >= 2 && setting.threshold <= 100 ? setting.threshold : DEFAULT_SMALL_CELL_THRESHOLD;
  storage?.setItem(SMALL_CELLS_KEY, JSON.stringify({enabled: setting.enabled, threshold}));
}

/**
 * The `maskBelow` every table, risk table and export should use: the threshold when protection is on
 * (by default when the data are the user's own), else 0 (no masking).
 */
export function maskBelowFor(setting: SmallCellSetting, uploaded: boolean): number {
  const on = setting.enabled ?? uploaded;
  return on ? setting.threshold : 0;
}
