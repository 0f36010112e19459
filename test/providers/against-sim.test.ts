import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type FaultKind, type RunningSimulators, type SimDistrictInfo } from '../../sim/index.ts';
import { createRosterProvider } from '../../src/providers/index.ts';
import type { HttpOptions } from '../../src/providers/http-client.ts';
import { ProviderError, type CanonicalSection, type ChangeRecord, type RosterProvider } from '../../src/providers/roster-provider.ts';

/**
 * The adapters against the Clever and ClassLink simulators over real HTTP:
 * the documented protocol end to end (bearer / OAuth 1.0a / OAuth 2, paging,
 * change feeds) and every injectable fault mapped to its ProviderError kind.
 */

let sims: RunningSimulators;
let district: SimDistrictInfo;
let warnings: string[] = [];

// Real HTTP, but no long waits: server-requested waits are shortened (429 tests set their own).
const quickSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)));
const http: HttpOptions = { sleep: quickSleep, timeoutMs: 5000 };

beforeAll(async () => {
  sims = await startSimulators({ cleverPort: 0, classlinkPort: 0, districts: [{ kind: 'generated', students: 1100, seed: 5, schools: 1 }] });
  district = sims.districts[0]!;
});
afterAll(async () => sims?.close());
afterEach(() => {
  sims.faults.clear();
  warnings = [];
});

type Flavor = 'clever' | 'classlink 1.1' | 'classlink 1.2';

function provider(flavor: Flavor, extra: HttpOptions = {}, pageSize?: number): RosterProvider {
  const onWarning = (m: string) => warnings.push(m);
  const options = { ...http, ...extra };
  if (flavor === 'clever') {
    return createRosterProvider({ kind: 'clever', apiUrl: sims.clever.url, districtToken: district.cleverDistrictToken, http: options, onWarning, ...(pageSize ? { pageSize } : {}) });
  }
  const version = flavor === 'classlink 1.1' ? '1.1' : '1.2';
  const creds = version === '1.1' ? { clientId: district.oneRoster.v1p1.consumerKey, clientSecret: district.oneRoster.v1p1.consumerSecret } : { clientId: district.oneRoster.v1p2.clientId, clientSecret: district.oneRoster.v1p2.clientSecret };
  return createRosterProvider({ kind: 'classlink', serverUrl: sims.classlink.rosterServerUrl(district.classlinkTenantId, version), version, ...creds, http: options, onWarning, ...(pageSize ? { pageSize } : {}) });
}

const teacher = () => district.teachers[0]!;
const idOf = (flavor: Flavor, p: { cleverId: string; oneRosterSourcedId?: string; sourcedId?: string }) =>
  flavor === 'clever' ? p.cleverId : (p.oneRosterSourcedId ?? p.sourcedId)!;

async function allSections(p: RosterProvider): Promise<CanonicalSection[]> {
  const out: CanonicalSection[] = [];
  for await (const page of p.allSections()) out.push(...page);
  return out;
}

async function changes(p: RosterProvider, cursor: string): Promise<{ changes: ChangeRecord[]; cursor: string }> {
  const all: ChangeRecord[] = [];
  let last = cursor;
  for await (const page of p.changesSince(cursor)) {
    all.push(...page.changes);
    last = page.cursor;
  }
  return { changes: all, cursor: last };
}

async function kindOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (err) {
    return err instanceof ProviderError ? err.kind : `unexpected: ${String(err)}`;
  }
}

/** The big (1,100-student) section, found through Clever's inline student ids, with its OneRoster twin by title. */
let bigSection: { cleverId: string; name: string; students: number } | undefined;
async function big(): Promise<{ cleverId: string; name: string; students: number }> {
  if (bigSection === undefined) {
    const found = (await allSections(provider('clever'))).find((s) => (s.studentIds?.length ?? 0) > 100)!;
    bigSection = { cleverId: found.externalId, name: found.name, students: found.studentIds!.length };
  }
  return bigSection;
}

describe.each<Flavor>(['clever', 'classlink 1.1', 'classlink 1.2'])('%s adapter against the simulator', (flavor) => {
  it('reads the district and its schools', async () => {
    const p = provider(flavor);
    const d = await p.district();
    expect(d.name).toBe(district.name);
    if (flavor === 'clever') expect(d.externalId).toBe(district.cleverDistrictId);
    expect(await p.schools()).toHaveLength(district.counts.schools);
  });

  it("lists a known teacher's sections with terms, courses and co-teachers", async () => {
    const p = provider(flavor);
    const sections = await p.sectionsForTeacher(idOf(flavor, teacher()));
    expect(sections.length).toBeGreaterThan(0);
    for (const s of sections) {
      expect(s.teacherIds).toContain(idOf(flavor, teacher()));
      expect(s.term?.name).toBeTruthy();
      expect(s.courseName).toBeTruthy();
      expect(s.status).toBe('active');
    }
    // Both providers describe the same classes.
    const cleverNames = (await provider('clever').sectionsForTeacher(teacher().cleverId)).map((s) => s.name).sort();
    expect(sections.map((s) => s.name).sort()).toEqual(cleverNames);
    const known = district.sections.find((s) => s.teacherEmails.length > 1);
    if (known !== undefined) expect((await p.section(idOf(flavor, known)))?.teacherIds.length).toBe(known.teacherEmails.length);
    expect(warnings).toEqual([]);
  });

  it('pages through the students of a section with more than 100 students', async () => {
    const target = await big();
    const p = provider(flavor, {}, 500);
    const students = await p.studentsOfSection(await bigId(flavor));
    expect(students).toHaveLength(target.students);
    expect(new Set(students.map((s) => s.externalId)).size).toBe(target.students);
    expect(students.every((s) => s.roles.includes('student'))).toBe(true);
  });

  it('counts what the district shares', async () => {
    const report = await provider(flavor).testConnection();
    // Read the counts now: earlier change tests add students.
    const { counts } = sims.districts[0]!;
    expect(report).toMatchObject({ schools: counts.schools, teachers: counts.teachers, sections: counts.sections, students: counts.students });
  });

  it('reads changes made after the cursor', async () => {
    const p = provider(flavor);
    const cursor = await p.currentCursor();
    const section = district.sections[2]!;
    const added = sims.changes.addStudentToSection({ section: section.cleverId, newStudent: { givenName: 'Nova', familyName: `Quill ${flavor}` } });
    sims.changes.renameUser({ user: teacher().cleverId, familyName: `Renamed ${flavor}` });
    const newId = flavor === 'clever' ? added.created!.cleverId : added.created!.sourcedId;
    const result = await changes(p, cursor);

    const sectionChange = result.changes.find((c) => c.kind === 'section' && c.section.externalId === idOf(flavor, section));
    expect(sectionChange).toBeDefined();
    // Clever's section event names the joining student in previous_attributes; OneRoster sends the enrollment.
    expect(result.changes).toContainEqual(expect.objectContaining({ kind: 'enrollment', action: 'upsert', sectionId: idOf(flavor, section), personId: newId, role: 'student' }));
    expect(result.changes).toContainEqual(expect.objectContaining({ kind: 'person', action: 'upsert', person: expect.objectContaining({ externalId: newId, roles: ['student'] }) }));
    const renamed = result.changes.find((c) => c.kind === 'person' && c.person.externalId === idOf(flavor, teacher()));
    expect(renamed?.kind === 'person' && renamed.person.familyName).toBe(`Renamed ${flavor}`);
    expect(result.cursor).not.toBe(cursor);

    // Nothing new since: the feed is empty and the cursor holds.
    const again = await changes(p, result.cursor);
    if (flavor === 'clever') expect(again).toEqual({ changes: [], cursor: result.cursor });
    else expect(again.changes.filter((c) => c.kind === 'person' && c.person.externalId === newId)).toHaveLength(1); // within the overlap window
  });

  const faultPath = () => (flavor === 'clever' ? '/v3.0/schools' : `/roster/${district.classlinkTenantId}/ims/`);
  const faults: [FaultKind, string, Record<string, number>][] = [
    ['server-error', 'unavailable', { count: 10 }],
    ['rate-limit', 'rate_limited', { count: 10, retryAfterSeconds: 1 }],
    ['slow', 'unavailable', { count: 10, delayMs: 400 }],
    ['truncated-json', 'bad_data', {}],
    ['missing-collection-key', 'bad_data', {}],
    ['revoked-credentials', 'auth', {}],
  ];
  // Faults are armed on a live simulator shared by the file; on a loaded CI machine a request from the
  // previous case can still be in flight and take the fault, so these cases get one retry.
  it.each(faults)('maps the %s fault to %s', { retry: 1 }, async (fault, kind, options) => {
    const p = provider(flavor, { maxAttempts: 2, timeoutMs: 150 });
    if (flavor === 'classlink 1.2' && fault === 'revoked-credentials') sims.classlink.control.expireRosterTokens();
    sims.faults.inject(flavor === 'clever' ? 'clever' : 'classlink', fault, { ...options, pathPrefix: faultPath() });
    const error = await p.schools().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe(kind);
    expect((error as ProviderError).message).not.toMatch(/secret|token=|Bearer|oauth_signature/i);
    // Retry-After: 1 (ClassLink), or X-RateLimit-Reset one second ahead (Clever, whole seconds).
    if (fault === 'rate-limit') expect((error as ProviderError).details.retryAfterMs).toBeGreaterThan(0);
    if (fault === 'rate-limit') expect((error as ProviderError).details.retryAfterMs).toBeLessThanOrEqual(2000);
  });

  it('maps the pagination-loop fault to bad_data', async () => {
    const p = provider(flavor, {}, 50);
    const id = await bigId(flavor);
    // OneRoster's loop fault is also consumed by the first page (offset 0), so arm it twice.
    sims.faults.inject(flavor === 'clever' ? 'clever' : 'classlink', 'pagination-loop', { count: 2 });
    expect(await kindOf(p.studentsOfSection(id))).toBe('bad_data');
  });

  it('reads an empty roster as empty, not as an error (the sync engine guards removals)', { retry: 1 }, async () => {
    const p = provider(flavor);
    sims.faults.inject(flavor === 'clever' ? 'clever' : 'classlink', 'empty-roster', { pathPrefix: faultPath() });
    expect(await p.schools()).toEqual([]);
  });
});

/** The big section's id on this provider (OneRoster twin found by its title). */
const bigIds = new Map<Flavor, string>();
async function bigId(flavor: Flavor): Promise<string> {
  const target = await big();
  if (flavor === 'clever') return target.cleverId;
  if (!bigIds.has(flavor)) bigIds.set(flavor, (await allSections(provider(flavor))).find((s) => s.name === target.name)!.externalId);
  return bigIds.get(flavor)!;
}
