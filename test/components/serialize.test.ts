// CSV/JSON serialisation behind the download buttons. Expected texts are written out by hand from
// RFC 4180 (quoting, CRLF) and OWASP's CSV-injection guidance (leading = + - @ tab CR).
import {assert, describe, it} from "vitest";
import {csvCell, neutralizeFormula, ownValue, safeFilename, toCsv, toJson} from "../../src/components/serialize.js";

describe("toCsv", () => {
  it("toCsv(rows, columns) neutralises formulas in text cells and keeps numeric columns numeric", () => {
    const rows = [
      {label: "=HYPERLINK(\"http://x\")", value: -3, note: "-3"},
      {label: "+cmd", value: 1.5e-12, note: "@SUM(A1)"},
      {label: "\tTab", value: NaN, note: "plain"}
    ];
    const csv = toCsv(rows, ["label", {key: "value", numeric: true}, "note"]);
    assert.strictEqual(csv, 'label,value,note\r\n"\'=HYPERLINK(""http://x"")",-3,\'-3\r\n\'+cmd,1.5e-12,\'@SUM(A1)\r\n\'\tTab,,plain\r\n');
  });
  it("toCsv quotes separators, quotes and newlines, and writes null/undefined as empty", () => {
    const csv = toCsv([{a: 'say "hi", ok', b: "two\nlines", c: null}, {a: undefined, b: "", c: true}], ["a", "b", "c"]);
    assert.strictEqual(csv, 'a,b,c\r\n"say ""hi"", ok","two\nlines",\r\n,,true\r\n');
  });
  it("toCsv reads own properties only: columns named __proto__, constructor, toString work", () => {
    const rows = JSON.parse('[{"__proto__": "p", "constructor": "c", "toString": 1}, {}]');
    const csv = toCsv(rows, ["__proto__", "constructor", {key: "toString", numeric: true}]);
    assert.strictEqual(csv, "__proto__,constructor,toString\r\np,c,1\r\n,,\r\n");
    assert.strictEqual(ownValue({}, "constructor"), undefined);
  });
  it("toCsv neutralises headers and honours header text and the delimiter", () => {
    assert.strictEqual(toCsv([{a: 1}], [{key: "a", header: "=a", numeric: true}], {delimiter: ";", newline: "\n"}), "'=a\n1\n");
  });
  it("csvCell writes numbers in full precision, -0 as 0, non-finite as empty, and dates as ISO", () => {
    assert.strictEqual(csvCell(0.1 + 0.2, true), "0.30000000000000004");
    assert.strictEqual(csvCell(-0, true), "0");
    assert.strictEqual(csvCell(Infinity, true), "");
    assert.strictEqual(csvCell(-2, false), "'-2");
    assert.strictEqual(csvCell(new Date(Date.UTC(2012, 0, 2)), false), "2012-01-02T00:00:00.000Z");
    assert.strictEqual(neutralizeFormula("a=b"), "a=b");
  });
});

describe("toJson and safeFilename", () => {
  it("toJson turns typed arrays into arrays and NaN/Infinity into null", () => {
    const text = toJson({a: new Float64Array([1, NaN, Infinity]), b: NaN, c: new Map([["k", 1]]), d: new Set([2])});
    assert.deepStrictEqual(JSON.parse(text), {a: [1, null, null], b: null, c: {k: 1}, d: [2]});
  });
  it("safeFilename strips separators and reserved characters and appends the extension once", () => {
    assert.strictEqual(safeFilename("Overall survival / by donor?", "csv"), "Overall_survival_-_by_donor.csv");
    assert.strictEqual(safeFilename("figure.svg", "svg"), "figure.svg");
    assert.strictEqual(safeFilename("../../etc/passwd", ".png"), "etc-passwd.png");
    assert.strictEqual(safeFilename("", "json"), "export.json");
  });
});
