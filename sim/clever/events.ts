import type { FastifyInstance } from 'fastify';
import type { CanonicalRef, ChangeObserver } from '../generator/changes.ts';
import type { SimDistrict } from '../generator/district.ts';
import type { SimClock } from '../shared/clock.ts';
import { queryValue, queryValues } from '../shared/http.ts';
import { authenticate, pagingParams, requireDistrict, sendError, sendList } from './api-support.ts';
import type { CleverContext } from './context.ts';
import type { CleverIds } from './ids.ts';
import { idListSegment } from './paging.ts';
import type { CleverObject, CleverSerializer } from './serialize.ts';

/**
 * Clever Events API: every change becomes `<records>.created|updated|deleted`
 * with the full object and, for updates, `previous_attributes` holding the old
 * values of what changed (nested objects reduced to their changed keys,
 * arrays whole). Events older than 30 days (simulator clock) drop off.
 */
export interface CleverEvent {
  id: string;
  district: SimDistrict;
  type: string;
  created: string;
  createdMs: number;
  object: CleverObject;
  previous?: Record<string, unknown>;
}

const RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const IGNORED_IN_DIFF = new Set(['last_modified', 'created']);

function recordType(kind: CanonicalRef['kind']): string {
  switch (kind) {
    case 'section':
      return 'sections';
    case 'term':
      return 'terms';
    case 'school':
      return 'schools';
    case 'course':
      return 'courses';
    default:
      return 'users';
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Old values of changed keys (Stripe-style): nested objects recurse, arrays are replaced whole. */
export function previousAttributes(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (IGNORED_IN_DIFF.has(key)) continue;
    const b = before[key];
    const a = after[key];
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    if (isPlainObject(b) && isPlainObject(a)) {
      const nested = previousAttributes(b, a);
      if (Object.keys(nested).length > 0) out[key] = nested;
    } else {
      out[key] = b === undefined ? null : b;
    }
  }
  return out;
}

export class CleverEventStore implements ChangeObserver {
  private events: CleverEvent[] = [];
  private readonly seq = new Map<SimDistrict, number>();
  /** Ids of every event ever recorded, in order (lets callers see what one change produced). */
  private readonly recorded: string[] = [];

  constructor(
    private readonly ids: CleverIds,
    private readonly serializer: CleverSerializer,
    private readonly clock: SimClock,
  ) {}

  private snapshot(d: SimDistrict, ref: CanonicalRef): CleverObject | undefined {
    switch (ref.kind) {
      case 'section':
        return this.serializer.section(d, ref.index);
      case 'term':
        return this.serializer.term(d, ref.index);
      case 'school':
        return this.serializer.school(d, ref.index);
      case 'course':
        return this.serializer.course(d, ref.index);
      default:
        return this.serializer.user(d, ref.kind, ref.index);
    }
  }

  before(district: SimDistrict, refs: readonly CanonicalRef[]): unknown {
    return new Map(refs.map((r) => [`${r.kind}:${r.index}`, this.snapshot(district, r)]));
  }

  after(district: SimDistrict, refs: readonly CanonicalRef[], state: unknown, at: string): void {
    const before = state as Map<string, CleverObject | undefined>;
    for (const ref of refs) {
      const old = before.get(`${ref.kind}:${ref.index}`);
      const now = this.snapshot(district, ref);
      const type = recordType(ref.kind);
      if (old === undefined && now !== undefined) this.record(district, `${type}.created`, now, at);
      else if (old !== undefined && now === undefined) this.record(district, `${type}.deleted`, old, at);
      else if (old !== undefined && now !== undefined) {
        const previous = previousAttributes(old, now);
        if (Object.keys(previous).length > 0) this.record(district, `${type}.updated`, now, at, previous);
      }
    }
  }

  private record(district: SimDistrict, type: string, object: CleverObject, at: string, previous?: Record<string, unknown>): void {
    const n = this.seq.get(district) ?? 0;
    this.seq.set(district, n + 1);
    this.recorded.push(this.ids.id(district, 'event', n));
    this.events.push({
      id: this.ids.id(district, 'event', n),
      district,
      type,
      created: at,
      createdMs: Date.parse(at),
      object,
      ...(previous ? { previous } : {}),
    });
  }

  get recordedCount(): number {
    return this.recorded.length;
  }

  idsSince(count: number): string[] {
    return this.recorded.slice(count);
  }

  /** Events still inside the retention window, oldest first. */
  list(district: SimDistrict): CleverEvent[] {
    const cutoff = this.clock.nowMs() - RETENTION_MS;
    this.events = this.events.filter((e) => e.createdMs >= cutoff);
    return this.events.filter((e) => e.district === district);
  }

  wire(event: CleverEvent): CleverObject {
    return {
      id: event.id,
      type: event.type,
      created: event.created,
      data: { object: event.object, ...(event.previous ? { previous_attributes: event.previous } : {}) },
    };
  }
}

function mentionsSchool(obj: Record<string, unknown>, school: string): boolean {
  if (obj['id'] === school || obj['school'] === school) return true;
  if (Array.isArray(obj['schools']) && obj['schools'].includes(school)) return true;
  const roles = obj['roles'];
  if (isPlainObject(roles)) return Object.values(roles).some((r) => isPlainObject(r) && mentionsSchool({ ...r, id: undefined }, school));
  return false;
}

export function registerEventRoutes(app: FastifyInstance, ctx: CleverContext): void {
  app.get('/v3.0/events', async (req, reply) => {
    const principal = authenticate(ctx, req, reply);
    if (principal === null || !requireDistrict(principal, reply)) return reply;
    const paging = pagingParams(req, reply);
    if (paging === null) return reply;
    const types = queryValues(req, 'record_type');
    const school = queryValue(req, 'school');
    const events = ctx.events
      .list(principal.district)
      .filter((e) => types.length === 0 || types.includes(e.type.split('.')[0] ?? ''))
      .filter((e) => school === undefined || mentionsSchool(e.object, school));
    const segment = idListSegment(
      events.map((e) => e.id),
      (pos) => {
        const e = events[pos];
        return e === undefined ? undefined : ctx.events.wire(e);
      },
    );
    return sendList(ctx, req, reply, [segment], paging, (obj) => `/v3.0/events/${obj.id}`);
  });

  app.get<{ Params: { id: string } }>('/v3.0/events/:id', async (req, reply) => {
    const principal = authenticate(ctx, req, reply);
    if (principal === null || !requireDistrict(principal, reply)) return reply;
    const event = ctx.events.list(principal.district).find((e) => e.id === req.params.id);
    if (event === undefined) return sendError(reply, 404, 'Resource not found');
    return reply.send({ data: ctx.events.wire(event), links: [{ rel: 'self', uri: `/v3.0/events/${event.id}` }] });
  });
}
