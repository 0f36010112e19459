import type { Command } from 'commander';
import type { Diagnosis } from '../domain/diagnostics/diagnosis.types.ts';
import { print, withContext } from './runtime.ts';

const cli = { kind: 'cli' } as const;

const MARK = { pass: 'pass', fail: 'FAIL', skipped: 'skipped', unknown: '??' } as const;
const FIXER = { teacher: 'the teacher', license_admin: 'their license administrator', district_it: 'the district’s IT', support: 'Rollcall support' } as const;

/** The same diagnosis the teacher sees, as text for a support person's terminal. */
export function formatDiagnosis(d: Diagnosis, publicUrl: string): string {
  const who = [d.subject.name, d.subject.email && `<${d.subject.email}>`].filter(Boolean).join(' ') || 'Unknown person';
  const lines = [`Diagnosis for ${who}${d.district ? ` — ${d.district.name}` : ''}`];
  if (d.ok) lines.push('OK: Add from Rostering Service is available.');
  else if (d.firstFailure) {
    const i = d.checks.findIndex((c) => c.id === d.firstFailure);
    lines.push(`NOT AVAILABLE: check ${i + 1} fails: ${d.checks[i]!.title}`);
  } else lines.push('Not a teacher account: nothing to check.');
  d.checks.forEach((c, i) => lines.push(`  ${i + 1}. [${MARK[c.status]}]${' '.repeat(8 - MARK[c.status].length)}${c.title} — ${c.detail}`));
  if (d.fixer) {
    const contact = d.fixerContact ? `: ${d.fixerContact.name}${d.fixerContact.email ? ` <${d.fixerContact.email}>` : ''}` : '';
    lines.push(`Who can fix it: ${FIXER[d.fixer]}${contact}`);
  }
  const actions = [d.nextStep.action, ...(d.nextStep.alternatives ?? [])].filter((a) => a !== undefined);
  lines.push(`Next step: ${d.nextStep.text}${actions.map((a) => `\n  ${a.label}: ${publicUrl}${a.href}`).join('')}`);
  if (d.sections && d.sections.length > 0) {
    lines.push('The rostering service lists:');
    for (const s of d.sections) lines.push(`  - ${s.name}${s.term ? ` (${s.term})` : ''}${s.studentCount !== null ? `, ${s.studentCount} students` : ''} [${s.provider} ${s.externalId}]`);
  }
  return lines.join('\n');
}

/**
 * `rollcall users find|diagnose`: support's lookup from a terminal. Adds to the
 * `users` command admin.commands.ts creates (or creates it when run alone).
 */
export function registerUserCommands(program: Command): void {
  const users = program.commands.find((c) => c.name() === 'users') ?? program.command('users').description('Manage user accounts');

  users
    .command('find <query>')
    .description('Find users by part of a name or email, or by a Clever/ClassLink id')
    .option('--json', 'print JSON')
    .action(async (query: string, opts: { json?: boolean }) => {
      const found = await withContext((ctx) => ctx.services.support.findUsers(cli, query));
      print(!!opts.json, found, () =>
        found.length === 0
          ? `No users match "${query}".`
          : found
              .map((u) => `${u.id}  ${u.role.padEnd(8)} ${u.name}${u.email ? ` <${u.email}>` : ''}${u.districtName ? `  ${u.districtName}` : ''}${u.providers.length ? `  [${u.providers.join(', ')}]` : ''}`)
              .join('\n'),
      );
    });

  users
    .command('diagnose <email>')
    .description("Why a teacher can't see Add from Rostering Service: the same checks and next step they see")
    .option('--json', 'print JSON')
    .action(async (email: string, opts: { json?: boolean }) => {
      const { diagnoses, publicUrl } = await withContext(async (ctx) => ({ diagnoses: await ctx.services.diagnosis.forEmail(email), publicUrl: ctx.config.publicUrl }));
      print(!!opts.json, diagnoses.length === 1 ? diagnoses[0] : diagnoses, () => diagnoses.map((d) => formatDiagnosis(d, publicUrl)).join('\n\n'));
    });
}
