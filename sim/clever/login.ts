import type { SimDistrict } from '../generator/district.ts';
import type { UserKind } from '../generator/model.ts';
import { escapeHtml, hiddenInputs, page } from '../shared/html.ts';
import type { CleverContext, LoginRole, SignedInUser } from './context.ts';

/**
 * The simulated "district login": Clever would send the user through the
 * district's own sign-in (badges, Google, SAML…); here one click on a listed
 * person stands for that. Big generated districts list a sample and accept
 * any user id typed into the form.
 */
export interface Candidate {
  id: string;
  name: string;
  role: LoginRole;
  email: string | null;
}

const PER_KIND_LIMIT: Record<UserKind, number> = { admin: 5, staff: 40, teacher: 60, student: 40 };

/** Roles a person may sign in as (multi-role teachers may choose staff). */
export function loginRoles(district: SimDistrict, kind: UserKind, index: number): LoginRole[] {
  const person = district.person(kind, index);
  if (person === undefined) return [];
  if (kind === 'admin') return ['district_admin'];
  if (kind === 'staff') return ['staff'];
  if (kind === 'student') return ['student'];
  return person.staffTitle === null ? ['teacher'] : ['teacher', 'staff'];
}

export function candidates(ctx: CleverContext, district: SimDistrict): { list: Candidate[]; hidden: number } {
  const list: Candidate[] = [];
  let hidden = 0;
  for (const kind of ['teacher', 'student', 'staff', 'admin'] as const) {
    const count = district.count(kind);
    const shown = Math.min(count, PER_KIND_LIMIT[kind]);
    hidden += count - shown;
    for (let i = 0; i < shown; i++) {
      const p = district.person(kind, i);
      if (p === undefined) continue;
      for (const role of loginRoles(district, kind, i)) {
        list.push({ id: ctx.ids.id(district, kind, i), name: `${p.givenName} ${p.familyName}`, role, email: p.email });
      }
    }
  }
  return { list, hidden };
}

/** Resolve a user id (+ optional role) typed or posted into the form. */
export function resolveLogin(ctx: CleverContext, userId: string, role: string | undefined): SignedInUser | null {
  const decoded = ctx.ids.decode(userId.trim());
  if (decoded === null) return null;
  const kind = decoded.kind;
  if (kind !== 'admin' && kind !== 'staff' && kind !== 'student' && kind !== 'teacher') return null;
  const roles = loginRoles(decoded.district, kind, decoded.index);
  if (roles.length === 0) return null;
  const chosen = roles.find((r) => r === role) ?? roles[0]!;
  return { district: decoded.district, kind, index: decoded.index, role: chosen };
}

export function loginPage(
  ctx: CleverContext,
  districts: readonly SimDistrict[],
  fields: Record<string, string | undefined>,
  heading: string,
): string {
  const sections = districts
    .map((d) => {
      const { list, hidden } = candidates(ctx, d);
      const rows = list
        .map(
          (c) => `<tr><td>${escapeHtml(c.name)}</td><td class="role">${escapeHtml(c.role)}</td><td class="role">${escapeHtml(c.email ?? '(no email)')}</td><td>
<form class="pick" method="post" action="/oauth/authorize">${hiddenInputs({ ...fields, user: c.id, role: c.role })}<button type="submit" data-user="${c.id}" data-role="${c.role}">Log in as ${escapeHtml(c.name)} (${escapeHtml(c.role)})</button></form></td></tr>`,
        )
        .join('\n');
      const more = hidden > 0 ? `<p class="role">…and ${hidden} more people; enter an id below.</p>` : '';
      return `<h2>${escapeHtml(d.name)} <span class="role">${ctx.ids.districtId(d)}</span></h2><table>${rows}</table>${more}`;
    })
    .join('\n');
  const other = `<h2>Someone else</h2><form method="post" action="/oauth/authorize">${hiddenInputs(fields)}
<label>Clever user id <input name="user" size="30"></label> <label>role <input name="role" size="12" placeholder="optional"></label> <button type="submit">Log in</button></form>
<form method="post" action="/oauth/authorize">${hiddenInputs({ ...fields, action: 'cancel' })}<button type="submit">Cancel</button></form>`;
  return page('Clever (simulated) — log in', `<h1>${escapeHtml(heading)}</h1><p>Simulated district login: choose who you are.</p>${sections}${other}`);
}
