import type { Command } from 'commander';
import type { AppContext } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { print, withContext } from './runtime.ts';

const cli = { kind: 'cli' } as const;

async function districtId(ctx: AppContext, idOrName: string): Promise<string> {
  const found = (await ctx.store.districts.findByName(idOrName)) ?? (/^[0-9a-f-]{36}$/i.test(idOrName) ? await ctx.store.districts.findById(idOrName) : undefined);
  if (!found) throw new AppError('not_found', `No district with id or name "${idOrName}". List them with: rollcall districts list`);
  return found.id;
}

/** rollcall integrations …: connect a district to Clever or ClassLink, list, test. */
export function registerIntegrationCommands(program: Command): void {
  const integrations = program.command('integrations').description("Connect districts to Clever or ClassLink and test the connections");

  integrations
    .command('add-clever')
    .description("Connect a district to Clever (Rollcall finds the district-app token in Clever's token listing)")
    .requiredOption('--district <idOrName>', 'Rollcall district id or exact name')
    .requiredOption('--clever-district-id <id>', "the district's Clever id (24 hex characters)")
    .option('--json', 'print JSON')
    .action(async (opts: { district: string; cleverDistrictId: string; json?: boolean }) => {
      const integration = await withContext(async (ctx) => ctx.services.integrations.connectClever(cli, { districtId: await districtId(ctx, opts.district), cleverDistrictId: opts.cleverDistrictId }));
      print(!!opts.json, { id: integration.id, provider: integration.provider, tenantKey: integration.tenantKey }, () => `Connected ${integration.districtName} to Clever (${integration.id})`);
    });

  integrations
    .command('add-classlink')
    .description("Connect a district to ClassLink's Roster Server (OneRoster 1.1 or 1.2)")
    .requiredOption('--district <idOrName>', 'Rollcall district id or exact name')
    .requiredOption('--tenant-id <id>', 'ClassLink tenant id')
    .requiredOption('--roster-server <url>', 'Roster Server base address')
    .option('--version <v>', 'OneRoster version: 1.1 or 1.2', '1.1')
    .requiredOption('--key <key>', 'Roster Server key / client id')
    .option('--secret <secret>', 'Roster Server secret (or set ROLLCALL_ROSTER_SECRET)')
    .option('--json', 'print JSON')
    .action(async (opts: { district: string; tenantId: string; rosterServer: string; version: string; key: string; secret?: string; json?: boolean }) => {
      const integration = await withContext(async (ctx) =>
        ctx.services.integrations.connectClassLink(cli, {
          districtId: await districtId(ctx, opts.district),
          tenantId: opts.tenantId,
          rosterServerUrl: opts.rosterServer,
          oneRosterVersion: opts.version,
          clientId: opts.key,
          clientSecret: opts.secret ?? process.env.ROLLCALL_ROSTER_SECRET ?? '',
        }),
      );
      print(!!opts.json, { id: integration.id, provider: integration.provider, tenantKey: integration.tenantKey }, () => `Connected ${integration.districtName} to ClassLink (${integration.id})`);
    });

  integrations
    .command('list')
    .description('List integrations and their status')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const all = await withContext((ctx) => ctx.services.integrations.list(cli));
      const shown = all.map((i) => ({ id: i.id, district: i.districtName, provider: i.provider, tenantKey: i.tenantKey, status: i.status, statusReason: i.statusReason, lastTestAt: i.lastTestAt }));
      print(!!opts.json, shown, () => (shown.length === 0 ? 'No integrations yet.' : shown.map((i) => `${i.id}  ${i.provider.padEnd(9)} ${i.status.padEnd(15)} ${i.district}`).join('\n')));
    });

  integrations
    .command('test <integrationId>')
    .description('Call the provider and report what it shares, or the exact failure')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const result = await withContext((ctx) => ctx.services.integrations.test(cli, id));
      print(!!opts.json, result, () =>
        result.ok
          ? `OK: ${result.report.district.name}: ${result.report.schools} schools, ${result.report.teachers} teachers, ${result.report.sections} sections, ${result.report.students} students`
          : `FAILED (${result.kind}): ${result.message}`,
      );
      if (!result.ok) process.exitCode = 3;
    });
}
