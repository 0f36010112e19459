import { ProviderError, type ChangePage, type ChangeRecord } from '../roster-provider.ts';
import type { Json } from '../wire.ts';
import { isDeleted, mapEnrollment, mapSession, mapUser } from './oneroster-mapper.ts';
import { KEYS, type OneRosterReader } from './oneroster-reader.ts';

/**
 * OneRoster delta sync: `filter=dateLastModified>'<cursor>'` on each
 * collection (the form SDS requires of providers), in an order that lets
 * later records refer to earlier ones: sessions, users, classes, enrollments.
 *
 * The cursor only moves on the final page. Intermediate pages repeat the
 * starting cursor, so a run that dies half-way resumes from the start (all
 * upserts are idempotent) instead of skipping the collections it never read.
 * The new cursor is the newest dateLastModified seen minus an overlap, which
 * covers records a server commits late with an older timestamp.
 */

const BIG_CHANGE = 25;

export function parseCursor(cursor: string): number | null {
  if (cursor === '') return null;
  const ms = Date.parse(cursor);
  if (Number.isNaN(ms)) throw new ProviderError('bad_data', 'ClassLink change cursor is not an ISO timestamp', { provider: 'classlink' });
  return ms;
}

export async function* oneRosterChanges(reader: OneRosterReader, cursor: string, overlapMs: number, warn: (m: string) => void): AsyncGenerator<ChangePage> {
  const since = parseCursor(cursor);
  // '' = from the start: no filter, every record counts as a change.
  const query = since === null ? {} : { filter: `dateLastModified>'${new Date(since).toISOString()}'` };
  let newest: number | null = null;
  const seen = (records: readonly Json[]): void => {
    for (const r of records) {
      const at = typeof r['dateLastModified'] === 'string' ? Date.parse(r['dateLastModified']) : Number.NaN;
      if (!Number.isNaN(at) && (newest === null || at > newest)) newest = at;
    }
  };
  const page = (changes: ChangeRecord[], warnings: string[]): ChangePage => {
    warnings.forEach(warn);
    return { changes, cursor, warnings };
  };

  for await (const p of reader.api.pages('academicSessions', KEYS.academicSessions, query)) {
    seen(p.records);
    const warnings = p.skipped.map((s) => `ClassLink academicSessions: ${s}`);
    const changes: ChangeRecord[] = [];
    p.records.forEach((record) => {
      const [term] = reader.keep('academicSessions', [mapSession(record)], warnings);
      if (term === undefined) return;
      const deleted = isDeleted(record);
      reader.terms.set(term.externalId, deleted ? null : term);
      changes.push({ kind: 'term', action: deleted ? 'delete' : 'upsert', term });
    });
    yield page(changes, warnings);
  }

  for await (const p of reader.api.pages('users', KEYS.users, query)) {
    seen(p.records);
    const warnings = p.skipped.map((s) => `ClassLink users: ${s}`);
    const changes: ChangeRecord[] = [];
    for (const record of p.records) {
      const [person] = reader.keep('users', [mapUser(record)], warnings);
      // Guardians and other roles Rollcall does not keep are not changes to it.
      if (person === undefined || person.roles.length === 0) continue;
      // Deleted means status tobedeleted; enabledUser=false is an update (inactive person).
      changes.push({ kind: 'person', action: isDeleted(record) ? 'delete' : 'upsert', person });
    }
    yield page(changes, warnings);
  }

  let teachers: Map<string, string[]> | undefined;
  for await (const p of reader.api.pages('classes', KEYS.classes, query)) {
    seen(p.records);
    const warnings = p.skipped.map((s) => `ClassLink classes: ${s}`);
    // Start-of-year volumes: one walk over teacher enrollments beats a request per class.
    if (teachers === undefined && p.records.filter((r) => !isDeleted(r)).length > BIG_CHANGE) teachers = await reader.teacherMap();
    const sections = await reader.toSections(p.records, warnings, teachers);
    yield page(
      sections.map((section) => ({ kind: 'section', action: section.status === 'deleted' ? 'delete' : 'upsert', section })),
      warnings,
    );
  }

  for await (const p of reader.api.pages('enrollments', KEYS.enrollments, query)) {
    seen(p.records);
    const warnings = p.skipped.map((s) => `ClassLink enrollments: ${s}`);
    const changes: ChangeRecord[] = [];
    for (const e of reader.keep('enrollments', p.records.map(mapEnrollment), warnings)) {
      if (e.role === null) continue;
      changes.push({ kind: 'enrollment', action: e.deleted ? 'delete' : 'upsert', sectionId: e.sectionId, personId: e.personId, role: e.role, ...(e.modifiedAt ? { at: e.modifiedAt } : {}) });
    }
    yield page(changes, warnings);
  }

  const last: number | null = newest;
  const next = last === null ? cursor : new Date(Math.max(last - overlapMs, since ?? Number.NEGATIVE_INFINITY)).toISOString();
  yield { changes: [], cursor: next, warnings: [] };
}
