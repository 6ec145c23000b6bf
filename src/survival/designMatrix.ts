import {SurvivalInputError} from "./errors.js";
import {sortLevels} from "./input.js";

/** One covariate column as the caller supplies it. */
export interface CovariateSpec {
  /** Column name; used in term names and error messages. */
  name: string;
  /** Values, one per row. Missing: `null`, `undefined` or `NaN`. */
  values: ArrayLike<number | string | null | undefined>;
  /** Default: `"categorical"` when any present value is a string, else `"numeric"`. */
  type?: "numeric" | "categorical";
  /** Reference level of a categorical covariate (default: the first level in sorted order). */
  reference?: string | number;
}

export interface DesignMatrixOptions {
  /** Reference levels by covariate name (as the runner's `--ref col=level`); a spec's own `reference` wins. */
  references?: Record<string, string | number>;
}

/** How one covariate was coded. */
export interface DesignCovariate {
  name: string;
  type: "numeric" | "categorical";
  /** Categorical: all levels in sorted order (reference included); numeric: null. */
  levels: string[] | null;
  /** Categorical: the reference level; numeric: null. */
  reference: string | null;
  /** Indices into `terms` of this covariate's columns. */
  terms: number[];
}

/** A numeric design matrix stored by column (the analogue of R's `model.matrix` without intercept). */
export interface DesignMatrix {
  /** Number of rows (the caller's rows, missing ones included). */
  n: number;
  /** Term names: `name` for a numeric covariate, `name=level` for each non-reference level. */
  terms: string[];
  /** One column per term; NaN in rows where any covariate is missing. */
  columns: Float64Array[];
  /** 1 where any covariate is missing (null, undefined or NaN), else 0. */
  missing: Uint8Array;
  /** For each term, the index of the covariate it codes (R's `assign`, 0-based). */
  assign: number[];
  /** The covariates in the order given, with their coding. */
  covariates: DesignCovariate[];
}

/** A typed array of numbers (its values are numbers, so only NaN can be missing). */
function isNumericTypedArray(v: unknown): v is Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

/**
 * Build the design matrix of a regression model from named covariate columns, as R's
 * `model.matrix(~ a + factor(b) - 1)` codes them with treatment contrasts (no intercept column):
 * a numeric covariate gives one column; a categorical one gives an indicator column `name=level`
 * for every level except the reference (the first level in sorted order, as R's `factor()`, unless
 * `reference` names one). Levels are taken from the rows where every covariate is present, as R
 * does for character columns after `na.omit`.
 *
 * Rows with any missing covariate are flagged in `missing` (the models drop and count them). A
 * present numeric value that is not a finite number throws SurvivalInputError naming column, row
 * and value, e.g. `age at row 12: Infinity (covariate must be finite)`.
 */
export function designMatrix(covariates: CovariateSpec[], options: DesignMatrixOptions = {}): DesignMatrix {
  if (!Array.isArray(covariates)) throw new SurvivalInputError("covariates", null, undefined, "must be an array of {name, values}");
  const n = covariates.length ? covariates[0].values.length : 0;
  const seen = new Set<string>();
  for (const c of covariates) {
    if (!c || typeof c.name !== "string" || !c.values)
      throw new SurvivalInputError("covariates", null, undefined, "each covariate needs a name and values");
    if (seen.has(c.name)) throw new SurvivalInputError(c.name, null, undefined, "covariate named twice");
    seen.add(c.name);
    if (c.values.length !== n)
      throw new SurvivalInputError(c.name, null, undefined, `has ${c.values.length} values but ${covariates[0].name} has ${n}`);
  }

  // Types, validation and the missing mask. A categorical column is coded in the same pass: each
  // distinct raw value gets an id on first sight (validated and labelled then), so the per-row work
  // is one Map lookup; values 1 and "1" share the label "1".
  const missing = new Uint8Array(n);
  const types: ("numeric" | "categorical")[] = [];
  const rawCodes: (Int32Array | null)[] = [];
  const rawLabels: string[][] = [];
  for (const c of covariates) {
    const vals = c.values;
    let type = c.type;
    if (type !== undefined && type !== "numeric" && type !== "categorical")
      throw new SurvivalInputError(c.name, null, type, 'type must be "numeric" or "categorical"');
    if (type === undefined) {
      type = "numeric";
      if (!isNumericTypedArray(vals)) for (let i = 0; i < n; ++i) if (typeof vals[i] === "string") ((type = "categorical"), (i = n));
    }
    types.push(type);
    if (type === "numeric") {
      rawCodes.push(null);
      rawLabels.push([]);
      if (isNumericTypedArray(vals)) {
        for (let i = 0; i < n; ++i) {
          const v = vals[i];
          if (v - v !== 0) {
            // NaN (missing) or ±Infinity
            if (v !== v) missing[i] = 1;
            else throw new SurvivalInputError(c.name, i + 1, v, "covariate must be finite");
          }
        }
        continue;
      }
      for (let i = 0; i < n; ++i) {
        const v = vals[i];
        if (isMissing(v)) {
          missing[i] = 1;
          continue;
        }
        if (typeof v !== "number") throw new SurvivalInputError(c.name, i + 1, v, "covariate must be a number");
        if (!Number.isFinite(v)) throw new SurvivalInputError(c.name, i + 1, v, "covariate must be finite");
      }
      continue;
    }
    const codes = new Int32Array(n).fill(-1);
    const rawId = new Map<unknown, number>();
    const labelId = new Map<string, number>();
    const labels: string[] = [];
    // The first few distinct raw values are also kept in a short list compared with === (cheaper than
    // a Map lookup for the handful of levels a categorical column usually has).
    const recent: unknown[] = [];
    const recentId: number[] = [];
    for (let i = 0; i < n; ++i) {
      const v = vals[i];
      let id: number | undefined;
      for (let q = 0; q < recent.length; ++q)
        if (recent[q] === v) {
          id = recentId[q];
          break;
        }
      if (id !== undefined) {
        codes[i] = id;
        continue;
      }
      if (isMissing(v)) {
        missing[i] = 1;
        continue;
      }
      id = rawId.get(v);
      if (id === undefined) {
        if (typeof v !== "string" && typeof v !== "number") throw new SurvivalInputError(c.name, i + 1, v, "category must be a string or a number");
        if (typeof v === "number" && !Number.isFinite(v)) throw new SurvivalInputError(c.name, i + 1, v, "category must be finite");
        const label = String(v);
        id = labelId.get(label);
        if (id === undefined) {
          id = labels.length;
          labels.push(label);
          labelId.set(label, id);
        }
        rawId.set(v, id);
        if (recent.length < 8) {
          recent.push(v);
          recentId.push(id);
        }
      }
      codes[i] = id;
    }
    rawCodes.push(codes);
    rawLabels.push(labels);
  }
  let anyMissing = false;
  for (let i = 0; i < n; ++i) if (missing[i]) ((anyMissing = true), (i = n));

  const terms: string[] = [];
  const columns: Float64Array[] = [];
  const assign: number[] = [];
  const coded: DesignCovariate[] = [];
  covariates.forEach((c, k) => {
    const vals = c.values;
    if (types[k] === "numeric") {
      const col = isNumericTypedArray(vals) ? new Float64Array(vals) : new Float64Array(n);
      if (!isNumericTypedArray(vals)) for (let i = 0; i < n; ++i) col[i] = missing[i] ? NaN : (vals[i] as number);
      coded.push({name: c.name, type: "numeric", levels: null, reference: null, terms: [terms.length]});
      terms.push(c.name);
      columns.push(col);
      assign.push(k);
      return;
    }
    // Levels: the labels seen on complete rows.
    const codes = rawCodes[k]!;
    const labels = rawLabels[k];
    const used = new Uint8Array(labels.length);
    if (anyMissing) {
      for (let i = 0; i < n; ++i) if (!missing[i]) used[codes[i]] = 1;
    } else used.fill(1); // every label was seen on some row, and every row is complete
    const levels = sortLevels(labels.filter((_, id) => used[id]));
    const refGiven = c.reference ?? options.references?.[c.name];
    let reference = levels.length ? levels[0] : null;
    if (refGiven !== undefined && refGiven !== null) {
      const r = String(refGiven);
      if (!levels.includes(r))
        throw new SurvivalInputError(c.name, null, r, `reference level not found; levels are ${levels.map((l) => JSON.stringify(l)).join(", ")}`);
      reference = r;
    }
    // Column of each label id (−1: the reference level, or a level seen only on incomplete rows).
    const columnOf = new Int32Array(labels.length).fill(-1);
    const levelColumn = new Map<string, number>();
    const termIdx: number[] = [];
    for (const level of levels) {
      if (level === reference) continue;
      levelColumn.set(level, columns.length);
      termIdx.push(terms.length);
      terms.push(`${c.name}=${level}`);
      columns.push(new Float64Array(n));
      assign.push(k);
    }
    labels.forEach((label, id) => (columnOf[id] = levelColumn.get(label) ?? -1));
    // One pass per indicator column, by table lookup on the code (+1: a missing row's code is −1 and
    // reads NaN).
    for (const j of levelColumn.values()) {
      const col = columns[j];
      const value = new Float64Array(labels.length + 1);
      value[0] = NaN;
      for (let id = 0; id < labels.length; ++id) value[id + 1] = columnOf[id] === j ? 1 : 0;
      for (let i = 0; i < n; ++i) col[i] = value[codes[i] + 1];
    }
    coded.push({name: c.name, type: "categorical", levels, reference, terms: termIdx});
  });
  // Missing rows carry NaN in every column, so that a forgotten mask cannot pass silently.
  if (anyMissing) for (let i = 0; i < n; ++i) if (missing[i]) for (const col of columns) col[i] = NaN;
  return {n, terms, columns, missing, assign, covariates: coded};
}
