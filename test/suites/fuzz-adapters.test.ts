import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyEvent } from '../../src/providers/clever/clever-events.ts';
import * as cleverMapper from '../../src/providers/clever/clever-mapper.ts';
import { createCleverProvider } from '../../src/providers/clever/clever-provider.ts';
import * as orMapper from '../../src/providers/oneroster/oneroster-mapper.ts';
import { createOneRosterProvider } from '../../src/providers/oneroster/oneroster-provider.ts';
import { ProviderError, type CanonicalPerson, type CanonicalSection, type RosterProvider } from '../../src/providers/roster-provider.ts';
import type { Json, Mapped } from '../../src/providers/wire.ts';
import { UNSTORABLE_IDS, hostileString, prototypeFingerprint } from './support/hostile.ts';
import { junkItem, objectText, oneRosterEnrollment, oneRosterUser, cleverUser, protoBomb, RawJson, unknownFields, type Classified, type Pair } from './support/wire-records.ts';

/**
 * Fuzz suite, adapters (issue 8 §3): random, mutated and hostile provider
 * payloads — huge strings, wrong types, unknown fields, missing and duplicate
 * ids, unicode edge cases (lone surrogates, right-to-left and zero-width
 * characters, NUL), "__proto__"/"constructor"/"prototype" keys — fed to the
 * Clever and OneRoster mappers and, through an injected fetch, to the
 * adapters. Properties: nothing but ProviderError is ever thrown and no
 * promise is left rejected; every good record is mapped exactly; every bad
 * one is skipped with a warning that names the record without its content;
 * Object.prototype is never touched. Prints the number of cases.
 */

const scale = Number(process.env.ROLLCALL_FUZZ_SCALE ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * scale));
const seed = process.env.ROLLCALL_FUZZ_SEED ? { seed: Number(process.env.ROLLCALL_FUZZ_SEED) } : {};
const counts = new Map<string, number>();
const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);

const PERSON_ROLES = new Set(['student', 'teacher', 'staff', 'administrator']);
const GRADES = new Set(['PK', 'K', 'Other', ...Array.from({ length: 13 }, (_, i) => String(i + 1))]);
/** Skip reasons are fixed sentences: a record's content never appears in a warning. */
const REASONS = new Set([
  'missing id',
  'missing sourcedId',
  'roles is not an object',
  'name is not an object',
  'roles is not an array',
  'students is not an array',
  'teachers is not an array',
  'enrollment has no class',
  'enrollment has no user',
]);

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let fingerprint: string;

beforeAll(() => {
  fingerprint = prototypeFingerprint();
  process.on('unhandledRejection', onUnhandled);
});

afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`Fuzz suite, adapters: ${total} cases (${[...counts].map(([k, v]) => `${k} ${v}`).join(', ')})`);
});

// --- shape checks shared by every property ------------------------------------------------------------

/**
 * Ids are keys: PostgreSQL refuses NUL in text and turns a lone surrogate into U+FFFD, so such an id
 * would fail the whole batch, or never match itself again. An adapter must not hand one on.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isId = (x: unknown) => typeof x === 'string' && x.trim() !== '' && !x.includes('\u0000') && !LONE_SURROGATE.test(x);
const isStringList = (v: unknown) => Array.isArray(v) && v.every(isId) && new Set(v).size === v.length;

/** A record's own id also fits the key columns (identities.external_id: 300 characters). */
const isKey = (x: unknown) => isId(x) && (x as string).length <= 300;

function expectPerson(p: CanonicalPerson): void {
  expect(isKey(p.externalId), `id ${JSON.stringify(p.externalId)}`).toBe(true);
  expect(p.roles.every((r) => PERSON_ROLES.has(r)), `roles ${String(p.roles)}`).toBe(true);
  expect(new Set(p.roles).size).toBe(p.roles.length);
  expect([typeof p.givenName, typeof p.familyName]).toEqual(['string', 'string']);
  expect(p.email === null || (typeof p.email === 'string' && /^\S+@\S+\.\S+$/.test(p.email))).toBe(true);
  expect(p.grade === null || GRADES.has(p.grade), `grade ${String(p.grade)}`).toBe(true);
  expect(isStringList(p.schoolIds)).toBe(true);
  expect(typeof p.active).toBe('boolean');
}

function expectSection(s: CanonicalSection): void {
  expect(isKey(s.externalId), `id ${JSON.stringify(s.externalId)}`).toBe(true);
  expect(typeof s.name).toBe('string');
  for (const v of [s.schoolId, s.courseName, s.subject, s.period]) expect(v === null || typeof v === 'string').toBe(true);
  expect(isStringList(s.teacherIds)).toBe(true);
  expect(s.studentIds === null || isStringList(s.studentIds)).toBe(true);
  expect(['active', 'deleted']).toContain(s.status);
}

function expectMapped<T>(result: Mapped<T>, check: (value: T) => void): void {
  if (result.ok) check(result.value);
  else {
    expect(REASONS.has(result.reason), `reason "${result.reason}"`).toBe(true);
    expect(result.id === undefined || (typeof result.id === 'string' && result.id.trim() !== '')).toBe(true);
  }
}

/** Any JSON object, including prototype-named keys and hostile values, as JSON.parse gives it. */
const anyRecord: fc.Arbitrary<Json> = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom('id', 'sourcedId', 'name', 'roles', 'role', 'email', 'students', 'teachers', 'teacher', 'title', 'grades', 'orgs', 'class', 'user', 'status', 'enabledUser', 'school', 'terms', 'periods', 'subjects'), fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileString(), protoBomb))),
    unknownFields([]),
  )
  .map(([known, extra]) => JSON.parse(objectText([...known, ...extra])) as Json);

// --- 1. mappers ----------------------------------------------------------------------------------------

describe('fuzz: the mappers never crash and map good records exactly', () => {
  it('any JSON object: every mapper returns a well-formed record or a content-free skip', () => {
    fc.assert(
      fc.property(anyRecord, (record) => {
        count('mappers, any object');
        expectMapped(cleverMapper.mapUser(record), expectPerson);
        expectMapped(cleverMapper.mapSection(record, { term: null, courseName: null }), expectSection);
        expectMapped(cleverMapper.mapTerm(record), (t) => expect(typeof t.externalId).toBe('string'));
        expectMapped(cleverMapper.mapSchool(record), (t) => expect(typeof t.name).toBe('string'));
        expectMapped(orMapper.mapUser(record), expectPerson);
        expectMapped(orMapper.mapClass(record, { term: null, courseName: null, teacherIds: [] }), expectSection);
        expectMapped(orMapper.mapSession(record), (t) => expect([t.startDate === null || /^\d{4}-\d{2}-\d{2}$/.test(t.startDate)]).toEqual([true]));
        expectMapped(orMapper.mapOrg(record), (o) => expect(typeof o.type).toBe('string'));
        expectMapped(orMapper.mapEnrollment(record), (e) => expect([isId(e.sectionId), isId(e.personId), e.role === null || e.role === 'student' || e.role === 'teacher']).toEqual([true, true, true]));
        const refs = orMapper.classRefs(record);
        for (const v of Object.values(refs)) expect(v === null || isId(v)).toBe(true);
        const event = classifyEvent(record);
        expect(['record', 'ignored', 'invalid']).toContain(event.type);
      }),
      { numRuns: runs(3000), ...seed },
    );
    expect(prototypeFingerprint()).toBe(fingerprint);
  });

  it('Clever users: good records exactly, defective ones skipped', () => {
    fc.assert(
      fc.property(cleverUser, (item) => {
        count('Clever users');
        const result = cleverMapper.mapUser(JSON.parse(item.text) as Json);
        if (item.kind === 'good') expect(result).toEqual({ ok: true, value: item.want });
        else expectMapped(result, () => expect.fail('a defective record was mapped'));
      }),
      { numRuns: runs(2500), ...seed },
    );
    expect(prototypeFingerprint()).toBe(fingerprint);
  });

  it('OneRoster users: good records exactly (1.1 and 1.2 shapes), defective ones skipped', () => {
    fc.assert(
      fc.property(oneRosterUser, (item) => {
        count('OneRoster users');
        const result = orMapper.mapUser(JSON.parse(item.text) as Json);
        if (item.kind === 'good') expect(result).toEqual({ ok: true, value: item.want });
        else expectMapped(result, () => expect.fail('a defective record was mapped'));
      }),
      { numRuns: runs(2500), ...seed },
    );
    expect(prototypeFingerprint()).toBe(fingerprint);
  });

  it('Clever sections: student and teacher lists read defensively', () => {
    // Ids among junk: numbers, nulls, blanks, objects, and strings no database column can hold as sent.
    const list = fc.array(fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[a-f0-9]{1,6}$/) }, { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.constant(''), fc.constant({ id: 'x' }), fc.constantFrom(...UNSTORABLE_IDS)) }), { maxLength: 8 });
    fc.assert(
      fc.property(fc.stringMatching(/^[a-f0-9]{1,8}$/), list, list, fc.option(fc.stringMatching(/^[a-f0-9]{1,6}$/), { nil: undefined }), unknownFields(['id', 'students', 'teachers', 'teacher']), (id, students, teachers, teacher, extra) => {
        count('Clever sections');
        const record = JSON.parse(objectText([['id', id], ['students', students], ['teachers', teachers], ...(teacher ? [['teacher', teacher] as [string, unknown]] : []), ...extra])) as Json;
        const result = cleverMapper.mapSection(record, { term: null, courseName: null });
        const ids = (l: unknown[]) => [...new Set(l.filter((x): x is string => isId(x)))];
        expect(result).toMatchObject({ ok: true, value: { externalId: id, studentIds: ids(students), teacherIds: [...new Set([...(teacher ? [teacher] : []), ...ids(teachers)])] } });
      }),
      { numRuns: runs(1000), ...seed },
    );
  });
});

// --- 2. adapters, through an injected fetch ---------------------------------------------------------------

const http = (fetch: typeof globalThis.fetch) => ({ fetch, requestsPerMinute: null, sleep: async () => undefined, random: () => 0, maxAttempts: 2, timeoutMs: 5_000 });
const jsonResponse = (text: string, headers: Record<string, string> = {}, status = 200) => new Response(text, { status, headers: { 'content-type': 'application/json', ...headers } });
const urlOf = (input: string | URL | Request) => new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

async function drain<T>(iterable: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of iterable) out.push(...page);
  return out;
}

/** Runs an adapter call: it may succeed or throw a ProviderError, nothing else. */
async function settle<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: ProviderError }> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    expect(error, `only ProviderError may escape an adapter: ${String(error)}`).toBeInstanceOf(ProviderError);
    return { ok: false, error: error as ProviderError };
  }
}

function expectWarnings(warnings: readonly string[], expected: number): void {
  expect(warnings).toHaveLength(expected);
  for (const w of warnings) {
    const reason = / skipped: (.*)$/.exec(w)?.[1];
    // Either a skipped record (its id and a fixed reason) or an item that is not a record at all.
    expect(reason === undefined ? /item \d+ of .* (is not an object|is not a \{data, uri\} record)$/.test(w) : REASONS.has(reason), w).toBe(true);
  }
}

const page = fc.integer({ min: 1, max: 5 });

describe('fuzz: the adapters, fed through their HTTP client', () => {
  it('Clever: every page of students, junk and defective records in between', async () => {
    const items = fc.array(fc.oneof({ weight: 6, arbitrary: cleverUser }, { weight: 1, arbitrary: junkItem }), { maxLength: 24 });
    await fc.assert(
      fc.asyncProperty(items, page, async (list, size) => {
        count('Clever adapter');
        const pages: Classified<CanonicalPerson>[][] = [];
        for (let i = 0; i < list.length; i += size) pages.push(list.slice(i, i + size));
        const fetch = (async (input: string | URL | Request) => {
          const url = urlOf(input);
          expect(url.pathname).toBe('/v3.0/users');
          const k = Number((url.searchParams.get('starting_after') ?? 'p0').slice(1));
          const data = (pages[k] ?? []).map((item) => (item.kind === 'junk' ? item.text : `{"data":${item.text},"uri":"/v3.0/users/x"}`));
          const next = k + 1 < pages.length ? `{"rel":"next","uri":"/v3.0/users?role=student&limit=${size}&starting_after=p${k + 1}"}` : '';
          return jsonResponse(`{"data":[${data.join(',')}],"links":[${next}]}`);
        }) as typeof globalThis.fetch;
        const warnings: string[] = [];
        const provider = createCleverProvider({ apiUrl: 'https://clever.test', districtToken: 'token', pageSize: size, http: http(fetch), onWarning: (m) => warnings.push(m) });
        const got = await drain(provider.allStudents());
        expect(got).toEqual(list.flatMap((i) => (i.kind === 'good' ? [i.want] : [])));
        expectWarnings(warnings, list.filter((i) => i.kind !== 'good').length);
      }),
      { numRuns: runs(500), ...seed },
    );
    expect(prototypeFingerprint()).toBe(fingerprint);
  });

  const oneRosterCollection = <T,>(name: 'students' | 'enrollments', key: string, arb: fc.Arbitrary<Classified<T>>, read: (p: RosterProvider) => Promise<T[]>, keep: (want: T) => T[]) =>
    it(`OneRoster ${name}: paged by offset, duplicate ids dropped, junk and defective records warned about`, async () => {
      const items = fc.array(fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: junkItem }), { maxLength: 24 });
      await fc.assert(
        fc.asyncProperty(items, page, fc.boolean(), async (list, size, sendTotal) => {
          count(`OneRoster ${name}`);
          const base = `/ims/oneroster/v1p1/${name}`;
          const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
            const url = urlOf(input);
            expect(url.pathname).toBe(base);
            expect(new Headers(init?.headers).get('authorization')).toMatch(/^OAuth .*oauth_signature=/);
            const offset = Number(url.searchParams.get('offset'));
            const slice = list.slice(offset, offset + Number(url.searchParams.get('limit')));
            return jsonResponse(`{"${key}":[${slice.map((i) => i.text).join(',')}]}`, sendTotal ? { 'x-total-count': String(list.length) } : {});
          }) as typeof globalThis.fetch;
          const warnings: string[] = [];
          const provider = createOneRosterProvider({ serverUrl: 'https://or.test', version: '1.1', clientId: 'key', clientSecret: 'secret', pageSize: size, http: http(fetch), onWarning: (m) => warnings.push(m) });
          const outcome = await settle(() => read(provider));

          // The oracle: what the adapter must make of these pages.
          const parsed = list.map((i) => JSON.parse(i.text) as unknown);
          // The page walk drops repeated ids by str() (any usable string), before the mapper checks the length.
          const idOf = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) && isId((v as Json)['sourcedId']) ? ((v as Json)['sourcedId'] as string) : null);
          const pagesOf: unknown[][] = [];
          for (let i = 0; i < parsed.length; i += size) pagesOf.push(parsed.slice(i, i + size));
          const signature = (p: unknown[]) => `${p.length}|${idOf(p[0]) ?? ''}|${idOf(p[p.length - 1]) ?? ''}`;
          // (Two id-less single-item pages in a row look like this too: a false alarm real page sizes make unlikely.)
          const looksLikeALoop = pagesOf.some((p, i) => i > 0 && signature(p) === signature(pagesOf[i - 1]!));
          if (looksLikeALoop) {
            // Two pages alike at both ends read as a server ignoring the offset: refused, not guessed at.
            expect(outcome.ok ? 'ok' : outcome.error.kind).toBe('bad_data');
            return;
          }
          expect(outcome.ok, outcome.ok ? '' : outcome.error.message).toBe(true);
          const seen = new Set<string>();
          const want: T[] = [];
          let warned = 0;
          list.forEach((item, i) => {
            const id = idOf(parsed[i]);
            if (id !== null && seen.has(id)) return; // the first copy wins
            if (id !== null) seen.add(id);
            if (item.kind === 'good') want.push(...keep(item.want));
            else warned++;
          });
          expect(outcome.ok && outcome.value).toEqual(want);
          expectWarnings(warnings, warned);
        }),
        { numRuns: runs(400), ...seed },
      );
      expect(prototypeFingerprint()).toBe(fingerprint);
    });

  oneRosterCollection('students', 'users', oneRosterUser, (p) => drain(p.allStudents()), (want) => [want]);
  oneRosterCollection<Pair | null>('enrollments', 'enrollments', oneRosterEnrollment, (p) => drain(p.allStudentEnrollments()) as Promise<(Pair | null)[]>, (want) => (want === null ? [] : [want]));
});

// --- 3. hostile answers to any request -------------------------------------------------------------------

const hostileBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.constantFrom('', '{', '{"data":', '<html><body>Bad gateway</body></html>', 'null', '[]', '{}', '{"data":[]}', '{"data":{}}', '{"users":{}}', '{"users":[1,2]}'),
  protoBomb.map((b) => `{"data":${b.text},"users":[${b.text}],"access_token":${b.text},"expires_in":${b.text},"links":[{"rel":"next","uri":${JSON.stringify('http://[::1')}}]}`),
  fc.constant(`{"data":[{"data":{"id":"e1","type":"courses.updated","data":{"object":{"id":"c1"}}}}],"links":[{"rel":"next","uri":"http://[bad"}]}`),
  fc.constant(`{"access_token":"t","expires_in":{"toString":1,"valueOf":2}}`),
  fc.constant(`{"users":[{"sourcedId":{"toString":1}},{"sourcedId":{"toString":1}}],"enrollments":[{"sourcedId":{"valueOf":{},"toString":{}}}]}`),
  hostileString(200).map((s) => JSON.stringify({ data: [{ data: { id: s, type: s, name: { first: s }, roles: { student: { grade: s } } } }], users: [{ sourcedId: s, role: s, grades: [s] }], links: [{ rel: 'next', uri: s }] })),
);
const hostileHeaders = fc.record(
  {
    'retry-after': fc.oneof(fc.constantFrom('1', '0', '99999999999999999999', 'Wed, 21 Oct 2015 07:28:00 GMT', 'soon', '-1'), hostileString(10)),
    'x-total-count': fc.oneof(fc.constantFrom('0', '1', '-3', '1e309', '99999999999999999999'), hostileString(6)),
    'x-ratelimit-remaining': fc.constantFrom('0', '10', 'x'),
    'x-ratelimit-reset': fc.constantFrom('0', '99999999999', 'x', '1'),
    date: fc.constantFrom('Wed, 21 Oct 2015 07:28:00 GMT', 'yesterday', ''),
  },
  { requiredKeys: [] },
);
const answer = fc.record({ status: fc.constantFrom(200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 409, 413, 422, 429, 500, 501, 503), body: hostileBody, headers: hostileHeaders });

const OPERATIONS: readonly { name: string; run: (p: RosterProvider) => Promise<unknown> }[] = [
  { name: 'district', run: (p) => p.district() },
  { name: 'schools', run: (p) => p.schools() },
  { name: 'sectionsForTeacher', run: (p) => p.sectionsForTeacher('t1') },
  { name: 'section', run: (p) => p.section('s1') },
  { name: 'studentsOfSection', run: (p) => p.studentsOfSection('s1') },
  { name: 'person', run: (p) => p.person('u1') },
  { name: 'allSections', run: (p) => drain(p.allSections()) },
  { name: 'allStudents', run: (p) => drain(p.allStudents()) },
  { name: 'allStudentEnrollments', run: (p) => drain(p.allStudentEnrollments()) },
  { name: 'currentCursor', run: (p) => p.currentCursor() },
  { name: 'changesSince', run: async (p) => { for await (const page of p.changesSince('')) void page; } },
  { name: 'testConnection', run: (p) => p.testConnection() },
];

describe('fuzz: hostile answers to every request', () => {
  it('any status, body and headers: a result or a ProviderError, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('clever', 'oneroster 1.1', 'oneroster 1.2'), fc.constantFrom(...OPERATIONS), fc.array(answer, { minLength: 1, maxLength: 6 }), async (kind, op, answers) => {
        count('hostile answers');
        let n = 0;
        const fetch = (async () => {
          const a = answers[Math.min(n++, answers.length - 1)]!;
          // A body is not allowed with 204 (Response refuses it), and the client reads 204 as an empty body.
          return new Response(a.status === 204 ? null : a.body, { status: a.status, headers: { 'content-type': 'application/json', ...a.headers } });
        }) as typeof globalThis.fetch;
        const warnings: string[] = [];
        const onWarning = (m: string) => warnings.push(m);
        const provider =
          kind === 'clever'
            ? createCleverProvider({ apiUrl: 'https://clever.test', districtToken: 'token', pageSize: 3, http: http(fetch), onWarning })
            : createOneRosterProvider({ serverUrl: 'https://or.test', version: kind === 'oneroster 1.1' ? '1.1' : '1.2', clientId: 'key', clientSecret: 'secret', pageSize: 3, http: http(fetch), onWarning });
        // A server that never stops answering "more" is cut off by the adapter's page cap, far above 6 answers: bound it here.
        let timer: NodeJS.Timeout | undefined;
        const bounded = Promise.race([op.run(provider), new Promise((resolve) => (timer = setTimeout(resolve, 2_000, 'still paging')))]);
        await settle(() => bounded).finally(() => clearTimeout(timer));
        for (const w of warnings) expect(typeof w).toBe('string');
      }),
      { numRuns: runs(1500), ...seed },
    );
    expect(prototypeFingerprint()).toBe(fingerprint);
  }, 120_000);
});

describe('fuzz: the whole run', () => {
  it('left no rejected promise behind and Object.prototype untouched', () => {
    expect(unhandled.map(String)).toEqual([]);
    expect(prototypeFingerprint()).toBe(fingerprint);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    void RawJson;
  });
});
