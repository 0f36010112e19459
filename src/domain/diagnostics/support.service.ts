import type { Store } from '../../db/store.ts';
import { forbidden, notFound, validationError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { User } from '../accounts/accounts.types.ts';
import type { ClassSummary } from '../classes/classes.types.ts';
import type { OperatorContext } from '../districts/operator.service.ts';
import type { Identity } from '../identities/identities.repository.ts';
import type { DiagnosisService } from './diagnosis.service.ts';
import type { Diagnosis, MembershipFact } from './diagnosis.types.ts';
import type { UserMatch } from './diagnostics.repository.ts';

export type MembershipState = 'invited' | 'accepted' | 'removed';

export interface UserDetail {
  readonly user: User;
  readonly identities: (Identity & { readonly districtName: string | null })[];
  readonly licenses: (MembershipFact & { readonly state: MembershipState; readonly inDate: boolean })[];
  readonly classes: ClassSummary[];
  /** Teachers only. */
  readonly diagnosis: Diagnosis | null;
}

function requireOperator(ctx: OperatorContext): void {
  if ('kind' in ctx) return;
  if (!ctx.isOperator) throw forbidden('Only Rollcall support can look up users.');
}

/** Our support staff's lookup: find anyone, see their accounts, licenses, classes and diagnosis. */
export class SupportService {
  constructor(private readonly deps: { store: Store; clock: Clock; diagnosis: DiagnosisService }) {}

  async findUsers(ctx: OperatorContext, query: string): Promise<UserMatch[]> {
    requireOperator(ctx);
    const q = query.trim();
    if (q.length < 2) throw validationError('q', 'Type at least 2 characters: part of a name or email, or a Clever/ClassLink id.');
    return this.deps.store.diagnostics.searchUsers(q);
  }

  async userDetail(ctx: OperatorContext, userId: string): Promise<UserDetail> {
    requireOperator(ctx);
    const { store } = this.deps;
    const user = await store.accounts.findById(userId);
    if (!user) throw notFound('User');
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    const [identities, memberships, classes] = await Promise.all([
      store.identities.forUser(user.id),
      store.diagnostics.membershipsOf(user.id, user.role === 'student' ? null : user.email),
      user.role === 'student' ? store.classes.listForStudent(user.id, { sizes: true }) : store.classes.listForTeacher(user.id),
    ]);
    const withDistricts = await Promise.all(
      identities.map(async (i) => ({ ...i, districtName: (await store.integrations.findByTenant(i.provider, i.tenantKey))?.districtName ?? null })),
    );
    return {
      user,
      identities: withDistricts,
      licenses: memberships.map((m) => ({
        ...m,
        state: m.removedAt ? 'removed' : m.acceptedAt ? 'accepted' : 'invited',
        inDate: m.startsOn <= today && today <= m.endsOn,
      })),
      classes,
      diagnosis: user.role === 'teacher' ? await this.deps.diagnosis.forUserId(user.id) : null,
    };
  }
}
