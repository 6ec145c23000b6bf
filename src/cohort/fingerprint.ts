/**
 * SHA-256 of the bytes, as 64 lowercase hex digits. Uses Web Crypto (`crypto.subtle`, in browsers and in
 * Node ≥ 20) when present; pages opened outside a secure context (file://, plain http on a LAN address)
 * have no `crypto.subtle`, and then the same digest is computed by {@link sha256HexSync}. Identifies a
 * dataset in the analysis spec and labels results.
 * @example await sha256Hex(new TextEncoder().encode("abc"))
 * // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return sha256HexSync(bytes);
  return toHex(new Uint8Array(await subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)));
}

function toHex(digest: Uint8Array): string {
  let hex = "";
  for (let i = 0; i < digest.length; ++i) hex += digest[i].toString(16).padStart(2, "0");
  return hex;
}

// Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4 §4.2.2).
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
]);

/** SHA-256 (FIPS 180-4) in plain JavaScript: the fallback of {@link sha256Hex}, and usable synchronously. */
export function sha256HexSync(bytes: Uint8Array): string {
  const n = bytes.length;
  // Padding: 0x80, zeros, then the message length in bits as a 64-bit big-endian integer.
  const total = Math.ceil((n + 9) / 64) * 64;
  const block = new Uint8Array(total);
  block.set(bytes);
  block[n] = 0x80;
  const view = new DataView(block.buffer);
  view.setUint32(total - 8, Math.floor(n / 0x20000000), false);
  view.setUint32(total - 4, (n * 8) >>> 0, false);
  const H = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const W = new Uint32Array(64);
  const rotr = (x: number, k: number) => (x >>> k) | (x << (32 - k));
  for (let off = 0; off < total; off += 64) {
    for (let t = 0; t < 16; ++t) W[t] = view.getUint32(off + 4 * t, false);
    for (let t = 16; t < 64; ++t) {
      const w15 = W[t - 15];
      const w2 = W[t - 2];
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      W[t] = (W[t - 16] + s0 + W[t - 7] + s1) >>> 0;
    }
    let a = H[0];
    let b = H[1];
    let c = H[2];
    let d = H[3];
    let e = H[4];
    let f = H[5];
    let g = H[6];
    let h = H[7];
    for (let t = 0; t < 64; ++t) {
      const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[t] + W[t]) >>> 0;
      const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) >>> 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    H[0] += a;
    H[1] += b;
    H[2] += c;
    H[3] += d;
    H[4] += e;
    H[5] += f;
    H[6] += g;
    H[7] += h;
  }
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  for (let k = 0; k < 8; ++k) ov.setUint32(4 * k, H[k], false);
  return toHex(out);
}
