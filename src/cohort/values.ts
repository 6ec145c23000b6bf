// Cell-level rules: which strings are missing, which are numbers, which are dates. Deliberately strict:
// d3-dsv's autoType and Arquero's parser accept "0x1F" (31), " " (0), "Infinity", and infer types from a
// prefix of the column; here every value of a column is tested against a decimal pattern.

/**
 * Default missing-value tokens: empty, R (`NA`), SAS (`.`), Excel (`#N/A`), databases (`NULL`), Python
 * (`None`, `nan`) and common hand-entered forms. Matching is exact after trimming whitespace; a
 * whitespace-only cell is always missing.
 */
export const DEFAULT_NA_TOKENS: readonly string[] = ["", "NA", "N/A", "n/a", "na", "N.A.", ".", "NaN", "nan", "null", "NULL", "Null", "None", "-", "?", "#N/A", "#NA"];

/** A set of missing tokens, trimmed. */
export function naSet(tokens: Iterable<string> = DEFAULT_NA_TOKENS): Set<string> {
  const set = new Set<string>();
  for (const t of tokens) set.add(t.trim());
  set.add("");
  return set;
}

/** Is `s` a missing-value token (after trimming)? */
export function isMissingToken(s: string, tokens: Set<string>): boolean {
  const n = s.length;
  if (n === 0) return true;
  const c0 = s.charCodeAt(0);
  const c1 = s.charCodeAt(n - 1);
  if (c0 <= 32 || c1 <= 32 || c0 === 0xa0 || c1 === 0xa0) return tokens.has(s.trim());
  return n <= maxTokenLength(tokens) && tokens.has(s);
}

const maxLengths = new WeakMap<Set<string>, number>();
function maxTokenLength(tokens: Set<string>): number {
  let m = maxLengths.get(tokens);
  if (m === undefined) {
    m = 0;
    for (const t of tokens) m = Math.max(m, t.length);
    maxLengths.set(tokens, m);
  }
  return m;
}

/** Plain decimal number: optional sign, digits with an optional point, optional exponent. No hex, no Infinity. */
export const DECIMAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
/** A decimal-comma number such as `5,5` or `-12` (no thousands separators). */
export const DECIMAL_COMMA = /^[-+]?\d+(?:,\d+)?$/;
/** Dot thousands separators with a decimal comma, `1.234,5`: ambiguous unless the locale is declared. */
export const THOUSANDS_DOT_COMMA = /^[-+]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$/;
/** An identifier that must stay text: a leading zero (`0012`) or more than 15 digits. */
export const ID_LIKE = /^[-+]?(?:0\d+|\d{16,})$/;
/** ISO 8601 calendar date only (`2020-01-02`); date-times are not dates. */
export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Parse a trimmed decimal string; NaN when it is not a plain finite decimal (`1e309` overflows → NaN).
 * `-0` becomes 0. Fast path (no exponent, ≤ 15 digits): the integer mantissa divided by an exact power of
 * ten, which IEEE division rounds correctly, so the result equals `Number(s)`; otherwise the DECIMAL
 * pattern and `Number`.
 */
export function parseDecimal(s: string): number {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  const negative = c === 45;
  if (negative || c === 43) c = s.charCodeAt(++i);
  let mantissa = 0;
  let digits = 0;
  let frac = -1;
  for (; i < n; c = s.charCodeAt(++i)) {
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      ++digits;
      if (frac >= 0) ++frac;
    } else if (c === 46 && frac < 0) frac = 0;
    else break;
  }
  if (i === n && digits > 0 && digits <= 15) {
    const x = frac > 0 ? mantissa / POW10[frac] : mantissa;
    return negative ? 0 - x : x;
  }
  if (!DECIMAL.test(s)) return NaN;
  const x = Number(s);
  return Number.isFinite(x) ? x + 0 : NaN;
}

/**
 * The fast path of parseDecimal over `text[a, b)`, without making a string: NaN when the cell is not a plain
 * decimal of at most 15 digits without exponent or spaces (the caller then takes the string path).
 */
export function decimalAt(text: string, a: number, b: number): number {
  let i = a;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (negative || c === 43) c = text.charCodeAt(++i);
  let mantissa = 0;
  let digits = 0;
  let frac = -1;
  for (; i < b; c = text.charCodeAt(++i)) {
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      ++digits;
      if (frac >= 0) ++frac;
    } else if (c === 46 && frac < 0) frac = 0;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const x = frac > 0 ? mantissa / POW10[frac] : mantissa;
  return negative ? 0 - x : x;
}

/** Parse `5,5` as 5.5; with `thousands` also `1.234,5` as 1234.5. NaN otherwise. */
export function parseDecimalComma(s: string, thousands = false): number {
  if (DECIMAL_COMMA.test(s)) return Number(s.replace(",", ".")) + 0;
  if (thousands && THOUSANDS_DOT_COMMA.test(s)) return Number(s.replace(/\./g, "").replace(",", ".")) + 0;
  return NaN;
}

/** Days between 1970-01-01 and the given calendar date (proleptic Gregorian, UTC; no DST). NaN if invalid. */
export function daysFromCivil(year: number, month: number, day: number): number {
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && Number.isInteger(year))) return NaN;
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear corrects that.
  if (year >= 0 && year < 100) d.setUTCFullYear(year);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return NaN;
  return Math.round(d.getTime() / 86_400_000);
}

/** ISO date for a day number: 18262 → "2020-01-01". */
export function civilFromDays(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** Parse an ISO `YYYY-MM-DD` date to days since 1970-01-01; NaN for anything else or an impossible date. */
export function parseIsoDate(s: string): number {
  const m = ISO_DATE.exec(s);
  return m ? daysFromCivil(+m[1], +m[2], +m[3]) : NaN;
}

/**
 * A date format made of `YYYY`, `MM`/`M`, `DD`/`D` and literal separators, e.g. `DD/MM/YYYY`,
 * `MM/DD/YYYY`, `DD.MM.YYYY`, `YYYYMMDD`. Two-digit years are not supported (they are ambiguous).
 * Returns a parser from string to days since 1970-01-01 (NaN when a value does not match).
 */
export function dateParser(format: string): (s: string) => number {
  if (format === "YYYY-MM-DD" || format === "iso") return parseIsoDate;
  const order: ("Y" | "M" | "D")[] = [];
  let pattern = "^";
  let rest = format;
  while (rest.length) {
    const m = /^(YYYY|MM|M|DD|D)/.exec(rest);
    if (m) {
      const tok = m[1];
      order.push(tok[0] as "Y" | "M" | "D");
      pattern += tok === "YYYY" ? "(\\d{4})" : tok.length === 2 ? "(\\d{2})" : "(\\d{1,2})";
      rest = rest.slice(tok.length);
    } else {
      if (/[A-Za-z0-9]/.test(rest[0])) throw new Error(`unsupported date format ${JSON.stringify(format)}: use YYYY, MM, DD (or M, D) and separators`);
      pattern += rest[0].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      rest = rest.slice(1);
    }
  }
  if (order.length !== 3 || new Set(order).size !== 3) throw new Error(`unsupported date format ${JSON.stringify(format)}: it needs YYYY, MM and DD once each`);
  const re = new RegExp(pattern + "$");
  return (s: string) => {
    const m = re.exec(s);
    if (!m) return NaN;
    let y = 0;
    let mo = 0;
    let d = 0;
    for (let k = 0; k < 3; ++k) {
      const v = +m[k + 1];
      if (order[k] === "Y") y = v;
      else if (order[k] === "M") mo = v;
      else d = v;
    }
    return daysFromCivil(y, mo, d);
  };
}
