import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
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

  app.get('/api/operator/districts', async (request) => {
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

  app.post('/api/operator/districts', async (request, reply) => {
    const { name } = parse(nameBody, request.body);
    const district = await operator.createDistrict(requireActor(request), name);
    return reply.status(201).send({ district });
  });

  app.post('/api/operator/districts/:id/schools', async (request, reply) => {
    const { id } = parse(idParams, request.params);
    const { name } = parse(nameBody, request.body);
    const school = await operator.createSchool(requireActor(request), id, name);
    return reply.status(201).send({ school: { id: school.id, name: school.name } });
  });

  app.post('/api/operator/licenses', async (request, reply) => {
    const body = parse(licenseBody, request.body);
    const license = await operator.createLicense(requireActor(request), body);
    return reply.status(201).send({ license: presentLicense(license) });
  });

  app.post('/api/operator/licenses/:id/admins', async (request, reply) => {
    const { id } = parse(idParams, request.params);
    const body = parse(adminBody, request.body);
    const user = await operator.addLicenseAdmin(requireActor(request), id, body);
    return reply.status(201).send({ admin: { email: user.email, name: user.name } });
  });
}
