/**
 * A small, documented, seeded pseudo-random number generator for the synthetic cohorts.
 *
 * - Generator: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c), 32-bit
 *   state words, period 2^128 − 1. Implemented with `Math.imul` and unsigned shifts only, so the integer
 *   stream is bit-identical on every JavaScript engine and machine.
 * - Seeding: the 32-bit seed is expanded into the 128-bit state by SplitMix32 (a Weyl sequence with
 *   increment 0x9e3779b9 passed through the MurmurHash3 `fmix32` finaliser), as Vigna recommends for
 *   seeding xoshiro from a single word.
 * - Uniforms: `(k + 0.5) / 2^32` for the next 32-bit output k: strictly inside (0, 1), so `log(u)` is
 *   always finite.
 * - Derived variates (each documented with the number of uniforms it consumes, so the stream is easy
 *   to reproduce in another language): exponential by inversion (1), normal by Box–Muller using the
 *   cosine branch only (2), gamma with integer shape k as a sum of k exponentials (k).
 *
 * Pure, no I/O, no dependencies; safe to use in the browser.
 */

/** xoshiro128** seeded by SplitMix32; see the module comment for the exact definitions. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @param seed any integer; it is reduced to an unsigned 32-bit word (`seed >>> 0`). */
  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    let x = seed >>> 0;
    const splitmix32 = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix32();
    this.s1 = splitmix32();
    this.s2 = splitmix32();
    this.s3 = splitmix32();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is forbidden
  }

  /** Build a generator directly from its four state words (for testing against the reference C code). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Xoshiro128 {
    const g = new Xoshiro128(0);
    g.s0 = s0 >>> 0;
    g.s1 = s1 >>> 0;
    g.s2 = s2 >>> 0;
    g.s3 = s3 >>> 0;
    return g;
  }

  /** The next 32-bit output as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** A uniform variate strictly inside (0, 1): (k + 0.5) / 2^32. Consumes one output. */
  uniform(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }

  /** Bernoulli(p): 1 if a uniform is below p. Consumes one uniform. */
  bernoulli(p: number): 0 | 1 {
    return this.uniform() < p ? 1 : 0;
  }

  /** Uniform on (a, b). Consumes one uniform. */
  uniformOn(a: number, b: number): number {
    return a + (b - a) * this.uniform();
  }

  /** Exponential with the given mean, −mean·log(u). Consumes one uniform. */
  exponential(mean: number): number {
    return -mean * Math.log(this.uniform());
  }

  /** Standard normal by Box–Muller, √(−2 log u1)·cos(2π u2). Consumes two uniforms. */
  normal(): number {
    const u1 = this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Gamma with integer shape k and the given scale (Erlang: a sum of k exponentials). Consumes k uniforms. */
  erlang(shape: number, scale: number): number {
    let s = 0;
    for (let i = 0; i < shape; ++i) s -= Math.log(this.uniform());
    return s * scale;
  }

  /** Index of the category drawn with the given probabilities (summing to 1). Consumes one uniform. */
  categorical(probabilities: readonly number[]): number {
    const u = this.uniform();
    let c = 0;
    for (let i = 0; i < probabilities.length - 1; ++i) {
      c += probabilities[i];
      if (u < c) return i;
    }
    return probabilities.length - 1;
  }
}
