import type { Actor } from '../accounts/accounts.types.ts';
import type { License } from './licenses.types.ts';

/**
 * Who may do what with a license. Operators administer every license; a
 * license admin only the licenses they were named on; a district admin
 * may read (not change) the licenses of their own district.
 */
export const licensePolicy = {
  canView(actor: Actor, license: Pick<License, 'id' | 'districtId'>): boolean {
    return (
      actor.isOperator ||
      actor.licenseAdminOf.some((l) => l.id === license.id) ||
      actor.districtAdminOf.some((d) => d.id === license.districtId)
    );
  },
  canManageMembers(actor: Actor, license: Pick<License, 'id'>): boolean {
    return actor.isOperator || actor.licenseAdminOf.some((l) => l.id === license.id);
  },
  /** The ids an actor may list, or 'all'. */
  visibleScope(actor: Actor): 'all' | { ids: string[]; districtIds: string[] } {
    if (actor.isOperator) return 'all';
    return { ids: actor.licenseAdminOf.map((l) => l.id), districtIds: actor.districtAdminOf.map((d) => d.id) };
  },
};
