/**
 * Word-level comparison of a reading with a reference text: how many of the reference's words the reading
 * recovers, in order (the length of the longest common subsequence of the two word sequences).
 *
 * Patience-style anchoring (words that occur once in both sides, kept in order by a longest increasing
 * subsequence) splits the problem into small gaps, and Myers' O(ND) algorithm measures each gap, so
 * 100-page agreements compare in milliseconds.
 */

/** Lower-case words with punctuation stripped ("Section 4.2(b)," → "section", "42b"). */
export function normalizeWords(text: string): string[] {
  const words: string[] = [];
  for (const token of text.split(/\s+/)) {
    const word = token
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '');
    if (word) words.push(word);
  }
  return words;
}

/** Length of the longest common subsequence of two word sequences. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const ids = new Map<string, number>();
  const toIds = (words: readonly string[]) => {
    const out = new Int32Array(words.length);
    words.forEach((w, i) => {
      let id = ids.get(w);
      if (id === undefined) {
        id = ids.size;
        ids.set(w, id);
      }
      out[i] = id;
    });
    return out;
  };
  const x = toIds(a);
  const y = toIds(b);
  let total = 0;
  // Work list of ranges [a0, a1) × [b0, b1); no recursion, so long documents cannot overflow the stack.
  const stack: [number, number, number, number][] = [[0, x.length, 0, y.length]];
  while (stack.length > 0) {
    let [a0, a1, b0, b1] = stack.pop() as [number, number, number, number];
    while (a0 < a1 && b0 < b1 && x[a0] === y[b0]) {
      a0++;
      b0++;
      total++;
    }
    while (a0 < a1 && b0 < b1 && x[a1 - 1] === y[b1 - 1]) {
      a1--;
      b1--;
      total++;
    }
    if (a0 === a1 || b0 === b1) continue;
    const anchors = uniqueAnchors(x, a0, a1, y, b0, b1);
    if (anchors.length === 0) {
      total += myers(x, a0, a1, y, b0, b1);
      continue;
    }
    let pa = a0;
    let pb = b0;
    for (const [i, j] of anchors) {
      stack.push([pa, i, pb, j]);
      total++;
      pa = i + 1;
      pb = j + 1;
    }
    stack.push([pa, a1, pb, b1]);
  }
  return total;
}

/** Pairs (i, j) of elements unique in both ranges, the longest chain increasing in both i and j. */
function uniqueAnchors(
  x: Int32Array,
  a0: number,
  a1: number,
  y: Int32Array,
  b0: number,
  b1: number,
): [number, number][] {
  const inX = new Map<number, number>();
  for (let i = a0; i < a1; i++) {
    const v = x[i] as number;
    inX.set(v, inX.has(v) ? -1 : i);
  }
  const inY = new Map<number, number>();
  for (let j = b0; j < b1; j++) {
    const v = y[j] as number;
    if (!inX.has(v) || inX.get(v) === -1) continue;
    inY.set(v, inY.has(v) ? -1 : j);
  }
  const pairs: [number, number][] = [];
  for (const [v, j] of inY) {
    if (j < 0) continue;
    pairs.push([inX.get(v) as number, j]);
  }
  if (pairs.length === 0) return [];
  pairs.sort((p, q) => p[0] - q[0]);
  // Longest increasing subsequence on j (patience sorting).
  const tails: number[] = [];
  const prev = new Int32Array(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k++) {
    const j = (pairs[k] as [number, number])[1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((pairs[tails[mid] as number] as [number, number])[1] < j) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[k] = tails[lo - 1] as number;
    tails[lo] = k;
  }
  const chain: [number, number][] = [];
  for (let k = tails[tails.length - 1] as number; k >= 0; k = prev[k] as number)
    chain.push(pairs[k] as [number, number]);
  return chain.reverse();
}

/** Myers' O(ND) shortest edit script length → LCS length of x[a0,a1) and y[b0,b1). */
function myers(x: Int32Array, a0: number, a1: number, y: Int32Array, b0: number, b1: number): number {
  const n = a1 - a0;
  const m = b1 - b0;
  const max = n + m;
  // Bound the work on pathological gaps (long stretches with no word in common): treat them as disjoint.
  const limit = Math.min(max, 20_000);
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  for (let d = 0; d <= limit; d++) {
    for (let k = -d; k <= d; k += 2) {
      let i: number;
      if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number)))
        i = v[offset + k + 1] as number;
      else i = (v[offset + k - 1] as number) + 1;
      let j = i - k;
      while (i < n && j < m && x[a0 + i] === y[b0 + j]) {
        i++;
        j++;
      }
      v[offset + k] = i;
      if (i >= n && j >= m) return (n + m - d) / 2;
    }
  }
  return 0;
}
