// endpointValidator (src/cohort/schema.ts): the whole table validated once, then one pass per mask. Its
// answer must be validateEndpoint's own, deep-equal, for every mask — the rows, engine columns, causes,
// exclusions and notes — and a table with an invalid value must be validated per selection, so that the
// message names the selection's rows. Expected values here are validateEndpoint's (the reference path).
import {describe, expect, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import {endpointValidator, validateEndpoint} from "../../src/cohort/schema.js";

function lcg(seed: number) {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A CSV with missing times and statuses, times of 0 (with and without events) and causes 0–3. */
function csv(n: number, seed: number): string {
  const r = lcg(seed);
  const lines = ["id,time,status,grp"];
  for (let i = 0; i < n; ++i) {
    const u = r();
    const time = u < 0.05 ? "" : u < 0.1 ? "0" : String(Math.floor(r() * 500));
    const status = r() < 0.04 ? "NA" : String(Math.floor(r() * 4));
    lines.push(`p${i},${time},${status},${r() < 0.5 ? "a" : "b"}`);
  }
  return lines.join("\n");
}

async function table(text: string) {
  const {table} = await readTable(new TextEncoder().encode(text), {name: "t.csv"});
  return table!;
}

describe("endpointValidator", () => {
  it("equals validateEndpoint for the whole table and for random masks (deep-equal)", async () => {
    const t = await table(csv(2000, 5));
    const endpoint = {time: "time", event: "status"};
    const validate = endpointValidator(t, endpoint);
    expect(validate()).toStrictEqual(validateEndpoint(t, endpoint));
    const r = lcg(9);
    for (const p of [0, 0.01, 0.3, 0.7, 1]) {
      const mask = Uint8Array.from({length: t.numRows}, () => (r() < p ? 1 : 0));
      const got = validate(mask);
      expect(got).toStrictEqual(validateEndpoint(t, endpoint, mask));
      expect(got.ok).toBe(true);
    }
    // The notes are there to compare: missing values excluded by column, and times of 0.
    expect(validate(new Uint8Array(t.numRows).fill(1)).problems.map((p) => p.code).sort()).toEqual(["missing-excluded", "missing-excluded", "zero-time"]);
  });

  it("validates each selection afresh when the table has an invalid value, naming the selection's rows", async () => {
    const lines = csv(50, 3).split("\n");
    lines[8] = "p7,-3,1,a"; // data row 8 (1-based; index 7): a negative time
    const t = await table(lines.join("\n"));
    const endpoint = {time: "time", event: "status"};
    const validate = endpointValidator(t, endpoint);
    const without = Uint8Array.from({length: t.numRows}, (_, i) => (i === 7 ? 0 : 1));
    expect(validate(without)).toStrictEqual(validateEndpoint(t, endpoint, without));
    expect(validate(without).ok).toBe(true);
    const withIt = new Uint8Array(t.numRows).fill(1);
    const bad = validate(withIt);
    expect(bad.ok).toBe(false);
    expect(bad.problems.find((p) => p.code === "negative-time")?.message).toMatch(/row 8/);
  });

  it("leaves endpoints with weights, start times or ids to validateEndpoint on every call", async () => {
    const t = await table("id,start,time,status,w\na,0,5,1,1\nb,0,7,0,2\nc,1,9,1,1\n");
    for (const endpoint of [{time: "time", event: "status", weights: "w"}, {time: "time", event: "status", start: "start"}, {time: "time", event: "status", id: "id"}]) {
      const mask = Uint8Array.from([1, 0, 1]);
      expect(endpointValidator(t, endpoint)(mask)).toStrictEqual(validateEndpoint(t, endpoint, mask));
    }
  });
});
