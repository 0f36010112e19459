import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/context.ts';
import { engine } from '../support/database.ts';
import { makeDistrict, makeUser } from '../support/factories.ts';
import type { ProviderProfile } from '../../src/domain/identities/linking.service.ts';
import { AppError } from '../../src/lib/errors.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

let counter = 0;
const hex24 = () => (++counter).toString(16).padStart(24, 'a');

async function integrated(provider: 'clever' | 'classlink' = 'clever') {
  const d = await makeDistrict(t.ctx);
  const tenantKey = provider === 'clever' ? hex24() : String(1000 + ++counter);
  await t.ctx.store.integrations.create({ districtId: d.district.id, provider, tenantKey, settings: {}, credentialsSealed: 'sealed' });
  return { ...d, tenantKey };
}

const profile = (over: Partial<ProviderProfile> & Pick<ProviderProfile, 'tenantKey'>): ProviderProfile => ({
  provider: 'clever',
  externalId: hex24(),
  role: 'teacher',
  givenName: 'Given',
  familyName: 'Family',
  email: null,
  ...over,
});

async function userCount() {
  return Number((await t.ctx.database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.reason;
    throw error;
  }
}

describe(`account linking rules (${engine})`, () => {
  it('creates a student just in time, with no password, and finds them by identity next time', async () => {
    const { tenantKey, district } = await integrated();
    const p = profile({ tenantKey, role: 'student', givenName: 'Zoë', familyName: "O'Brien", email: 'zoe@student.test' });
    const first = await t.ctx.services.linking.signIn(p);
    expect(first.how).toBe('created');
    expect(first.user).toMatchObject({ role: 'student', name: "Zoë O'Brien", hasPassword: false, districtId: district.id });
    const second = await t.ctx.services.linking.signIn(p);
    expect(second).toMatchObject({ how: 'existing', user: { id: first.user.id } });
  });

  it('never matches a student by email', async () => {
    const { tenantKey } = await integrated();
    const teacher = await makeUser(t.ctx);
    const student = await t.ctx.services.linking.signIn(profile({ tenantKey, role: 'student', email: teacher.email }));
    expect(student.user.id).not.toBe(teacher.id);
    expect(student.how).toBe('created');
  });

  it('links a teacher whose verified email is on a license in the same district', async () => {
    const { tenantKey, license } = await integrated();
    const teacher = await makeUser(t.ctx, { email: 'linkme@school.test' });
    await t.ctx.store.licenses.insertMembers(license.id, [{ email: teacher.email!, userId: teacher.id }], null, new Date());
    const outcome = await t.ctx.services.linking.signIn(profile({ tenantKey, email: 'LinkMe@School.test' }));
    expect(outcome).toMatchObject({ how: 'linked', user: { id: teacher.id } });
    expect((await t.ctx.store.identities.forUser(teacher.id)).length).toBe(1);
  });

  it('does not link an unverified email, nor an account licensed only in another district', async () => {
    const { tenantKey, license } = await integrated();
    const other = await integrated();
    const unverified = await makeUser(t.ctx, { email: 'unverified@school.test', verified: false });
    await t.ctx.store.licenses.insertMembers(license.id, [{ email: unverified.email!, userId: unverified.id }], null, new Date());
    const elsewhere = await makeUser(t.ctx, { email: 'elsewhere@school.test' });
    await t.ctx.store.licenses.insertMembers(other.license.id, [{ email: elsewhere.email!, userId: elsewhere.id }], null, new Date());

    const a = await t.ctx.services.linking.signIn(profile({ tenantKey, email: 'unverified@school.test' }));
    const b = await t.ctx.services.linking.signIn(profile({ tenantKey, email: 'elsewhere@school.test' }));
    expect(a.how).toBe('created');
    expect(a.user.id).not.toBe(unverified.id);
    expect(b.how).toBe('created');
    expect(b.user.id).not.toBe(elsewhere.id);
    // The existing accounts are untouched.
    expect(await t.ctx.store.identities.forUser(unverified.id)).toEqual([]);
    expect(await t.ctx.store.identities.forUser(elsewhere.id)).toEqual([]);
  });

  it('refuses a district that is not integrated and an empty id, creating nothing', async () => {
    const before = await userCount();
    expect(await refusal(t.ctx.services.linking.signIn(profile({ tenantKey: hex24() })))).toBe('district_not_integrated');
    const { tenantKey } = await integrated('classlink');
    expect(await refusal(t.ctx.services.linking.signIn(profile({ provider: 'classlink', tenantKey, externalId: '  ' })))).toBe('missing_identity');
    expect(await userCount()).toBe(before + 1); // only the integrated district's admin from the factory
  });

  it('opens the given session with the sign-in, for a new and a returning user, and refuses a disabled integration opening none', async () => {
    const { tenantKey } = await integrated();
    const p = profile({ tenantKey, role: 'student' });
    const issue = () => t.ctx.services.sessions.issue();
    const first = issue();
    const created = await t.ctx.services.linking.signIn(p, first.row);
    expect((await t.ctx.services.sessions.resolve(first.token))?.user.id).toBe(created.user.id);
    const second = issue();
    const returning = await t.ctx.services.linking.signIn(p, second.row);
    expect(returning).toMatchObject({ how: 'existing', user: { id: created.user.id } });
    expect((await t.ctx.services.sessions.resolve(second.token))?.user.id).toBe(created.user.id);

    const integration = (await t.ctx.store.integrations.findByTenant('clever', tenantKey))!;
    await t.ctx.store.integrations.setStatus(integration.id, 'disabled', null, new Date());
    const third = issue();
    expect(await refusal(t.ctx.services.linking.signIn(p, third.row))).toBe('district_not_integrated');
    expect(await t.ctx.services.sessions.resolve(third.token)).toBeUndefined();
  });

  it('keeps ids apart across providers and tenants', async () => {
    const a = await integrated('clever');
    const b = await integrated('clever');
    const id = hex24();
    const first = await t.ctx.services.linking.signIn(profile({ tenantKey: a.tenantKey, externalId: id, role: 'student' }));
    const second = await t.ctx.services.linking.signIn(profile({ tenantKey: b.tenantKey, externalId: id, role: 'student' }));
    expect(first.user.id).not.toBe(second.user.id);
  });

  it('connects from the profile, and refuses an identity linked to someone else without moving it', async () => {
    const { tenantKey } = await integrated();
    const owner = await t.ctx.services.linking.signIn(profile({ tenantKey, externalId: 'aaaaaaaaaaaaaaaaaaaaaa01' }));
    const teacher = await makeUser(t.ctx);
    const actor = await t.ctx.store.accounts.loadActor(teacher);
    expect(await refusal(t.ctx.services.linking.connect(actor, profile({ tenantKey, externalId: 'aaaaaaaaaaaaaaaaaaaaaa01' })))).toBe('identity_linked_elsewhere');
    expect((await t.ctx.store.identities.find('clever', tenantKey, 'aaaaaaaaaaaaaaaaaaaaaa01'))?.userId).toBe(owner.user.id);

    await t.ctx.services.linking.connect(actor, profile({ tenantKey, externalId: 'aaaaaaaaaaaaaaaaaaaaaa02' }));
    expect((await t.ctx.store.identities.forUser(teacher.id)).map((i) => i.externalId)).toEqual(['aaaaaaaaaaaaaaaaaaaaaa02']);
    expect(await refusal(t.ctx.services.linking.connect(actor, profile({ tenantKey, externalId: 'aaaaaaaaaaaaaaaaaaaaaa03' })))).toBe('already_connected');
  });

  it('gives one account when the same new identity signs in twice at once', async () => {
    const { tenantKey } = await integrated();
    const p = profile({ tenantKey, role: 'student' });
    const results = await Promise.all([1, 2, 3].map(() => t.ctx.services.linking.signIn(p)));
    expect(new Set(results.map((r) => r.user.id)).size).toBe(1);
    const students = await t.ctx.database.db.selectFrom('identities').select('user_id').where('external_id', '=', p.externalId).execute();
    expect(students.length).toBe(1);
  });
});
