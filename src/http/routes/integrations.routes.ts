import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { Integration } from '../../domain/integrations/integrations.types.ts';
import { parse } from '../validate.ts';
import { requireActor } from '../plugins/session.ts';

const idParams = z.object({ id: z.uuid('Unknown integration.') });
const mappingParams = z.object({ id: z.uuid('Unknown integration.'), externalId: z.string().min(1).max(300) });
const cleverBody = z.object({ districtId: z.uuid('Choose a district.'), cleverDistrictId: z.string().max(100) });
const classlinkBody = z.object({
  districtId: z.uuid('Choose a district.'),
  tenantId: z.string().max(100),
  rosterServerUrl: z.string().max(500),
  oneRosterVersion: z.string().max(10),
  clientId: z.string().max(500),
  clientSecret: z.string().max(500),
});
const mappingBody = z.object({ schoolId: z.uuid('Choose a school.').nullable() });

/** Never includes credentials: they stay sealed in the database. */
export const presentIntegration = (i: Integration) => ({
  id: i.id,
  districtId: i.districtId,
  districtName: i.districtName,
  provider: i.provider,
  tenantKey: i.tenantKey,
  status: i.status,
  statusReason: i.statusReason,
  settings: 'rosterServerUrl' in i.settings ? { tenantId: i.settings.tenantId, rosterServerUrl: i.settings.rosterServerUrl, oneRosterVersion: i.settings.oneRosterVersion } : { cleverDistrictId: i.settings.cleverDistrictId },
  lastTestAt: i.lastTestAt?.toISOString() ?? null,
  lastTestResult: i.lastTestResult,
});

export function integrationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const integrations = ctx.services.integrations;

  app.get('/api/integrations', async (request) => ({ integrations: (await integrations.list(requireActor(request))).map(presentIntegration) }));

  app.get('/api/integrations/:id', async (request) => {
    const { id } = parse(idParams, request.params);
    const actor = requireActor(request);
    const integration = await integrations.get(actor, id);
    return { integration: presentIntegration(integration), schools: await ctx.store.integrations.schoolMappings(integration.id) };
  });

  app.post('/api/operator/integrations/clever', async (request, reply) => {
    const body = parse(cleverBody, request.body);
    const integration = await integrations.connectClever(requireActor(request), body);
    return reply.status(201).send({ integration: presentIntegration(integration) });
  });

  app.post('/api/operator/integrations/classlink', async (request, reply) => {
    const body = parse(classlinkBody, request.body);
    const integration = await integrations.connectClassLink(requireActor(request), body);
    return reply.status(201).send({ integration: presentIntegration(integration) });
  });

  app.post('/api/integrations/:id/test', async (request) => {
    const { id } = parse(idParams, request.params);
    return { result: await integrations.test(requireActor(request), id) };
  });

  app.put('/api/integrations/:id/schools/:externalId', async (request) => {
    const { id, externalId } = parse(mappingParams, request.params);
    const { schoolId } = parse(mappingBody, request.body);
    return { schools: await integrations.setSchoolMapping(requireActor(request), id, externalId, schoolId) };
  });
}
