import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FaultRegistry } from '../shared/faults.ts';
import { rawQuery, requestOrigin, requestPath } from '../shared/http.ts';
import type { Source } from './collections.ts';
import { sendImsx, statusInfo } from './errors.ts';
import { FilterSyntaxError, knownField, matches, onlyChangedCanMatch, parseFilter, type FilterExpr } from './filter.ts';
import type { Json, OrVersion } from './serialize.ts';

/**
 * limit/offset paging, filter, sort+orderBy and fields for one collection
 * request, with X-Total-Count, X-Count and an RFC 8288 Link header.
 */
export const DEFAULT_LIMIT = 100;
/** Servers cap page size; ClassLink's guidance is to page bulk pulls at 10,000. */
export const MAX_LIMIT = 10_000;

export interface QueryContext {
  version: OrVersion;
  /** Generation time of the district: nothing generated is newer. */
  createdAt: string;
  faults: FaultRegistry;
}

function firstValue(record: Json, field: string): string {
  let value: unknown = record;
  for (const part of field.split('.')) {
    if (Array.isArray(value)) value = value[0];
    value = value !== null && typeof value === 'object' ? (value as Json)[part] : undefined;
  }
  if (Array.isArray(value)) value = value[0];
  return value === undefined || value === null ? '' : String(value);
}

function project(record: Json, fields: string[] | null): Json {
  if (fields === null) return record;
  const out: Json = {};
  for (const f of fields) if (f in record) out[f] = record[f];
  return out;
}

/** Parse `fields`; returns the list (null = all) and the unknown names. */
function parseFields(raw: string | null, type: Source['type'], version: OrVersion): { fields: string[] | null; unknown: string[] } {
  if (raw === null || raw.trim() === '') return { fields: null, unknown: [] };
  const requested = raw.split(',').map((f) => f.trim()).filter((f) => f !== '');
  const unknown = requested.filter((f) => f.includes('.') || !knownField(type, version, f));
  // An unknown selection field means "all fields" plus a warning (1.1) or a 400 (1.2).
  return { fields: unknown.length > 0 ? null : requested, unknown };
}

export function sendSingle(req: FastifyRequest, reply: FastifyReply, key: string, record: Json, type: Source['type'], ctx: QueryContext): FastifyReply {
  const q = new URLSearchParams(rawQuery(req));
  const { fields, unknown } = parseFields(q.get('fields'), type, ctx.version);
  if (unknown.length > 0 && ctx.version === '1.2') {
    return sendImsx(reply, 400, 'invalid_selection_field', `unknown field(s): ${unknown.join(', ')}`);
  }
  return reply.send({ [key]: project(record, fields) });
}

export function sendCollection(req: FastifyRequest, reply: FastifyReply, source: Source, ctx: QueryContext): FastifyReply {
  const q = new URLSearchParams(rawQuery(req));
  const limitRaw = q.get('limit');
  const offsetRaw = q.get('offset');
  if (limitRaw !== null && !/^\d+$/.test(limitRaw)) return sendImsx(reply, 400, 'invaliddata', `invalid limit: ${limitRaw}`);
  if (offsetRaw !== null && !/^\d+$/.test(offsetRaw)) return sendImsx(reply, 400, 'invaliddata', `invalid offset: ${offsetRaw}`);
  const limit = Math.min(MAX_LIMIT, Math.max(1, limitRaw === null ? DEFAULT_LIMIT : Number(limitRaw)));
  const requestedOffset = offsetRaw === null ? 0 : Number(offsetRaw);

  let filter: FilterExpr | null = null;
  const filterRaw = q.get('filter');
  if (filterRaw !== null && filterRaw.trim() !== '') {
    try {
      filter = parseFilter(filterRaw);
    } catch (err) {
      const message = err instanceof FilterSyntaxError ? err.message : 'invalid filter';
      return sendImsx(reply, 400, 'invalid_filter_field', `invalid filter: ${message}`);
    }
    const unknown = filter.predicates.filter((p) => !knownField(source.type, ctx.version, p.field)).map((p) => p.field);
    if (unknown.length > 0) return sendImsx(reply, 400, 'invalid_filter_field', `unknown filter field(s): ${unknown.join(', ')}`);
  }
  const { fields, unknown: unknownFields } = parseFields(q.get('fields'), source.type, ctx.version);
  if (unknownFields.length > 0 && ctx.version === '1.2') {
    return sendImsx(reply, 400, 'invalid_selection_field', `unknown field(s): ${unknownFields.join(', ')}`);
  }
  const sortField = q.get('sort');
  const sortBy = sortField !== null && sortField !== 'sourcedId' && knownField(source.type, ctx.version, sortField) ? sortField : null;
  // Only "desc" reverses; anything else ("dsc" included) is ascending.
  const desc = q.get('orderBy') === 'desc';

  // Pagination-loop fault: the offset is ignored, so every page is the first one.
  const loop = ctx.faults.take(requestPath(req), ['pagination-loop']) !== undefined;
  const offset = loop ? 0 : requestedOffset;

  let total: number;
  let page: Json[];
  if (filter === null && sortBy === null) {
    total = source.size;
    if (!desc) {
      page = take(source.iterate(offset), limit);
    } else {
      const end = Math.max(0, total - offset);
      const start = Math.max(0, end - limit);
      page = take(source.iterate(start), end - start).reverse();
    }
  } else {
    const candidates = filter !== null && source.changed !== undefined && onlyChangedCanMatch(filter, ctx.createdAt) ? source.changed() : source.iterate(0);
    const matching = (r: Json) => filter === null || matches(r, filter);
    if (sortBy === null && !desc) {
      // Stream: count every match but keep only this page.
      total = 0;
      page = [];
      for (const r of candidates) {
        if (!matching(r)) continue;
        if (total >= offset && page.length < limit) page.push(r);
        total++;
      }
    } else {
      const all: Json[] = [];
      for (const r of candidates) if (matching(r)) all.push(r);
      if (sortBy !== null) all.sort((a, b) => {
        const x = firstValue(a, sortBy);
        const y = firstValue(b, sortBy);
        return x < y ? -1 : x > y ? 1 : 0;
      });
      if (desc) all.reverse();
      total = all.length;
      page = all.slice(offset, offset + limit);
    }
  }

  reply.header('X-Total-Count', String(total));
  reply.header('X-Count', String(page.length));
  reply.header('Link', linkHeader(req, requestedOffset, limit, total));
  const body: Json = { [source.key]: page.map((r) => project(r, fields)) };
  if (unknownFields.length > 0) {
    body['statusInfoSet'] = [statusInfo('invalid_selection_field', `unknown field(s) ignored: ${unknownFields.join(', ')}`, 'success', 'warning')];
  }
  return reply.send(body);
}

function take(iter: Iterable<Json>, n: number): Json[] {
  const out: Json[] = [];
  if (n <= 0) return out;
  for (const r of iter) {
    out.push(r);
    if (out.length >= n) break;
  }
  return out;
}

function linkHeader(req: FastifyRequest, offset: number, limit: number, total: number): string {
  const at = (o: number) => {
    const q = new URLSearchParams(rawQuery(req));
    q.set('limit', String(limit));
    q.set('offset', String(o));
    return `<${requestOrigin(req)}${requestPath(req)}?${q.toString()}>`;
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links: string[] = [];
  if (offset + limit < total) links.push(`${at(offset + limit)}; rel="next"`);
  links.push(`${at(lastOffset)}; rel="last"`);
  links.push(`${at(0)}; rel="first"`);
  if (offset > 0) links.push(`${at(Math.max(0, offset - limit))}; rel="prev"`);
  return links.join(', ');
}
