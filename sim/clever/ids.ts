import { hexDigest } from '../shared/hash.ts';
import type { SimDistrict } from '../generator/district.ts';
import type { RecordKind, UserKind } from '../generator/model.ts';

/**
 * Clever ids: 24 lowercase hex characters (Mongo ObjectID format), globally
 * unique across districts and types, and ascending in list order.
 * Layout: 10 hex district prefix | 2 hex kind code | 12 hex index.
 * User kind codes follow USER_KINDS order so /users (all roles) is ascending.
 */
export type CleverKind = RecordKind | 'district' | 'event' | 'token' | 'legacy-admin' | 'legacy-staff' | 'legacy-student' | 'legacy-teacher';

const CODES: Record<CleverKind, number> = {
  district: 0x01,
  school: 0x02,
  term: 0x03,
  course: 0x04,
  section: 0x05,
  admin: 0x06,
  staff: 0x07,
  student: 0x08,
  teacher: 0x09,
  event: 0x0e,
  token: 0x0f,
  'legacy-admin': 0x16,
  'legacy-staff': 0x17,
  'legacy-student': 0x18,
  'legacy-teacher': 0x19,
};

const BY_CODE = new Map<number, CleverKind>(Object.entries(CODES).map(([k, v]) => [v, k as CleverKind]));

export interface DecodedId {
  district: SimDistrict;
  kind: CleverKind;
  index: number;
}

export class CleverIds {
  private readonly prefixes = new Map<SimDistrict, string>();
  private readonly byPrefix = new Map<string, SimDistrict>();

  constructor(districts: readonly SimDistrict[]) {
    for (const d of districts) {
      // '6' keeps ids looking like recent ObjectIDs; the ordinal suffix guarantees uniqueness.
      const prefix = `6${hexDigest(7, d.config.seed, 0x51)}${d.ordinal.toString(16).padStart(2, '0')}`;
      this.prefixes.set(d, prefix);
      this.byPrefix.set(prefix, d);
    }
  }

  prefix(district: SimDistrict, kind: CleverKind): string {
    const p = this.prefixes.get(district);
    if (p === undefined) throw new Error(`unknown district ${district.name}`);
    return p + CODES[kind].toString(16).padStart(2, '0');
  }

  id(district: SimDistrict, kind: CleverKind, index = 0): string {
    return this.prefix(district, kind) + index.toString(16).padStart(12, '0');
  }

  districtId(district: SimDistrict): string {
    return this.id(district, 'district', 0);
  }

  legacyId(district: SimDistrict, kind: UserKind, index: number): string {
    return this.id(district, `legacy-${kind}`, index);
  }

  decode(id: string): DecodedId | null {
    if (!/^[0-9a-f]{24}$/.test(id)) return null;
    const district = this.byPrefix.get(id.slice(0, 10));
    const kind = BY_CODE.get(Number.parseInt(id.slice(10, 12), 16));
    if (district === undefined || kind === undefined) return null;
    return { district, kind, index: Number.parseInt(id.slice(12), 16) };
  }
}
