import type { Command } from 'commander';
import type { AppContext } from '../context.ts';
import type { StudentDeletion, StudentExport } from '../domain/privacy/privacy.types.ts';
import { withContext } from './runtime.ts';

const cli = { kind: 'cli' } as const;

/** How the commands reach a context and the terminal (tests pass their own). */
export interface StudentCommandIo {
  run<T>(work: (ctx: AppContext) => Promise<T>): Promise<T>;
  out(text: string): void;
  err(text: string): void;
  exitCode(code: number): void;
}

const processIo: StudentCommandIo = {
  run: (work) => withContext(work),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  exitCode: (code) => {
    process.exitCode = code;
  },
};

const day = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) : '—');
const label = { clever: 'Clever', classlink: 'ClassLink' } as const;

/** The export as a person reads it; --json gives every field. */
export function formatExport(e: StudentExport): string {
  if (e.students.length === 0) return `No student of ${e.district.name} matches.`;
  const lines = [`Everything Rollcall holds about this student in ${e.district.name} (exported ${day(e.exportedAt)} UTC)`];
  if (e.students.length > 1) lines.push(`${e.students.length} accounts match (one per rostering service that lists the student).`);
  for (const s of e.students) {
    const a = s.account;
    lines.push('', `Account ${a.id}`, `  name        ${a.name}`, `  email       ${a.email ?? '—'}`, `  grade       ${a.grade ?? '—'}`);
    lines.push(`  created     ${day(a.createdAt)}   updated ${day(a.updatedAt)}   last sign-in ${day(a.lastSignInAt)}`);
    lines.push(`Sign-in identities (${s.identities.length})`);
    for (const i of s.identities) lines.push(`  ${label[i.provider]} ${i.tenantKey} / ${i.externalId}  linked ${day(i.createdAt)}, last sign-in ${day(i.lastSignInAt)}`);
    lines.push(`Classes (${s.enrollments.length})`);
    for (const c of s.enrollments) {
      const where = [c.schoolName, c.term, c.period && `period ${c.period}`].filter(Boolean).join(', ');
      const state = c.status === 'active' ? `enrolled since ${day(c.enrolledAt)}` : `left ${day(c.removedAt)}${c.removedReason ? ` (${c.removedReason})` : ''}`;
      lines.push(`  ${c.className}${where ? ` — ${where}` : ''}${c.teachers.length ? ` — ${c.teachers.join(', ')}` : ''}: ${state}${c.classArchived ? ' [class archived]' : ''}`);
    }
    lines.push(`Roster history (${s.rosterHistory.length})`);
    for (const h of s.rosterHistory) lines.push(`  ${day(h.at)}  ${h.change.padEnd(8)} ${h.className}${h.trigger ? ` (${h.trigger})` : ''}${h.reason ? ` — ${h.reason}` : ''}`);
    lines.push(`Sessions (${s.sessions.length})`);
    for (const x of s.sessions) lines.push(`  started ${day(x.createdAt)}, ends ${day(x.expiresAt)}`);
    lines.push(`Audit log entries (${s.auditEvents.length})`);
    for (const x of s.auditEvents) lines.push(`  ${day(x.at)}  ${x.action}`);
    if (s.syncRuns.length > 0) {
      lines.push(`Sync runs that name this account (${s.syncRuns.length})`);
      for (const r of s.syncRuns) lines.push(`  ${day(r.startedAt)}  ${r.trigger} ${r.status} (${r.id})`);
    }
  }
  return lines.join('\n');
}

export function formatDeletion(d: StudentDeletion): string {
  return [
    `Deleted the personal data of ${d.students.length} student account${d.students.length === 1 ? '' : 's'} in ${d.district.name}:`,
    ...d.students.map(
      (s) =>
        `  ${s.userId}: name, email and grade removed; ${s.identitiesRemoved} sign-in identit${s.identitiesRemoved === 1 ? 'y' : 'ies'} removed; ${s.sessionsEnded} session${s.sessionsEnded === 1 ? '' : 's'} ended; ` +
        `${s.enrollmentsKept} enrollment${s.enrollmentsKept === 1 ? '' : 's'} and ${s.historyKept} history entr${s.historyKept === 1 ? 'y' : 'ies'} kept for class counts.`,
    ),
    'If the rostering service still lists this student, the next sync or sign-in creates a new account from its data: ask the district to remove them there too.',
  ].join('\n');
}

/**
 * `rollcall students export|delete`: a district's privacy request about one
 * student, by provider id (Clever id or OneRoster sourcedId), email or Rollcall id.
 */
export function registerStudentCommands(program: Command, io: StudentCommandIo = processIo): void {
  const students = program.command('students').description("A district's privacy requests about a student: export or delete their data");
  const target = (c: Command) =>
    c
      .requiredOption('--district <idOrName>', 'district id or exact name')
      .requiredOption('--student <idOrEmail>', "the student's Clever id, ClassLink (OneRoster) sourcedId, email, or Rollcall id")
      .option('--json', 'print JSON');

  target(students.command('export').description('Print everything Rollcall holds about the student')).action(async (opts: { district: string; student: string; json?: boolean }) => {
    const report = await io.run((ctx) => ctx.services.privacy.exportStudent(cli, { district: opts.district, student: opts.student }));
    io.out(`${opts.json ? JSON.stringify(report, null, 2) : formatExport(report)}\n`);
  });

  target(students.command('delete').description("Remove the student's personal data; enrollments and roster history stay, anonymised"))
    .option('--yes', 'really delete (without it, shows what would be deleted)')
    .action(async (opts: { district: string; student: string; json?: boolean; yes?: boolean }) => {
      const request = { district: opts.district, student: opts.student };
      if (!opts.yes) {
        const report = await io.run((ctx) => ctx.services.privacy.exportStudent(cli, request));
        io.out(`${opts.json ? JSON.stringify({ wouldDelete: report.students.map((s) => s.account.id) }, null, 2) : formatExport(report)}\n`);
        io.err(`Nothing was deleted. This cannot be undone: re-run with --yes to delete the ${report.students.length} account${report.students.length === 1 ? '' : 's'} above.\n`);
        io.exitCode(1);
        return;
      }
      const done = await io.run((ctx) => ctx.services.privacy.deleteStudent(cli, request));
      io.out(`${opts.json ? JSON.stringify(done, null, 2) : formatDeletion(done)}\n`);
    });
}
