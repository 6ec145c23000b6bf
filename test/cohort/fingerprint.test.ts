// SHA-256: the Web Crypto path and the plain-JS fallback (for pages outside a secure context) against the
// FIPS 180-2 / NIST CSRC example vectors and against each other on random inputs.
import {createHash} from "node:crypto";
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {sha256Hex, sha256HexSync} from "../../src/cohort/fingerprint.js";

const enc = (s: string) => new TextEncoder().encode(s);

describe("sha256Hex", () => {
  it("matches the FIPS 180-2 example digests (both paths)", async () => {
    const vectors: [Uint8Array, string][] = [
      [enc("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
      [enc(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      [enc("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"],
      [new Uint8Array(1_000_000).fill(0x61), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"]
    ];
    for (const [bytes, digest] of vectors) {
      expect(await sha256Hex(bytes)).toBe(digest);
      expect(sha256HexSync(bytes)).toBe(digest);
    }
  });

  it("the fallback equals node:crypto on random inputs of every padding length (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 300}), (bytes) => {
        expect(sha256HexSync(bytes)).toBe(createHash("sha256").update(bytes).digest("hex"));
      }),
      {numRuns: 500}
    );
  });

  it("falls back when crypto.subtle is missing (insecure context)", async () => {
    const original = Object.getOwnPropertyDescriptor(globalThis, "crypto")!;
    Object.defineProperty(globalThis, "crypto", {value: {}, configurable: true});
    try {
      expect(await sha256Hex(enc("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    } finally {
      Object.defineProperty(globalThis, "crypto", original);
    }
  });
});
