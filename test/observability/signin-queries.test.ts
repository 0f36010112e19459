import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreparingClient } from '../../src/db/prepared-statements.ts';
import { engine } from '../support/database.ts';
import { RedirectBrowser } from '../support/redirect-browser.ts';
import { APP, startRosteringWorld, type RosteringWorld } from '../support/rostering-world.ts';

/**
 * The sign-in storm's hot path has a statement budget: at 8:00 every extra
 * round trip is paid thousands of times a minute. Counted where the
 * application's statements leave for the database: PGlite's query on the
 * embedded engine, the pool's client on PostgreSQL (the job queue keeps its
 * own pool there, so its polling is not counted).
 */
let w: RosteringWorld;
beforeAll(async () => {
  w = await startRosteringWorld({ districts: [{ kind: 'demo' }] });
});
afterAll(async () => w?.stop());

/** Counts the statements sent from now on, until stop(). */
function countStatements(): { count(): number; stop(): void } {
  let statements = 0;
  const pglite = w.t.ctx.database.pglite;
  if (pglite) {
    const query = pglite.query.bind(pglite);
    pglite.query = ((...args: Parameters<typeof query>) => {
      statements++;
      return query(...args);
    }) as typeof pglite.query;
    return { count: () => statements, stop: () => void (pglite.query = query) };
  }
  const query = PreparingClient.prototype.query;
  PreparingClient.prototype.query = function (this: PreparingClient, ...args: unknown[]) {
    statements++;
    return query.apply(this, args);
  } as typeof query;
  return { count: () => statements, stop: () => void (PreparingClient.prototype.query = query) };
}

describe(`statements per returning student sign-in (${engine})`, () => {
  it('start 1, callback 2 (take the flow; check the district, stamp the sign-in and open the session), class list 2', async () => {
    const maple = w.districts[0]!;
    const counter = countStatements();
    const student = maple.info.students[0]!;
    const signIn = async () => {
      const browser = new RedirectBrowser(w.app, APP);
      const counts: number[] = [];
      let mark = counter.count();
      const step = () => {
        counts.push(counter.count() - mark);
        mark = counter.count();
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
    try {
      await signIn(); // the first sign-in creates the account
      expect(await signIn()).toEqual([1, 2, 2]);
    } finally {
      counter.stop();
    }
  });
});
