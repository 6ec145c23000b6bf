// The column mapping of the Your data page (src/study/mapping.ts). Expected values are the study file's own
// columns (data/kato2012-synthetic.csv, read by the data layer) or hand-computed conversions stated in each
// test (a month is 365.25 / 12 = 30.4375 days, as derive.ts's DAYS_PER_UNIT).
import {readFileSync} from "node:fs";
import {assert, describe, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import {isNA, type CohortTable, type NumberColumn} from "../../src/cohort/table.js";
import {loadStudyCohort} from "../../src/study/cohort.js";
import {endpointInput} from "../../src/study/endpoints.js";
import {
  applyMapping,
  decodeMapping,
  distinctCodes,
  emptyMapping,
  encodeMapping,
  isCohortMapping,
  specMapping,
  suggestMapping,
  type CohortMapping
} from "../../src/study/mapping.js";
import {prepareUploadedCohort} from "../../src/study/upload.js";

const STUDY = readFileSync(new URL("../../data/kato2012-synthetic.csv", import.meta.url));
const HOSTILE = readFileSync(new URL("../fixtures/hostile/hostile.csv", import.meta.url));

async function table(text: string | Uint8Array, name = "t.csv"): Promise<CohortTable> {
  const {table, report} = await readTable(text, {name});
  assert.ok(table, report.messages.join("\n"));
  return table!;
}

const num = (t: CohortTable, c: string) => Array.from((t.column(c) as NumberColumn).values);

describe("suggestMapping and applyMapping on the study's own file", () => {
  it("suggests the study's columns with their codes as they are, and the mapped table gives the same engine input as the published path", async () => {
    const t = await table(STUDY, "kato2012-synthetic.csv");
    const m = suggestMapping(t);
    assert.deepStrictEqual(m.os, {time: {kind: "duration", column: "os_days", unit: "days"}, status: {column: "os_status", codes: [["0", 0], ["1", 1]]}});
    assert.deepStrictEqual(m.events, {time: {kind: "duration", column: "event_days", unit: "days"}, status: {column: "event", codes: [["0", 0], ["1", 1], ["2", 2], ["3", 3]]}});
    assert.deepStrictEqual(m.covariates.map((c) => c.target).sort(), ["age", "agvhd_grade", "conditioning", "donor_sct2", "immunophenotype", "interval_days", "ph_positive", "sex", "source_sct2", "status_sct2", "tbi", "year_sct2"]);
    assert.strictEqual(m.id, "id");
    const {report} = await readTable(STUDY, {name: "kato2012-synthetic.csv"});
    const mine = prepareUploadedCohort(t, m, report);
    const published = await loadStudyCohort(STUDY, "kato2012-synthetic.csv");
    assert.ok(mine.cohort && published.table);
    assert.deepStrictEqual(mine.cohort!.factors, (published as {factors: unknown}).factors);
    const all = new Uint8Array(t.numRows).fill(1);
    for (const e of ["os", "events"] as const) {
      const a = endpointInput(mine.cohort!.table, e, all, {groupBy: "age_group"});
      const b = endpointInput(published.table!, e, all, {groupBy: "age_group"});
      assert.deepStrictEqual([a.ok, Array.from(a.data.time), Array.from(a.data.event), a.data.group], [b.ok, Array.from(b.data.time), Array.from(b.data.event), b.data.group]);
    }
    // Columns mapped to their own names unchanged are not duplicated; recoded ones keep the file's copy.
    assert.ok(!mine.cohort!.table.has("age_original") && !mine.cohort!.table.has("os_days_original"));
    assert.ok(mine.cohort!.table.has("event_original") && mine.cohort!.table.has("os_status_original"));
    assert.deepStrictEqual(mine.mapped.summary, {rows: 171, osRows: 171, deaths: 119, eventRows: 171, causes: [{k: 0, count: 52}, {k: 1, count: 71}, {k: 2, count: 30}, {k: 3, count: 18}]});
  });

  it("specMapping carries only column names (time, event, start, id)", async () => {
    const t = await table(STUDY);
    assert.deepStrictEqual(specMapping(suggestMapping(t)), {time: "os_days", event: "os_status", id: "id"});
    const dates: CohortMapping = {...emptyMapping(), events: {time: {kind: "dates", start: "sct", end: "last"}, status: {column: "ev", codes: []}}};
    assert.deepStrictEqual(specMapping(dates), {time: "last", start: "sct", event: "ev"});
  });
});

describe("applyMapping conversions", () => {
  it("a time in months becomes days (× 30.4375) and text status words map to 0/1", async () => {
    const t = await table("months,vital\n1,alive\n2.5,dead\n,dead\n12,Dead\n");
    const m: CohortMapping = {...emptyMapping(), os: {time: {kind: "duration", column: "months", unit: "months"}, status: {column: "vital", codes: [["alive", 0], ["dead", 1], ["Dead", 1]]}}};
    const r = applyMapping(t, m);
    assert.ok(r.table, r.problems.map((p) => p.message).join("\n"));
    const days = num(r.table!, "os_days");
    assert.deepStrictEqual([days[0], days[1], days[3]], [30.4375, 76.09375, 365.25]);
    assert.ok(isNA(r.table!.column("os_days"), 2));
    assert.deepStrictEqual(num(r.table!, "os_status"), [0, 1, 1, 1]);
    assert.strictEqual(r.summary.osRows, 3);
    assert.ok(r.problems.some((p) => p.code === "missing-excluded" && p.message.startsWith("os_days")));
  });

  it("start and end dates give days on the UTC calendar; an end before its start is an error naming the rows", async () => {
    const t = await table("sct,last,st\n2020-01-01,2020-03-01,1\n2019-12-31,2020-01-01,0\n");
    const m: CohortMapping = {...emptyMapping(), os: {time: {kind: "dates", start: "sct", end: "last"}, status: {column: "st", codes: [["0", 0], ["1", 1]]}}};
    const r = applyMapping(t, m);
    assert.deepStrictEqual(num(r.table!, "os_days"), [60, 1]);
    const bad = applyMapping(await table("sct,last,st\n2020-01-01,2020-03-01,1\n2020-02-02,2020-02-01,0\n"), m);
    assert.strictEqual(bad.table, null);
    const p = bad.problems.find((x) => x.code === "end-before-start")!;
    assert.strictEqual(p.row, 2);
    assert.strictEqual(p.value, "2020-02-02 → 2020-02-01");
  });

  it("competing-risk codes: words and numbers map to the study's causes; an unmapped value is an error listing it and its rows", async () => {
    const t = await table("t,what\n5,censored\n6,relapse\n7,NRM\n8,refractory\n9,graft failure\n10,relapse\n");
    const m = suggestMapping(t);
    assert.strictEqual(m.events, null, "no event column by name");
    const mapping: CohortMapping = {...emptyMapping(), events: {time: {kind: "duration", column: "t", unit: "days"}, status: {column: "what", codes: [["censored", 0], ["relapse", 1], ["NRM", 2], ["refractory", 3]]}}};
    const r = applyMapping(t, mapping);
    assert.strictEqual(r.table, null);
    const p = r.problems.find((x) => x.code === "unmapped-code")!;
    assert.strictEqual(p.column, "what");
    assert.strictEqual(p.row, 5);
    assert.strictEqual(p.value, "graft failure");
    mapping.events!.status.codes.push(["graft failure", 4]);
    const ok = applyMapping(t, mapping);
    assert.deepStrictEqual(num(ok.table!, "event"), [0, 1, 2, 3, 4, 1]);
    assert.deepStrictEqual(ok.summary.causes, [{k: 0, count: 1}, {k: 1, count: 2}, {k: 2, count: 1}, {k: 3, count: 1}, {k: 4, count: 1}]);
  });

  it("negative times are reported by the endpoint validation with the file's column, the row and the value", async () => {
    const t = await table("surv,st\n5,1\n-3,0\n");
    const r = applyMapping(t, {...emptyMapping(), os: {time: {kind: "duration", column: "surv", unit: "days"}, status: {column: "st", codes: [["0", 0], ["1", 1]]}}});
    assert.strictEqual(r.table, null);
    const p = r.problems.find((x) => x.code === "negative-time")!;
    assert.match(p.message, /^os_days \(from surv\): time must be ≥ 0 \(row 2: '-3'\)/);
    assert.strictEqual(p.row, 2);
  });

  it("covariates: units converted, 0/1 indicators checked, text factors copied; the file's columns named like derived ones are kept as <name>_original", async () => {
    const t = await table("os_days,os_status,age_months,relapse_wk,ph,grp,era\n10,1,24,2,0,a,x\n20,0,120,30,1,b,y\n");
    const m: CohortMapping = {
      ...emptyMapping(),
      os: {time: {kind: "duration", column: "os_days", unit: "days"}, status: {column: "os_status", codes: [["0", 0], ["1", 1]]}},
      covariates: [
        {target: "age", column: "age_months", unit: "months"},
        {target: "interval_days", column: "relapse_wk", unit: "weeks"},
        {target: "ph_positive", column: "ph"},
        {target: "sex", column: "grp"}
      ]
    };
    const r = applyMapping(t, m);
    assert.ok(r.table, r.problems.map((p) => p.message).join("\n"));
    assert.deepStrictEqual(num(r.table!, "age"), [2, 10]);
    assert.deepStrictEqual(num(r.table!, "interval_days"), [14, 210]);
    assert.deepStrictEqual(num(r.table!, "ph_positive"), [0, 1]);
    assert.deepStrictEqual(r.table!.column("sex").values, ["a", "b"]);
    assert.deepStrictEqual(r.table!.column("era_original").values, ["x", "y"]);
    assert.ok(r.problems.some((p) => p.code === "renamed" && p.message.includes("'era' → 'era_original'")));
    const bad = applyMapping(await table("os_days,os_status,ph\n1,1,2\n"), {...m, covariates: [{target: "ph_positive", column: "ph"}]});
    assert.strictEqual(bad.problems.find((p) => p.code === "not-indicator")?.row, 1);
  });

  it("incomplete or empty mappings are errors with a plain instruction, never a crash", async () => {
    const t = await table("a,b\n1,0\n");
    assert.match(applyMapping(t, emptyMapping()).problems[0].message, /Map at least one endpoint/);
    const r = applyMapping(t, {...emptyMapping(), os: {time: {kind: "duration", column: "a", unit: "days"}, status: {column: "", codes: []}}});
    assert.match(r.problems[0].message, /Overall survival: choose the status column/);
    const missing = applyMapping(t, {...emptyMapping(), os: {time: {kind: "duration", column: "zz", unit: "days"}, status: {column: "b", codes: [["0", 0]]}}});
    assert.strictEqual(missing.problems.find((p) => p.code === "unknown-column")?.column, "zz");
  });
});

describe("hostile column names and values", () => {
  it("columns named __proto__, constructor, toString and markup are ordinary columns: mapped, kept and counted", async () => {
    const t = await table(HOSTILE, "hostile.csv");
    assert.strictEqual(t.numRows, 24);
    assert.deepStrictEqual(t.names, ["id", "os_days", "os_status", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "javascript:alert(1)", "__proto__", "constructor", "toString", "formula", "age"]);
    const m = suggestMapping(t);
    m.covariates.push({target: "sex", column: "<img src=x onerror=alert(1)>"}, {target: "conditioning", column: "__proto__"}, {target: "donor_sct2", column: "toString"});
    const r = applyMapping(t, m);
    assert.ok(r.table, r.problems.map((p) => p.message).join("\n"));
    assert.deepStrictEqual(Array.from(new Set(r.table!.column("sex").values as readonly (string | null)[])).sort(), ['"><svg onload=alert(1)>', "<img src=x onerror=alert(1)>"]);
    assert.deepStrictEqual(Array.from(new Set(r.table!.column("conditioning").values as readonly (string | null)[])).sort(), ["__proto__", "constructor"]);
    assert.deepStrictEqual(r.table!.column("donor_sct2").values, Array.from({length: 24}, (_, i) => String(i + 1)));
    for (const n of t.names) assert.ok(r.table!.has(n), n);
    assert.deepStrictEqual(distinctCodes(t, "__proto__"), [{code: "__proto__", count: 12}, {code: "constructor", count: 12}]);
  });
});

describe("the mapping in a link", () => {
  it("encodeMapping / decodeMapping round-trip, including codes with ':' and names with '&', '=' and markup", async () => {
    const cols = ["t&1", "st=x", "<img src=x onerror=alert(1)>", "start", "end"];
    const m: CohortMapping = {
      v: 1,
      os: {time: {kind: "duration", column: "t&1", unit: "months"}, status: {column: "st=x", codes: [["a:b", 0], ["dead", 1]]}},
      events: {time: {kind: "dates", start: "start", end: "end"}, status: {column: "st=x", codes: [["a:b", 0], ["dead", 2]]}},
      covariates: [{target: "sex", column: "<img src=x onerror=alert(1)>"}, {target: "age", column: "t&1", unit: "months"}],
      id: null
    };
    const text = encodeMapping(m);
    const back = decodeMapping(`#${text}&sha256=${"a".repeat(64)}&data=x.csv`, cols);
    assert.deepStrictEqual(back.problems, []);
    assert.deepStrictEqual(back.mapping, m);
  });

  it("tampered links: unknown keys, columns the file lacks, bad units and codes are reported and ignored; over 2 KB is refused", () => {
    const {mapping, problems} = decodeMapping("mv=1&os.time=nope&os.unit=fortnights&os.status=st&os.code=99:x&os.code=1:dead&cov.__proto__=st&cov.age=st&evil=<script>&id=st", ["st"]);
    assert.ok(mapping);
    assert.strictEqual(mapping!.os, null, "no time column → OS not mapped");
    assert.deepStrictEqual(mapping!.covariates, [{target: "age", column: "st"}]);
    assert.strictEqual(mapping!.id, "st");
    assert.strictEqual(problems.length, 5, problems.map((p) => p.message).join("\n"));
    assert.ok(problems.every((p) => !p.message.includes("<script>")));
    assert.strictEqual(decodeMapping("mv=1&id=" + "x".repeat(3000), ["x"]).mapping, null);
    assert.strictEqual(decodeMapping("v=1&group=age", ["age"]).mapping, null, "an analysis-page link carries no mapping");
    assert.strictEqual(Object.getPrototypeOf({}).polluted, undefined);
  });

  it("isCohortMapping accepts what the form produces and rejects anything else", async () => {
    const t = await table(STUDY);
    assert.ok(isCohortMapping(suggestMapping(t)));
    assert.ok(isCohortMapping(structuredClone(suggestMapping(t))));
    for (const bad of [null, 1, "x", {}, {...emptyMapping(), v: 2}, {...emptyMapping(), covariates: [{target: "__proto__", column: "a"}]}, {...emptyMapping(), os: {time: {kind: "duration", column: "a", unit: "fortnights"}, status: {column: "b", codes: []}}}])
      assert.ok(!isCohortMapping(bad), JSON.stringify(bad));
  });
});
