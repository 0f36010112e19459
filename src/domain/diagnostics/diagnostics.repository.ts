import { sql, type Kysely } from 'kysely';
import type { DB, UserRole } from '../../db/schema.ts';
import type { ProviderKind } from '../../providers/roster-provider.ts';
import type { MembershipFact, Person } from './diagnosis.types.ts';

export interface UserMatch {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly role: UserRole;
  readonly districtName: string | null;
  readonly providers: ProviderKind[];
  readonly lastSignInAt: Date | null;
}

/** The reads behind the diagnosis and the support console's user lookup. */
export class DiagnosticsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Every license membership of this person, in any state (removed too): rows
   * attached to their account, and invitations to their email that no account
   * has claimed yet.
   */
  async membershipsOf(userId: string | null, email: string | null): Promise<MembershipFact[]> {
    if (!userId && !email) return [];
    const rows = await this.db
      .selectFrom('license_members as m')
      .innerJoin('licenses as l', 'l.id', 'm.license_id')
      .leftJoin('schools as s', 's.id', 'l.school_id')
      .leftJoin('users as inviter', 'inviter.id', 'm.invited_by')
      .select([
        'm.id',
        'm.license_id',
        'l.name as license_name',
        's.name as school_name',
        'l.district_id',
        'l.starts_on',
        'l.ends_on',
        'm.invited_at',
        'm.accepted_at',
        'm.removed_at',
        'm.last_sent_at',
        'm.invitation_expires_at',
        'inviter.name as invited_by_name',
      ])
      .where((eb) => {
        const either = [];
        if (userId) either.push(eb('m.user_id', '=', userId));
        if (email) either.push(eb.and([eb('m.user_id', 'is', null), eb('m.email', '=', email)]));
        return eb.or(either);
      })
      .orderBy('m.invited_at')
      .execute();
    return rows.map((r) => ({
      memberId: r.id,
      licenseId: r.license_id,
      licenseName: r.license_name,
      schoolName: r.school_name,
      districtId: r.district_id,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      invitedAt: r.invited_at,
      acceptedAt: r.accepted_at,
      removedAt: r.removed_at,
      lastSentAt: r.last_sent_at,
      invitationExpiresAt: r.invitation_expires_at,
      invitedByName: r.invited_by_name,
    }));
  }

  async licenseAdminsIn(districtId: string): Promise<(Person & { licenseId: string })[]> {
    const rows = await this.db
      .selectFrom('license_admins as a')
      .innerJoin('licenses as l', 'l.id', 'a.license_id')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .select(['a.license_id', 'u.name', 'u.email'])
      .where('l.district_id', '=', districtId)
      .orderBy('u.name')
      .execute();
    return rows.map((r) => ({ licenseId: r.license_id, name: r.name, email: r.email }));
  }

  async districtAdminsOf(districtId: string): Promise<Person[]> {
    const rows = await this.db
      .selectFrom('district_admins as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .select(['u.name', 'u.email'])
      .where('a.district_id', '=', districtId)
      .orderBy('u.name')
      .execute();
    return rows.map((r) => ({ name: r.name, email: r.email }));
  }

  /** Support's lookup: part of a name or email, or an exact provider id (any provider, any tenant). */
  async searchUsers(query: string, limit = 50): Promise<UserMatch[]> {
    const q = query.trim();
    if (!q) return [];
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db
      .selectFrom('users as u')
      .leftJoin('districts as d', 'd.id', 'u.district_id')
      .select([
        'u.id',
        'u.name',
        'u.email',
        'u.role',
        'd.name as district_name',
        'u.last_sign_in_at',
        sql<string[]>`coalesce((select array_agg(distinct i.provider::text) from identities i where i.user_id = u.id), '{}')`.as('providers'),
      ])
      .where((eb) =>
        eb.or([
          eb(sql`lower(u.email)`, 'like', like.toLowerCase()),
          eb(sql`lower(u.name)`, 'like', like.toLowerCase()),
          eb.exists(eb.selectFrom('identities as i').select('i.id').whereRef('i.user_id', '=', 'u.id').where('i.external_id', '=', q)),
        ]),
      )
      .orderBy(sql`case when lower(u.email) = ${q.toLowerCase()} then 0 else 1 end`)
      .orderBy('u.name')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      role: r.role,
      districtName: r.district_name,
      providers: r.providers as ProviderKind[],
      lastSignInAt: r.last_sign_in_at,
    }));
  }
}
