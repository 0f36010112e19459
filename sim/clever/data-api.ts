import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimDistrict } from '../generator/district.ts';
import { USER_KINDS, type UserKind } from '../generator/model.ts';
import { queryValue } from '../shared/http.ts';
import {
  authenticate,
  pagingParams,
  SCOPE_MESSAGE,
  sendError,
  sendList,
  sendSingle,
  type Principal,
} from './api-support.ts';
import type { CleverContext } from './context.ts';
import type { CleverKind } from './ids.ts';
import { listSegment, rangeSegment, type Segment } from './paging.ts';
import type { CleverObject } from './serialize.ts';

/**
 * Clever Data API v3.0 read endpoints. A user (SSO) token may read only
 * /me, its own /users/{id} and its own /districts/{id}; everything else
 * answers 403 "Resource not in token's scopes", as Clever documents.
 */

type Params = { id: string };
type Handler = (p: Principal, req: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => FastifyReply | Promise<FastifyReply>;

const NOT_FOUND = 'Resource not found';
const USER_ROLES = new Set(['contact', 'district_admin', 'staff', 'student', 'teacher']);
const SCHOOL_USER_ROLES = new Set(['staff', 'student', 'teacher']);
const SECTION_USER_ROLES = new Set(['student', 'teacher']);

export function registerDataApi(app: FastifyInstance, ctx: CleverContext): void {
  const { ids, serializer: S } = ctx;

  const userGetter = (d: SimDistrict, kind: UserKind) => (i: number) => S.user(d, kind, i);
  const userSegment = (d: SimDistrict, kind: UserKind, from: number, to: number): Segment =>
    rangeSegment(ids.prefix(d, kind), from, to, userGetter(d, kind));
  const userList = (d: SimDistrict, kind: UserKind, list: readonly number[]): Segment =>
    listSegment(ids.prefix(d, kind), list, userGetter(d, kind));
  const sectionList = (d: SimDistrict, list: readonly number[]): Segment =>
    listSegment(ids.prefix(d, 'section'), list, (i) => S.section(d, i));
  const uri = (collection: string) => (obj: CleverObject) => `/v3.0/${collection}/${obj.id}`;

  /** Decode an id of this principal's district into (kind, index), or null. */
  const resolve = (p: Principal, id: string, kinds: readonly CleverKind[]): { kind: CleverKind; index: number } | null => {
    const decoded = ids.decode(id);
    if (decoded === null || decoded.district !== p.district || !kinds.includes(decoded.kind)) return null;
    return { kind: decoded.kind, index: decoded.index };
  };

  const route = (path: string, handler: Handler, userMay?: (p: Extract<Principal, { type: 'user' }>, params: Params) => boolean): void => {
    app.get<{ Params: Params }>(path, async (req, reply) => {
      const principal = authenticate(ctx, req, reply);
      if (principal === null) return reply;
      if (principal.type === 'user' && !(userMay?.(principal, req.params) ?? false)) {
        return sendError(reply, 403, SCOPE_MESSAGE);
      }
      return handler(principal, req, reply);
    });
  };

  const list = (path: string, build: (p: Principal, req: FastifyRequest<{ Params: Params }>) => Segment[] | string | null, collection: string): void => {
    route(path, (p, req, reply) => {
      const paging = pagingParams(req, reply);
      if (paging === null) return reply;
      const segments = build(p, req);
      if (segments === null) return sendError(reply, 404, NOT_FOUND);
      if (typeof segments === 'string') return sendError(reply, 400, segments);
      return sendList(ctx, req, reply, segments, paging, uri(collection));
    });
  };

  const single = (path: string, find: (p: Principal, id: string) => CleverObject | undefined, collection: string, userMay?: (p: Extract<Principal, { type: 'user' }>, params: Params) => boolean): void => {
    route(
      path,
      (p, req, reply) => {
        const obj = find(p, req.params.id);
        return obj === undefined ? sendError(reply, 404, NOT_FOUND) : sendSingle(reply, obj, `/v3.0/${collection}/${obj.id}`);
      },
      userMay,
    );
  };

  // ---- lookups --------------------------------------------------------------
  const findUser = (p: Principal, id: string): CleverObject | undefined => {
    const r = resolve(p, id, USER_KINDS);
    return r === null ? undefined : S.user(p.district, r.kind as UserKind, r.index);
  };
  const findSection = (p: Principal, id: string) => {
    const r = resolve(p, id, ['section']);
    return r === null ? undefined : S.section(p.district, r.index);
  };
  const findSchool = (p: Principal, id: string) => {
    const r = resolve(p, id, ['school']);
    return r === null ? undefined : S.school(p.district, r.index);
  };
  const findTerm = (p: Principal, id: string) => {
    const r = resolve(p, id, ['term']);
    return r === null ? undefined : S.term(p.district, r.index);
  };
  const findCourse = (p: Principal, id: string) => {
    const r = resolve(p, id, ['course']);
    return r === null ? undefined : S.course(p.district, r.index);
  };
  const ownDistrict = (p: Principal, id: string) => (id === ids.districtId(p.district) ? S.district(p.district) : undefined);
  const sectionIndex = (p: Principal, id: string): number | null => (findSection(p, id) === undefined ? null : (resolve(p, id, ['section'])?.index ?? null));

  // ---- /me ------------------------------------------------------------------
  route(
    '/v3.0/me',
    (p, _req, reply) => {
      const districtId = ids.districtId(p.district);
      if (p.type === 'district') {
        return reply.send({
          type: 'district',
          data: { id: districtId, district: districtId, type: 'district' },
          links: [
            { rel: 'self', uri: '/v3.0/me' },
            { rel: 'canonical', uri: `/v3.0/districts/${districtId}` },
          ],
        });
      }
      const userId = ids.id(p.district, p.user.kind, p.user.index);
      return reply.send({
        type: 'user',
        data: { id: userId, district: districtId, type: 'user', authorized_by: 'district' },
        links: [
          { rel: 'self', uri: '/v3.0/me' },
          { rel: 'canonical', uri: `/v3.0/users/${userId}` },
          { rel: 'district', uri: `/v3.0/districts/${districtId}` },
        ],
      });
    },
    () => true,
  );

  // ---- districts ----------------------------------------------------------------
  list('/v3.0/districts', (p) => [rangeSegment(ids.prefix(p.district, 'district'), 0, 1, () => S.district(p.district))], 'districts');
  single('/v3.0/districts/:id', ownDistrict, 'districts', (p, params) => params.id === ids.districtId(p.district));

  // ---- schools ----------------------------------------------------------------
  list('/v3.0/schools', (p) => [rangeSegment(ids.prefix(p.district, 'school'), 0, p.district.schoolCount, (i) => S.school(p.district, i))], 'schools');
  single('/v3.0/schools/:id', findSchool, 'schools');
  single('/v3.0/schools/:id/district', (p, id) => (findSchool(p, id) ? S.district(p.district) : undefined), 'districts');
  list(
    '/v3.0/schools/:id/sections',
    (p, req) => {
      const r = findSchool(p, req.params.id) ? resolve(p, req.params.id, ['school']) : null;
      if (r === null) return null;
      const school = p.district.layout.school(r.index);
      return [rangeSegment(ids.prefix(p.district, 'section'), school.sectionStart, school.sectionStart + school.sectionCount, (i) => S.section(p.district, i))];
    },
    'sections',
  );
  list(
    '/v3.0/schools/:id/users',
    (p, req) => {
      const r = findSchool(p, req.params.id) ? resolve(p, req.params.id, ['school']) : null;
      if (r === null) return null;
      const role = queryValue(req, 'role');
      if (role !== undefined && !SCHOOL_USER_ROLES.has(role)) return `invalid role: ${role}`;
      const d = p.district;
      const students = d.schoolStudents(r.index);
      const teachers = d.schoolTeachers(r.index);
      const staff = d.schoolStaff(r.index);
      const segments: Segment[] = [];
      if (role === undefined || role === 'staff') segments.push(userSegment(d, 'staff', staff.from, staff.to));
      if (role === undefined || role === 'student') {
        segments.push(userSegment(d, 'student', students.from, students.to), userList(d, 'student', students.extra));
      }
      if (role === undefined || role === 'teacher') {
        segments.push(userSegment(d, 'teacher', teachers.from, teachers.to), userList(d, 'teacher', teachers.extra));
      } else if (role === 'staff') {
        segments.push(userList(d, 'teacher', [teachers.from]));
      }
      return segments;
    },
    'users',
  );

  // ---- users ----------------------------------------------------------------
  list(
    '/v3.0/users',
    (p, req) => {
      const role = queryValue(req, 'role');
      if (role !== undefined && !USER_ROLES.has(role)) return `invalid role: ${role}`;
      const d = p.district;
      switch (role) {
        case undefined:
          return USER_KINDS.map((kind) => userSegment(d, kind, 0, d.count(kind)));
        case 'student':
          return [userSegment(d, 'student', 0, d.count('student'))];
        case 'teacher':
          return [userSegment(d, 'teacher', 0, d.count('teacher'))];
        case 'staff':
          return [userSegment(d, 'staff', 0, d.count('staff')), userList(d, 'teacher', d.multiRoleTeachers())];
        case 'district_admin':
          return [userSegment(d, 'admin', 0, d.count('admin'))];
        default:
          return [];
      }
    },
    'users',
  );
  single('/v3.0/users/:id', findUser, 'users', (p, params) => params.id === ids.id(p.district, p.user.kind, p.user.index));
  single('/v3.0/users/:id/district', (p, id) => (findUser(p, id) ? S.district(p.district) : undefined), 'districts');
  list(
    '/v3.0/users/:id/sections',
    (p, req) => {
      const r = findUser(p, req.params.id) ? resolve(p, req.params.id, USER_KINDS) : null;
      return r === null ? null : [sectionList(p.district, p.district.personSections(r.kind as UserKind, r.index))];
    },
    'sections',
  );
  list(
    '/v3.0/users/:id/schools',
    (p, req) => {
      const r = findUser(p, req.params.id) ? resolve(p, req.params.id, USER_KINDS) : null;
      if (r === null) return null;
      const school = p.district.person(r.kind as UserKind, r.index)?.school;
      const list = school === null || school === undefined ? [] : [school];
      return [listSegment(ids.prefix(p.district, 'school'), list, (i) => S.school(p.district, i))];
    },
    'schools',
  );
  list(
    '/v3.0/users/:id/mystudents',
    (p, req) => {
      const r = findUser(p, req.params.id) ? resolve(p, req.params.id, USER_KINDS) : null;
      if (r === null) return null;
      const d = p.district;
      const students = new Set<number>();
      if (r.kind === 'teacher') for (const c of d.teacherSections(r.index)) for (const s of d.sectionStudents(c)) students.add(s);
      return [userList(d, 'student', [...students].sort((a, b) => a - b))];
    },
    'users',
  );
  list(
    '/v3.0/users/:id/myteachers',
    (p, req) => {
      const r = findUser(p, req.params.id) ? resolve(p, req.params.id, USER_KINDS) : null;
      if (r === null) return null;
      const d = p.district;
      const teachers = new Set<number>();
      if (r.kind === 'student') for (const c of d.studentSections(r.index)) for (const t of d.sectionTeachers(c)) teachers.add(t);
      return [userList(d, 'teacher', [...teachers].sort((a, b) => a - b))];
    },
    'users',
  );

  // ---- sections --------------------------------------------------------------
  list('/v3.0/sections', (p) => [rangeSegment(ids.prefix(p.district, 'section'), 0, p.district.sectionCount, (i) => S.section(p.district, i))], 'sections');
  single('/v3.0/sections/:id', findSection, 'sections');
  list(
    '/v3.0/sections/:id/users',
    (p, req) => {
      const c = sectionIndex(p, req.params.id);
      if (c === null) return null;
      const role = queryValue(req, 'role');
      if (role !== undefined && !SECTION_USER_ROLES.has(role)) return `invalid role: ${role}`;
      const d = p.district;
      const segments: Segment[] = [];
      if (role !== 'teacher') segments.push(userList(d, 'student', d.sectionStudents(c)));
      if (role !== 'student') segments.push(userList(d, 'teacher', [...d.sectionTeachers(c)].sort((a, b) => a - b)));
      return segments;
    },
    'users',
  );
  const sectionRelation = (path: string, collection: string, pick: (p: Principal, c: number) => CleverObject | undefined): void =>
    single(path, (p, id) => {
      const c = sectionIndex(p, id);
      return c === null ? undefined : pick(p, c);
    }, collection);
  sectionRelation('/v3.0/sections/:id/school', 'schools', (p, c) => S.school(p.district, p.district.section(c)?.school ?? -1));
  sectionRelation('/v3.0/sections/:id/course', 'courses', (p, c) => S.course(p.district, p.district.section(c)?.course ?? -1));
  sectionRelation('/v3.0/sections/:id/term', 'terms', (p, c) => S.term(p.district, p.district.section(c)?.term ?? -1));
  sectionRelation('/v3.0/sections/:id/district', 'districts', (p) => S.district(p.district));

  // ---- courses and terms --------------------------------------------------------
  const sectionsWhere = (p: Principal, match: (course: number, term: number) => boolean): Segment[] => {
    const out: number[] = [];
    for (let c = 0; c < p.district.sectionCount; c++) {
      const s = p.district.base.section(c);
      if (match(s.course, s.term)) out.push(c);
    }
    return [sectionList(p.district, out)];
  };
  list('/v3.0/courses', (p) => [rangeSegment(ids.prefix(p.district, 'course'), 0, p.district.courseCount, (i) => S.course(p.district, i))], 'courses');
  single('/v3.0/courses/:id', findCourse, 'courses');
  single('/v3.0/courses/:id/district', (p, id) => (findCourse(p, id) ? S.district(p.district) : undefined), 'districts');
  list('/v3.0/courses/:id/sections', (p, req) => {
    const r = findCourse(p, req.params.id) ? resolve(p, req.params.id, ['course']) : null;
    return r === null ? null : sectionsWhere(p, (course) => course === r.index);
  }, 'sections');
  list('/v3.0/terms', (p) => [rangeSegment(ids.prefix(p.district, 'term'), 0, p.district.termCount, (i) => S.term(p.district, i))], 'terms');
  single('/v3.0/terms/:id', findTerm, 'terms');
  single('/v3.0/terms/:id/district', (p, id) => (findTerm(p, id) ? S.district(p.district) : undefined), 'districts');
  list('/v3.0/terms/:id/sections', (p, req) => {
    const r = findTerm(p, req.params.id) ? resolve(p, req.params.id, ['term']) : null;
    return r === null ? null : sectionsWhere(p, (_course, term) => term === r.index);
  }, 'sections');
}
