import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { License, LicenseMember } from './licenses.types.ts';

export class LicensesRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private licenseQuery() {
    return this.db
      .selectFrom('licenses')
      .innerJoin('districts', 'districts.id', 'licenses.district_id')
      .leftJoin('schools', 'schools.id', 'licenses.school_id')
      .select((eb) => [
        'licenses.id',
        'licenses.district_id',
        'districts.name as district_name',
        'licenses.school_id',
        'schools.name as school_name',
        'licenses.name',
        'licenses.seats',
        'licenses.starts_on',
        'licenses.ends_on',
        eb
          .selectFrom('license_members')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('license_members.license_id', '=', 'licenses.id')
          .where('license_members.removed_at', 'is', null)
          .as('seats_used'),
      ]);
  }

  private toLicense(row: {
    id: string;
    district_id: string;
    district_name: string;
    school_id: string | null;
    school_name: string | null;
    name: string;
    seats: number;
    starts_on: string;
    ends_on: string;
    seats_used: number | null;
  }): License {
    return {
      id: row.id,
      districtId: row.district_id,
      districtName: row.district_name,
      schoolId: row.school_id,
      schoolName: row.school_name,
      name: row.name,
      seats: row.seats,
      seatsUsed: row.seats_used ?? 0,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
    };
  }

  async create(input: { districtId: string; schoolId: string | null; name: string; seats: number; startsOn: string; endsOn: string }): Promise<string> {
    const row = await this.db
      .insertInto('licenses')
      .values({
        district_id: input.districtId,
        school_id: input.schoolId,
        name: input.name,
        seats: input.seats,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async findById(id: string): Promise<License | undefined> {
    const row = await this.licenseQuery().where('licenses.id', '=', id).executeTakeFirst();
    return row && this.toLicense(row);
  }

  async list(filter: { ids?: readonly string[]; districtIds?: readonly string[] } = {}): Promise<License[]> {
    let query = this.licenseQuery();
    if (filter.ids) {
      if (filter.ids.length === 0) return [];
      query = query.where('licenses.id', 'in', filter.ids);
    }
    if (filter.districtIds) {
      if (filter.districtIds.length === 0) return [];
      query = query.where('licenses.district_id', 'in', filter.districtIds);
    }
    const rows = await query.orderBy('districts.name').orderBy('licenses.name').execute();
    return rows.map((r) => this.toLicense(r));
  }

  /** Serialises concurrent seat checks on one license (a row lock on PostgreSQL). */
  async lockForUpdate(licenseId: string): Promise<void> {
    await this.db.selectFrom('licenses').select('id').where('id', '=', licenseId).forUpdate().execute();
  }

  async addAdmin(licenseId: string, userId: string): Promise<void> {
    await this.db.insertInto('license_admins').values({ license_id: licenseId, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
  }

  async listAdmins(licenseIds: readonly string[]): Promise<{ licenseId: string; name: string; email: string | null }[]> {
    if (licenseIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('license_admins')
      .innerJoin('users', 'users.id', 'license_admins.user_id')
      .select(['license_admins.license_id', 'users.name', 'users.email'])
      .where('license_admins.license_id', 'in', licenseIds)
      .orderBy('users.name')
      .execute();
    return rows.map((r) => ({ licenseId: r.license_id, name: r.name, email: r.email }));
  }

  private memberQuery() {
    return this.db
      .selectFrom('license_members as m')
      .leftJoin('users as u', 'u.id', 'm.user_id')
      .select([
        'm.id',
        'm.license_id',
        'm.email',
        'm.user_id',
        'u.name',
        'u.email_verified_at',
        'u.password_hash',
        'm.invited_at',
        'm.accepted_at',
        'm.removed_at',
        'm.last_sent_at',
        'm.invitation_expires_at',
      ]);
  }

  private toMember(row: {
    id: string;
    license_id: string;
    email: string;
    user_id: string | null;
    name: string | null;
    email_verified_at: Date | null;
    password_hash: string | null;
    invited_at: Date;
    accepted_at: Date | null;
    removed_at: Date | null;
    last_sent_at: Date | null;
    invitation_expires_at: Date | null;
  }): LicenseMember {
    return {
      id: row.id,
      licenseId: row.license_id,
      email: row.email,
      userId: row.user_id,
      name: row.name,
      invitedAt: row.invited_at,
      acceptedAt: row.accepted_at,
      removedAt: row.removed_at,
      lastSentAt: row.last_sent_at,
      invitationExpiresAt: row.invitation_expires_at,
      accountComplete: row.accepted_at !== null && row.email_verified_at !== null && row.password_hash !== null,
    };
  }

  async listMembers(licenseId: string): Promise<LicenseMember[]> {
    const rows = await this.memberQuery().where('m.license_id', '=', licenseId).where('m.removed_at', 'is', null).orderBy('m.invited_at').orderBy('m.email').execute();
    return rows.map((r) => this.toMember(r));
  }

  async findMember(memberId: string): Promise<LicenseMember | undefined> {
    const row = await this.memberQuery().where('m.id', '=', memberId).executeTakeFirst();
    return row && this.toMember(row);
  }

  async findMemberByTokenHash(tokenHash: string): Promise<LicenseMember | undefined> {
    const row = await this.memberQuery().where('m.invitation_token_hash', '=', tokenHash).executeTakeFirst();
    return row && this.toMember(row);
  }

  async activeMemberEmails(licenseId: string, emails: readonly string[]): Promise<string[]> {
    if (emails.length === 0) return [];
    const rows = await this.db
      .selectFrom('license_members')
      .select('email')
      .where('license_id', '=', licenseId)
      .where('removed_at', 'is', null)
      .where('email', 'in', emails)
      .execute();
    return rows.map((r) => r.email);
  }

  async countActiveMembers(licenseId: string): Promise<number> {
    const row = await this.db
      .selectFrom('license_members')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('license_id', '=', licenseId)
      .where('removed_at', 'is', null)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  async insertMembers(licenseId: string, members: readonly { email: string; userId: string | null }[], invitedBy: string | null, now: Date): Promise<{ id: string; email: string }[]> {
    if (members.length === 0) return [];
    return this.db
      .insertInto('license_members')
      .values(members.map((m) => ({ license_id: licenseId, email: m.email, user_id: m.userId, invited_by: invitedBy, invited_at: now })))
      .returning(['id', 'email'])
      .execute();
  }

  async setInvitationToken(memberId: string, tokenHash: string, expiresAt: Date, now: Date): Promise<void> {
    await this.db
      .updateTable('license_members')
      .set((eb) => ({
        invitation_token_hash: tokenHash,
        invitation_expires_at: expiresAt,
        last_sent_at: now,
        send_count: eb('send_count', '+', 1),
      }))
      .where('id', '=', memberId)
      .execute();
  }

  /** Accepts exactly once: a second accept (double click, two tabs) finds nothing to update. */
  async accept(memberId: string, userId: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('license_members')
      .set({ user_id: userId, accepted_at: now })
      .where('id', '=', memberId)
      .where('accepted_at', 'is', null)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async remove(memberId: string, removedBy: string | null, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('license_members')
      .set({ removed_at: now, removed_by: removedBy })
      .where('id', '=', memberId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async invitedBy(memberId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('license_members as m')
      .leftJoin('users as u', 'u.id', 'm.invited_by')
      .select('u.name')
      .where('m.id', '=', memberId)
      .executeTakeFirst();
    return row?.name ?? null;
  }

  /** The license that gives this teacher a seat in the district today (accepted, not removed, in date). */
  async activeMembershipIn(userId: string, districtId: string, today: string): Promise<License | undefined> {
    const row = await this.licenseQuery()
      .innerJoin('license_members as m', 'm.license_id', 'licenses.id')
      .where('m.user_id', '=', userId)
      .where('m.removed_at', 'is', null)
      .where('m.accepted_at', 'is not', null)
      .where('licenses.district_id', '=', districtId)
      .where('licenses.starts_on', '<=', today)
      .where('licenses.ends_on', '>=', today)
      .orderBy('licenses.ends_on', 'desc')
      .executeTakeFirst();
    return row && this.toLicense(row);
  }
}
