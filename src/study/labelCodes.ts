// Factor columns as small integer codes, computed once per column (issue 7): the study functions a filter
// change re-runs compare codes instead of strings on every row. Tables never change once read, so the
// codes are cached per Column object. Pure, no DOM.
import {isNA, type Column} from "../cohort/table.js";

/** A column's distinct labels and, per table row, the index of its label (−1 where missing or invalid). */
export interface LabelCodes {
  /** Distinct labels, `String(value)` of each present cell, in order of first appearance. */
  labels: string[];
  /** Per table row: index into `labels`, or −1 where `isNA`. */
  code: Int32Array;
  /** Label → index into `labels`. */
  index: Map<string, number>;
}

const cache = new WeakMap<Column, LabelCodes>();

/**
 * The column's labels as codes: `labels[code[i]] === String(column.values[i])` on every row that is not
 * missing or invalid (`isNA`), `code[i] === −1` on the others. Computed once per column.
 */
export function labelCodes(column: Column): LabelCodes {
  let c = cache.get(column);
  if (c) return c;
  const n = column.length;
  const code = new Int32Array(n);
  const labels: string[] = [];
  const index = new Map<string, number>();
  const values = column.values as ArrayLike<unknown>;
  let lastValue: unknown = undefined;
  let lastCode = -1;
  for (let i = 0; i < n; ++i) {
    if (isNA(column, i)) {
      code[i] = -1;
      continue;
    }
    const v = values[i];
    if (v === lastValue && lastCode >= 0 && typeof v === "string") {
      code[i] = lastCode;
      continue;
    }
    const label = String(v);
    let k = index.get(label);
    if (k === undefined) {
      k = labels.length;
      labels.push(label);
      index.set(label, k);
    }
    code[i] = k;
    lastValue = v;
    lastCode = k;
  }
  cache.set(column, (c = {labels, code, index}));
  return c;
}
