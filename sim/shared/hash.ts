/**
 * Deterministic integer hashing. Every generated value is a pure function of
 * (seed, kind, index, salt) so that a record can be recomputed on demand
 * without keeping the population in memory.
 */

/** murmur3's 32-bit finalizer: cheap and well mixed. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash any number of 32-bit integers into one unsigned 32-bit integer. */
export function hash32(...parts: number[]): number {
  let h = 0x9747b28c;
  for (const part of parts) {
    h = fmix32((h ^ fmix32(part >>> 0)) + 0x9e3779b9);
  }
  return h;
}

/** Pick an element of a non-empty list by hash. */
export function pick<T>(list: readonly T[], h: number): T {
  const item = list[h % list.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** A hex string of `length` characters derived from the given parts. */
export function hexDigest(length: number, ...parts: number[]): string {
  let out = '';
  let i = 0;
  while (out.length < length) {
    out += hash32(...parts, i++).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}
