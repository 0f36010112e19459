import type { Store } from '../../db/store.ts';
import { AppError, forbidden, notFound, validationError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { OperatorContext } from '../districts/operator.service.ts';
import type { District } from '../districts/districts.repository.ts';
import type { StudentDeletion, StudentExport, StudentRecord, StudentRequest } from './privacy.types.ts';

function requireOperator(ctx: OperatorContext): void {
  if ('kind' in ctx) return;
  if (!ctx.isOperator) throw forbidden('Only Rollcall support handles a district’s requests about a student.');
}

const actorId = (ctx: OperatorContext) => ('kind' in ctx ? null : ctx.user.id);

/**
 * A district's privacy requests about one student: export everything Rollcall
 * holds about them, or delete their personal data while keeping class counts
 * and roster history consistent. Both are audited, with ids only.
 */
export class PrivacyService {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  private async resolve(ctx: OperatorContext, request: StudentRequest): Promise<{ district: District; userIds: string[] }> {
    requireOperator(ctx);
    const key = request.student.trim();
    if (!request.district.trim()) throw validationError('district', 'Name the district (its id or exact name).');
    if (!key) throw validationError('student', 'Name the student: their Clever or ClassLink id, their email, or their Rollcall id.');
    const { privacy } = this.deps.store;
    const districts = await privacy.findDistricts(request.district);
    if (districts.length === 0) throw notFound(`A district with id or name "${request.district.trim()}"`);
    if (districts.length > 1) throw new AppError('conflict', `More than one district is called "${request.district.trim()}": use its id (${districts.map((d) => d.id).join(', ')}).`);
    const district = districts[0]!;
    const userIds = await privacy.findStudents(district.id, key);
    if (userIds.length === 0) throw notFound(`A student of ${district.name} with that id or email`);
    return { district, userIds };
  }

  async exportStudent(ctx: OperatorContext, request: StudentRequest): Promise<StudentExport> {
    const { district, userIds } = await this.resolve(ctx, request);
    const { store, clock } = this.deps;
    const students = (await Promise.all(userIds.map((id) => store.privacy.record(id)))).filter((r): r is StudentRecord => r !== undefined);
    await store.audit.record({
      actorUserId: actorId(ctx),
      districtId: district.id,
      action: 'student.exported',
      targetType: 'user',
      targetId: userIds[0]!,
      details: { userIds },
    });
    return { district, exportedAt: clock.now(), students };
  }

  /** Anonymises every account the request names, in one transaction, and records it. */
  async deleteStudent(ctx: OperatorContext, request: StudentRequest): Promise<StudentDeletion> {
    const { district, userIds } = await this.resolve(ctx, request);
    const { store, clock } = this.deps;
    const now = clock.now();
    const students = await store.transaction(async (tx) => {
      const done: StudentDeletion['students'][number][] = [];
      for (const userId of userIds) {
        const counts = await tx.privacy.anonymise(userId, now);
        await tx.audit.record({ actorUserId: actorId(ctx), districtId: district.id, action: 'student.deleted', targetType: 'user', targetId: userId, details: { ...counts } });
        done.push({ userId, ...counts });
      }
      return done;
    });
    return { district, deletedAt: now, students };
  }
}
