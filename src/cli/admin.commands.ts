import type { Command } from 'commander';
import { print, withContext } from './runtime.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../lib/errors.ts';

const cli = { kind: 'cli' } as const;

async function resolveDistrict(ctx: AppContext, idOrName: string): Promise<string> {
  const byName = await ctx.store.districts.findByName(idOrName);
  if (byName) return byName.id;
  if (/^[0-9a-f-]{36}$/i.test(idOrName) && (await ctx.store.districts.findById(idOrName))) return idOrName;
  throw new AppError('not_found', `No district with id or name "${idOrName}". List them with: rollcall districts list`);
}

/** Operator commands: districts, schools, licenses and users, each with --json. */
export function registerAdminCommands(program: Command): void {
  const districts = program.command('districts').description('Create and list districts');
  districts
    .command('add <name>')
    .description('Create a district')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const d = await withContext((ctx) => ctx.services.operator.createDistrict(cli, name));
      print(!!opts.json, d, () => `Created district "${d.name}" (${d.id})`);
    });
  districts
    .command('list')
    .description('List districts with their schools and licenses')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const all = await withContext((ctx) => ctx.services.operator.overview(cli));
      print(!!opts.json, all, () =>
        all.length === 0
          ? 'No districts yet. Create one with: rollcall districts add "<name>"'
          : all
              .map((d) =>
                [
                  `${d.name} (${d.id})`,
                  ...d.schools.map((s) => `  school  ${s.name} (${s.id})`),
                  ...d.licenses.map((l) => `  license ${l.name} (${l.id}) ${l.seatsUsed}/${l.seats} seats ${l.startsOn}..${l.endsOn}`),
                ].join('\n'),
              )
              .join('\n'),
      );
    });
  districts
    .command('add-admin')
    .description('Make an existing account a district administrator')
    .requiredOption('--district <idOrName>', 'district id or exact name')
    .requiredOption('--email <email>', 'the account email')
    .option('--json', 'print JSON')
    .action(async (opts: { district: string; email: string; json?: boolean }) => {
      const user = await withContext(async (ctx) => ctx.services.operator.addDistrictAdmin(cli, await resolveDistrict(ctx, opts.district), opts.email));
      print(!!opts.json, { userId: user.id }, () => `${opts.email} is now a district administrator`);
    });

  program
    .command('schools')
    .description('Manage schools')
    .command('add <name>')
    .description('Create a school in a district')
    .requiredOption('--district <idOrName>', 'district id or exact name')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { district: string; json?: boolean }) => {
      const school = await withContext(async (ctx) => ctx.services.operator.createSchool(cli, await resolveDistrict(ctx, opts.district), name));
      print(!!opts.json, school, () => `Created school "${school.name}" (${school.id})`);
    });

  const licenses = program.command('licenses').description('Create licenses and name their administrators');
  licenses
    .command('add')
    .description('Create a school or district license')
    .requiredOption('--district <idOrName>', 'district id or exact name')
    .option('--school <id>', 'school id (omit for a district-wide license)')
    .requiredOption('--name <name>', 'license name')
    .requiredOption('--seats <n>', 'number of teacher seats', (v) => Number.parseInt(v, 10))
    .requiredOption('--starts <YYYY-MM-DD>', 'first day')
    .requiredOption('--ends <YYYY-MM-DD>', 'last day')
    .option('--json', 'print JSON')
    .action(async (opts: { district: string; school?: string; name: string; seats: number; starts: string; ends: string; json?: boolean }) => {
      const license = await withContext(async (ctx) =>
        ctx.services.operator.createLicense(cli, {
          districtId: await resolveDistrict(ctx, opts.district),
          schoolId: opts.school ?? null,
          name: opts.name,
          seats: opts.seats,
          startsOn: opts.starts,
          endsOn: opts.ends,
        }),
      );
      print(!!opts.json, license, () => `Created license "${license.name}" (${license.id}), ${license.seats} seats`);
    });
  licenses
    .command('add-admin <licenseId>')
    .description('Name a license administrator (they get an email to set up their account)')
    .requiredOption('--email <email>', 'their email')
    .requiredOption('--name <name>', 'their name')
    .option('--json', 'print JSON')
    .action(async (licenseId: string, opts: { email: string; name: string; json?: boolean }) => {
      const user = await withContext(async (ctx) => {
        const admin = await ctx.services.operator.addLicenseAdmin(cli, licenseId, { email: opts.email, name: opts.name });
        // Short-lived CLI: deliver the setup email now rather than leaving it for a worker.
        await ctx.queue.drain(ctx.jobHandlers, ctx.logger);
        return admin;
      });
      print(!!opts.json, { userId: user.id, email: user.email }, () => `${user.email} administers license ${licenseId}`);
    });

  const users = program.command('users').description('Manage user accounts');
  users
    .command('add-operator')
    .description('Create a Rollcall operator (support staff) account')
    .requiredOption('--email <email>', 'their email')
    .requiredOption('--name <name>', 'their name')
    .option('--password <password>', 'their password (or set ROLLCALL_OPERATOR_PASSWORD)')
    .option('--json', 'print JSON')
    .action(async (opts: { email: string; name: string; password?: string; json?: boolean }) => {
      const password = opts.password ?? process.env.ROLLCALL_OPERATOR_PASSWORD ?? '';
      const user = await withContext((ctx) => ctx.services.operator.addOperator({ email: opts.email, name: opts.name, password }));
      print(!!opts.json, { userId: user.id, email: user.email }, () => `Created operator ${user.email}`);
    });
}
