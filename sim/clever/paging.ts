import type { CleverObject } from './serialize.ts';

/**
 * Clever cursor paging over computed collections. A collection is a list of
 * segments; each segment is one id prefix (district + kind) over a range or a
 * sorted list of indices, so "ids after X" is a binary search, never a scan
 * of the population. Records that are not visible (deleted sections, users
 * filtered out by role) are skipped while iterating.
 */
export interface Segment {
  size: number;
  /** Ids ascend with position. */
  idAt(pos: number): string;
  objAt(pos: number): CleverObject | undefined;
}

export function idFor(prefix: string, index: number): string {
  return prefix + index.toString(16).padStart(12, '0');
}

/** Records prefix+index for index in [from, to). */
export function rangeSegment(prefix: string, from: number, to: number, get: (index: number) => CleverObject | undefined): Segment {
  return {
    size: Math.max(0, to - from),
    idAt: (pos) => idFor(prefix, from + pos),
    objAt: (pos) => get(from + pos),
  };
}

/** Records prefix+index for a sorted list of indices. */
export function listSegment(prefix: string, list: readonly number[], get: (index: number) => CleverObject | undefined): Segment {
  return {
    size: list.length,
    idAt: (pos) => idFor(prefix, list[pos] ?? 0),
    objAt: (pos) => {
      const index = list[pos];
      return index === undefined ? undefined : get(index);
    },
  };
}

/** A sorted list of arbitrary ids (events). */
export function idListSegment(ids: readonly string[], get: (pos: number) => CleverObject | undefined): Segment {
  return { size: ids.length, idAt: (pos) => ids[pos] ?? '', objAt: get };
}

/** First position whose id is > cursor (or >= when inclusive). */
function firstAfter(seg: Segment, cursor: string, inclusive: boolean): number {
  let lo = 0;
  let hi = seg.size;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const id = seg.idAt(mid);
    if (inclusive ? id >= cursor : id > cursor) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function* forward(segments: readonly Segment[], after?: string): Generator<CleverObject> {
  for (const seg of segments) {
    const start = after === undefined ? 0 : firstAfter(seg, after, false);
    for (let pos = start; pos < seg.size; pos++) {
      const obj = seg.objAt(pos);
      if (obj !== undefined) yield obj;
    }
  }
}

export function* backward(segments: readonly Segment[], before?: string): Generator<CleverObject> {
  for (let s = segments.length - 1; s >= 0; s--) {
    const seg = segments[s]!;
    const end = before === undefined ? seg.size : firstAfter(seg, before, true);
    for (let pos = end - 1; pos >= 0; pos--) {
      const obj = seg.objAt(pos);
      if (obj !== undefined) yield obj;
    }
  }
}

function take(iter: Iterator<CleverObject>, n: number): CleverObject[] {
  const out: CleverObject[] = [];
  while (out.length < n) {
    const next = iter.next();
    if (next.done === true) break;
    out.push(next.value);
  }
  return out;
}

export interface PageRequest {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export interface PageResult {
  items: CleverObject[];
  hasPrev: boolean;
}

export function readPage(segments: readonly Segment[], req: PageRequest): PageResult {
  const items =
    req.endingBefore !== undefined
      ? // "last" is the end of the list (Clever's client libraries ask for the newest event so).
        take(backward(segments, req.endingBefore === 'last' ? undefined : req.endingBefore), req.limit).reverse()
      : take(forward(segments, req.startingAfter), req.limit);
  const first = items[0];
  const hasPrev = first !== undefined && !backward(segments, first.id).next().done;
  return { items, hasPrev };
}

