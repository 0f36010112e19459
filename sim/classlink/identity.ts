import type { SimDistrict } from '../generator/district.ts';
import type { UserKind } from '../generator/model.ts';
import { OneRosterIds } from '../oneroster/ids.ts';
import type { RosterTenant } from '../oneroster/server.ts';

/**
 * ClassLink identities: LaunchPad's integer UserId and TenantId, the
 * PascalCase /v2/my/info record and the id_token claims. A person's
 * `SourcedId` is their OneRoster sourcedId on the tenant's Roster Server.
 */
const KIND_CODE: Record<UserKind, number> = { admin: 1, staff: 2, student: 3, teacher: 4 };
const CODE_KIND = new Map<number, UserKind>(Object.entries(KIND_CODE).map(([k, v]) => [v, k as UserKind]));

export interface ClassLinkUser {
  tenant: RosterTenant;
  kind: UserKind;
  index: number;
}

export function userId(district: SimDistrict, kind: UserKind, index: number): number {
  return (district.ordinal + 1) * 100_000_000 + KIND_CODE[kind] * 10_000_000 + index;
}

export function tenantNumber(tenant: RosterTenant): number {
  return Number(tenant.tenantId);
}

export function decodeUserId(tenants: readonly RosterTenant[], id: number): ClassLinkUser | null {
  if (!Number.isInteger(id) || id <= 0) return null;
  const ordinal = Math.floor(id / 100_000_000) - 1;
  const kind = CODE_KIND.get(Math.floor((id % 100_000_000) / 10_000_000));
  const index = id % 10_000_000;
  const tenant = tenants.find((t) => t.district.ordinal === ordinal);
  if (tenant === undefined || kind === undefined || tenant.district.person(kind, index) === undefined) return null;
  return { tenant, kind, index };
}

/** Accepts a LaunchPad UserId ("108000012") or "<tenantId>:<sourcedId>". */
export function resolveUserRef(tenants: readonly RosterTenant[], ref: string): ClassLinkUser | null {
  const trimmed = ref.trim();
  if (/^\d+$/.test(trimmed)) return decodeUserId(tenants, Number(trimmed));
  const colon = trimmed.indexOf(':');
  if (colon < 0) return null;
  const tenant = tenants.find((t) => t.tenantId === trimmed.slice(0, colon));
  if (tenant === undefined) return null;
  const parsed = new OneRosterIds(tenant.district).parse(trimmed.slice(colon + 1));
  const kind = parsed?.kind;
  if (parsed === null || (kind !== 'admin' && kind !== 'staff' && kind !== 'student' && kind !== 'teacher')) return null;
  return tenant.district.person(kind, parsed.index) === undefined ? null : { tenant, kind, index: parsed.index };
}

export function roleName(kind: UserKind): 'Student' | 'Teacher' | 'Tenant Administrator' {
  return kind === 'student' ? 'Student' : kind === 'teacher' ? 'Teacher' : 'Tenant Administrator';
}

function roleLevel(kind: UserKind): number {
  // Observed: 4 = student, 3 = teacher; administrators are lower numbers.
  return kind === 'student' ? 4 : kind === 'teacher' ? 3 : 1;
}

export function myInfo(user: ClassLinkUser, lastAccess: string): Record<string, unknown> {
  const d = user.tenant.district;
  const p = d.person(user.kind, user.index);
  const school = p?.school === null || p?.school === undefined ? undefined : d.school(p.school);
  const ids = new OneRosterIds(d);
  return {
    UserId: userId(d, user.kind, user.index),
    TenantId: tenantNumber(user.tenant),
    StateId: 38,
    StateName: d.config.state.name,
    BuildingId: school === undefined ? 0 : 1000 + school.index,
    AuthenticationType: 2,
    DisplayName: `${p?.givenName ?? ''} ${p?.familyName ?? ''}`.trim(),
    FirstName: p?.givenName ?? '',
    LastName: p?.familyName ?? '',
    Email: p?.email ?? '',
    LoginId: p?.username ?? '',
    ImagePath: '',
    LanguageId: 1,
    Language: 'English',
    DefaultTimeFormat: 0,
    Profile: roleName(user.kind),
    ProfileId: KIND_CODE[user.kind],
    Tenant: d.name,
    Building: school?.name ?? '',
    Role: roleName(user.kind),
    Role_Level: roleLevel(user.kind),
    LastAccessTime: lastAccess,
    OrgId: '',
    SourcedId: ids.user(user.kind, user.index),
  };
}

export function identityClaims(user: ClassLinkUser): Record<string, unknown> {
  const d = user.tenant.district;
  const p = d.person(user.kind, user.index);
  const ids = new OneRosterIds(d);
  const claims: Record<string, unknown> = {
    sub: String(userId(d, user.kind, user.index)),
    login_hint: p?.username ?? '',
    email_verified: false,
    name: `${p?.givenName ?? ''} ${p?.familyName ?? ''}`.trim(),
    given_name: p?.givenName ?? '',
    family_name: p?.familyName ?? '',
    profile: roleName(user.kind),
    address: { locality: d.name, region: d.config.state.code },
    classLink_tenant_id: tenantNumber(user.tenant),
    classLink_tenant_id_string: user.tenant.tenantId,
    classLink_role: roleName(user.kind),
    classLink_role_level: roleLevel(user.kind),
    classLink_sourcedId: ids.user(user.kind, user.index),
    classLink_org_sourcedids: p?.school === null || p?.school === undefined ? [ids.districtId()] : [ids.school(p.school)],
  };
  if (p?.email) claims['email'] = p.email;
  return claims;
}
