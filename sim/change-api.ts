import { decodeUserId, userId } from './classlink/identity.ts';
import type { CleverEventStore } from './clever/events.ts';
import type { CleverIds } from './clever/ids.ts';
import { SimChangeError, type AppliedChange, type ChangeEngine, type ChangeKind, type NewPerson } from './generator/changes.ts';
import type { SimDistrict } from './generator/district.ts';
import type { RecordKind, UserKind } from './generator/model.ts';
import { OneRosterIds } from './oneroster/ids.ts';
import type { RosterTenant } from './oneroster/server.ts';

/**
 * The public change API: callers name records by any provider id (a Clever
 * id, a OneRoster sourcedId, or a LaunchPad UserId) and get back what each
 * provider now reports — Clever event ids and OneRoster sourcedIds whose
 * dateLastModified moved.
 */
export interface ChangeResult {
  change: ChangeKind;
  at: string;
  district: string;
  cleverDistrictId: string;
  classlinkTenantId: string;
  clever: { eventIds: string[] };
  oneRoster: { sourcedIds: string[] };
  created?: { cleverId: string; sourcedId: string; classlinkUserId: number };
}

/** `district` may be a name, Clever district id or ClassLink tenant id; defaults to the record's or the first district. */
export interface ChangeApi {
  addStudentToSection(args: { district?: string; section: string; student?: string; newStudent?: NewPerson }): ChangeResult;
  removeStudentFromSection(args: { district?: string; section: string; student: string }): ChangeResult;
  moveStudent(args: { district?: string; student: string; from: string; to: string }): ChangeResult;
  renameUser(args: { district?: string; user: string; givenName?: string; familyName?: string }): ChangeResult;
  changeEmail(args: { district?: string; user: string; email: string | null }): ChangeResult;
  changeGrade(args: { district?: string; student: string; grade: string }): ChangeResult;
  deleteSection(args: { district?: string; section: string }): ChangeResult;
  endTerm(args: { district?: string; term: string; endDate?: string }): ChangeResult;
  addTeacherToSection(args: { district?: string; section: string; teacher?: string; newTeacher?: NewPerson }): ChangeResult;
  /** Generic form used by the /_control/changes endpoint: `{ change: 'add-student', ... }`. */
  apply(body: Record<string, unknown>): ChangeResult;
  history(): ChangeResult[];
}

const USER_KINDS_SET = new Set<RecordKind>(['admin', 'staff', 'student', 'teacher']);

export function createChangeApi(
  engine: ChangeEngine,
  districts: readonly SimDistrict[],
  tenants: readonly RosterTenant[],
  cleverIds: CleverIds,
  events: CleverEventStore,
): ChangeApi {
  const results: ChangeResult[] = [];
  const tenantOf = (d: SimDistrict) => tenants.find((t) => t.district === d)!;

  const pickDistrict = (name: string | undefined, ref?: string): SimDistrict => {
    if (name !== undefined) {
      const d = districts.find((x) => x.name === name || cleverIds.districtId(x) === name || tenantOf(x).tenantId === name);
      if (d === undefined) throw new SimChangeError(`unknown district "${name}"`, 404);
      return d;
    }
    const fromClever = ref === undefined ? null : cleverIds.decode(ref);
    if (fromClever !== null) return fromClever.district;
    if (ref !== undefined && /^\d+$/.test(ref)) {
      const user = decodeUserId(tenants, Number(ref));
      if (user !== null) return user.tenant.district;
    }
    const first = districts[0];
    if (first === undefined) throw new SimChangeError('no districts', 404);
    return first;
  };

  const ref = (d: SimDistrict, id: string, kinds: readonly RecordKind[]): { kind: RecordKind; index: number } => {
    const clever = cleverIds.decode(id);
    if (clever !== null && clever.district === d && kinds.includes(clever.kind as RecordKind)) {
      return { kind: clever.kind as RecordKind, index: clever.index };
    }
    const parsed = new OneRosterIds(d).parse(id);
    if (parsed !== null) {
      const kind = parsed.kind === 'section' || parsed.kind === 'term' || USER_KINDS_SET.has(parsed.kind as RecordKind) ? (parsed.kind as RecordKind) : null;
      if (kind !== null && kinds.includes(kind)) return { kind, index: parsed.index };
    }
    if (/^\d+$/.test(id)) {
      const user = decodeUserId(tenants, Number(id));
      if (user !== null && user.tenant.district === d && kinds.includes(user.kind)) return { kind: user.kind, index: user.index };
    }
    throw new SimChangeError(`no ${kinds.join('/')} "${id}" in ${d.name}`, 404);
  };
  const userRef = (d: SimDistrict, id: string) => ref(d, id, ['admin', 'staff', 'student', 'teacher']) as { kind: UserKind; index: number };

  const run = (d: SimDistrict, apply: () => AppliedChange): ChangeResult => {
    const mark = events.recordedCount;
    const applied = apply();
    const orIds = new OneRosterIds(d);
    const sourcedIds = new Set<string>();
    for (const t of applied.touched) {
      if (t.kind === 'section') {
        sourcedIds.add(orIds.section(t.index));
        for (const e of d.enrollments.ofSection(t.index)) if (e.modifiedAt === applied.at) sourcedIds.add(orIds.enrollment(e));
      } else if (t.kind === 'term') sourcedIds.add(orIds.term(t.index));
      else if (USER_KINDS_SET.has(t.kind)) sourcedIds.add(orIds.user(t.kind as UserKind, t.index));
    }
    const created = applied.created;
    const result: ChangeResult = {
      change: applied.change,
      at: applied.at,
      district: d.name,
      cleverDistrictId: cleverIds.districtId(d),
      classlinkTenantId: tenantOf(d).tenantId,
      clever: { eventIds: events.idsSince(mark) },
      oneRoster: { sourcedIds: [...sourcedIds] },
      ...(created !== undefined && USER_KINDS_SET.has(created.kind)
        ? {
            created: {
              cleverId: cleverIds.id(d, created.kind, created.index),
              sourcedId: orIds.user(created.kind as UserKind, created.index),
              classlinkUserId: userId(d, created.kind as UserKind, created.index),
            },
          }
        : {}),
    };
    results.push(result);
    return result;
  };

  const api: ChangeApi = {
    addStudentToSection: ({ district, section, student, newStudent }) => {
      const d = pickDistrict(district, section);
      const c = ref(d, section, ['section']).index;
      if (student === undefined && newStudent === undefined) throw new SimChangeError('give student or newStudent');
      const who = student !== undefined ? ref(d, student, ['student']).index : newStudent!;
      return run(d, () => engine.addStudentToSection(d, c, who));
    },
    removeStudentFromSection: ({ district, section, student }) => {
      const d = pickDistrict(district, section);
      return run(d, () => engine.removeStudentFromSection(d, ref(d, section, ['section']).index, ref(d, student, ['student']).index));
    },
    moveStudent: ({ district, student, from, to }) => {
      const d = pickDistrict(district, student);
      return run(d, () => engine.moveStudent(d, ref(d, student, ['student']).index, ref(d, from, ['section']).index, ref(d, to, ['section']).index));
    },
    renameUser: ({ district, user, givenName, familyName }) => {
      const d = pickDistrict(district, user);
      const u = userRef(d, user);
      return run(d, () => engine.renameUser(d, u.kind, u.index, { ...(givenName !== undefined ? { givenName } : {}), ...(familyName !== undefined ? { familyName } : {}) }));
    },
    changeEmail: ({ district, user, email }) => {
      const d = pickDistrict(district, user);
      const u = userRef(d, user);
      return run(d, () => engine.changeEmail(d, u.kind, u.index, email));
    },
    changeGrade: ({ district, student, grade }) => {
      const d = pickDistrict(district, student);
      return run(d, () => engine.changeGrade(d, ref(d, student, ['student']).index, grade));
    },
    deleteSection: ({ district, section }) => {
      const d = pickDistrict(district, section);
      return run(d, () => engine.deleteSection(d, ref(d, section, ['section']).index));
    },
    endTerm: ({ district, term, endDate }) => {
      const d = pickDistrict(district, term);
      return run(d, () => engine.endTerm(d, ref(d, term, ['term']).index, endDate));
    },
    addTeacherToSection: ({ district, section, teacher, newTeacher }) => {
      const d = pickDistrict(district, section);
      const c = ref(d, section, ['section']).index;
      if (teacher === undefined && newTeacher === undefined) throw new SimChangeError('give teacher or newTeacher');
      const who = teacher !== undefined ? ref(d, teacher, ['teacher']).index : newTeacher!;
      return run(d, () => engine.addTeacherToSection(d, c, who));
    },
    apply: (body) => applyBody(api, body),
    history: () => [...results],
  };
  return api;
}

function applyBody(api: ChangeApi, body: Record<string, unknown>): ChangeResult {
  const s = (k: string): string | undefined => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  const need = (k: string): string => {
    const v = s(k);
    if (v === undefined) throw new SimChangeError(`missing "${k}"`);
    return v;
  };
  const person = (k: string): NewPerson | undefined => {
    const v = body[k];
    if (v === undefined || v === null || typeof v !== 'object') return undefined;
    const o = v as Record<string, unknown>;
    if (typeof o['givenName'] !== 'string' || typeof o['familyName'] !== 'string') throw new SimChangeError(`${k} needs givenName and familyName`);
    return {
      givenName: o['givenName'],
      familyName: o['familyName'],
      ...(typeof o['email'] === 'string' || o['email'] === null ? { email: o['email'] as string | null } : {}),
      ...(typeof o['grade'] === 'string' ? { grade: o['grade'] } : {}),
    };
  };
  const district = s('district');
  const base = district === undefined ? {} : { district };
  switch (s('change')) {
    case 'add-student': {
      const student = s('student');
      const newStudent = person('newStudent');
      return api.addStudentToSection({ ...base, section: need('section'), ...(student ? { student } : {}), ...(newStudent ? { newStudent } : {}) });
    }
    case 'remove-student':
      return api.removeStudentFromSection({ ...base, section: need('section'), student: need('student') });
    case 'move-student':
      return api.moveStudent({ ...base, student: need('student'), from: need('from'), to: need('to') });
    case 'rename-user': {
      const givenName = s('givenName');
      const familyName = s('familyName');
      return api.renameUser({ ...base, user: need('user'), ...(givenName ? { givenName } : {}), ...(familyName ? { familyName } : {}) });
    }
    case 'change-email':
      return api.changeEmail({ ...base, user: need('user'), email: body['email'] === null ? null : need('email') });
    case 'change-grade':
      return api.changeGrade({ ...base, student: need('student'), grade: need('grade') });
    case 'delete-section':
      return api.deleteSection({ ...base, section: need('section') });
    case 'end-term': {
      const endDate = s('endDate');
      return api.endTerm({ ...base, term: need('term'), ...(endDate ? { endDate } : {}) });
    }
    case 'add-teacher': {
      const teacher = s('teacher');
      const newTeacher = person('newTeacher');
      return api.addTeacherToSection({ ...base, section: need('section'), ...(teacher ? { teacher } : {}), ...(newTeacher ? { newTeacher } : {}) });
    }
    default:
      throw new SimChangeError(`unknown change "${String(body['change'])}"`);
  }
}
