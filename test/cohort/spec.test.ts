// The analysis spec in the URL fragment (catalogue rows 50–52): round-trips (fast-check properties),
// hostile fragments, size bound, unknown columns kept out and listed.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import {CONF_TYPES, decodeSpec, emptySpec, encodeSpec, ENDPOINTS, MAX_FRAGMENT_LENGTH, type AnalysisSpec} from "../../src/cohort/spec.js";
import type {Filter} from "../../src/cohort/filters.js";

const COLUMNS = ["age", "sex", "os_days", "os_status", "interval_days", "__proto__", "constructor", "<img src=x onerror=alert(1)>", "a&b=c#d", "名前"];
const FP = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

// Plain text without markup characters (what the decoder accepts outside column names).
const plain = fc.stringMatching(/^[A-Za-z0-9 _.,:;()\-–é名]{1,30}$/).filter((s) => !/javascript:|data:|vbscript:/i.test(s));
const column = fc.constantFrom(...COLUMNS);
const scalar = fc.oneof(fc.double({noNaN: true, noDefaultInfinity: true}).map((x) => x + 0), plain);
const filter: fc.Arbitrary<Filter> = fc.oneof(
  fc.record({column, op: fc.constantFrom("==", "!=", "<", "<=", ">", ">=" as const), value: scalar}),
  // An empty `in` list is a view too (every level of a factor unticked).
  fc.record({column, op: fc.constant("in" as const), value: fc.array(scalar, {minLength: 0, maxLength: 4})}),
  fc.record({column, op: fc.constant("between" as const), value: fc.tuple(scalar, scalar)})
) as fc.Arbitrary<Filter>;
const specArb: fc.Arbitrary<AnalysisSpec> = fc.record({
  v: fc.constant(1 as const),
  dataset: fc.option(fc.record({name: fc.oneof(plain, fc.constant("")), fingerprint: fc.stringMatching(/^[0-9a-f]{64}$/)}), {nil: null}),
  filters: fc.array(filter, {maxLength: 4}),
  endpoint: fc.option(fc.constantFrom(...ENDPOINTS), {nil: null}),
  groupBy: fc.option(column, {nil: null}),
  strata: fc.uniqueArray(column, {maxLength: 2}),
  horizon: fc.option(fc.double({min: 1e-3, max: 1e6, noNaN: true}), {nil: null}),
  confType: fc.option(fc.constantFrom(...CONF_TYPES), {nil: null}),
  covariates: fc.uniqueArray(column, {maxLength: 4}),
  mapping: fc.record({time: column, event: column, start: column, id: column, weights: column}, {requiredKeys: []})
});

describe("analysis spec: round trips", () => {
  it("encodeSpec → decodeSpec is the identity with no problems (property, with awkward column names)", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        let fragment: string;
        try {
          fragment = encodeSpec(spec);
        } catch (e) {
          expect(e).toBeInstanceOf(RangeError);
          return;
        }
        expect(fragment.length).toBeLessThanOrEqual(MAX_FRAGMENT_LENGTH);
        const {spec: back, problems, unmatched} = decodeSpec("#" + fragment, {columns: COLUMNS});
        expect(problems).toEqual([]);
        expect(unmatched).toEqual([]);
        expect(back).toEqual(spec);
      }),
      {numRuns: 1000}
    );
  });

  it("a concrete spec encodes to a readable fragment", () => {
    const spec: AnalysisSpec = {
      ...emptySpec(),
      dataset: {name: "kato2012-synthetic.csv", fingerprint: FP},
      endpoint: "os",
      groupBy: "age",
      horizon: 730.5,
      confType: "log-log",
      covariates: ["age", "sex"],
      mapping: {time: "os_days", event: "os_status"},
      filters: [{column: "age", op: "<=", value: 9}]
    };
    const fragment = encodeSpec(spec);
    expect(fragment).toBe(
      `v=1&data=kato2012-synthetic.csv&sha256=${FP}&endpoint=os&group=age&horizon=730.5&conf=log-log&cov=age&cov=sex&map.time=os_days&map.event=os_status&f=%5B%22age%22%2C%22%3C%3D%22%2C9%5D`
    );
    expect(decodeSpec(fragment, {columns: COLUMNS}).spec).toEqual(spec);
  });

  it("an `in` filter with no values (every level of a factor unticked) survives the link; other empty lists are refused", () => {
    const spec: AnalysisSpec = {...emptySpec(), filters: [{column: "sex", op: "in", value: []}]};
    const back = decodeSpec(encodeSpec(spec), {columns: COLUMNS});
    expect(back.problems).toEqual([]);
    expect(back.spec.filters).toEqual([{column: "sex", op: "in", value: []}]);
    const between = decodeSpec(`v=1&f=${encodeURIComponent(JSON.stringify(["age", "between", []]))}`, {columns: COLUMNS});
    expect(between.spec.filters).toEqual([]);
    expect(between.problems.map((p) => p.message).join("\n")).toMatch(/values must be finite numbers or plain text/);
  });

  it("encodeSpec refuses to make a link longer than 2 KB", () => {
    const spec = {...emptySpec(), filters: Array.from({length: 20}, () => ({column: "x".repeat(200), op: "==" as const, value: 1}))};
    expect(() => encodeSpec(spec)).toThrow(RangeError);
  });
});

describe("analysis spec: hostile fragments (catalogue row 50)", () => {
  it("never throws, and always returns a well-formed spec whose columns are in the dataset (property)", () => {
    const pieces = fc.oneof(
      fc.string(),
      fc.constantFrom("group=<script>alert(1)</script>", "cov=__proto__", "horizon=1e309", "horizon=-1", "horizon=NaN", "conf=javascript:alert(1)", "f=[\"age\",\"==\",1e309]", "f={}", "f=[", "map.__proto__=age", "__proto__=1", "constructor=x", "v=2", "endpoint=os&endpoint=nrm", "%", "%E0%A4%A", "&&&", "=")
    );
    fc.assert(
      fc.property(fc.array(pieces, {maxLength: 8}), (parts) => {
        const fragment = parts.join("&");
        const {spec, problems} = decodeSpec(fragment, {columns: COLUMNS});
        expect(spec.v).toBe(1);
        for (const c of [spec.groupBy, ...spec.strata, ...spec.covariates, ...Object.values(spec.mapping), ...spec.filters.map((f) => f.column)])
          if (c !== null) expect(COLUMNS).toContain(c);
        if (spec.horizon !== null) expect(Number.isFinite(spec.horizon)).toBe(true);
        expect(Object.getPrototypeOf(spec.mapping)).toBe(Object.prototype);
        expect(Object.keys(spec.mapping).every((k) => ["time", "event", "start", "id", "weights"].includes(k))).toBe(true);
        for (const p of problems) expect(typeof p.message).toBe("string");
      }),
      {numRuns: 1000}
    );
  });

  it("each offending parameter is reported and ignored; everything else applies", () => {
    const fragment =
      "#v=1&endpoint=os&group=%3Cscript%3Ealert(1)%3C%2Fscript%3E&cov=__proto__&cov=age&cov=nosuch&horizon=1e309&conf=log-log&f=%5B%22age%22%2C%22%3C%3D%22%2C9%5D&f=%5B%22age%22%2C%22%3D%3D%22%2C1e309%5D&theme=dark&map.__proto__=age&endpoint=nrm";
    const {spec, problems, unmatched} = decodeSpec(fragment, {columns: ["age", "os_days", "__proto__"]});
    expect(spec).toEqual({
      ...emptySpec(),
      endpoint: "os",
      covariates: ["__proto__", "age"],
      confType: "log-log",
      filters: [{column: "age", op: "<=", value: 9}]
    });
    expect(problems.map((p) => p.message)).toEqual([
      "Setting 'group': value contains markup or script and is not a column; ignored",
      "Setting 'cov': no column 'nosuch' in this dataset; ignored",
      "Setting 'horizon': '1e309' is not a finite number of days in (0, 1,000,000]; ignored",
      `Filter '["age","==",1e309]': value is not a finite number; ignored`,
      "Unknown setting 'theme' ignored",
      "Unknown setting 'map.__proto__' ignored",
      "Setting 'endpoint' appears more than once; the first is used"
    ]);
    expect(unmatched).toEqual(["nosuch"]);
    expect(Object.getPrototypeOf(spec)).toBe(Object.prototype);
  });

  it("a fragment over 2 KB is refused as a whole, with a notice", () => {
    const {spec, problems} = decodeSpec("v=1&endpoint=os&" + "x=1&".repeat(600));
    expect(spec).toEqual(emptySpec());
    expect(problems.map((p) => p.message)).toEqual(["The link's settings are 2,416 characters long (limit 2,048) and were ignored"]);
  });

  it("hostile text is never echoed back in messages", () => {
    const {problems} = decodeSpec("%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E=1&horizon=%3Csvg%20onload%3Dalert(1)%3E&f=%3Cscript%3Ealert(1)%3C%2Fscript%3E&v=javascript:alert(1)");
    expect(problems.map((p) => p.message)).toEqual([
      "Unknown setting (a value containing markup, not shown) ignored",
      "Setting 'horizon': (a value containing markup, not shown) is not a finite number of days in (0, 1,000,000]; ignored",
      "Filter (a value containing markup, not shown): not a JSON array [column, op, value]; ignored",
      "Unknown settings version (a value containing markup, not shown); read as version 1"
    ]);
    for (const p of problems) expect(p.message).not.toMatch(/<|javascript:/);
  });

  it("markup in free text (the file name) and invalid enums are ignored; values in messages are quoted and bounded", () => {
    const {spec, problems} = decodeSpec(`data=%3Cimg%20src%3Dx%3E&sha256=${FP}&endpoint=%3Cb%3E&conf=${"z".repeat(100)}`);
    expect(spec.dataset).toEqual({name: "", fingerprint: FP});
    expect(spec.endpoint).toBeNull();
    expect(problems.map((p) => p.message)).toEqual([
      "Setting 'data': file name is empty, too long or contains markup; ignored",
      "Setting 'endpoint': value contains markup; ignored",
      "Setting 'conf': unknown confidence interval type 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz…' (log-log, log, plain, logit, arcsin); ignored"
    ]);
  });

  it("with the table, filters are also checked against column types", async () => {
    const {table} = await readTable("age,sex\n5,M\n", {name: "t.csv"});
    const {spec, problems} = decodeSpec('f=["sex","<",3]&f=["age","between",[1,9]]', {columns: table!});
    expect(spec.filters).toEqual([{column: "age", op: "between", value: [1, 9]}]);
    expect(problems.map((p) => p.message)).toEqual(["Filter 'sex' <: < needs a number or date column; sex is text; ignored"]);
  });
});

describe("analysis spec: datasets (catalogue rows 51–52)", () => {
  it("row 51: before the file is loaded, column references are kept; afterwards unmatched ones are listed, the rest applies", () => {
    const fragment = "endpoint=relapse&group=donor&cov=age&cov=karnofsky";
    const pending = decodeSpec(fragment);
    expect(pending.spec.groupBy).toBe("donor");
    expect(pending.spec.covariates).toEqual(["age", "karnofsky"]);
    const loaded = decodeSpec(fragment, {columns: ["age", "donor_sct2"]});
    expect(loaded.spec).toEqual({...emptySpec(), endpoint: "relapse", covariates: ["age"]});
    expect(loaded.unmatched).toEqual(["donor", "karnofsky"]);
  });

  it("row 52: a link made on another file is flagged with both names and fingerprints", () => {
    const other = "0".repeat(64);
    const {spec, problems} = decodeSpec(`data=old.csv&sha256=${other}&endpoint=os`, {dataset: {name: "new.csv", fingerprint: FP}});
    expect(spec.dataset).toEqual({name: "old.csv", fingerprint: other});
    expect(problems.map((p) => p.message)).toEqual(["This link was made for 'old.csv' (sha256 000000000000…), not the loaded 'new.csv' (sha256 ba7816bf8f01…); settings applied where the columns match"]);
    const bad = decodeSpec("data=x.csv&sha256=XYZ");
    expect(bad.spec.dataset).toBeNull();
    expect(bad.problems.map((p) => p.message)).toEqual([
      "Setting 'sha256': not a SHA-256 fingerprint (64 lowercase hex digits); ignored",
      "Setting 'data' has no valid 'sha256' fingerprint; the dataset reference is ignored"
    ]);
  });
});
