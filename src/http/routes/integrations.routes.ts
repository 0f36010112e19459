import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { Integration } from '../../domain/integrations/integrations.types.ts';
import { apiDoc } from '../openapi.ts';
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

  app.get('/api/integrations', { schema: apiDoc({ summary: 'Clever and ClassLink connections of the districts you administer (every one, for support); never credentials', tags: ['integrations'] }) }, async (request) => ({ integrations: (await integrations.list(requireActor(request))).map(presentIntegration) }));

  app.get('/api/integrations/:id', { schema: apiDoc({ summary: 'One integration, with how its provider’s schools map to Rollcall schools', tags: ['integrations'], params: idParams, responses: { 200: 'OK', 404: 'No such integration, or not one you administer' } }) }, async (request) => {
    const { id } = parse(idParams, request.params);
    const actor = requireActor(request);
    const integration = await integrations.get(actor, id);
    return { integration: presentIntegration(integration), schools: await ctx.store.integrations.schoolMappings(integration.id) };
  });

  app.post('/api/operator/integrations/clever', { schema: apiDoc({ summary: 'Support: connect a district to Clever (Clever must already list the district as connected to Rollcall)', tags: ['operator', 'integrations'], body: cleverBody, description: 'Connecting a Clever district already connected to the same Rollcall district updates that connection (also 201).', responses: { 201: 'Connected', 400: 'Not a Clever district id, or Clever has no connection with this district', 403: 'Rollcall support only', 404: 'No such district', 409: 'This Clever district is already connected to another district', 502: 'Clever did not answer: retry' } }) }, async (request, reply) => {
    const body = parse(cleverBody, request.body);
    const integration = await integrations.connectClever(requireActor(request), body);
    return reply.status(201).send({ integration: presentIntegration(integration) });
  });

  app.post('/api/operator/integrations/classlink', { schema: apiDoc({ summary: 'Support: connect a district to its ClassLink Roster Server (the secret is stored encrypted, never shown again)', tags: ['operator', 'integrations'], body: classlinkBody, description: 'Connecting a tenant already connected to the same Rollcall district updates that connection (also 201). The credentials are not tried here: use POST /api/integrations/{id}/test.', responses: { 201: 'Connected', 400: 'A field needs attention (tenant id, https address, OneRoster version, key or secret)', 403: 'Rollcall support only', 404: 'No such district', 409: 'This ClassLink tenant is already connected to another district' } }) }, async (request, reply) => {
    const body = parse(classlinkBody, request.body);
    const integration = await integrations.connectClassLink(requireActor(request), body);
    return reply.status(201).send({ integration: presentIntegration(integration) });
  });

  app.post('/api/integrations/:id/test', { schema: apiDoc({ summary: 'Test the connection: call the provider and report what it shares, or exactly why it failed', tags: ['integrations'], params: idParams, description: 'A refusal or an outage is a result, not an error: 200 with ok: false and the reason. Refused credentials mark the integration as needing attention; a success refreshes the school mapping.', responses: { 200: 'The result', 404: 'No such integration, or not one you administer' } }) }, async (request) => {
    const { id } = parse(idParams, request.params);
    return { result: await integrations.test(requireActor(request), id) };
  });

  app.put('/api/integrations/:id/schools/:externalId', { schema: apiDoc({ summary: 'Support: map one of the provider’s schools to a Rollcall school (null to unmap)', tags: ['operator', 'integrations'], params: mappingParams, body: mappingBody, responses: { 200: 'The school mapping after the change', 400: 'That school is not in this district', 403: 'Rollcall support only', 404: 'No such integration, or no such school at the provider' } }) }, async (request) => {
    const { id, externalId } = parse(mappingParams, request.params);
    const { schoolId } = parse(mappingBody, request.body);
    return { schools: await integrations.setSchoolMapping(requireActor(request), id, externalId, schoolId) };
  });
}
