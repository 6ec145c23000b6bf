// Column names: trimmed for matching, kept verbatim for display, never collapsed. Empty names become
// `column_k`; duplicates are renamed deterministically (`time`, `time_2`) with a warning.

import {formatCount, problem, quoteValue, type Problem} from "./problems.js";

export interface NamedHeader {
  /** Unique keys, in column order. */
  names: string[];
  /** The headers as written. */
  headers: string[];
  problems: Problem[];
}

/**
 * Make unique, non-empty column keys from raw headers. Rules, in order:
 * 1. surrounding whitespace is trimmed (the original is kept as the column's `header`), reported;
 * 2. an empty name becomes `column_k` (k = 1-based position), with a warning;
 * 3. a repeated name keeps its first occurrence; later ones get the smallest suffix `_2`, `_3`, … that is
 *    not already a name in the file, with a warning naming both positions;
 * 4. names that differ only by case (`Time`, `time`) are kept apart, with a warning.
 */
export function uniqueNames(headers: readonly string[]): NamedHeader {
  const problems: Problem[] = [];
  const trimmed = headers.map((h) => h.trim());
  const reserved = new Set(trimmed.filter((t) => t !== ""));
  const firstAt = new Map<string, number>();
  const names: string[] = [];
  const used = new Set<string>();
  const fresh = (base: string) => {
    for (let k = 2; ; ++k) {
      const candidate = `${base}_${k}`;
      if (!reserved.has(candidate) && !used.has(candidate)) return candidate;
    }
  };
  for (let j = 0; j < headers.length; ++j) {
    let name = trimmed[j];
    if (name === "") {
      name = `column_${j + 1}`;
      if (reserved.has(name) || used.has(name)) name = fresh(name);
      problems.push(problem("warning", "empty-name", `Column ${j + 1} has no name; named it ${name}`, {column: name}));
    } else {
      if (name !== headers[j])
        problems.push(problem("info", "trimmed-name", `Column ${j + 1} name ${quoteValue(headers[j])} has surrounding spaces; matched as ${quoteValue(name)}`, {column: name, value: headers[j]}));
      if (used.has(name)) {
        const renamed = fresh(name);
        problems.push(
          problem("warning", "duplicate-name", `Duplicate column name ${quoteValue(name)} (columns ${firstAt.get(name)! + 1} and ${j + 1}); column ${j + 1} is named ${renamed}`, {
            column: renamed,
            value: headers[j]
          })
        );
        name = renamed;
      } else firstAt.set(name, j);
    }
    used.add(name);
    names.push(name);
  }
  const byLower = new Map<string, string[]>();
  for (const n of names) {
    const k = n.toLowerCase();
    const list = byLower.get(k);
    if (list) list.push(n);
    else byLower.set(k, [n]);
  }
  for (const list of byLower.values())
    if (list.length > 1) problems.push(problem("warning", "case-names", `Columns ${list.map((n) => quoteValue(n)).join(", ")} differ only by case; they are kept apart`, {column: list[1]}));
  if (headers.length > 1000) problems.push(problem("info", "many-columns", `${formatCount(headers.length)} columns`));
  return {names, headers: headers.slice(), problems};
}
