/** One line per audit event in plain words, from ids and counts only (the log holds no personal data). */

const PROVIDER: Record<string, string> = { clever: 'Clever', classlink: 'ClassLink' };
const n = (v: unknown) => (typeof v === 'number' ? v : 0);
const provider = (details: Readonly<Record<string, unknown>>) => PROVIDER[String(details.provider)] ?? 'the rostering service';
const teachers = (k: number) => (k === 1 ? '1 teacher' : `${k} teachers`);

export function describeAuditEvent(action: string, details: Readonly<Record<string, unknown>>): string {
  switch (action) {
    case 'district.created':
      return 'Created the district';
    case 'district.admin_added':
      return 'Made someone a district administrator';
    case 'school.created':
      return 'Added a school';
    case 'license.created':
      return `Created a license with ${n(details.seats)} seats`;
    case 'license.admin_added':
      return 'Named a license administrator';
    case 'license.members_added':
      return `Added ${teachers(n(details.count))} to a license`;
    case 'license.member_removed':
      return 'Removed a teacher from a license';
    case 'license.invitation_resent':
      return 'Resent an invitation';
    case 'license.invitations_resent':
      return `Resent ${n(details.count) === 1 ? '1 invitation' : `${n(details.count)} invitations`}`;
    case 'license.invitation_accepted':
      return 'Accepted an invitation';
    case 'integration.connected':
      return `Connected ${provider(details)}`;
    case 'integration.updated':
      return `Updated the ${provider(details)} connection`;
    case 'integration.tested':
      return `Tested the ${provider(details)} connection: ${details.ok === true ? 'it worked' : `it failed (${String(details.kind ?? 'error')})`}`;
    case 'integration.school_mapped':
      return `Changed which Rollcall school a ${provider(details)} school feeds`;
    case 'identity.created':
      return `Signed in with ${provider(details)} for the first time (new account)`;
    case 'identity.linked':
      return `Signed in with ${provider(details)}: linked to their existing account`;
    case 'identity.connected':
      return `Connected ${provider(details)} to their account`;
    case 'identity.unlinked':
      return `Disconnected ${provider(details)} from an account`;
    case 'class.imported':
      return `Imported a class from ${provider(details)}`;
    case 'class.joined':
      return `Joined a class a co-teacher imported from ${provider(details)}`;
    case 'class.removed':
      return 'Removed a class from Rollcall';
    case 'sync.hold_approved':
      return `Approved a held sync (${n(details.removed)} removed, ${n(details.archived)} archived)`;
    case 'sync.hold_rejected':
      return 'Rejected a held sync: nobody was removed';
    default:
      return action.replace(/[._]/g, ' ');
  }
}
