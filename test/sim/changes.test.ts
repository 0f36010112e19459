import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type ChangeResult, type RunningSimulators } from '../../sim/index.ts';
import { bearer, getJson, request } from './support/http.ts';
import { RosterClient } from './support/roster-client.ts';

/**
 * Each change kind, seen through both providers' change feeds: Clever
 * events with previous_attributes, OneRoster dateLastModified bumps and
 * `tobedeleted` tombstones.
 */
type Rec = Record<string, unknown>;
interface Event {
  id: string;
  type: string;
  created: string;
  data: { object: Rec; previous_attributes?: Rec };
}

let sims: RunningSimulators;
let v11: RosterClient;
let v12: RosterClient;
let generatedAt: string;

const START = Date.parse('2025-10-15T12:00:00.000Z');

beforeAll(async () => {
  sims = await startSimulators({
    clock: () => new Date(START),
    districts: [{ kind: 'demo' }, { kind: 'generated', students: 600, seed: 77, name: 'Riverside USD' }],
  });
  v11 = new RosterClient(sims.districts[0]!, '1.1', () => sims.now());
  v12 = new RosterClient(sims.districts[0]!, '1.2', () => sims.now());
  generatedAt = (await v11.json<{ orgs: Rec[] }>('/orgs')).body.orgs[0]!['dateLastModified'] as string;
});
afterAll(async () => sims.close());

const demo = () => sims.districts[0]!;
const clever = <T = Rec>(path: string) => getJson<T>(`${sims.clever.url}${path}`, bearer(demo().cleverDistrictToken));
const event = async (id: string) => (await clever<{ data: Event }>(`/v3.0/events/${id}`)).body.data;
const tick = () => sims.clever.control.advanceClock(1000);
const sectionStudents = async (cleverId: string) => (await clever<{ data: Rec }>(`/v3.0/sections/${cleverId}`)).body.data['students'] as string[];
const sourcedIdOfStudent = (cleverId: string) => demo().students.find((s) => s.cleverId === cleverId)!.oneRosterSourcedId;

async function changedEnrollments(since: string): Promise<Rec[]> {
  return (await v11.json<{ enrollments: Rec[] }>(`/enrollments?limit=1000&filter=${encodeURIComponent(`dateLastModified>'${since}'`)}`)).body.enrollments;
}

describe('roster changes', () => {
  it('remove-student: sections.updated with the old students; OneRoster tombstones the enrollment', async () => {
    tick();
    const section = demo().sections[0]!;
    const before = await sectionStudents(section.cleverId);
    const student = before[3]!;
    const result = sims.changes.removeStudentFromSection({ section: section.cleverId, student });
    expect(result.clever.eventIds).toHaveLength(1);
    const e = await event(result.clever.eventIds[0]!);
    expect(e.type).toBe('sections.updated');
    expect(e.data.previous_attributes).toEqual({ students: before });
    expect(e.data.object['students']).toEqual(before.filter((s) => s !== student));
    expect(e.created).toBe(result.at);

    const changed = await changedEnrollments(generatedAt);
    const tomb = changed.find((x) => (x['user'] as Rec)['sourcedId'] === sourcedIdOfStudent(student));
    expect(tomb).toMatchObject({ status: 'tobedeleted', dateLastModified: result.at, class: expect.objectContaining({ sourcedId: section.sourcedId }) });
    expect(result.oneRoster.sourcedIds).toContain(tomb!['sourcedId']);
    const roster = (await v11.json<{ users: Rec[] }>(`/classes/${section.sourcedId}/students`)).body.users;
    expect(roster.map((u) => u['sourcedId'])).not.toContain(sourcedIdOfStudent(student));
    // The tombstone stays in the full collection too.
    const single = await v11.json<{ enrollment: Rec }>(`/enrollments/${String(tomb!['sourcedId'])}`);
    expect(single.body.enrollment['status']).toBe('tobedeleted');
  });

  it('add-student (existing and new) and move-student', async () => {
    tick();
    const [a, b] = [demo().sections[1]!, demo().sections[2]!];
    const alreadyInA = await sectionStudents(a.cleverId);
    const someone = (await sectionStudents(demo().sections[5]!.cleverId)).find((x) => !alreadyInA.includes(x))!;
    const added = sims.changes.addStudentToSection({ section: a.cleverId, student: someone });
    expect((await event(added.clever.eventIds[0]!)).type).toBe('sections.updated');
    expect(await sectionStudents(a.cleverId)).toContain(someone);

    const created = sims.changes.addStudentToSection({ section: a.cleverId, newStudent: { givenName: 'Zoë', familyName: "O'Brien-Núñez", email: null } });
    expect(created.created).toBeDefined();
    const types = await Promise.all(created.clever.eventIds.map(async (id) => (await event(id)).type));
    expect(types).toEqual(['users.created', 'sections.updated']);
    const newUser = await clever<{ data: Rec }>(`/v3.0/users/${created.created!.cleverId}`);
    expect(newUser.body.data['name']).toEqual({ first: 'Zoë', last: "O'Brien-Núñez" });
    expect(newUser.body.data['email']).toBeUndefined();
    const orUser = await v11.json<{ user: Rec }>(`/users/${created.created!.sourcedId}`);
    expect(orUser.body.user).toMatchObject({ givenName: 'Zoë', role: 'student', dateLastModified: created.at, email: '' });
    const newEnrollment = (await changedEnrollments(generatedAt)).find((x) => (x['user'] as Rec)['sourcedId'] === created.created!.sourcedId);
    expect(newEnrollment).toMatchObject({ status: 'active', role: 'student' });

    tick();
    const inA = await sectionStudents(a.cleverId);
    const mover = (await sectionStudents(b.cleverId)).find((x) => !inA.includes(x))!;
    const moved = sims.changes.moveStudent({ student: mover, from: b.cleverId, to: a.cleverId });
    const movedEvents = await Promise.all(moved.clever.eventIds.map(event));
    expect(movedEvents.map((x) => [x.type, x.data.object['id']])).toEqual([
      ['sections.updated', b.cleverId],
      ['sections.updated', a.cleverId],
    ]);
    const enr = (await changedEnrollments(new Date(Date.parse(moved.at) - 1).toISOString())).filter(
      (x) => (x['user'] as Rec)['sourcedId'] === sourcedIdOfStudent(mover),
    );
    expect(enr.map((x) => x['status']).sort()).toEqual(['active', 'tobedeleted']);
  });

  it('rename-user, change-email and change-grade: users.updated with previous_attributes', async () => {
    tick();
    const teacher = demo().teachers[1]!;
    const renamed = sims.changes.renameUser({ user: teacher.oneRosterSourcedId, givenName: 'Dave' });
    const e1 = await event(renamed.clever.eventIds[0]!);
    expect(e1.type).toBe('users.updated');
    expect(e1.data.previous_attributes).toEqual({ name: { first: 'David' } });
    const orTeacher = (await v12.json<{ user: Rec }>(`/users/${teacher.oneRosterSourcedId}`)).body.user;
    expect(orTeacher).toMatchObject({ givenName: 'Dave', dateLastModified: renamed.at });

    tick();
    const student = demo().students.find((s) => s.email !== null)!;
    const emailed = sims.changes.changeEmail({ user: String(student.classlinkUserId), email: null });
    expect((await event(emailed.clever.eventIds[0]!)).data.previous_attributes).toEqual({ email: student.email });

    tick();
    const graded = sims.changes.changeGrade({ student: student.cleverId, grade: '12' });
    const prev = (await event(graded.clever.eventIds[0]!)).data.previous_attributes as { roles: { student: Rec } };
    expect(prev.roles.student['grade']).toBeDefined();
    expect(((await clever<{ data: { roles: { student: Rec } } }>(`/v3.0/users/${student.cleverId}`)).body.data.roles.student)['grade']).toBe('12');
    expect((await v11.json<{ user: Rec }>(`/users/${student.oneRosterSourcedId}`)).body.user['grades']).toEqual(['12']);
  });

  it('delete-section: sections.deleted, 404 on Clever, tombstoned class and enrollments on OneRoster', async () => {
    tick();
    const section = demo().sections[7]!;
    const students = await sectionStudents(section.cleverId);
    const result = sims.changes.deleteSection({ section: section.sourcedId });
    const e = await event(result.clever.eventIds[0]!);
    expect(e.type).toBe('sections.deleted');
    expect(e.data.object['id']).toBe(section.cleverId);
    expect((await clever(`/v3.0/sections/${section.cleverId}`)).status).toBe(404);
    const list = (await clever<{ data: { data: Rec }[] }>('/v3.0/sections?limit=1000')).body.data.map((x) => x.data['id']);
    expect(list).not.toContain(section.cleverId);
    const cls = (await v11.json<{ class: Rec }>(`/classes/${section.sourcedId}`)).body.class;
    expect(cls).toMatchObject({ status: 'tobedeleted', dateLastModified: result.at });
    const enrollments = (await changedEnrollments(generatedAt)).filter((x) => (x['class'] as Rec)['sourcedId'] === section.sourcedId);
    expect(enrollments.length).toBeGreaterThanOrEqual(students.length);
    expect(enrollments.every((x) => x['status'] === 'tobedeleted')).toBe(true);
    expect((await v11.json<{ users: unknown[] }>(`/classes/${section.sourcedId}/students`)).body.users).toEqual([]);
  });

  it('end-term: terms.updated with the old end_date; OneRoster academicSession bumps', async () => {
    tick();
    const terms = (await clever<{ data: { data: Rec }[] }>('/v3.0/terms')).body.data.map((x) => x.data);
    const term = terms[2]!;
    const result = sims.changes.endTerm({ term: String(term['id']), endDate: '2025-10-15' });
    const e = await event(result.clever.eventIds[0]!);
    expect(e.type).toBe('terms.updated');
    expect(e.data.previous_attributes).toEqual({ end_date: term['end_date'] });
    const session = (await v11.json<{ academicSession: Rec }>('/terms/trm-02')).body.academicSession;
    expect(session).toMatchObject({ endDate: '2025-10-15', dateLastModified: result.at });
  });

  it('add-teacher (existing and new): sections.updated with the previous teachers', async () => {
    tick();
    const section = demo().sections[4]!;
    const before = (await clever<{ data: Rec }>(`/v3.0/sections/${section.cleverId}`)).body.data;
    const other = demo().teachers[5]!;
    const result = sims.changes.addTeacherToSection({ section: section.cleverId, teacher: other.cleverId });
    const e = await event(result.clever.eventIds[0]!);
    expect(e.data.previous_attributes).toEqual({ teachers: before['teachers'] });
    expect(e.data.object['teachers']).toEqual([...(before['teachers'] as string[]), other.cleverId]);
    const teachers = (await v11.json<{ users: Rec[] }>(`/classes/${section.sourcedId}/teachers`)).body.users.map((u) => u['sourcedId']);
    expect(teachers).toContain(other.oneRosterSourcedId);
    const newTeacher = sims.changes.addTeacherToSection({ section: section.sourcedId, newTeacher: { givenName: 'Renée', familyName: 'Dubois', email: 'ms.dubois@maplegrove.example' } });
    expect((await Promise.all(newTeacher.clever.eventIds.map(event))).map((x) => x.type)).toEqual(['users.created', 'sections.updated']);
    expect((await v11.json<{ user: Rec }>(`/teachers/${newTeacher.created!.sourcedId}`)).body.user['email']).toBe('ms.dubois@maplegrove.example');
  });

  it('applies changes through the HTTP control API of either simulator', async () => {
    tick();
    const student = demo().students[10]!;
    const r = await request(`${sims.classlink.url}/_control/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ change: 'rename-user', district: demo().classlinkTenantId, user: student.oneRosterSourcedId, familyName: 'Ó Súilleabháin' }),
    });
    expect(r.status).toBe(200);
    const result = r.json<ChangeResult>();
    expect(result.oneRoster.sourcedIds).toEqual([student.oneRosterSourcedId]);
    expect((await event(result.clever.eventIds[0]!)).data.previous_attributes).toEqual({ name: { last: student.familyName } });
    const bad = await request(`${sims.clever.url}/_control/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ change: 'remove-student', section: 'cls-999999', student: student.oneRosterSourcedId }),
    });
    expect(bad.status).toBe(404);
    const districts = (await getJson<Rec[]>(`${sims.clever.url}/_control/districts`, {})).body;
    expect(districts.map((d) => d['name'])).toEqual(['Maple Grove Unified', 'Riverside USD']);
    expect((await getJson<Rec[]>(`${sims.clever.url}/_control/changes`, {})).body.length).toBeGreaterThan(5);
  });

  it('serves a dateLastModified delta containing exactly the changed users', async () => {
    const delta = (await v11.json<{ users: Rec[] }>(`/users?filter=${encodeURIComponent(`dateLastModified>'${generatedAt}'`)}`)).body.users;
    const ids = delta.map((u) => u['sourcedId']);
    expect(ids).toContain(demo().teachers[1]!.oneRosterSourcedId);
    expect(ids.length).toBeLessThan(10);
    const other = sims.districts[1]!;
    const untouched = await new RosterClient(other, '1.1', () => sims.now()).json<{ users: Rec[] }>(`/users?filter=${encodeURIComponent(`dateLastModified>'${generatedAt}'`)}`);
    expect(untouched.body.users).toEqual([]);
  });
});

describe('Clever events feed', () => {
  it('pages oldest first, filters by record_type and school, and forgets events after 30 days', async () => {
    const all = (await clever<{ data: { data: Event }[]; links: { rel: string; uri: string }[] }>('/v3.0/events?limit=1000')).body.data.map((x) => x.data);
    expect(all.length).toBeGreaterThanOrEqual(8);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort());
    const first = (await clever<{ data: { data: Event }[]; links: { rel: string; uri: string }[] }>('/v3.0/events?limit=2')).body;
    const next = first.links.find((l) => l.rel === 'next')!.uri;
    const second = (await clever<{ data: { data: Event }[] }>(next)).body.data.map((x) => x.data.id);
    expect(second).toEqual(all.slice(2, 4).map((e) => e.id));
    // ending_before=last: the newest page, as Clever's client libraries read the newest event.
    const newest = (await clever<{ data: { data: Event }[] }>('/v3.0/events?ending_before=last&limit=1')).body.data.map((x) => x.data.id);
    expect(newest).toEqual([all[all.length - 1]!.id]);

    const users = (await clever<{ data: { data: Event }[] }>('/v3.0/events?record_type=users&limit=1000')).body.data;
    expect(users.every((x) => x.data.type.startsWith('users.'))).toBe(true);
    const both = (await clever<{ data: unknown[] }>('/v3.0/events?record_type=users&record_type=terms&limit=1000')).body.data;
    expect(both.length).toBe(users.length + 1);
    const school = demo().sections[0]!;
    const schoolId = ((await clever<{ data: Rec }>(`/v3.0/sections/${school.cleverId}/school`)).body.data)['id'];
    const bySchool = (await clever<{ data: { data: Event }[] }>(`/v3.0/events?school=${String(schoolId)}&limit=1000`)).body.data;
    expect(bySchool.length).toBeGreaterThan(0);
    expect(bySchool.length).toBeLessThan(all.length);

    // Another district's token sees none of these.
    const other = await getJson<{ data: unknown[] }>(`${sims.clever.url}/v3.0/events`, bearer(sims.districts[1]!.cleverDistrictToken));
    expect(other.body.data).toEqual([]);

    sims.clever.control.advanceClock(31 * 24 * 3600_000);
    expect((await clever<{ data: unknown[] }>('/v3.0/events')).body.data).toEqual([]);
    expect((await clever(`/v3.0/events/${all[0]!.id}`)).status).toBe(404);
  });
});
