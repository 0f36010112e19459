import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../src/context.ts';
import { hashPassword } from '../../src/domain/accounts/passwords.ts';
import type { User } from '../../src/domain/accounts/accounts.types.ts';

export const PASSWORD = 'correct horse battery staple';
let cachedHash: Promise<string> | undefined;

const unique = () => randomBytes(4).toString('hex');

/** A teacher/operator account that signs in with PASSWORD, created directly in the database. */
export async function makeUser(ctx: AppContext, input: { role?: 'teacher' | 'operator'; email?: string; name?: string; verified?: boolean } = {}): Promise<User> {
  cachedHash ??= hashPassword(PASSWORD);
  return ctx.store.accounts.create({
    role: input.role ?? 'teacher',
    name: input.name ?? `Teacher ${unique()}`,
    email: input.email ?? `t-${unique()}@school.test`,
    passwordHash: await cachedHash,
    emailVerifiedAt: input.verified === false ? null : new Date(),
  });
}

/** A fresh district with one school, a school license and its administrator. */
export async function makeDistrict(ctx: AppContext, input: { seats?: number; name?: string } = {}) {
  const cli = { kind: 'cli' } as const;
  const district = await ctx.services.operator.createDistrict(cli, input.name ?? `District ${unique()}`);
  const school = await ctx.services.operator.createSchool(cli, district.id, `School ${unique()}`);
  const license = await ctx.services.operator.createLicense(cli, {
    districtId: district.id,
    schoolId: school.id,
    name: `License ${unique()}`,
    seats: input.seats ?? 5,
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
  });
  const admin = await makeUser(ctx, { name: `Admin ${unique()}` });
  await ctx.store.licenses.addAdmin(license.id, admin.id);
  return { district, school, license, admin };
}

/** Runs every queued job now and returns the captured mail to one address, newest first. */
export async function mailTo(ctx: AppContext, address: string) {
  await ctx.queue.drain(ctx.jobHandlers, ctx.logger);
  return (await ctx.store.mail.list()).filter((m) => m.to === address);
}

export function linkIn(text: string, path: string): string {
  const match = text.match(new RegExp(`https?://[^\\s]*${path.replace(/[/?]/g, '\\$&')}[^\\s]*`));
  if (!match) throw new Error(`No link to ${path} in:\n${text}`);
  return match[0];
}

export function tokenFrom(url: string, kind: 'query' | 'path'): string {
  const u = new URL(url);
  return kind === 'query' ? u.searchParams.get('token')! : decodeURIComponent(u.pathname.split('/').pop()!);
}
