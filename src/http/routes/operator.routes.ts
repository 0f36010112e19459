import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { apiDoc } from '../openapi.ts';
import { parse } from '../validate.ts';
import { requireActor } from '../plugins/session.ts';
import { presentLicense } from './licenses.routes.ts';

const idParams = z.object({ id: z.uuid('Unknown id.') });
const nameBody = z.object({ name: z.string().max(400) });
const licenseBody = z.object({
  districtId: z.uuid('Choose a district.'),
  schoolId: z.uuid('Choose a school.').nullable(),
  name: z.string().max(400),
  seats: z.number().int('Seats must be a whole number.'),
  startsOn: z.string().max(20),
  endsOn: z.string().max(20),
});
const adminBody = z.object({ email: z.string().max(320), name: z.string().max(400) });

export function operatorRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { operator } = ctx.services;

  app.get('/api/operator/districts', { schema: apiDoc({ summary: 'Support: every district with its schools, licenses and license admins', tags: ['operator'], responses: { 200: 'OK', 403: 'Rollcall support only' } }) }, async (request) => {
    const districts = await operator.overview(requireActor(request));
    return {
      districts: districts.map((d) => ({
        id: d.id,
        name: d.name,
        schools: d.schools.map((s) => ({ id: s.id, name: s.name })),
        licenses: d.licenses.map((l) => ({ ...presentLicense(l), admins: l.admins })),
      })),
    };
  });

  app.post('/api/operator/districts', { schema: apiDoc({ summary: 'Support: create a district', tags: ['operator'], body: nameBody, responses: { 201: 'Created', 400: 'No usable name', 403: 'Rollcall support only' } }) }, async (request, reply) => {
    const { name } = parse(nameBody, request.body);
    const district = await operator.createDistrict(requireActor(request), name);
    return reply.status(201).send({ district });
  });

  app.post('/api/operator/districts/:id/schools', { schema: apiDoc({ summary: 'Support: add a school to a district', tags: ['operator'], params: idParams, body: nameBody, responses: { 201: 'Created', 400: 'No usable name', 403: 'Rollcall support only', 404: 'No such district' } }) }, async (request, reply) => {
    const { id } = parse(idParams, request.params);
    const { name } = parse(nameBody, request.body);
    const school = await operator.createSchool(requireActor(request), id, name);
    return reply.status(201).send({ school: { id: school.id, name: school.name } });
  });

  app.post('/api/operator/licenses', { schema: apiDoc({ summary: 'Support: create a license for a district (or one school) with seats and start and end dates', tags: ['operator', 'licenses'], body: licenseBody, responses: { 201: 'Created', 400: 'A field needs attention (school not in the district, seats, dates)', 403: 'Rollcall support only', 404: 'No such district' } }) }, async (request, reply) => {
    const body = parse(licenseBody, request.body);
    const license = await operator.createLicense(requireActor(request), body);
    return reply.status(201).send({ license: presentLicense(license) });
  });

  app.post('/api/operator/licenses/:id/admins', { schema: apiDoc({ summary: 'Support: name a license admin by email (a new account is emailed a link to set its password)', tags: ['operator', 'licenses'], params: idParams, body: adminBody, responses: { 201: 'Named', 400: 'Email or name needs attention', 403: 'Rollcall support only', 404: 'No such license' } }) }, async (request, reply) => {
    const { id } = parse(idParams, request.params);
    const body = parse(adminBody, request.body);
    const user = await operator.addLicenseAdmin(requireActor(request), id, body);
    return reply.status(201).send({ admin: { email: user.email, name: user.name } });
  });
}
