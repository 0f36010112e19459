import { isObject, str, type Json } from '../wire.ts';

/**
 * Reading one Clever Events API item. Shape (v3.0):
 * `{data:{id, type:"sections.updated", created, data:{object:{…}, previous_attributes:{…}}}, uri}`.
 * The Swagger models put `previous_attributes` beside `data`; Clever's docs and
 * SDKs read it inside `data` — both are accepted.
 */
export type EventRecordKind = 'users' | 'sections' | 'terms' | 'courses';
export type EventAction = 'created' | 'updated' | 'deleted';

export type ClassifiedEvent =
  | {
      readonly type: 'record';
      readonly id: string;
      readonly kind: EventRecordKind;
      readonly action: EventAction;
      readonly object: Json;
      /** Old values of the changed fields (updates only), or null when not given. */
      readonly previous: Json | null;
    }
  /** A documented record type Rollcall has no canonical record for (schools, districts, resources). */
  | { readonly type: 'ignored'; readonly id: string | null }
  | { readonly type: 'invalid'; readonly id: string | null; readonly reason: string };

const MAPPED = new Set<string>(['users', 'sections', 'terms', 'courses']);
const KNOWN_UNMAPPED = new Set<string>(['schools', 'districts', 'resources']);
const ACTIONS = new Set<string>(['created', 'updated', 'deleted']);

/**
 * Fields whose change can alter Rollcall's canonical record. An update whose
 * previous_attributes name none of these (e.g. only `last_modified`, `ext` or
 * a SIS id) changes nothing Rollcall stores and is dropped as a no-op.
 */
const RELEVANT: Record<EventRecordKind, readonly string[]> = {
  users: ['name', 'email', 'roles'],
  sections: ['name', 'school', 'course', 'term_id', 'subject', 'period', 'teacher', 'teachers', 'students'],
  terms: ['name', 'start_date', 'end_date'],
  courses: ['name'],
};

/** `event` is the unwrapped list item (`item.data`). */
export function classifyEvent(event: Json): ClassifiedEvent {
  const id = str(event['id']);
  if (id === null) return { type: 'invalid', id: null, reason: 'event has no id' };
  const type = str(event['type']);
  if (type === null) return { type: 'invalid', id, reason: 'event has no type' };
  const [record = '', action = ''] = type.split('.');
  if (!ACTIONS.has(action) || (!MAPPED.has(record) && !KNOWN_UNMAPPED.has(record))) {
    return { type: 'invalid', id, reason: `unknown event type "${type.slice(0, 60)}"` };
  }
  if (!MAPPED.has(record)) return { type: 'ignored', id };

  const payload = event['data'];
  const object = isObject(payload) ? payload['object'] : undefined;
  if (!isObject(object)) return { type: 'invalid', id, reason: `${type} event has no data.object` };
  const inside = isObject(payload) ? payload['previous_attributes'] : undefined;
  const beside = event['previous_attributes'];
  const previous = isObject(inside) ? inside : isObject(beside) ? beside : null;
  return { type: 'record', id, kind: record as EventRecordKind, action: action as EventAction, object, previous };
}

/** False only when the event itself says no field Rollcall uses has changed. */
export function isRelevantUpdate(event: Extract<ClassifiedEvent, { type: 'record' }>): boolean {
  if (event.action !== 'updated' || event.previous === null) return true;
  const changed = Object.keys(event.previous);
  if (changed.length === 0) return true;
  return changed.some((key) => RELEVANT[event.kind].includes(key));
}
