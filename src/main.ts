import { Command } from 'commander';
import { registerAdminCommands } from './cli/admin.commands.ts';
import { registerIntegrationCommands } from './cli/integrations.commands.ts';
import { registerKeyCommands } from './cli/keys.commands.ts';
import { registerUserCommands } from './cli/users.commands.ts';
import { registerSyncCommand } from './cli/sync.command.ts';
import { registerStudentCommands } from './cli/students.commands.ts';
import { runRoles } from './cli/run.command.ts';
import { withContext } from './cli/runtime.ts';

const program = new Command()
  .name('rollcall')
  .description('Rollcall: class rosters from Clever and ClassLink.\nWith no command, runs the web server and the workers in one process.')
  .action(() => runRoles({ web: true, worker: true }));

program.command('serve').description('Run the web server only (PostgreSQL; on the embedded database it runs everything)').action(() => runRoles({ web: true, worker: false }));
program.command('worker').description('Run background job workers only (PostgreSQL; on the embedded database it runs everything)').action(() => runRoles({ web: false, worker: true }));
program
  .command('migrate')
  .description('Apply database migrations and exit (they also run at every start)')
  .action(async () => {
    await withContext(async () => undefined);
    process.stdout.write('Database is up to date.\n');
  });
program
  .command('sim')
  .description('Run the Clever and ClassLink simulators alone (development, tests, benchmarks)')
  .option('--students <n>', 'size of the generated district', (v) => Number.parseInt(v, 10))
  .option('--seed <n>', 'generator seed', (v) => Number.parseInt(v, 10))
  .option('--clever-port <port>', 'Clever simulator port', (v) => Number.parseInt(v, 10))
  .option('--classlink-port <port>', 'ClassLink simulator port', (v) => Number.parseInt(v, 10))
  .option('--host <host>', 'interface to listen on')
  .action(async (opts: { students?: number; seed?: number; cleverPort?: number; classlinkPort?: number; host?: string }) => {
    // The simulators are a development tool: loaded only for this command, never by the app itself.
    const { runSimCommand } = await import('../sim/cli.ts');
    await runSimCommand(opts);
  });
registerAdminCommands(program);
registerIntegrationCommands(program);
registerKeyCommands(program);
registerUserCommands(program);
registerSyncCommand(program);
registerStudentCommands(program);

await program.parseAsync(process.argv);
