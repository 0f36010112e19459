import { describe, expect, it } from 'vitest';
import { assemble, checkSections, evaluateStatic, evaluateWithoutDistrict, firstFailure, notATeacher, pickDistrict } from './diagnosis-checks.ts';
import type { DistrictFacts, MembershipFact, SubjectFacts } from './diagnosis.types.ts';

const now = new Date('2026-11-28T12:00:00Z');
const today = '2026-11-28';

const member = (over: Partial<MembershipFact> = {}): MembershipFact => ({
  memberId: 'm1',
  licenseId: 'l1',
  licenseName: 'MGHS 2026',
  schoolName: 'Maple Grove High',
  districtId: 'd1',
  startsOn: '2026-01-01',
  endsOn: '2027-07-31',
  invitedAt: new Date('2026-09-01T10:00:00Z'),
  acceptedAt: new Date('2026-09-02T10:00:00Z'),
  removedAt: null,
  lastSentAt: new Date('2026-09-01T10:00:00Z'),
  invitationExpiresAt: new Date('2026-12-15T10:00:00Z'),
  invitedByName: 'Pat Lee',
  ...over,
});

/** A district where every static check passes; tests take away exactly one thing. */
const district = (over: Partial<DistrictFacts> = {}): DistrictFacts => ({
  district: { id: 'd1', name: 'Maple Grove Unified' },
  integrations: [{ id: 'i1', provider: 'clever', tenantKey: 'ct', status: 'active', statusReason: null }],
  memberships: [member()],
  licenseAdmins: [{ licenseId: 'l1', name: 'Pat Lee', email: 'pat@maple.test' }],
  districtAdmins: [{ name: 'Ivy Tech', email: 'it@maple.test' }],
  identities: [{ provider: 'clever', tenantKey: 'ct', externalId: 'x1', lastSignInAt: null }],
  ...over,
});

const facts = (districts: DistrictFacts[], over: Partial<SubjectFacts> = {}): SubjectFacts => ({
  user: { id: 'u1', name: 'Rosa Diaz', email: 'rosa@maple.test', role: 'teacher', hasPassword: true },
  email: 'rosa@maple.test',
  hasAnyIdentity: true,
  districts,
  today,
  now,
  connectable: ['clever', 'classlink'],
  forSelf: true,
  ...over,
});

const run = (f: SubjectFacts) => {
  const picked = pickDistrict(f)!;
  return assemble(picked.checks, f.forSelf);
};
const statuses = (a: ReturnType<typeof assemble>) => a.checks.map((c) => c.status);

describe('the diagnosis checks, in order', () => {
  it('passes checks 1–4 and leaves the live check for the provider', () => {
    const checks = evaluateStatic(facts([district()]), district());
    expect(checks.map((c) => [c.id, c.outcome.status])).toEqual([
      ['integration', 'pass'],
      ['license', 'pass'],
      ['invitation', 'pass'],
      ['linked', 'pass'],
      ['sections', 'skipped'],
    ]);
  });

  it('1. no integration: district IT, named when the district has an administrator; later checks skipped', () => {
    const a = run(facts([district({ integrations: [], identities: [] })]));
    expect(a.firstFailure).toBe('integration');
    expect(statuses(a)).toEqual(['fail', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(a.fixer).toBe('district_it');
    expect(a.fixerContact).toEqual({ name: 'Ivy Tech', email: 'it@maple.test' });
    expect(a.nextStep.text).toContain('Ask Ivy Tech (it@maple.test) to connect Rollcall to Clever or ClassLink');
  });

  it('1. an integration that needs attention is a failure for district IT, with its reason', () => {
    const a = run(facts([district({ integrations: [{ id: 'i1', provider: 'clever', tenantKey: 'ct', status: 'needs_attention', statusReason: 'The provider refused our credentials.' }] })]));
    expect(a.firstFailure).toBe('integration');
    expect(a.fixer).toBe('district_it');
    expect(a.checks[0]!.detail).toContain('needs attention: The provider refused our credentials.');
  });

  it('2. not on a license: the license admin by name and email', () => {
    const a = run(facts([district({ memberships: [] })]));
    expect(a.firstFailure).toBe('license');
    expect(a.fixer).toBe('license_admin');
    expect(a.fixerContact).toEqual({ name: 'Pat Lee', email: 'pat@maple.test' });
    expect(a.nextStep.text).toBe('Ask Pat Lee (pat@maple.test) to add you (rosa@maple.test) to the license.');
  });

  it('2. removed, ended and not-yet-started licenses each say so', () => {
    const removed = run(facts([district({ memberships: [member({ removedAt: new Date('2026-10-01T00:00:00Z') })] })]));
    expect(removed.checks[1]!.detail).toBe('You were removed from “MGHS 2026” on 2026-10-01.');
    expect(removed.nextStep.text).toContain('to add you (rosa@maple.test) back');
    const ended = run(facts([district({ memberships: [member({ endsOn: '2026-07-31' })] })]));
    expect(ended.checks[1]!.detail).toBe('“MGHS 2026” ended on 2026-07-31.');
    const early = run(facts([district({ memberships: [member({ startsOn: '2027-01-01' })] })]));
    expect(early.checks[1]!.detail).toBe('“MGHS 2026” starts on 2027-01-01.');
    for (const a of [removed, ended, early]) expect([a.firstFailure, a.fixer]).toEqual(['license', 'license_admin']);
  });

  it('2. with several license admins in the district and no license of theirs, nobody is guessed', () => {
    const a = run(facts([district({ memberships: [], licenseAdmins: [{ licenseId: 'l1', name: 'Pat Lee', email: 'pat@maple.test' }, { licenseId: 'l2', name: 'Sam Roe', email: 'sam@maple.test' }] })]));
    expect(a.fixerContact).toBeNull();
    expect(a.nextStep.text).toContain('your school’s license administrator');
  });

  it('3. invitation not accepted: the teacher accepts it from the email', () => {
    const a = run(facts([district({ memberships: [member({ acceptedAt: null })] })]));
    expect(a.firstFailure).toBe('invitation');
    expect(a.fixer).toBe('teacher');
    expect(a.fixerContact).toBeNull();
    expect(a.nextStep.text).toMatch(/^Accept your invitation — check your email \(rosa@maple\.test\) for “You’re invited to MGHS 2026 on Rollcall” from Pat Lee, sent 2026-09-01/);
    expect(a.nextStep.text).toContain('Ask Pat Lee (pat@maple.test) to resend it');
  });

  it('3. an expired invitation needs the license admin to resend it', () => {
    const a = run(facts([district({ memberships: [member({ acceptedAt: null, invitationExpiresAt: new Date('2026-11-01T00:00:00Z') })] })]));
    expect([a.firstFailure, a.fixer]).toEqual(['invitation', 'license_admin']);
    expect(a.fixerContact?.email).toBe('pat@maple.test');
    expect(a.nextStep.text).toContain('resend the invitation');
  });

  it('3. accepted but with no way to sign in: set a password (a button only for the teacher)', () => {
    const f = facts([district({ identities: [] })], { user: { id: 'u1', name: 'Rosa', email: 'rosa@maple.test', role: 'teacher', hasPassword: false }, hasAnyIdentity: false });
    const a = run(f);
    expect([a.firstFailure, a.fixer]).toEqual(['invitation', 'teacher']);
    expect(a.nextStep.action).toEqual({ label: 'Set a password', href: '/reset-password' });
    expect(run({ ...f, forSelf: false }).nextStep.action).toBeUndefined();
  });

  it('4. not linked: Connect Clever (and ClassLink) buttons for the teacher, none for someone else', () => {
    const d = district({
      identities: [],
      integrations: [
        { id: 'i1', provider: 'clever', tenantKey: 'ct', status: 'active', statusReason: null },
        { id: 'i2', provider: 'classlink', tenantKey: '2001', status: 'active', statusReason: null },
      ],
    });
    const a = run(facts([d]));
    expect([a.firstFailure, a.fixer]).toEqual(['linked', 'teacher']);
    expect(a.nextStep.text).toBe('Sign in once with Clever or ClassLink to connect your account.');
    expect(a.nextStep.action).toEqual({ label: 'Connect Clever', href: '/auth/clever/start?purpose=connect&returnTo=%2Fclasses' });
    expect(a.nextStep.alternatives).toEqual([{ label: 'Connect ClassLink', href: '/auth/classlink/start?purpose=connect&returnTo=%2Fclasses' }]);
    const other = run(facts([d], { forSelf: false }));
    expect(other.nextStep.action).toBeUndefined();
    expect(other.nextStep.alternatives).toBeUndefined();
  });

  it('4. an identity in another district does not count', () => {
    const a = run(facts([district({ identities: [] })]));
    expect(a.firstFailure).toBe('linked');
  });

  it('5. sections: pass with what the provider returned; none → district IT; refused → district IT; unreachable → unknown, support', () => {
    const d = district();
    const section = { provider: 'clever' as const, externalId: 's1', name: 'Algebra I', term: 'Fall', period: '1', subject: 'Math', studentCount: 24 };
    expect(checkSections(d, [{ provider: 'clever', kind: 'sections', sections: [section] }])).toMatchObject({ status: 'pass', detail: 'Clever lists 1 class you teach.', sections: [section] });
    expect(checkSections(d, [{ provider: 'clever', kind: 'sections', sections: [] }])).toMatchObject({ status: 'fail', fixer: 'district_it', detail: 'Clever doesn’t list you as the teacher of any class.' });
    expect(checkSections(d, [{ provider: 'clever', kind: 'refused', message: 'Credentials revoked.' }])).toMatchObject({ status: 'fail', fixer: 'district_it' });
    const down = checkSections(d, [{ provider: 'clever', kind: 'unreachable', message: 'No answer within 8 s.' }]);
    expect(down).toMatchObject({ status: 'unknown', fixer: 'support' });
    expect(down.detail).toContain('couldn’t reach Clever');
    expect(down.detail).not.toContain('doesn’t list you');
    // One provider answering with classes wins over another that is down.
    expect(checkSections(d, [{ provider: 'classlink', kind: 'unreachable', message: 'x' }, { provider: 'clever', kind: 'sections', sections: [section] }]).status).toBe('pass');
  });

  it('assembles an all-clear with a link to My Classes, and the first failure otherwise', () => {
    const checks = evaluateStatic(facts([district()]), district()).map((c) => (c.id === 'sections' ? { id: c.id, outcome: { status: 'pass' as const, detail: 'ok' } } : c));
    const ok = assemble(checks, true);
    expect(ok).toMatchObject({ ok: true, firstFailure: null, fixer: null, fixerContact: null });
    expect(ok.nextStep.action).toEqual({ label: 'Go to My Classes', href: '/classes' });
    const unknown = assemble(checks.map((c) => (c.id === 'sections' ? { id: c.id, outcome: { status: 'unknown' as const, detail: '?', fixer: 'support' as const } } : c)), true);
    expect(unknown).toMatchObject({ ok: false, firstFailure: 'sections', fixer: 'support' });
  });

  it('a definite failure comes before an undecided check', () => {
    const checks = evaluateWithoutDistrict({ email: 'rosa@maple.test' });
    expect(checks.map((c) => c.outcome.status)).toEqual(['unknown', 'fail', 'skipped', 'skipped', 'skipped']);
    expect(firstFailure(checks)?.id).toBe('license');
    const a = assemble(checks, true);
    expect([a.firstFailure, a.fixer, a.fixerContact]).toEqual(['license', 'license_admin', null]);
  });

  it('talks about the district that gets furthest: the licensed one over a stray identity', () => {
    const licensed = district({ identities: [] });
    const stray = district({ district: { id: 'd2', name: 'Other Valley' }, memberships: [], licenseAdmins: [] });
    const picked = pickDistrict(facts([stray, licensed]))!;
    expect(picked.district.district.name).toBe('Maple Grove Unified');
    expect(firstFailure(picked.checks)?.id).toBe('linked');
  });

  it('has nothing to check for students and operators', () => {
    const a = notATeacher('student');
    expect(a.ok).toBe(false);
    expect(a.firstFailure).toBeNull();
    expect(a.checks.every((c) => c.status === 'skipped')).toBe(true);
    expect(a.nextStep.text).toMatch(/Students don’t add classes/);
  });
});
