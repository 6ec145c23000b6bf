// The comparison ledger: Holm's adjustment against R's p.adjust, and the session bookkeeping.
import {readFileSync} from "node:fs";
import {assert, describe, it} from "vitest";
import {holm, ledgerKey, ledgerTable, LEDGER_KEY, LEDGER_LIMIT, readLedger, recordComparisons, resetLedger, type LedgerComparison, type LedgerStorage} from "../../src/study/ledger.js";
import {assertClose} from "../util/close.js";

// Expected values: test/reference/holm-padjust.R → holm-padjust.json, R 4.2.2 `p.adjust(p, method = "holm")`.
const fixture = JSON.parse(readFileSync("test/reference/holm-padjust.json", "utf8")) as {cases: {id: string; p: (number | null)[]; holm: (number | null)[]}[]};

class MemoryStorage implements LedgerStorage {
  map = new Map<string, string>();
  getItem(k: string) {
    return this.map.has(k) ? (this.map.get(k) as string) : null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const comparison = (over: Partial<LedgerComparison> = {}): LedgerComparison => ({
  filters: [],
  groupingKey: "age_group",
  grouping: "Age at second SCT",
  selection: "All 171 patients",
  endpoint: "Overall survival",
  test: "Log-rank",
  p: 0.01,
  ...over
});

describe("holm(p)", () => {
  for (const c of fixture.cases) {
    it(`holm(p) matches p.adjust(p, "holm") on case ${c.id}`, () => {
      const actual = holm(c.p);
      assert.strictEqual(actual.length, c.holm.length);
      c.holm.forEach((e, i) => (e === null ? assert.strictEqual(actual[i], null, `${c.id}[${i}]`) : null));
      // 1e-15 relative: the same products and running maximum as R, in the same order.
      assertClose(actual, c.holm, {rtol: 1e-15, label: c.id});
    });
  }
  it("holm(p) treats NaN as missing and rejects values outside [0, 1]", () => {
    assert.deepStrictEqual(holm([NaN, 0.02, 0.01]), [null, 0.02, 0.02]);
    assert.throws(() => holm([0.1, 1.5]), /p\[1\]: 1.5/);
    assert.throws(() => holm([-0.1]), /p\[0\]/);
  });
});

describe("the session ledger", () => {
  it("ledgerKey is the same for the same filters in any order, and differs by grouping, endpoint and test", () => {
    const f1 = {column: "sex", op: "in" as const, value: ["F"]};
    const f2 = {column: "age", op: "between" as const, value: [1, 9]};
    const a = ledgerKey(comparison({filters: [f1, f2]}));
    assert.strictEqual(a, ledgerKey(comparison({filters: [f2, f1]})));
    assert.notStrictEqual(a, ledgerKey(comparison({filters: [f1]})));
    assert.notStrictEqual(a, ledgerKey(comparison({filters: [f1, f2], groupingKey: "era"})));
    assert.notStrictEqual(a, ledgerKey(comparison({filters: [f1, f2], endpoint: "Relapse"})));
    assert.notStrictEqual(a, ledgerKey(comparison({filters: [f1, f2], test: "Peto–Peto"})));
  });

  it("recordComparisons counts distinct comparisons once, keeps the first p, skips missing p, and survives a reload", () => {
    const s = new MemoryStorage();
    let u = recordComparisons(s, [comparison(), comparison({test: "Gray", p: 0.2}), comparison({p: null, test: "none"})]);
    assert.strictEqual(u.added, 2);
    assert.strictEqual(u.skipped, 1);
    assert.ok(u.stored);
    u = recordComparisons(s, [comparison({p: 0.5}), comparison({endpoint: "Relapse", p: 0.03})]);
    assert.strictEqual(u.added, 1);
    assert.deepStrictEqual(u.entries.map((e) => [e.seq, e.p]), [[1, 0.01], [2, 0.2], [3, 0.03]]);
    assert.deepStrictEqual(readLedger(s).length, 3);
    const t = ledgerTable(readLedger(s));
    assert.strictEqual(t.count, 3);
    // Holm over {0.01, 0.2, 0.03}: 0.03, 0.2, 0.06
    assertClose(t.rows.map((r) => r.holm), [0.03, 0.2, 0.06], {rtol: 1e-15});
    assert.strictEqual(t.significantRaw, 2);
    assert.strictEqual(t.significantHolm, 1);
    resetLedger(s);
    assert.deepStrictEqual(readLedger(s), []);
  });

  it("readLedger ignores unreadable or tampered storage", () => {
    const s = new MemoryStorage();
    s.setItem(LEDGER_KEY, "{not json");
    assert.deepStrictEqual(readLedger(s), []);
    s.setItem(LEDGER_KEY, JSON.stringify([{key: "k", selection: "s", grouping: "g", endpoint: "e", test: "t", p: 2, seq: 1}, {key: "k2", selection: "s", grouping: "g", endpoint: "e", test: "t", p: 0.5, seq: 2}, null]));
    assert.deepStrictEqual(readLedger(s).map((e) => e.key), ["k2"]);
    assert.deepStrictEqual(readLedger(null), []);
  });

  it("recordComparisons without storage still counts for the page, and refuses comparisons beyond the limit", () => {
    const u = recordComparisons(null, [comparison()]);
    assert.strictEqual(u.added, 1);
    assert.strictEqual(u.stored, false);
    const s = new MemoryStorage();
    const many = Array.from({length: LEDGER_LIMIT + 3}, (_, i) => comparison({test: `t${i}`, p: 0.5}));
    const v = recordComparisons(s, many);
    assert.strictEqual(v.added, LEDGER_LIMIT);
    assert.strictEqual(v.refused, 3);
  });

  it("a storage that throws on write is reported, not fatal", () => {
    const s = new MemoryStorage();
    s.setItem = () => {
      throw new Error("QuotaExceededError");
    };
    const u = recordComparisons(s, [comparison()]);
    assert.strictEqual(u.stored, false);
    assert.strictEqual(u.entries.length, 1);
  });
});
