import type { Store } from '../../db/store.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { AppError, forbidden, notFound, validationError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, User } from '../accounts/accounts.types.ts';
import { cleanEmail } from '../accounts/accounts.service.ts';
import { checkPasswordStrength, hashPassword } from '../accounts/passwords.ts';
import type { License } from '../licenses/licenses.types.ts';
import type { District, School } from './districts.repository.ts';

/** The CLI runs with the machine owner's authority; the web needs an operator. */
export type OperatorContext = Actor | { readonly kind: 'cli' };

function actorId(ctx: OperatorContext): string | null {
  return 'kind' in ctx ? null : ctx.user.id;
}

function requireOperator(ctx: OperatorContext): void {
  if ('kind' in ctx) return;
  if (!ctx.isOperator) throw forbidden('Only Rollcall operators can do this.');
}

function cleanLabel(value: string, field: string): string {
  const v = value.trim().replace(/\s+/g, ' ');
  if (!v) throw validationError(field, 'This cannot be empty.');
  if (v.length > 200) throw validationError(field, 'Use at most 200 characters.');
  return v;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
function cleanDate(value: string, field: string): string {
  if (!isoDate.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw validationError(field, 'Use a date like 2026-08-15.');
  return value;
}

export interface DistrictOverview extends District {
  readonly schools: School[];
  readonly licenses: (License & { admins: { name: string; email: string | null }[] })[];
}

export class OperatorService {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  async createDistrict(ctx: OperatorContext, name: string): Promise<District> {
    requireOperator(ctx);
    const { store } = this.deps;
    return store.transaction(async (tx) => {
      const district = await tx.districts.create(cleanLabel(name, 'name'));
      await tx.audit.record({ actorUserId: actorId(ctx), districtId: district.id, action: 'district.created', targetType: 'district', targetId: district.id });
      return district;
    });
  }

  async createSchool(ctx: OperatorContext, districtId: string, name: string): Promise<School> {
    requireOperator(ctx);
    const { store } = this.deps;
    if (!(await store.districts.findById(districtId))) throw notFound('District');
    return store.transaction(async (tx) => {
      const school = await tx.districts.createSchool(districtId, cleanLabel(name, 'name'));
      await tx.audit.record({ actorUserId: actorId(ctx), districtId, action: 'school.created', targetType: 'school', targetId: school.id });
      return school;
    });
  }

  async createLicense(
    ctx: OperatorContext,
    input: { districtId: string; schoolId: string | null; name: string; seats: number; startsOn: string; endsOn: string },
  ): Promise<License> {
    requireOperator(ctx);
    const { store } = this.deps;
    const district = await store.districts.findById(input.districtId);
    if (!district) throw notFound('District');
    if (input.schoolId) {
      const school = await store.districts.findSchool(input.schoolId);
      if (!school || school.districtId !== district.id) throw validationError('schoolId', 'That school is not in this district.');
    }
    if (!Number.isInteger(input.seats) || input.seats < 1 || input.seats > 100_000) throw validationError('seats', 'Seats must be a whole number from 1 to 100,000.');
    const startsOn = cleanDate(input.startsOn, 'startsOn');
    const endsOn = cleanDate(input.endsOn, 'endsOn');
    if (endsOn < startsOn) throw validationError('endsOn', 'The end date must be on or after the start date.');
    return store.transaction(async (tx) => {
      const id = await tx.licenses.create({ districtId: district.id, schoolId: input.schoolId, name: cleanLabel(input.name, 'name'), seats: input.seats, startsOn, endsOn });
      await tx.audit.record({ actorUserId: actorId(ctx), districtId: district.id, action: 'license.created', targetType: 'license', targetId: id, details: { seats: input.seats } });
      return (await tx.licenses.findById(id))!;
    });
  }

  /**
   * Names a license administrator. A person without an account gets one
   * (no password yet) and an email with a link to set it up.
   */
  async addLicenseAdmin(ctx: OperatorContext, licenseId: string, input: { email: string; name: string }): Promise<User> {
    requireOperator(ctx);
    const email = cleanEmail(input.email);
    const name = cleanLabel(input.name, 'name');
    const { store } = this.deps;
    const license = await store.licenses.findById(licenseId);
    if (!license) throw notFound('License');
    return store.transaction(async (tx) => {
      const existing = (await tx.accounts.findLoginByEmail(email)) ?? (await tx.accounts.findStaffByEmail(email)).find((u) => u.districtId === null);
      const user = existing ?? (await tx.accounts.create({ role: 'teacher', name, email, passwordHash: null, emailVerifiedAt: null }));
      await tx.licenses.addAdmin(license.id, user.id);
      if (!user.hasPassword) await tx.enqueue('email.admin-setup', { userId: user.id, licenseId: license.id });
      await tx.audit.record({ actorUserId: actorId(ctx), districtId: license.districtId, action: 'license.admin_added', targetType: 'license', targetId: license.id, details: { userId: user.id } });
      return user;
    });
  }

  async addDistrictAdmin(ctx: OperatorContext, districtId: string, email: string): Promise<User> {
    requireOperator(ctx);
    const { store } = this.deps;
    if (!(await store.districts.findById(districtId))) throw notFound('District');
    const user = await store.accounts.findLoginByEmail(cleanEmail(email));
    if (!user) throw validationError('email', 'No account signs in with this email yet: they must create one first.');
    await store.transaction(async (tx) => {
      await tx.accounts.addDistrictAdmin(districtId, user.id);
      await tx.audit.record({ actorUserId: actorId(ctx), districtId, action: 'district.admin_added', targetType: 'user', targetId: user.id });
    });
    return user;
  }

  /** Operators are created only from the CLI by whoever runs the machine. */
  async addOperator(input: { email: string; name: string; password: string }): Promise<User> {
    const email = cleanEmail(input.email);
    const name = cleanLabel(input.name, 'name');
    checkPasswordStrength(input.password, { email, name });
    try {
      return await this.deps.store.accounts.create({ role: 'operator', name, email, passwordHash: await hashPassword(input.password), emailVerifiedAt: this.deps.clock.now() });
    } catch (error) {
      if (isUniqueViolation(error, 'users_login_email_key')) throw new AppError('conflict', `An account with ${email} already exists.`, [{ field: 'email', message: 'Already in use.' }]);
      throw error;
    }
  }

  async overview(ctx: OperatorContext): Promise<DistrictOverview[]> {
    requireOperator(ctx);
    const { store } = this.deps;
    const districts = await store.districts.list();
    const ids = districts.map((d) => d.id);
    const [schools, licenses] = await Promise.all([store.districts.listSchools(ids), store.licenses.list({ districtIds: ids })]);
    const admins = await store.licenses.listAdmins(licenses.map((l) => l.id));
    return districts.map((d) => ({
      ...d,
      schools: schools.filter((s) => s.districtId === d.id),
      licenses: licenses
        .filter((l) => l.districtId === d.id)
        .map((l) => ({ ...l, admins: admins.filter((a) => a.licenseId === l.id).map(({ name, email }) => ({ name, email })) })),
    }));
  }
}
