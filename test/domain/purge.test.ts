import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/context.ts';
import { engine } from '../support/database.ts';
import { makeUser } from '../support/factories.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

const DAY = 86_400_000;

describe(`nightly purge of expired sessions, sign-in flows and email links (${engine})`, () => {
  it('deletes only what can never be used again, and a live session keeps working', async () => {
    const { store, database } = t.ctx;
    const now = t.ctx.clock.now();
    const at = (ms: number) => new Date(now.getTime() + ms);
    const user = await makeUser(t.ctx, { role: 'teacher' });

    await store.sessions.create('purge-expired', user.id, at(-10 * DAY), at(-DAY));
    await store.sessions.create('purge-live', user.id, at(-DAY), at(DAY));
    const flow = (stateHash: string, expiresAt: Date) =>
      store.authFlows.create({ stateHash, provider: 'clever', purpose: 'signin', codeVerifier: null, nonce: null, userId: null, returnTo: null, expiresAt });
    await flow('purge-flow-abandoned', at(-60_000));
    await flow('purge-flow-pending', at(60_000));
    await store.emailTokens.create({ tokenHash: 'purge-token-long-gone', userId: user.id, purpose: 'reset_password', expiresAt: at(-40 * DAY) });
    await store.emailTokens.create({ tokenHash: 'purge-token-just-expired', userId: user.id, purpose: 'reset_password', expiresAt: at(-DAY) });
    await store.emailTokens.create({ tokenHash: 'purge-token-live', userId: user.id, purpose: 'verify_email', expiresAt: at(DAY) });

    // Through the job handler, as the nightly schedule runs it.
    await t.ctx.jobHandlers['maintenance.purge']({}, { id: 'test', attempt: 1 });

    const ids = async (table: 'sessions' | 'auth_flows' | 'email_tokens', column: string) =>
      (await sql<{ id: string }>`select ${sql.ref(column)} as id from ${sql.table(table)} where ${sql.ref(column)} like 'purge-%'`.execute(database.db)).rows.map((r) => r.id).sort();
    expect(await ids('sessions', 'id')).toEqual(['purge-live']);
    expect(await ids('auth_flows', 'state_hash')).toEqual(['purge-flow-pending']);
    expect(await ids('email_tokens', 'token_hash')).toEqual(['purge-token-just-expired', 'purge-token-live']);
    expect(await store.sessions.findLive('purge-live', now)).toMatchObject({ userId: user.id });
    expect(await store.accounts.findById(user.id)).toMatchObject({ id: user.id });
  });
});
