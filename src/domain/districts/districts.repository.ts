import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export interface District {
  readonly id: string;
  readonly name: string;
}
export interface School {
  readonly id: string;
  readonly districtId: string;
  readonly name: string;
}

export class DistrictsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async create(name: string): Promise<District> {
    return this.db.insertInto('districts').values({ name }).returning(['id', 'name']).executeTakeFirstOrThrow();
  }

  async findById(id: string): Promise<District | undefined> {
    return this.db.selectFrom('districts').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  }

  async findByName(name: string): Promise<District | undefined> {
    return this.db.selectFrom('districts').select(['id', 'name']).where('name', '=', name).executeTakeFirst();
  }

  async list(): Promise<District[]> {
    return this.db.selectFrom('districts').select(['id', 'name']).orderBy('name').execute();
  }

  async createSchool(districtId: string, name: string): Promise<School> {
    const row = await this.db
      .insertInto('schools')
      .values({ district_id: districtId, name })
      .returning(['id', 'district_id', 'name'])
      .executeTakeFirstOrThrow();
    return { id: row.id, districtId: row.district_id, name: row.name };
  }

  async findSchool(id: string): Promise<School | undefined> {
    const row = await this.db.selectFrom('schools').select(['id', 'district_id', 'name']).where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, districtId: row.district_id, name: row.name };
  }

  async listSchools(districtIds: readonly string[]): Promise<School[]> {
    if (districtIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('schools')
      .select(['id', 'district_id', 'name'])
      .where('district_id', 'in', districtIds)
      .orderBy('name')
      .execute();
    return rows.map((r) => ({ id: r.id, districtId: r.district_id, name: r.name }));
  }
}
