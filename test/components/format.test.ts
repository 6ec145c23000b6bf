// Display formatters. Expected strings are the journal conventions written out by hand (NEJM/Lancet
// style P, en dash ranges, U+2212 minus), not values from R.
import {assert, describe, it} from "vitest";
import {
  MISSING,
  formatCI,
  formatCount,
  formatDays,
  formatHR,
  formatNumber,
  formatP,
  formatPercent,
  formatPercentSE,
  formatRatio,
  isMasked
} from "../../src/components/format.js";

describe("formatP", () => {
  it("formatP(p) uses two decimals from 0.01, three below, and '< 0.001' below the threshold", () => {
    assert.strictEqual(formatP(0.0412), "0.04");
    assert.strictEqual(formatP(0.5), "0.50");
    assert.strictEqual(formatP(0.0042), "0.004");
    assert.strictEqual(formatP(0.00996), "0.010");
    assert.strictEqual(formatP(0.001), "0.001");
    assert.strictEqual(formatP(0.00042), "< 0.001");
    assert.strictEqual(formatP(0), "< 0.001");
  });
  it("formatP(p) never rounds a value below 0.05 up to 0.05, nor a value below 1 to 1.00", () => {
    assert.strictEqual(formatP(0.0496), "0.049");
    assert.strictEqual(formatP(0.045), "0.045");
    assert.strictEqual(formatP(0.05), "0.05");
    assert.strictEqual(formatP(0.0449), "0.04");
    assert.strictEqual(formatP(0.9996), "> 0.99");
    assert.strictEqual(formatP(1), "1.00");
  });
  it("formatP(p, {prefix: true}) writes journal style 'P = ' and 'P < '", () => {
    assert.strictEqual(formatP(0.04, {prefix: true}), "P = 0.04");
    assert.strictEqual(formatP(0.0001, {prefix: true}), "P < 0.001");
    assert.strictEqual(formatP(0.0001, {threshold: 0.0001, prefix: true}), "P = 0.000");
    assert.strictEqual(formatP(0.00001, {threshold: 0.0001, prefix: true}), "P < 0.0001");
  });
  it("formatP(p) prints the placeholder for null, NaN, Infinity and values outside [0, 1]", () => {
    for (const p of [null, undefined, NaN, Infinity, -Infinity, -0.1, 1.5]) assert.strictEqual(formatP(p), MISSING, String(p));
    assert.strictEqual(formatP(null, {missing: "n/a"}), "n/a");
  });
});

describe("numbers, percentages, intervals", () => {
  it("formatNumber uses a true minus sign and never prints −0", () => {
    assert.strictEqual(formatNumber(-1.234, 2), "\u22121.23");
    assert.strictEqual(formatNumber(-0.001, 2), "0.00");
    assert.strictEqual(formatNumber(-0, 0), "0");
    assert.strictEqual(formatNumber(NaN), MISSING);
  });
  it("formatPercent(x) prints a probability as a percentage", () => {
    assert.strictEqual(formatPercent(0.4567), "45.7%");
    assert.strictEqual(formatPercent(1), "100.0%");
    assert.strictEqual(formatPercent(0.4567, 0), "46%");
    assert.strictEqual(formatPercent(null), MISSING);
  });
  it("formatCI uses an en dash, or 'to' when a bound is negative", () => {
    assert.strictEqual(formatCI(0.451, 0.802), "0.45\u20130.80");
    assert.strictEqual(formatCI(0.301, 0.6, {percent: true}), "30.1\u201360.0%");
    assert.strictEqual(formatCI(-0.5, 0.25), "\u22120.50 to 0.25");
    assert.strictEqual(formatCI(0.1, null), MISSING);
    assert.strictEqual(formatCI(NaN, 1), MISSING);
  });
  it("formatPercentSE writes the paper's 'estimate ± SE'", () => {
    assert.strictEqual(formatPercentSE(0.452, 0.081), "45.2% ± 8.1%");
    assert.strictEqual(formatPercentSE(0.452, null), `45.2% ± ${MISSING}`);
    assert.strictEqual(formatPercentSE(null, 0.1), MISSING);
  });
});

describe("formatHR", () => {
  it("formatHR(hr, lower, upper) writes 'HR (lower–upper)'", () => {
    assert.strictEqual(formatHR(1.8512, 1.02, 3.361), "1.85 (1.02\u20133.36)");
    assert.strictEqual(formatHR(0.0034, 0.0001, 0.2), "0.0034 (0.00010\u20130.20)");
    assert.strictEqual(formatHR(250, 12, 5000), "250 (12.00\u20135000)");
    assert.strictEqual(formatHR(2, 0, Infinity), `2.00 (${MISSING})`);
    assert.strictEqual(formatHR(2, 0, 5), "2.00 (0\u20135.00)");
  });
  it("formatHR writes 'not estimable' for null, non-finite, non-positive or diverged estimates", () => {
    for (const hr of [null, undefined, NaN, Infinity, 0, -1]) assert.strictEqual(formatHR(hr, 1, 2), "not estimable", String(hr));
    assert.strictEqual(formatHR(3.2e-9, 0, Infinity, {possiblyInfinite: true}), "not estimable");
    assert.strictEqual(formatRatio(-1), MISSING);
  });
});

describe("formatDays and formatCount", () => {
  it("formatDays converts days to the chosen unit (1 year = 365.25 days, 1 month = a twelfth)", () => {
    assert.strictEqual(formatDays(117), "117 days");
    assert.strictEqual(formatDays(1), "1 day");
    assert.strictEqual(formatDays(730.5, {unit: "years"}), "2.0 years");
    assert.strictEqual(formatDays(365.25, {unit: "years"}), "1.0 year");
    assert.strictEqual(formatDays(365.25 / 2, {unit: "months"}), "6.0 months");
    assert.strictEqual(formatDays(null), MISSING);
  });
  it("formatCount masks 1…k−1 as '<k' but shows 0", () => {
    assert.strictEqual(formatCount(3, {maskBelow: 5}), "<5");
    assert.strictEqual(formatCount(5, {maskBelow: 5}), "5");
    assert.strictEqual(formatCount(0, {maskBelow: 5}), "0");
    assert.strictEqual(formatCount(3), "3");
    assert.strictEqual(formatCount(null, {maskBelow: 5}), MISSING);
    assert.ok(isMasked(1, 5) && !isMasked(0, 5) && !isMasked(7, 5) && !isMasked(3, 0));
  });
});
