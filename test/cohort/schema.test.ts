// Roles and endpoint validation: catalogue rows 29–44, plus the committed cohorts (data/*.csv) read and
// validated end to end. Expected rows/values are read off the literal inputs.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import {deriveAgeLe9} from "../../src/cohort/derive.js";
import {checkIntervals, describeEventCoding, inferSchema, labelsAt, numbersAt, survivalData, validateCovariates, validateEndpoint, validateGrouping} from "../../src/cohort/schema.js";
import {kaplanMeier} from "../../src/survival/kaplanMeier.js";
import type {CohortTable} from "../../src/cohort/table.js";

async function table(text: string): Promise<CohortTable> {
  const {table, report} = await readTable(text, {name: "t.csv"});
  if (!table) throw new Error(report.messages.join("\n"));
  return table;
}

describe("inferSchema", () => {
  it("infers roles from names and types, and pairs endpoints (os_status ↔ os_days, event ↔ event_days)", async () => {
    const t = await table("id,age,interval_days,event_days,event,os_days,os_status,dx_date\nK1,8,100,13,1,291,1,2020-01-01\nK2,12,200,25,0,300,0,2020-02-01\n");
    const s = inferSchema(t);
    expect(Object.fromEntries(s.columns.map((c) => [c.name, c.role]))).toEqual({
      id: "id",
      age: "covariate",
      interval_days: "covariate",
      event_days: "time",
      event: "event",
      os_days: "time",
      os_status: "event",
      dx_date: "date"
    });
    expect(s.endpoints).toEqual([
      {time: "event_days", event: "event"},
      {time: "os_days", event: "os_status"}
    ]);
    const o = inferSchema(t, new Map([["age", "weight"]]));
    expect(o.columns[1]).toEqual({name: "age", type: "number", role: "weight", inferred: false});
  });

  it("pairs time/status in the classic layout", async () => {
    const s = inferSchema(await table("time,status,x\n1,0,2\n"));
    expect(s.endpoints).toEqual([{time: "time", event: "status"}]);
  });
});

describe("validateEndpoint (catalogue rows 29–41)", () => {
  it("builds engine columns: 0 = censored, causes 1…K in declared order, with labels", async () => {
    const t = await table("t,e\n5,0\n3,2\n4,1\n2,3\n");
    const v = validateEndpoint(t, {time: "t", event: "e", eventCodes: [1, 2, 3], causeLabels: ["Relapse", "NRM", "Refractory"]});
    expect(v.ok).toBe(true);
    expect(Array.from(v.data!.time)).toEqual([5, 3, 4, 2]);
    expect(Array.from(v.data!.event)).toEqual([0, 2, 1, 3]);
    expect(v.data!.causes).toEqual([
      {cause: 1, code: 1, label: "Relapse"},
      {cause: 2, code: 2, label: "NRM"},
      {cause: 3, code: 3, label: "Refractory"}
    ]);
  });

  it("row 29: negative times are an error listing the rows", async () => {
    const t = await table("time,status\n5,1\n-3,0\n4,1\n-1,1\n");
    const v = validateEndpoint(t, {time: "time", event: "status"});
    expect(v.ok).toBe(false);
    expect(v.data).toBeNull();
    expect(v.problems.map((p) => p.message)).toEqual(["time: time must be ≥ 0 (rows 2 and 4: '-3', '-1')"]);
    expect(v.problems[0]).toMatchObject({code: "negative-time", rows: [2, 4], count: 2});
  });

  it("row 30: zero times are accepted and counted, with the events at 0", async () => {
    const v = validateEndpoint(await table("time,status\n0,1\n0,0\n3,1\n"), {time: "time", event: "status"});
    expect(v.ok).toBe(true);
    expect(v.problems.map((p) => p.message)).toEqual(["time: 2 times are 0 (1 event at time 0 lower the curve at its start)"]);
  });

  it("row 31: missing times are excluded and counted; Inf and 1e309 are rejected with their rows", async () => {
    const missing = validateEndpoint(await table("time,status\nNA,1\n3,1\n.,0\n4,NA\n"), {time: "time", event: "status"});
    expect(missing.ok).toBe(true);
    expect(missing.data!.rows).toEqual(Int32Array.from([1]));
    expect(missing.data!.excluded).toEqual([
      {column: "time", count: 2},
      {column: "status", count: 1}
    ]);
    expect(missing.problems.map((p) => p.message)).toEqual(["time: 2 rows with a missing value excluded", "status: 1 row with a missing value excluded"]);
    const inf = validateEndpoint(await table("time,status\n1,1\nInf,1\n1e309,0\n2,1\n3,0\n"), {time: "time", event: "status"});
    expect(inf.ok).toBe(false);
    expect(inf.problems.map((p) => p.message)).toEqual(["time: 2 time values are not finite numbers (rows 2 and 3: 'Inf', '1e309')"]);
  });

  it("a text time column is an error saying what it holds", async () => {
    const v = validateEndpoint(await table("time,status\n3+,1\n5+,0\n"), {time: "time", event: "status"});
    expect(v.problems.map((p) => p.message)).toEqual(["time: time must be a number column, but it is text (e.g. '3+')"]);
  });

  it("row 34: status coded 1/2 is detected and must be declared; with censorCode 1, 2 = event", async () => {
    const t = await table("time,status\n5,1\n6,2\n7,2\n");
    const v = validateEndpoint(t, {time: "time", event: "status"});
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatchObject({code: "status-1-2", message: "status: coded 1/2 — R's Surv() reads 1 = censored, 2 = event; declare censorCode: 1 to use that mapping (not applied automatically)"});
    const declared = validateEndpoint(t, {time: "time", event: "status", censorCode: 1});
    expect(Array.from(declared.data!.event)).toEqual([0, 1, 1]);
    expect(describeEventCoding(t, "status").coding).toBe("1/2");
  });

  it("row 35: a 0/1/2 status is categorical: 0 censored, causes 1 and 2", async () => {
    const t = await table("time,status\n5,0\n6,1\n7,2\n");
    expect(describeEventCoding(t, "status")).toEqual({codes: [0, 1, 2], kind: "numeric", coding: "competing", message: "status: 0 = censored, causes 1, 2"});
    expect(validateEndpoint(t, {time: "time", event: "status"}).data!.causes.map((c) => c.cause)).toEqual([1, 2]);
  });

  it("row 36: text statuses need a mapping; unmapped values are an error listing the distinct values", async () => {
    const t = await table("time,status\n5,dead\n6,alive\n7,Dead\n8,lost\n");
    const none = validateEndpoint(t, {time: "time", event: "status"});
    expect(none.problems.map((p) => p.message)).toEqual(["status: text codes ('Dead', 'alive', 'dead', 'lost'); declare censorCode and eventCodes"]);
    const mapped = validateEndpoint(t, {time: "time", event: "status", censorCode: "alive", eventCodes: ["dead"]});
    expect(mapped.problems.map((p) => p.message)).toEqual(["status: 2 status values are outside the declared codes {'alive', 'dead'} (rows 3 and 4: 'Dead', 'lost')"]);
    expect(mapped.problems[0].values).toEqual(["Dead", "lost"]);
  });

  it("row 37: statuses outside the declared set (3, −1, 0.5) are an error with rows", async () => {
    const t = await table("time,status\n1,0\n2,1\n3,3\n4,-1\n5,0.5\n");
    const v = validateEndpoint(t, {time: "time", event: "status", censorCode: 0, eventCodes: [1]});
    expect(v.problems.map((p) => p.message)).toEqual(["status: 3 status values are outside the declared codes {0, 1} (rows 3, 4 and 5: '3', '-1', '0.5')"]);
  });

  it("row 38: stop ≤ start is an error per row", async () => {
    const t = await table("start,stop,status\n0,5,1\n5,5,0\n6,4,1\n");
    const v = validateEndpoint(t, {time: "stop", event: "status", start: "start"});
    expect(v.problems.map((p) => p.message)).toEqual(["stop: stop time must be > start time (start) (rows 2 and 3: '5 → 5', '6 → 4')"]);
  });

  it("row 39: overlapping intervals of one id are errors; gaps and events before the last interval are warnings", async () => {
    const t = await table("id,start,stop,status\nA,0,5,0\nA,4,8,1\nB,0,3,1\nB,4,9,0\nC,0,2,0\nC,2,6,1\n");
    const problems = checkIntervals(t, {id: "id", start: "start", stop: "stop", event: "status"});
    expect(problems.map((p) => p.message)).toEqual([
      "id: 1 interval overlaps the previous interval of the same id (row 2; ids 'A')",
      "id: 1 gap between consecutive intervals of the same id (row 4; ids 'B')",
      "id: 1 event is on an interval that is not the id's last (row 3; ids 'B')"
    ]);
    const v = validateEndpoint(t, {time: "stop", event: "status", start: "start", id: "id"});
    expect(v.ok).toBe(false);
    const clean = validateEndpoint(await table("id,start,stop,status\nA,0,5,0\nA,5,8,1\n"), {time: "stop", event: "status", start: "start", id: "id"});
    expect(clean.ok).toBe(true);
    expect(Array.from(clean.data!.entry!)).toEqual([0, 5]);
  });

  it("row 40: duplicate ids in one-row-per-patient data are warned about", async () => {
    const t = await table("id,time,status\nK1,5,1\nK2,6,0\nK1,7,1\nK3,1,0\nK3,2,0\n");
    const v = validateEndpoint(t, {time: "time", event: "status", id: "id"});
    expect(v.ok).toBe(true);
    expect(v.problems.map((p) => p.message)).toEqual(["2 IDs appear more than once (first: 'K1' at rows 1 and 3). Is this start–stop data?"]);
  });

  it("row 41: negative and non-finite weights are errors; zero weights are a warning", async () => {
    const t = await table("time,status,w\n1,1,1\n2,0,-1\n3,1,Inf\n4,1,0\n");
    const v = validateEndpoint(t, {time: "time", event: "status", weights: "w"});
    expect(v.problems.map((p) => p.message)).toEqual([
      "w: weights must be finite (row 3: 'Inf')",
      "w: weights must be non-negative (row 2: '-1')",
      "w: 1 zero weight: allowed for Kaplan–Meier, but Cox needs weights > 0 (row 4)"
    ]);
  });

  it("a mask restricts validation to the selected rows; unknown columns are named", async () => {
    const t = await table("time,status\n-1,1\n2,0\n3,1\n");
    const v = validateEndpoint(t, {time: "time", event: "status"}, Uint8Array.from([0, 1, 1]));
    expect(v.ok).toBe(true);
    expect(Array.from(v.data!.rows)).toEqual([1, 2]);
    expect(validateEndpoint(t, {time: "futime", event: "status"}).problems[0].message).toBe("time: no column 'futime'");
  });
});

describe("grouping and covariates (catalogue rows 42–44)", () => {
  it("row 42: a grouping column with more than 20 levels is refused: 'age has 61 distinct values; choose a cut-point'", async () => {
    const rows = Array.from({length: 61}, (_, i) => `${i},${i % 2}`).join("\n");
    const g = validateGrouping(await table(`age,status\n${rows}\n`), "age");
    expect(g.ok).toBe(false);
    expect(g.problems[0].message).toBe("age has 61 distinct values; choose a cut-point (at most 20 groups)");
  });

  it("row 43: labels differing by case or spaces are warned about and never merged", async () => {
    const g = validateGrouping(await table("sex\nMale\nmale \nMALE\nFemale\n"), "sex");
    expect(g.levels).toEqual(["Female", "MALE", "Male", "male "]);
    expect(g.counts).toEqual([1, 1, 1, 1]);
    expect(g.problems.map((p) => p.message)).toEqual(["sex: labels 'MALE', 'Male', 'male ' differ only by case or spaces; they are kept apart (merge them in the file if they are the same)"]);
  });

  it("numeric groups are ordered numerically; missing values counted; one group warned", async () => {
    const g = validateGrouping(await table("g\n10\n9\nNA\n10\n"), "g");
    expect(g.levels).toEqual(["9", "10"]);
    expect(g.problems.map((p) => p.message)).toEqual(["g: 1 row with a missing value excluded"]);
    const one = validateGrouping(await table("g\n1\n1\n"), "g");
    expect(one.problems.map((p) => p.message)).toEqual(["g: only one group ('1') in the selection"]);
  });

  it("row 44: constant, all-missing and singleton-level covariates are reported in the current selection", async () => {
    const t = await table("a,b,c,d\n1,NA,x,1\n1,NA,x,2\n1,NA,y,3\n");
    const v = validateCovariates(t, ["a", "b", "c", "d", "zz"]);
    expect(v.usable).toEqual(["c", "d"]);
    expect(v.dropped).toEqual([
      {column: "a", reason: "constant in current selection"},
      {column: "b", reason: "all values missing in current selection"}
    ]);
    expect(v.problems.map((p) => p.message)).toEqual([
      "a: dropped: constant in current selection",
      "b: dropped: all values missing in current selection",
      "c: level 'y' has only 1 patient in the current selection",
      "covariate: no column 'zz'"
    ]);
    const masked = validateCovariates(t, ["d"], Uint8Array.from([1, 0, 0]));
    expect(masked.dropped).toEqual([{column: "d", reason: "constant in current selection"}]);
  });
});

describe("the committed cohorts", () => {
  it("data/kato2012-synthetic.csv reads cleanly; OS and the competing first events validate", async () => {
    const bytes = new Uint8Array(readFileSync("data/kato2012-synthetic.csv"));
    const {table, report} = await readTable(bytes, {name: "kato2012-synthetic.csv"});
    expect(report.problems.filter((p) => p.severity !== "info")).toEqual([]);
    expect(table!.numRows).toBe(171);
    expect(table!.column("id").type).toBe("string");
    expect(table!.column("agvhd_days").missingCount).toBeGreaterThan(0);
    const os = validateEndpoint(table!, {time: "os_days", event: "os_status", id: "id"});
    expect(os.ok).toBe(true);
    expect(os.data!.time.length).toBe(171);
    const first = validateEndpoint(table!, {time: "event_days", event: "event", eventCodes: [1, 2, 3], causeLabels: ["Relapse", "Non-relapse mortality", "Refractory / never in CR"]});
    expect(first.ok).toBe(true);
    expect(new Set(first.data!.event)).toEqual(new Set([0, 1, 2, 3]));
    expect(inferSchema(table!).endpoints).toEqual([
      {time: "event_days", event: "event"},
      {time: "os_days", event: "os_status"}
    ]);
  });

  it("data/bmt.csv and test/data/lung.csv read; lung's NA cells are counted as missing", async () => {
    const bmt = await readTable(new Uint8Array(readFileSync("data/bmt.csv")), {name: "bmt.csv"});
    expect(bmt.table!.numRows).toBe(137);
    expect(bmt.report.problems.filter((p) => p.severity === "error")).toEqual([]);
    const lung = await readTable(new Uint8Array(readFileSync("test/data/lung.csv")), {name: "lung.csv"});
    expect(lung.table!.numRows).toBe(228);
    // R: sum(is.na(lung$meal.cal)) == 47
    const meal = lung.table!.names.find((n) => n.startsWith("meal"))!;
    expect(lung.table!.column(meal).missingCount).toBe(47);
  });
});

describe("survivalData: the engine's input from a validated endpoint", () => {
  it("Kato cohort: OS by age ≤ 9 reaches kaplanMeier with every patient, the derived groups and no dropped rows", async () => {
    const bytes = new Uint8Array(readFileSync("data/kato2012-synthetic.csv"));
    const t = deriveAgeLe9((await readTable(bytes, {name: "kato2012-synthetic.csv"})).table!);
    const v = validateEndpoint(t, {time: "os_days", event: "os_status"});
    const fit = kaplanMeier(survivalData(t, v.data!, {group: "age_le9"}));
    expect(fit.n).toBe(171);
    expect(fit.dropped.total).toBe(0);
    const young = labelsAt(t, "age_le9", v.data!.rows).filter((l) => l === "1").length;
    const ages = numbersAt(t, "age", v.data!.rows);
    expect(young).toBe(Array.from(ages).filter((a) => a <= 9).length);
    expect(fit.strata.map((s) => s.n)).toEqual([171 - young, young]);
  });

  it("missing group labels are null, so the engine drops and counts them", async () => {
    const t = await table("time,status,g\n1,1,a\n2,0,NA\n3,1,b\n");
    const v = validateEndpoint(t, {time: "time", event: "status"});
    expect(survivalData(t, v.data!, {group: "g"}).group).toEqual(["a", null, "b"]);
  });
});
