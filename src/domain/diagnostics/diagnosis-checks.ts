import type { ProviderKind } from '../../providers/roster-provider.ts';
import {
  CHECK_ORDER,
  type Action,
  type CheckId,
  type CheckResult,
  type CheckStatus,
  type DiagnosedSection,
  type DistrictFacts,
  type Fixer,
  type LiveOutcome,
  type MembershipFact,
  type NextStep,
  type Person,
  type SubjectFacts,
} from './diagnosis.types.ts';

/**
 * The pure half of the diagnosis: given facts read fresh from the database
 * (and, for the last check, the provider's live answer), decide each check in
 * order, stop at the first failure, and say who can fix it and how.
 */

export const CHECK_TITLES: Record<CheckId, string> = {
  integration: 'Your district has an active rostering connection',
  license: 'You are on your school’s Rollcall license',
  invitation: 'You accepted the invitation and finished your account',
  linked: 'Your account is connected to Clever or ClassLink',
  sections: 'Your rostering service lists classes you teach',
};

export interface Outcome {
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fixer?: Fixer;
  readonly contact?: Person | null;
  readonly nextStep?: NextStep;
}

export interface Evaluated {
  readonly id: CheckId;
  readonly outcome: Outcome;
}

const PROVIDER: Record<ProviderKind, string> = { clever: 'Clever', classlink: 'ClassLink' };
const PROVIDER_ORDER: readonly ProviderKind[] = ['clever', 'classlink'];
const day = (d: Date) => d.toISOString().slice(0, 10);
const listOf = (names: string[], word = 'or') => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${word} ${names[names.length - 1]}`);
const withContact = (p: Person | null | undefined, fallback: string) => (p ? (p.email ? `${p.name} (${p.email})` : p.name) : fallback);
const byName = <T extends Person>(people: readonly T[]) => [...people].sort((a, b) => a.name.localeCompare(b.name));

export function connectAction(provider: ProviderKind): Action {
  return { label: `Connect ${PROVIDER[provider]}`, href: `/auth/${provider}/start?purpose=connect&returnTo=${encodeURIComponent('/classes')}` };
}

/** The license administrator to name: of this license if given, else the district's only one. */
export function licenseContact(d: DistrictFacts, licenseId?: string): Person | null {
  const admins = byName(licenseId ? d.licenseAdmins.filter((a) => a.licenseId === licenseId) : d.licenseAdmins);
  if (licenseId) return admins[0] ? { name: admins[0].name, email: admins[0].email } : licenseContact(d);
  const distinct = new Map(admins.map((a) => [a.email ?? a.name, a]));
  if (distinct.size !== 1) return null;
  const [only] = distinct.values();
  return { name: only!.name, email: only!.email };
}

export function districtContact(d: DistrictFacts): Person | null {
  const [first] = byName(d.districtAdmins);
  return first ? { name: first.name, email: first.email } : null;
}

const inDate = (m: MembershipFact, today: string) => m.startsOn <= today && today <= m.endsOn;
const current = (d: DistrictFacts) => d.memberships.filter((m) => m.removedAt === null);

// 1. An active rostering integration for the district, and its health.
export function checkIntegration(d: DistrictFacts): Outcome {
  const name = d.district.name;
  const active = d.integrations.filter((i) => i.status === 'active');
  if (active.length > 0) {
    return { status: 'pass', detail: `${name} is connected to ${listOf(PROVIDER_ORDER.filter((p) => active.some((i) => i.provider === p)).map((p) => PROVIDER[p]), 'and')}.` };
  }
  const contact = districtContact(d);
  const who = withContact(contact, 'your district’s IT team');
  const troubled = d.integrations.find((i) => i.status === 'needs_attention');
  if (troubled) {
    return {
      status: 'fail',
      detail: `${name}’s connection to ${PROVIDER[troubled.provider]} needs attention${troubled.statusReason ? `: ${troubled.statusReason}` : '.'}`,
      fixer: 'district_it',
      contact,
      nextStep: { text: `Ask ${who} to fix Rollcall’s connection in ${PROVIDER[troubled.provider]}; Rollcall support can help them.` },
    };
  }
  if (d.integrations.length > 0) {
    return {
      status: 'fail',
      detail: `${name}’s rostering connection is turned off.`,
      fixer: 'district_it',
      contact,
      nextStep: { text: `Ask ${who} to turn Rollcall’s rostering connection back on with Rollcall support.` },
    };
  }
  return {
    status: 'fail',
    detail: `${name} hasn’t connected Rollcall to Clever or ClassLink yet.`,
    fixer: 'district_it',
    contact,
    nextStep: { text: `Ask ${who} to connect Rollcall to Clever or ClassLink; Rollcall support sets it up with them. Until then you can use Create a class.` },
  };
}

// 2. A member of a license for that district: not removed, in date.
export function checkLicense(d: DistrictFacts, email: string | null, today: string): Outcome {
  const mine = current(d);
  const valid = mine.find((m) => inDate(m, today));
  if (valid) return { status: 'pass', detail: `You are on ${quote(valid.licenseName)}${valid.schoolName ? ` for ${valid.schoolName}` : ''}.` };
  const you = email ? `you (${email})` : 'you';
  const ended = mine.filter((m) => m.endsOn < today).sort((a, b) => b.endsOn.localeCompare(a.endsOn))[0];
  if (ended) {
    const contact = licenseContact(d, ended.licenseId);
    return {
      status: 'fail',
      detail: `${quote(ended.licenseName)} ended on ${ended.endsOn}.`,
      fixer: 'license_admin',
      contact,
      nextStep: { text: `Ask ${withContact(contact, 'your school’s license administrator')} about renewing the license or adding ${you} to a current one.` },
    };
  }
  const upcoming = mine.filter((m) => m.startsOn > today).sort((a, b) => a.startsOn.localeCompare(b.startsOn))[0];
  if (upcoming) {
    const contact = licenseContact(d, upcoming.licenseId);
    return {
      status: 'fail',
      detail: `${quote(upcoming.licenseName)} starts on ${upcoming.startsOn}.`,
      fixer: 'license_admin',
      contact,
      nextStep: { text: `It works from ${upcoming.startsOn}. If that date is wrong, ask ${withContact(contact, 'your school’s license administrator')}.` },
    };
  }
  const removed = d.memberships.filter((m) => m.removedAt !== null).sort((a, b) => b.removedAt!.getTime() - a.removedAt!.getTime())[0];
  if (removed) {
    const contact = licenseContact(d, removed.licenseId);
    return {
      status: 'fail',
      detail: `You were removed from ${quote(removed.licenseName)} on ${day(removed.removedAt!)}.`,
      fixer: 'license_admin',
      contact,
      nextStep: { text: `Ask ${withContact(contact, 'your school’s license administrator')} to add ${you} back to the license.` },
    };
  }
  const contact = licenseContact(d);
  return {
    status: 'fail',
    detail: `You are not on a Rollcall license for ${d.district.name}.`,
    fixer: 'license_admin',
    contact,
    nextStep: { text: `Ask ${withContact(contact, 'your school’s license administrator')} to add ${you} to the license.` },
  };
}

// 3. The invitation accepted and the account complete.
export function checkInvitation(d: DistrictFacts, facts: Pick<SubjectFacts, 'user' | 'email' | 'hasAnyIdentity' | 'today' | 'now' | 'forSelf'>): Outcome {
  const valid = current(d).filter((m) => inDate(m, facts.today));
  const accepted = valid.find((m) => m.acceptedAt !== null);
  if (accepted) {
    const user = facts.user;
    if (user && !user.hasPassword && !facts.hasAnyIdentity) {
      return {
        status: 'fail',
        detail: 'You accepted the invitation, but your account has no password and no Clever or ClassLink sign-in yet.',
        fixer: 'teacher',
        contact: null,
        nextStep: { text: 'Finish your account: set a password.', ...(facts.forSelf ? { action: { label: 'Set a password', href: '/reset-password' } } : {}) },
      };
    }
    return { status: 'pass', detail: `You accepted the invitation to ${quote(accepted.licenseName)} on ${day(accepted.acceptedAt!)}.` };
  }
  const pending = valid.sort((a, b) => b.invitedAt.getTime() - a.invitedAt.getTime())[0]!;
  const contact = licenseContact(d, pending.licenseId);
  const admin = withContact(contact, 'your school’s license administrator');
  const noAccount = facts.user === null ? ' and hasn’t created an account yet' : '';
  if (pending.invitationExpiresAt && pending.invitationExpiresAt <= facts.now) {
    return {
      status: 'fail',
      detail: `The invitation to ${quote(pending.licenseName)} expired on ${day(pending.invitationExpiresAt)} before it was accepted${noAccount}.`,
      fixer: 'license_admin',
      contact,
      nextStep: { text: `Ask ${admin} to resend the invitation, then follow the link in the new email.` },
    };
  }
  const to = facts.email ?? 'your email';
  const from = pending.invitedByName ? ` from ${pending.invitedByName}` : '';
  const mail = `“You’re invited to ${pending.licenseName} on Rollcall”`;
  const sent = pending.lastSentAt ? `sent ${day(pending.lastSentAt)}` : 'on its way';
  return {
    status: 'fail',
    detail: `You were invited to ${quote(pending.licenseName)} on ${day(pending.invitedAt)} but haven’t accepted the invitation yet${noAccount}.`,
    fixer: 'teacher',
    contact: null,
    nextStep: { text: `Accept your invitation — check your email (${to}) for ${mail}${from}, ${sent}, and follow its link. Can’t find it? Ask ${admin} to resend it.` },
  };
}

// 4. The account linked to a provider identity of that district's integration.
export function checkLinked(d: DistrictFacts, facts: Pick<SubjectFacts, 'connectable' | 'forSelf'>): Outcome {
  const usable = d.integrations.filter((i) => i.status !== 'disabled');
  const linked = d.identities.filter((id) => usable.some((i) => i.provider === id.provider && i.tenantKey === id.tenantKey));
  if (linked.length > 0) {
    return { status: 'pass', detail: `Connected to ${listOf(PROVIDER_ORDER.filter((p) => linked.some((i) => i.provider === p)).map((p) => PROVIDER[p]), 'and')}.` };
  }
  const providers = PROVIDER_ORDER.filter((p) => usable.some((i) => i.status === 'active' && i.provider === p));
  const names = listOf(providers.map((p) => PROVIDER[p]));
  const actions = facts.forSelf ? providers.filter((p) => facts.connectable.includes(p)).map(connectAction) : [];
  return {
    status: 'fail',
    detail: `Your Rollcall account isn’t connected to your ${names} account yet.`,
    fixer: 'teacher',
    contact: null,
    nextStep: {
      text: `Sign in once with ${names} to connect your account.`,
      ...(actions[0] ? { action: actions[0] } : {}),
      ...(actions.length > 1 ? { alternatives: actions.slice(1) } : {}),
    },
  };
}

// 5. The provider has at least one section where they are a teacher (live), and answers.
export function checkSections(d: DistrictFacts, live: readonly LiveOutcome[]): Outcome & { sections: DiagnosedSection[] } {
  const sections = live.flatMap((l) => (l.kind === 'sections' ? l.sections : []));
  const names = listOf([...new Set(live.map((l) => PROVIDER[l.provider]))]);
  if (sections.length > 0) {
    return { status: 'pass', detail: `${names} lists ${sections.length === 1 ? '1 class' : `${sections.length} classes`} you teach.`, sections };
  }
  const contact = districtContact(d);
  const who = withContact(contact, 'your district’s IT team');
  const refused = live.find((l) => l.kind === 'refused');
  if (refused && refused.kind === 'refused') {
    return {
      status: 'fail',
      detail: `${PROVIDER[refused.provider]} refused Rollcall’s request. ${refused.message}`,
      fixer: 'district_it',
      contact,
      nextStep: { text: `Ask ${who} to check Rollcall’s access in ${PROVIDER[refused.provider]}; Rollcall support can help them.` },
      sections: [],
    };
  }
  const down = live.find((l) => l.kind === 'unreachable');
  if (down && down.kind === 'unreachable') {
    return {
      status: 'unknown',
      detail: `Rollcall couldn’t reach ${PROVIDER[down.provider]} just now, so it can’t tell whether it lists classes for you. ${down.message}`,
      fixer: 'support',
      contact: null,
      nextStep: { text: 'Try again in a few minutes. If it keeps happening, contact Rollcall support.' },
      sections: [],
    };
  }
  return {
    status: 'fail',
    detail: `${names} doesn’t list you as the teacher of any class.`,
    fixer: 'district_it',
    contact,
    nextStep: {
      text: `Ask ${who} to check that ${names} lists you as the teacher of your classes (the data comes from your school’s student information system). Once it does, they appear under Add from Rostering Service.`,
    },
    sections: [],
  };
}

/**
 * Checks 1–4 for one district, in order; after the first failure the rest
 * are skipped. Check 5 is left 'skipped' here: it needs the provider.
 */
export function evaluateStatic(facts: SubjectFacts, d: DistrictFacts): Evaluated[] {
  const steps: [CheckId, () => Outcome][] = [
    ['integration', () => checkIntegration(d)],
    ['license', () => checkLicense(d, facts.email, facts.today)],
    ['invitation', () => checkInvitation(d, facts)],
    ['linked', () => checkLinked(d, facts)],
  ];
  const out: Evaluated[] = [];
  let stopped = false;
  for (const [id, run] of steps) {
    if (stopped) {
      out.push({ id, outcome: skipped(id) });
      continue;
    }
    const outcome = run();
    out.push({ id, outcome });
    if (outcome.status !== 'pass') stopped = true;
  }
  out.push({ id: 'sections', outcome: stopped ? skipped('sections') : { status: 'skipped', detail: 'Not checked yet.' } });
  return out;
}

/** With no district to look at (no license, no provider account), check 2 is the one that fails. */
export function evaluateWithoutDistrict(facts: Pick<SubjectFacts, 'email'>): Evaluated[] {
  const you = facts.email ? `you (${facts.email})` : 'you';
  return [
    { id: 'integration', outcome: { status: 'unknown', detail: 'Rollcall can’t tell which school or district you teach in yet: it learns that from your license or your Clever/ClassLink account.' } },
    {
      id: 'license',
      outcome: {
        status: 'fail',
        detail: 'You are not on any school’s Rollcall license.',
        fixer: 'license_admin',
        contact: null,
        nextStep: { text: `Ask your school’s license administrator to add ${you} to your school’s Rollcall license. If you don’t know who that is, contact Rollcall support.` },
      },
    },
    { id: 'invitation', outcome: skipped('invitation') },
    { id: 'linked', outcome: skipped('linked') },
    { id: 'sections', outcome: skipped('sections') },
  ];
}

const skipped = (id: CheckId): Outcome => ({ status: 'skipped', detail: `Not checked: an earlier check has to pass first${id === 'sections' ? ' (this one asks the rostering service)' : ''}.` });

/** How far a district's checks get: the district to talk about is the one that gets furthest. */
export function progress(checks: readonly Evaluated[]): number {
  let n = 0;
  for (const c of checks) {
    if (c.outcome.status !== 'pass') break;
    n++;
  }
  return n;
}

/** The first definite failure; failing that, the first check that could not be decided. */
export function firstFailure(checks: readonly Evaluated[]): Evaluated | undefined {
  return checks.find((c) => c.outcome.status === 'fail') ?? checks.find((c) => c.outcome.status === 'unknown');
}

export function pickDistrict(facts: SubjectFacts): { district: DistrictFacts; checks: Evaluated[] } | null {
  let best: { district: DistrictFacts; checks: Evaluated[]; score: number } | null = null;
  for (const district of facts.districts) {
    const checks = evaluateStatic(facts, district);
    // A license in the district breaks ties: that is where the teacher was invited to work.
    const score = progress(checks) * 2 + (district.memberships.some((m) => m.removedAt === null) ? 1 : 0);
    if (!best || score > best.score) best = { district, checks, score };
  }
  return best && { district: best.district, checks: best.checks };
}

export interface Assembled {
  readonly ok: boolean;
  readonly firstFailure: CheckId | null;
  readonly checks: CheckResult[];
  readonly fixer: Fixer | null;
  readonly fixerContact: Person | null;
  readonly nextStep: NextStep;
}

/** Titles, the first failure, who fixes it and the next step; `forSelf` decides whether the all-clear links to My Classes. */
export function assemble(checks: readonly Evaluated[], forSelf: boolean): Assembled {
  const ordered = CHECK_ORDER.map((id) => checks.find((c) => c.id === id) ?? { id, outcome: skipped(id) });
  const results = ordered.map((c) => ({ id: c.id, status: c.outcome.status, title: CHECK_TITLES[c.id], detail: c.outcome.detail }));
  const failed = firstFailure(ordered);
  if (!failed) {
    const ok = ordered.every((c) => c.outcome.status === 'pass');
    return {
      ok,
      firstFailure: null,
      checks: results,
      fixer: null,
      fixerContact: null,
      nextStep: ok
        ? { text: 'Everything is in place: on My Classes, choose Add Classes, then Add from Rostering Service.', ...(forSelf ? { action: { label: 'Go to My Classes', href: '/classes' } } : {}) }
        : { text: 'Not every check could run.' },
    };
  }
  return {
    ok: false,
    firstFailure: failed.id,
    checks: results,
    fixer: failed.outcome.fixer ?? 'support',
    fixerContact: failed.outcome.contact ?? null,
    nextStep: failed.outcome.nextStep ?? { text: 'Contact Rollcall support.' },
  };
}

/** For accounts that are not teachers: nothing to check. */
export function notATeacher(role: 'student' | 'operator'): Assembled {
  const detail = 'Only teacher accounts use Add from Rostering Service.';
  return {
    ok: false,
    firstFailure: null,
    checks: CHECK_ORDER.map((id) => ({ id, status: 'skipped' as const, title: CHECK_TITLES[id], detail })),
    fixer: null,
    fixerContact: null,
    nextStep: {
      text:
        role === 'student'
          ? 'Students don’t add classes: your classes appear here when your teacher brings them over from Clever or ClassLink.'
          : 'Operator accounts don’t teach classes. Look up a teacher on the operator console to see their diagnosis.',
    },
  };
}

const quote = (name: string) => `“${name}”`;
