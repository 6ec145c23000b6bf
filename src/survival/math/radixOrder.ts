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
 */
export function sortByKey(order: Uint32Array, keys: ArrayLike<number>, descending = false): Uint32Array {
  const n = order.length;
  if (n < SMALL) {
    const out = Array.from(order);
    out.sort(descending ? (a, b) => keys[b] - keys[a] : (a, b) => keys[a] - keys[b]);
    return Uint32Array.from(out);
  }
  // Sortable unsigned 64-bit images of the keys, in `order` positions.
  const f = new Float64Array(n);
  for (let i = 0; i < n; ++i) f[i] = (descending ? -keys[order[i]] : keys[order[i]]) + 0; // + 0 turns −0 into +0
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
  // Positions 0 … n−1 into the arrays above, permuted pass by pass.
  let pos: Uint32Array = identityOrder(n);
  let tmp: Uint32Array = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; ++pass) {
    const word = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; ++i) ++count[(word[pos[i]] >>> shift) & 0xffff];
    if (count[(word[pos[0]] >>> shift) & 0xffff] === n) continue; // one bucket: nothing to do
    let sum = 0;
    for (let b = 0; b < 65536; ++b) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; ++i) {
      const p = pos[i];
      tmp[count[(word[p] >>> shift) & 0xffff]++] = p;
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
