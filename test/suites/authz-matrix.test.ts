import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../support/database.ts';
import { entryFor, routeTable, type RouteEntry } from './authz-routes.ts';
import { ROLES, buildFixture, call, registeredRoutes, type DistrictFixture, type Fixture } from './authz-world.ts';

/**
 * Issue 8 §4: every registered route × every role × the actor's own district
 * and another district, against the expectation table in authz-routes.ts.
 * A route without an entry fails; so does any cell whose outcome differs, and
 * any allowed answer to a district-A actor that mentions district B's data.
 */
let f: Fixture;
beforeAll(async () => {
  f = await buildFixture();
}, 120_000);
afterAll(async () => f?.w.stop());

type Outcome = 'allow' | 'deny' | 'unexpected';

function classify(entry: RouteEntry, status: number): Outcome {
  if ((status >= 200 && status < 400) || entry.allowAlso?.includes(status)) return 'allow';
  if (status === 401 || status === 403 || status === 404) return 'deny';
  return 'unexpected';
}

/** Identifiers of district B that a district-A actor (or anonymous) asking about A must never be shown. */
function otherDistrictMarkers(B: DistrictFixture): string[] {
  return [B.districtId, B.districtName, B.licenseId, B.integrationId, B.classlinkIntegrationId, B.classId, B.teacher.id, B.teacher.email!, B.student.id, B.student.name, B.colleague.id, B.colleague.email!, B.importRunId, B.pendingMemberId];
}

describe(`authorization matrix (${engine})`, () => {
  it('classifies every registered route', () => {
    const routes = registeredRoutes(f.app).filter((r) => r.method !== 'HEAD'); // HEAD mirrors GET's handler and entry
    const missing = routes.filter((r) => !entryFor(r.method, r.url)).map((r) => `${r.method} ${r.url}`);
    expect(missing, `Routes without an entry in test/suites/authz-routes.ts — classify them:\n${missing.join('\n')}`).toEqual([]);
    const stale = routeTable.filter((e) => typeof e.url === 'string' && !routes.some((r) => r.method === e.method && r.url === e.url)).map((e) => `${e.method} ${String(e.url)}`);
    expect(stale, 'Entries for routes that no longer exist').toEqual([]);
    for (const e of routeTable) if (e.scope === 'district') expect(e.other, `${e.method} ${String(e.url)} needs 'other'`).toBeDefined();
  });

  it('allows and denies exactly as the table says, and never shows another district’s data', async () => {
    const routes = registeredRoutes(f.app).filter((r) => r.method !== 'HEAD');
    const markers = otherDistrictMarkers(f.B);
    const problems: string[] = [];
    const leaks: string[] = [];
    let cells = 0;
    let allowed = 0;
    let denied = 0;
    const started = performance.now();

    for (const route of routes) {
      const entry = entryFor(route.method, route.url)!;
      const variants: ('same' | 'other')[] = entry.scope === 'district' ? ['same', 'other'] : ['same'];
      for (const variant of variants) {
        const d = variant === 'same' ? f.A : f.B;
        const allowedRoles = variant === 'same' ? entry.same : entry.other!;
        for (const role of ROLES) {
          const request = await entry.request(f, d);
          const response = await call(f.app, { method: route.method, url: request.url, body: request.body, session: await f.session(role) });
          const expected = allowedRoles.includes(role) ? 'allow' : 'deny';
          const outcome = classify(entry, response.statusCode);
          cells++;
          const cell = `${route.method} ${route.url} as ${role} (${variant} district): expected ${expected}, got ${response.statusCode} ${response.body.slice(0, 160)}`;
          if (outcome !== expected) {
            problems.push(cell);
            continue;
          }
          if (outcome === 'allow') allowed++;
          else denied++;
          // A request that names only district A's resources (or none) must not be answered with B's data.
          // (An "other" cell that is allowed for a non-operator carries B's own credential, e.g. B's invitation link.)
          if (outcome === 'allow' && role !== 'operator' && variant === 'same') {
            const seen = markers.filter((m) => response.body.includes(m));
            if (seen.length > 0) leaks.push(`${route.method} ${request.url} as ${role}: shows district B's ${seen.join(', ')}`);
          }
        }
      }
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `authorization matrix (${engine}): ${routes.length} routes × ${ROLES.length} roles × same/other district → ${cells} cells: ` +
        `${allowed} allowed, ${denied} denied, ${problems.length} unexpected, ${leaks.length} cross-district leaks (${seconds} s)`,
    );
    expect({ problems, leaks }, [...problems, ...leaks].join('\n')).toEqual({ problems: [], leaks: [] });
  }, 120_000);

  it('a route missing from the table fails the classification', async () => {
    // The check above is only as good as its failure: register a route on a throw-away app and see it reported.
    const { default: Fastify } = await import('fastify');
    const scratch = Fastify();
    scratch.get('/api/brand-new-thing', async () => ({}));
    await scratch.ready();
    const unclassified = registeredRoutes(scratch).filter((r) => r.method !== 'HEAD' && !entryFor(r.method, r.url));
    expect(unclassified).toEqual([{ method: 'GET', url: '/api/brand-new-thing' }]);
    await scratch.close();
  });
});

