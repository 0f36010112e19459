import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/context.ts';
import { engine } from '../support/database.ts';
import { makeDistrict } from '../support/factories.ts';
import { AppError } from '../../src/lib/errors.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

describe(`seats under concurrent adds (${engine})`, () => {
  it('never goes over the seat count when two admins add at the same moment', async () => {
    const { license, admin } = await makeDistrict(t.ctx, { seats: 5 });
    const actor = await t.ctx.store.accounts.loadActor(admin);
    const batches = ['a1@x.org a2@x.org a3@x.org', 'b1@x.org b2@x.org b3@x.org', 'c1@x.org c2@x.org'];
    const results = await Promise.allSettled(batches.map((emails) => t.ctx.services.licenses.addMembers(actor, license.id, emails)));
    const members = await t.ctx.store.licenses.listMembers(license.id);
    expect(members.length).toBeLessThanOrEqual(5);
    const succeeded = results.filter((r) => r.status === 'fulfilled').length;
    const failed = results.filter((r) => r.status === 'rejected');
    for (const f of failed) expect((f as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
    // Whatever won, it won whole: the members are exactly the winning batches.
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? batches[i]!.split(' ') : []));
    expect(members.map((m) => m.email).sort()).toEqual(winners.sort());
    expect(succeeded).toBeGreaterThanOrEqual(1);
  });

  it('the same email added twice at once gives one member', async () => {
    const { license, admin } = await makeDistrict(t.ctx, { seats: 5 });
    const actor = await t.ctx.store.accounts.loadActor(admin);
    await Promise.allSettled([1, 2, 3].map(() => t.ctx.services.licenses.addMembers(actor, license.id, 'same@x.org')));
    expect((await t.ctx.store.licenses.listMembers(license.id)).map((m) => m.email)).toEqual(['same@x.org']);
  });
});
