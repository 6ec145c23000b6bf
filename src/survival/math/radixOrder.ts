/**
 * Stable orderings of index arrays by numeric keys in O(n) passes (least-significant-digit radix
 * sort on the IEEE-754 bit pattern), used by the Cox kernels to sort once without a comparator
 * callback per comparison. Compose keys by sorting on the least significant key first.
 */

const SMALL = 64;

/** The identity permutation 0 … n − 1. */
export function identityOrder(n: number): Uint32Array {
  const o = new Uint32Array(n);
  for (let i = 0; i < n; ++i) o[i] = i;
  return o;
}

/**
 * Stably reorder `order` (indices into `keys`) so that keys[order[i]] is ascending (descending
 * with `descending`). −0 and +0 are treated as equal. Keys must not be NaN. Returns a new array.
 *
 * Integer keys spanning a small range (such as times in days) take one counting sort; other keys an
 * LSD radix sort on their 64-bit images with digits sized to n (8, 11 or 16 bits), all digit
 * histograms counted in one pass and passes whose digit is constant skipped.
 */
export function sortByKey(order: Uint32Array, keys: ArrayLike<number>, descending = false): Uint32Array {
  const n = order.length;
  if (n < SMALL) {
    const out = Array.from(order);
    out.sort(descending ? (a, b) => keys[b] - keys[a] : (a, b) => keys[a] - keys[b]);
    return Uint32Array.from(out);
  }
  // The keys in `order` positions (negated when descending; + 0 turns −0 into +0).
  const f = new Float64Array(n);
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let i = 0; i < n; ++i) {
    const v = (descending ? -keys[order[i]] : keys[order[i]]) + 0;
    f[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  if (integral && max - min <= Math.max(4 * n, 4096)) return countingOrder(order, f, min, max - min + 1);
  return radixOrder(order, f);
}

/** Stable counting sort of `order` by the integer keys f (in `order` positions), f − min ∈ [0, range). */
function countingOrder(order: Uint32Array, f: Float64Array, min: number, range: number): Uint32Array {
  const n = order.length;
  const count = new Uint32Array(range + 1);
  for (let i = 0; i < n; ++i) ++count[f[i] - min + 1];
  for (let b = 0; b < range; ++b) count[b + 1] += count[b];
  const out = new Uint32Array(n);
  for (let i = 0; i < n; ++i) out[count[f[i] - min]++] = order[i];
  return out;
}

/** Stable LSD radix sort of `order` by the finite keys f (in `order` positions). */
function radixOrder(order: Uint32Array, f: Float64Array): Uint32Array {
  const n = order.length;
  // Sortable unsigned 64-bit images of the keys: (hi, lo) words.
  const u = new Uint32Array(f.buffer);
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; ++i) {
    let l = u[2 * i];
    let h = u[2 * i + 1];
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    lo[i] = l;
    hi[i] = h;
  }
  // Digit width sized to n, so that clearing and scanning the histograms stays O(n).
  const bits = n < 4096 ? 8 : n < 262144 ? 11 : 16;
  const perWord = Math.ceil(32 / bits);
  const buckets = 1 << bits;
  const mask = buckets - 1;
  const passes = 2 * perWord;
  // All histograms in one pass over the keys.
  const hist = new Uint32Array(passes * buckets);
  for (let i = 0; i < n; ++i) {
    const l = lo[i];
    const h = hi[i];
    for (let d = 0; d < perWord; ++d) {
      const shift = d * bits;
      ++hist[d * buckets + ((l >>> shift) & mask)];
      ++hist[(perWord + d) * buckets + ((h >>> shift) & mask)];
    }
  }
  // Positions 0 … n−1 into the arrays above, permuted pass by pass.
  let pos: Uint32Array = identityOrder(n);
  let tmp: Uint32Array = new Uint32Array(n);
  for (let pass = 0; pass < passes; ++pass) {
    const word = pass < perWord ? lo : hi;
    const shift = (pass % perWord) * bits;
    const count = hist.subarray(pass * buckets, (pass + 1) * buckets);
    if (count[(word[0] >>> shift) & mask] === n) continue; // one bucket: nothing to do
    let sum = 0;
    for (let b = 0; b < buckets; ++b) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; ++i) {
      const p = pos[i];
      tmp[count[(word[p] >>> shift) & mask]++] = p;
    }
    const t = pos;
    pos = tmp;
    tmp = t;
  }
  const out = new Uint32Array(n);
  for (let i = 0; i < n; ++i) out[i] = order[pos[i]];
  return out;
}

/** Stably reorder `order` by small non-negative integer keys (a counting sort). Returns a new array. */
export function sortBySmallInt(order: Uint32Array, keys: ArrayLike<number>): Uint32Array {
  const n = order.length;
  let max = 0;
  for (let i = 0; i < n; ++i) if (keys[order[i]] > max) max = keys[order[i]];
  if (max === 0) return Uint32Array.from(order);
  const count = new Uint32Array(max + 2);
  for (let i = 0; i < n; ++i) ++count[keys[order[i]] + 1];
  for (let b = 1; b < count.length; ++b) count[b] += count[b - 1];
  const out = new Uint32Array(n);
  for (let i = 0; i < n; ++i) out[count[keys[order[i]]]++] = order[i];
  return out;
}
