import { HttpClient, type HttpOptions } from '../http-client.ts';
import { orNull } from '../records.ts';
import type { CanonicalDistrict, CanonicalPerson, CanonicalSchool, CanonicalSection, ConnectionReport, RosterProvider } from '../roster-provider.ts';
import { ClientCredentialsAuth, ONEROSTER_SCOPES, oauth1Auth, type RequestAuth } from './oneroster-auth.ts';
import { OneRosterApi } from './oneroster-api.ts';
import { oneRosterChanges } from './oneroster-changes.ts';
import { mapEnrollment, mapOrg, mapUser } from './oneroster-mapper.ts';
import { KEYS, OneRosterReader, segment } from './oneroster-reader.ts';

export type OneRosterVersion = '1.1' | '1.2';

export interface OneRosterProviderConfig {
  /** The district's Roster Server root, e.g. https://x-v2.rosterserver.com; the adapter adds the OneRoster base path. */
  readonly serverUrl: string;
  readonly version: OneRosterVersion;
  readonly clientId: string;
  readonly clientSecret: string;
  /** OAuth 2 token endpoint (1.2, or 1.1 with auth 'oauth2'). Default `${serverUrl}/token`. */
  readonly tokenUrl?: string;
  /** Default: OAuth 1.0a for 1.1, OAuth 2 client credentials for 1.2. */
  readonly auth?: 'oauth1' | 'oauth2';
  /** OAuth 2 scopes. Default roster-core.readonly + roster.readonly of the version. */
  readonly scopes?: readonly string[];
  readonly http?: HttpOptions;
  /** Records per page. Default 1000 (ClassLink suggests large pages for bulk reads). */
  readonly pageSize?: number;
  /** Subtracted from change-feed high-water marks. Default 5 minutes. */
  readonly cursorOverlapMs?: number;
  readonly onWarning?: (message: string) => void;
}

const BASE_PATHS: Record<OneRosterVersion, string> = {
  '1.1': '/ims/oneroster/v1p1',
  '1.2': '/ims/oneroster/rostering/v1p2',
};

export function createOneRosterProvider(config: OneRosterProviderConfig): RosterProvider {
  // Accept a server URL given with or without the OneRoster base path.
  const root = config.serverUrl.replace(/\/+$/, '').replace(/\/ims\/oneroster\/(v1p1|rostering\/v1p2)$/, '');
  const baseUrl = root + BASE_PATHS[config.version];
  const now = config.http?.now ?? Date.now;
  const warn = (message: string): void => config.onWarning?.(message);
  const http = new HttpClient('classlink', `${baseUrl} ${config.clientId}`, config.http);
  const scheme = config.auth ?? (config.version === '1.1' ? 'oauth1' : 'oauth2');
  const auth: RequestAuth =
    scheme === 'oauth1'
      ? oauth1Auth(config.clientId, config.clientSecret, now)
      : new ClientCredentialsAuth(http, config.tokenUrl ?? `${root}/token`, config.clientId, config.clientSecret, config.scopes ?? ONEROSTER_SCOPES[config.version], now);
  const api = new OneRosterApi(http, baseUrl, auth, Math.max(1, Math.floor(config.pageSize ?? 1000)));
  const reader = new OneRosterReader(api, warn);
  const overlapMs = config.cursorOverlapMs ?? 5 * 60_000;

  async function district(): Promise<CanonicalDistrict> {
    const orgs = (await reader.collect('orgs', 'orgs', KEYS.orgs, mapOrg)).filter((o) => !o.deleted);
    // 'local' is the OneRoster 1.0 name for a district.
    const found = orgs.find((o) => o.type === 'district') ?? orgs.find((o) => o.type === 'local');
    if (found !== undefined) return { externalId: found.externalId, name: found.name };
    // Some servers share only schools: their common parent stands for the district.
    const parent = orgs.find((o) => o.parentId !== null)?.parentId;
    if (parent !== undefined && parent !== null) {
      warn('ClassLink orgs: no district org is shared; using the schools\' parent org id');
      return { externalId: parent, name: '' };
    }
    throw http.error('bad_data', 'GET orgs: no district org is shared');
  }

  async function count(path: string, keys: readonly string[]): Promise<number> {
    // X-Total-Count is recommended, not guaranteed: without it, count by paging.
    const total = await api.total(path, keys);
    if (total !== null) return total;
    let n = 0;
    for await (const page of api.pages(path, keys)) n += page.records.length;
    return n;
  }

  async function* sectionPages(): AsyncGenerator<CanonicalSection[]> {
    let teachers: Map<string, string[]> | undefined;
    for await (const page of api.pages('classes', KEYS.classes)) {
      teachers ??= await reader.teacherMap();
      const warnings = page.skipped.map((s) => `ClassLink classes: ${s}`);
      const sections = await reader.toSections(page.records, warnings, teachers);
      warnings.forEach(warn);
      yield sections;
    }
  }

  async function* studentPages(): AsyncGenerator<CanonicalPerson[]> {
    for await (const { values, warnings } of reader.mapped('users', 'students', KEYS.students, mapUser)) {
      warnings.forEach(warn);
      yield values;
    }
  }

  return {
    kind: 'classlink',
    capabilities: { changeFeed: 'modified-since', teacherSections: true, inlineSectionStudents: false },

    async testConnection(): Promise<ConnectionReport> {
      const d = await district();
      return {
        district: d,
        schools: await count('schools', KEYS.schools),
        teachers: await count('teachers', KEYS.teachers),
        sections: await count('classes', KEYS.classes),
        students: await count('students', KEYS.students),
      };
    },

    district,

    async schools(): Promise<CanonicalSchool[]> {
      const orgs = await reader.collect('orgs', 'schools', KEYS.schools, mapOrg);
      return orgs.filter((o) => !o.deleted).map((o) => ({ externalId: o.externalId, name: o.name }));
    },

    async sectionsForTeacher(teacherId) {
      const records = [];
      for await (const page of api.pages(`teachers/${segment(teacherId)}/classes`, KEYS.classes)) records.push(...page.records);
      const warnings: string[] = [];
      const sections = await reader.toSections(records, warnings);
      warnings.forEach(warn);
      // A class marked tobedeleted is no longer one this teacher can import.
      return sections.filter((s) => s.status === 'active');
    },

    section: (sectionId) =>
      orNull(async () => {
        const warnings: string[] = [];
        const [section] = await reader.toSections([await api.getOne(`classes/${segment(sectionId)}`, KEYS.class)], warnings);
        warnings.forEach(warn);
        return section ?? null;
      }),

    async studentsOfSection(sectionId) {
      const people = await reader.collect('users', `classes/${segment(sectionId)}/students`, KEYS.students, mapUser);
      // The endpoint promises students; a record that says otherwise is left out.
      return people.filter((p) => p.roles.length === 0 || p.roles.includes('student'));
    },

    person: (personId) => orNull(async () => reader.single('users', await api.getOne(`users/${segment(personId)}`, KEYS.user), mapUser)),

    allSections: sectionPages,

    allStudents: studentPages,

    async *allStudentEnrollments() {
      for await (const { values, warnings } of reader.mapped('enrollments', 'enrollments', KEYS.enrollments, mapEnrollment)) {
        warnings.forEach(warn);
        yield values.filter((e) => !e.deleted && e.role === 'student').map((e) => ({ sectionId: e.sectionId, personId: e.personId }));
      }
    },

    async currentCursor() {
      // "Now" by the server's clock (its Date header) so client clock skew cannot skip changes.
      const serverNow = await api.serverTime('academicSessions');
      return new Date((serverNow ?? now()) - overlapMs).toISOString();
    },

    changesSince: (cursor) => oneRosterChanges(reader, cursor, overlapMs, warn),
  };
}
