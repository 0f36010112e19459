import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { RunView } from '../../domain/diagnostics/district-console.service.ts';
import { TRIGGER_LABEL } from '../../domain/diagnostics/run-text.ts';
import { apiDoc } from '../openapi.ts';
import { parse } from '../validate.ts';
import { requireActor } from '../plugins/session.ts';
import { presentDiagnosis } from './diagnostics.routes.ts';
import { presentIntegration } from './integrations.routes.ts';

const idParams = z.object({ id: z.uuid('Unknown id.') });
const searchQuery = z.object({ q: z.string().max(200, 'Search for at most 200 characters.').default('') });
const auditQuery = z.object({
  districtId: z.uuid('Choose a district.').optional(),
  before: z.string().regex(/^\d{1,19}$/, 'Unknown position in the log.').optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

const presentRun = (r: RunView) => ({
  id: r.id,
  integrationId: r.integrationId,
  provider: r.provider,
  classId: r.classId,
  className: r.className,
  requestedBy: r.requestedByName,
  trigger: r.trigger,
  triggerLabel: TRIGGER_LABEL[r.trigger] ?? r.trigger,
  status: r.status,
  startedAt: r.startedAt.toISOString(),
  finishedAt: iso(r.finishedAt),
  durationMs: r.durationMs,
  counts: r.counts,
  summary: r.summary,
  warnings: r.warningCount,
  error: r.error,
  explanation: r.explanation,
});

/** The district console, support's user lookup, and the audit log. */
export function adminConsoleRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { districtConsole, support, audit } = ctx.services;

  app.get('/api/districts/:id/console', { schema: apiDoc({ summary: 'District console: integrations, recent and held syncs, and problems, for one district', tags: ['district'], params: idParams, responses: { 200: 'OK', 404: 'No such district, or not one you administer' } }) }, async (request) => {
    const { id } = parse(idParams, request.params);
    const c = await districtConsole.get(requireActor(request), id);
    return {
      district: c.district,
      integrations: c.integrations.map((i) => ({
        integration: presentIntegration(i.integration),
        shared: i.shared && { ...i.shared, at: iso(i.shared.at) },
        imported: i.imported,
        lastDelta: i.lastDelta && presentRun(i.lastDelta),
        lastFull: i.lastFull && presentRun(i.lastFull),
      })),
      runs: c.runs.map(presentRun),
      held: c.held.map((r) => ({ ...presentRun(r), pendingRemovals: r.pendingRemovals, pendingArchives: r.pendingArchives })),
      problems: c.problems.map((p) => ({ ...p, at: iso(p.at) })),
      abilities: c.abilities,
    };
  });

  app.get('/api/operator/users', { schema: apiDoc({ summary: 'Support: find users by name, email, or Clever/ClassLink id', tags: ['operator'], query: searchQuery, responses: { 200: 'OK', 400: 'Fewer than 2 characters to search for', 403: 'Rollcall support only' } }) }, async (request) => {
    const { q } = parse(searchQuery, request.query);
    const users = await support.findUsers(requireActor(request), q);
    return { users: users.map((u) => ({ ...u, lastSignInAt: iso(u.lastSignInAt) })) };
  });

  app.get('/api/operator/users/:id', { schema: apiDoc({ summary: 'Support: one user with their sign-in accounts, licenses, classes and diagnosis', tags: ['operator'], params: idParams, responses: { 200: 'OK', 403: 'Rollcall support only', 404: 'No such user' } }) }, async (request) => {
    const { id } = parse(idParams, request.params);
    const d = await support.userDetail(requireActor(request), id);
    return {
      user: { id: d.user.id, name: d.user.name, email: d.user.email, role: d.user.role, emailVerified: d.user.emailVerified, hasPassword: d.user.hasPassword, lastSignInAt: iso(d.user.lastSignInAt) },
      identities: d.identities.map((i) => ({ provider: i.provider, tenantKey: i.tenantKey, externalId: i.externalId, districtName: i.districtName, lastSignInAt: iso(i.lastSignInAt) })),
      licenses: d.licenses.map((m) => ({
        memberId: m.memberId,
        licenseId: m.licenseId,
        licenseName: m.licenseName,
        schoolName: m.schoolName,
        startsOn: m.startsOn,
        endsOn: m.endsOn,
        inDate: m.inDate,
        state: m.state,
        invitedAt: m.invitedAt.toISOString(),
        acceptedAt: iso(m.acceptedAt),
        removedAt: iso(m.removedAt),
      })),
      classes: d.classes.map((c) => ({ id: c.id, name: c.name, source: c.source, studentCount: c.studentCount, lastSyncedAt: iso(c.lastSyncedAt) })),
      diagnosis: d.diagnosis && presentDiagnosis(d.diagnosis),
    };
  });

  app.get('/api/audit', { schema: apiDoc({ summary: 'Audit log of one district, newest first: who changed what (support may list every district)', tags: ['district'], query: auditQuery, responses: { 200: 'OK', 400: 'No district chosen, or an unknown position in the log', 404: 'No such district, or not one you administer' } }) }, async (request) => {
    const query = parse(auditQuery, request.query);
    const events = await audit.list(requireActor(request), query);
    return {
      events: events.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actor: e.actorName,
        districtId: e.districtId,
        districtName: e.districtName,
        action: e.action,
        summary: e.summary,
        targetType: e.targetType,
        targetId: e.targetId,
        details: e.details,
      })),
    };
  });
}
