// Display formatting. All rounding for display lives here (CONTRIBUTING.md: components own display
// rounding); the engine returns full-precision numbers and `null` for undefined quantities. Every
// formatter accepts null/undefined/NaN/±Infinity and returns the placeholder (an em dash by default)
// instead of printing "NaN" or "Infinity".

/** Placeholder shown for an undefined quantity (engine `null`, NaN, ±Infinity). */
export const MISSING = "—";

/** A number the engine may hand us: a finite value, or `null`/`undefined`/NaN for "undefined". */
export type Maybe = number | null | undefined;

/** True for a finite number (the only values the formatters print). */
export function isFiniteNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

/**
 * Fixed-decimal number with a true minus sign (U+2212), as Plot's axes print negatives, and no
 * negative zero ("−0.00" becomes "0.00").
 *
 * @example formatNumber(-1.234, 2) // "−1.23"
 */
export function formatNumber(x: Maybe, digits = 2, {missing = MISSING}: {missing?: string} = {}): string {
  if (!isFiniteNumber(x)) return missing;
  let s = x.toFixed(digits);
  if (/^-0(\.0*)?$/.test(s)) s = s.slice(1);
  return s.startsWith("-") ? `\u2212${s.slice(1)}` : s;
}

/** Options for {@link formatP}. */
export interface FormatPOptions {
  /** Prefix with "P = " / "P < " (journal style, capital P). Default false: "0.04", "< 0.001". */
  prefix?: boolean;
  /** Values below this threshold print as "< threshold". Default 0.001. */
  threshold?: number;
  /** Placeholder for an undefined p-value. Default "—". */
  missing?: string;
}

/**
 * A p-value in the style of NEJM/Lancet tables: two decimals from 0.01 up, three decimals between
 * 0.001 and 0.01, "< 0.001" below. A value just under 0.05 is never rounded up across the
 * threshold: values in [0.045, 0.05) are truncated to three decimals (0.0496 → "0.049", not "0.05"),
 * and a value below 1 never prints "1.00" (→ "> 0.99").
 * Input is a probability on [0, 1] (the engine's `p`); anything else, or null, prints the placeholder.
 *
 * @example formatP(0.0412) // "0.04";  formatP(0.00042, {prefix: true}) // "P < 0.001"
 */
export function formatP(p: Maybe, options: FormatPOptions = {}): string {
  const {prefix = false, threshold = 0.001, missing = MISSING} = options;
  if (!isFiniteNumber(p) || p < 0 || p > 1) return missing;
  const eq = prefix ? "P = " : "";
  if (p < threshold) {
    const t = String(threshold);
    return prefix ? `P < ${t}` : `< ${t}`;
  }
  let s: string;
  if (p < 0.01) s = p.toFixed(3);
  else if (p >= 0.045 && p < 0.05) s = (Math.floor(p * 1000) / 1000).toFixed(3);
  else s = p.toFixed(2);
  if (s === "1.00" && p < 1) return prefix ? "P > 0.99" : "> 0.99";
  return eq + s;
}

/**
 * A probability on [0, 1] as a percentage: `formatPercent(0.4567)` → "45.7%".
 * @param digits decimals of the percentage (default 1).
 */
export function formatPercent(x: Maybe, digits = 1, {missing = MISSING, sign = true}: {missing?: string; sign?: boolean} = {}): string {
  if (!isFiniteNumber(x)) return missing;
  return formatNumber(x * 100, digits) + (sign ? "%" : "");
}

/** Options for {@link formatCI}. */
export interface FormatCIOptions {
  /** Decimals (default 2; for percent, decimals of the percentage, default 1). */
  digits?: number;
  /** Inputs are probabilities on [0, 1]; print them as percentages ("30.1–60.0%"). */
  percent?: boolean;
  /** Placeholder when either bound is undefined. Default "—". */
  missing?: string;
}

/**
 * A confidence interval "lower–upper" with an en dash, or "lower to upper" when a bound is negative
 * (an en dash next to a minus sign is ambiguous). Undefined bounds print the placeholder.
 *
 * @example formatCI(0.451, 0.802) // "0.45–0.80";  formatCI(0.301, 0.6, {percent: true}) // "30.1–60.0%"
 */
export function formatCI(lower: Maybe, upper: Maybe, options: FormatCIOptions = {}): string {
  const {percent = false, missing = MISSING} = options;
  const digits = options.digits ?? (percent ? 1 : 2);
  if (!isFiniteNumber(lower) || !isFiniteNumber(upper)) return missing;
  const f = (x: number) => (percent ? formatPercent(x, digits, {sign: false}) : formatNumber(x, digits));
  const a = f(lower);
  const b = f(upper);
  const sep = a.startsWith("\u2212") || b.startsWith("\u2212") ? " to " : "\u2013";
  return `${a}${sep}${b}${percent ? "%" : ""}`;
}

/**
 * A ratio (hazard ratio, subdistribution HR) for tables: 2 decimals from 0.01 to 99.99, no decimals
 * from 100, two significant digits below 0.01. Ratios must be positive; anything else is undefined.
 */
export function formatRatio(x: Maybe, digits = 2, {missing = MISSING}: {missing?: string} = {}): string {
  if (!isFiniteNumber(x) || x <= 0) return missing;
  if (x >= 100) return x.toFixed(0);
  if (x < 0.01) return x.toPrecision(2);
  return x.toFixed(digits);
}

/** Options for {@link formatHR}. */
export interface FormatHROptions {
  digits?: number;
  /** Text for a ratio that cannot be estimated (null/non-finite estimate, or flagged infinite). */
  notEstimable?: string;
  /** The estimate diverged (monotone likelihood); print `notEstimable` whatever the numbers say. */
  possiblyInfinite?: boolean;
}

/**
 * "HR (95% CI)" cell text: `formatHR(1.85, 1.02, 3.36)` → "1.85 (1.02–3.36)". A null/non-finite
 * estimate, or `possiblyInfinite`, prints "not estimable"; an estimate with an undefined interval
 * prints "1.85 (—)".
 */
export function formatHR(hr: Maybe, lower?: Maybe, upper?: Maybe, options: FormatHROptions = {}): string {
  const {digits = 2, notEstimable = "not estimable", possiblyInfinite = false} = options;
  if (possiblyInfinite || !isFiniteNumber(hr) || hr <= 0) return notEstimable;
  const ci =
    isFiniteNumber(lower) && isFiniteNumber(upper) && lower >= 0
      ? `${lower === 0 ? "0" : formatRatio(lower, digits)}\u2013${formatRatio(upper, digits)}`
      : MISSING;
  return `${formatRatio(hr, digits)} (${ci})`;
}

/** Time units the components display; data are in days unless stated. */
export type TimeUnit = "days" | "months" | "years";

/** The display units, in the order a unit selector offers them (`Inputs.radio(TIME_UNITS)`). */
export const TIME_UNITS: readonly TimeUnit[] = ["days", "months", "years"];

/** Days per unit: a year is 365.25 days and a month a twelfth of it (as R's `survminer` xscale). */
export const DAYS_PER: Readonly<Record<TimeUnit, number>> = Object.freeze({days: 1, months: 365.25 / 12, years: 365.25});

/**
 * A duration given in days, in the chosen unit: `formatDays(117)` → "117 days";
 * `formatDays(730.5, {unit: "years"})` → "2.0 years"; `formatDays(1)` → "1 day".
 * @param digits decimals (default 0 for days, 1 for months and years).
 */
export function formatDays(days: Maybe, {unit = "days", digits, missing = MISSING}: {unit?: TimeUnit; digits?: number; missing?: string} = {}): string {
  if (!isFiniteNumber(days)) return missing;
  const value = days / DAYS_PER[unit];
  const d = digits ?? (unit === "days" ? 0 : 1);
  const text = formatNumber(value, d);
  const singular = text === "1" || text === "1.0" || text === "1.00";
  return `${text} ${singular ? unit.slice(0, -1) : unit}`;
}

/**
 * An estimate ± standard error as percentages, the paper's style: `formatPercentSE(0.452, 0.081)`
 * → "45.2% ± 8.1%".
 */
export function formatPercentSE(estimate: Maybe, se: Maybe, digits = 1): string {
  if (!isFiniteNumber(estimate)) return MISSING;
  return `${formatPercent(estimate, digits)} ± ${formatPercent(se, digits)}`;
}

/**
 * A count with optional small-cell masking: counts from 1 to `maskBelow − 1` print as "<maskBelow"
 * (zero is shown: it identifies nobody). `formatCount(3, {maskBelow: 5})` → "<5".
 */
export function formatCount(n: Maybe, {maskBelow = 0, missing = MISSING}: {maskBelow?: number; missing?: string} = {}): string {
  if (!isFiniteNumber(n)) return missing;
  if (maskBelow > 1 && n > 0 && n < maskBelow) return `<${maskBelow}`;
  return String(Math.round(n));
}

/** True when `formatCount(n, {maskBelow})` would hide the value. */
export function isMasked(n: Maybe, maskBelow: number): boolean {
  return isFiniteNumber(n) && maskBelow > 1 && n > 0 && n < maskBelow;
}
