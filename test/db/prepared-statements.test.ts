import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { MAX_PREPARED, executePrepared, preparedNames } from '../../src/db/prepared-statements.ts';
import type { DB } from '../../src/db/schema.ts';
import { createStore } from '../../src/db/store.ts';
import { createTestDatabase, engine } from '../support/database.ts';

// One connection, so that pg_prepared_statements (per connection) shows what this pool prepared.
let database: Database;
let drop: () => Promise<void>;
let db: Kysely<DB>;
beforeAll(async () => {
  const created = await createTestDatabase();
  drop = created.drop;
  database = await openDatabase(created.target, { poolSize: 1 });
  db = database.db;
  await migrateToLatest(db);
});
afterAll(async () => {
  await database?.close();
  await drop?.();
});

const preparedHere = async () => (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db)).rows;
const anyDb = () => db as unknown as Kysely<any>;

describe(`prepared statements on the sign-in path (${engine})`, () => {
  it('prepares a registered statement once per connection and gives the same answers as unprepared', async () => {
    await sql`create table prep_items (id int primary key, label text not null)`.execute(db);
    await sql`insert into prep_items values (1, 'one'), (2, 'two'), (3, 'three')`.execute(db);
    const byId = (id: number) => anyDb().selectFrom('prep_items').select(['id', 'label']).where('id', '=', id).compile();
    const answers = [];
    for (const id of [1, 2, 3, 2]) answers.push((await executePrepared(db, byId(id))).rows);
    expect(answers).toEqual([[{ id: 1, label: 'one' }], [{ id: 2, label: 'two' }], [{ id: 3, label: 'three' }], [{ id: 2, label: 'two' }]]);

    const name = preparedNames().get(byId(1).sql);
    expect(name).toMatch(/^rollcall_\d+$/);
    const prepared = await preparedHere();
    // PGlite has no pool and no named statements: the same call simply runs unprepared.
    if (engine === 'postgres') expect(prepared.filter((p) => p.name === name)).toEqual([{ name, statement: byId(1).sql }]);
    else expect(prepared).toEqual([]);
  });

  it('leaves statements that did not opt in, and parameterless texts, unprepared', async () => {
    const text = anyDb().selectFrom('prep_items').select('label').where('id', '>', 1).compile();
    await db.executeQuery(text);
    expect(preparedNames().get(text.sql)).toBeUndefined();
    // Two statements in one text only run under node-postgres's simple protocol, which a parameterless text keeps (PGlite has none).
    const twoStatements = sql`update prep_items set label = label; select 1`.compile(db);
    if (engine === 'postgres') await executePrepared(db, twoStatements);
    expect(preparedNames().get(twoStatements.sql)).toBeUndefined();
    expect((await preparedHere()).some((p) => p.statement.includes('id" > $1'))).toBe(false);
  });

  it('the hot sign-in statements are prepared: session lookup, sign-in record, a student\'s classes', async () => {
    const store = createStore(db, undefined);
    const none = '00000000-0000-4000-8000-000000000000';
    expect(await store.classes.listForStudent(none, { sizes: false })).toEqual([]);
    expect(await store.sessions.findLiveActor('no-such-session', new Date())).toBeUndefined();
    expect(await store.identities.recordSignIn('clever', 'no-such-district', 'nobody', new Date())).toEqual({ integration: undefined, user: undefined });
    const hot = [
      (s: string) => s.includes('from "classes"') && s.includes('"enrollments"."user_id" = $'),
      (s: string) => s.includes('from sessions s join users u'),
      (s: string) => s.includes('update identities set last_sign_in_at'),
    ];
    // Opting in is the repositories' part, the same on both engines…
    const registered = [...preparedNames().keys()];
    for (const isHot of hot) expect(registered.some(isHot)).toBe(true);
    // …preparing is the driver's: PostgreSQL holds the statements, PGlite runs them as usual.
    const statements = (await preparedHere()).map((p) => p.statement);
    if (engine === 'postgres') for (const isHot of hot) expect(statements.some(isHot)).toBe(true);
    else expect(statements).toEqual([]);
  });

  it('after a migration changes what a prepared select * returns, the connection fails that call once and then answers with the new shape', async () => {
    const all = (id: number) => anyDb().selectFrom('prep_items').selectAll().where('id', '=', id).compile();
    expect((await executePrepared(db, all(1))).rows).toEqual([{ id: 1, label: 'one' }]);
    await sql`alter table prep_items add column note text default 'n'`.execute(db);
    const outcomes: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      try {
        outcomes.push((await executePrepared(db, all(1))).rows);
      } catch (error) {
        outcomes.push((error as { code?: string }).code);
      }
    }
    const fresh = [{ id: 1, label: 'one', note: 'n' }];
    // PostgreSQL refuses the stale plan once (0A000); PGlite never prepared it.
    expect(outcomes).toEqual(engine === 'postgres' ? ['0A000', fresh, fresh] : [fresh, fresh, fresh]);
  });

  it('stops naming new texts past the cap, and those still run', async () => {
    const texts = Array.from({ length: MAX_PREPARED + 5 }, (_, i) => sql`select ${i}::int + 0 as n${sql.raw(String(i))}`.compile(db));
    for (const [i, text] of texts.entries()) expect((await executePrepared(db, text)).rows).toEqual([{ [`n${i}`]: i }]);
    expect(preparedNames().get(texts.at(-1)!.sql)).toBeUndefined();
    expect(preparedNames().size).toBe(MAX_PREPARED);
  });
});
