import type { Command } from 'commander';
import { print, withContext } from './runtime.ts';

/** rollcall sync <integration> [--full] [--dry-run]: runs a sync in this process with a progress line. */
export function registerSyncCommand(program: Command): void {
  program
    .command('sync <integrationId>')
    .description('Sync an integration now (a delta by default; --full for a full reconciliation)')
    .option('--full', 'full reconciliation instead of the change feed')
    .option('--dry-run', 'read the provider and report what would change, without writing')
    .option('--json', 'print JSON')
    .action(async (integrationId: string, opts: { full?: boolean; dryRun?: boolean; json?: boolean }) => {
      const interactive = process.stderr.isTTY && !opts.json;
      const result = await withContext((ctx) =>
        ctx.services.syncEngine.run(integrationId, {
          kind: opts.full ? 'full' : 'delta',
          trigger: opts.full ? 'full' : 'delta',
          dryRun: !!opts.dryRun,
          onProgress: ({ phase, done, total }) => {
            if (!interactive) return;
            const bar = total ? `[${'#'.repeat(Math.round((20 * done) / total)).padEnd(20, '.')}] ${done}/${total}` : `${done}`;
            process.stderr.write(`\r${phase.padEnd(12)} ${bar}   `);
          },
        }),
      );
      if (interactive) process.stderr.write('\n');
      print(!!opts.json, result, () =>
        [
          `${opts.dryRun ? 'Dry run' : 'Sync'} ${result.kind}: ${result.status}${result.error ? ` — ${result.error}` : ''}`,
          ...Object.entries(result.counts).map(([k, v]) => `  ${k.padEnd(16)} ${v}`),
          ...result.warnings.slice(0, 10).map((w) => `  warning: ${w}`),
        ].join('\n'),
      );
      if (result.status === 'failed') process.exitCode = 3;
      if (result.status === 'skipped') process.exitCode = 4;
    });
}
