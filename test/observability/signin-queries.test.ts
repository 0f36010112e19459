import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../support/database.ts';
import { RedirectBrowser } from '../support/redirect-browser.ts';
import { APP, startRosteringWorld, type RosteringWorld } from '../support/rostering-world.ts';

/**
 * The sign-in storm's hot path has a statement budget: at 8:00 every extra
 * round trip is paid thousands of times a minute. Counted on the embedded
 * database, where every statement goes through one PGlite instance (the count
 * is the same on PostgreSQL; the code path does not depend on the engine).
 */
const suite = engine === 'pglite' ? describe : describe.skip;
let w: RosteringWorld;
beforeAll(async () => {
  if (engine === 'pglite') w = await startRosteringWorld({ districts: [{ kind: 'demo' }] });
});
afterAll(async () => w?.stop());

suite('statements per returning student sign-in (pglite)', () => {
  it('start 1, callback 2 (take the flow; check the district, stamp the sign-in and open the session), class list 2', async () => {
    const maple = w.districts[0]!;
    const pglite = w.t.ctx.database.pglite!;
    let statements = 0;
    const query = pglite.query.bind(pglite);
    pglite.query = ((...args: Parameters<typeof query>) => {
      statements++;
      return query(...args);
    }) as typeof pglite.query;
    const student = maple.info.students[0]!;
    const signIn = async () => {
      const browser = new RedirectBrowser(w.app, APP);
      const counts: number[] = [];
      let mark = statements;
      const step = () => {
        counts.push(statements - mark);
        mark = statements;
      };
      const start = await browser.get('/auth/clever/start');
      step();
      const authorize = new URL(start.location!);
      const posted = await fetch(`${w.sims.clever.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams([...authorize.searchParams, ['user', student.cleverId]]), redirect: 'manual' });
      expect((await browser.get(posted.headers.get('location')!)).location).toMatch(/\/student$/);
      step();
      expect((await browser.get('/api/classes')).status).toBe(200);
      step();
      return counts;
    };
    await signIn(); // the first sign-in creates the account
    expect(await signIn()).toEqual([1, 2, 2]);
    pglite.query = query;
  });
});
