import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedirectBrowser } from '../support/redirect-browser.ts';
import { APP, startRosteringWorld, type RosteringWorld } from '../support/rostering-world.ts';
let w: RosteringWorld;
beforeAll(async () => { w = await startRosteringWorld({ districts: [{ kind: 'demo' }] }); });
afterAll(async () => w?.stop());
it('counts', async () => {
  const maple = w.districts[0]!;
  const pg = w.t.ctx.database.pglite!;
  let n = 0; const orig = pg.query.bind(pg);
  (pg as any).query = (...a: any[]) => { n++; return (orig as any)(...a); };
  for (const s of [maple.info.students[0]!, maple.info.students[0]!, maple.info.students[1]!, maple.info.students[1]!]) {
    const b = new RedirectBrowser(w.app, APP);
    const before = n;
    const start = await b.get('/auth/clever/start'); const c1 = n;
    const authorize = new URL(start.location!);
    const posted = await fetch(`${w.sims.clever.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams([...authorize.searchParams, ['user', s.cleverId]]), redirect: 'manual' });
    await b.get(posted.headers.get('location')!); const c2 = n;
    await b.get('/api/classes'); const c3 = n;
    console.log('start', c1 - before, 'callback', c2 - c1, 'classes', c3 - c2);
  }
});
