/**
 * Row order by (key, time) without a comparator sort: one numeric sort of the times gives their
 * distinct values, each row gets the rank of its time (binary search), and two stable counting
 * sorts order the rows by rank and then by key. O(n log n) for the numeric sort, O(n log m) for the
 * ranks (m distinct times) and O(n + m + nKeys) for the counting sorts. Rows tied on (key, time)
 * keep their input order. Used by the log-rank, cumulative-incidence and Gray kernels.
 *
 * @param key integer key per row in [0, nKeys) (a stratum or group index)
 * @param time finite times
 * @returns row indices ordered by key, then by time
 */
export function orderByKeyAndTime(key: Int32Array, nKeys: number, time: Float64Array): Uint32Array {
  const n = time.length;
  const sorted = Float64Array.from(time).sort();
  let m = 0;
  for (let i = 0; i < n; ++i) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[m++] = sorted[i];
  const rank = new Int32Array(n);
  for (let i = 0; i < n; ++i) {
    const t = time[i];
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
  }
  const byRank = countingSort(rank, m, null);
  return countingSort(key, nKeys, byRank);
}

/** Stable counting sort of the rows `within` (all rows when null, in index order) by `key`. */
function countingSort(key: Int32Array, nKeys: number, within: Uint32Array | null): Uint32Array {
  const n = key.length;
  const start = new Uint32Array(nKeys + 1);
  for (let i = 0; i < n; ++i) ++start[key[i] + 1];
  for (let k = 0; k < nKeys; ++k) start[k + 1] += start[k];
  const out = new Uint32Array(n);
  for (let j = 0; j < n; ++j) {
    const i = within ? within[j] : j;
    out[start[key[i]]++] = i;
  }
  return out;
}
