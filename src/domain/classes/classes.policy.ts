import type { Actor } from '../accounts/accounts.types.ts';
import type { ClassRecord } from './classes.types.ts';

/**
 * Who may see and change a class: its teachers; operators (support) and the
 * district's administrators may look, not change.
 */
export const classPolicy = {
  canView(actor: Actor, klass: ClassRecord, isTeacher: boolean): boolean {
    return isTeacher || actor.isOperator || (klass.districtId !== null && actor.districtAdminOf.some((d) => d.id === klass.districtId));
  },
  canSync(_actor: Actor, klass: ClassRecord, isTeacher: boolean): boolean {
    return isTeacher && klass.source !== 'manual' && klass.archivedAt === null;
  },
  canRemove(_actor: Actor, klass: ClassRecord, isTeacher: boolean): boolean {
    return isTeacher && klass.archivedAt === null;
  },
};
