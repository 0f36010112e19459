import { ConfigError, loadConfig, type Config } from '../config/config.ts';
import { createContext, type AppContext, type ContextOptions } from '../context.ts';
import { DataDirLockedError } from '../db/lock.ts';
import { DatabaseUnavailableError } from '../db/database.ts';
import { AppError } from '../lib/errors.ts';
import { createLogger, type Logger } from '../lib/logger.ts';

export function bootConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

export function fail(message: string, code = 1): never {
  process.stderr.write(`rollcall: ${message}\n`);
  process.exit(code);
}

/** Runs a short CLI command with a context, printing domain errors plainly. */
export async function withContext<T>(
  work: (ctx: AppContext) => Promise<T>,
  options: Partial<ContextOptions> = {},
): Promise<T> {
  const config = bootConfig();
  const logger: Logger = options.logger ?? createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr);
  let ctx: AppContext | undefined;
  try {
    ctx = await createContext(config, { logger, supervise: false, poolSize: 2, ...options });
    return await work(ctx);
  } catch (error) {
    return explainAndExit(error);
  } finally {
    await ctx?.close();
  }
}

export function explainAndExit(error: unknown): never {
  if (error instanceof AppError) {
    const fields = error.fields.filter((f) => f.message !== error.message).map((f) => `\n  ${f.field}: ${f.message}`).join('');
    fail(`${error.message}${fields}`, 2);
  }
  if (error instanceof DataDirLockedError || error instanceof DatabaseUnavailableError || error instanceof ConfigError) fail(error.message);
  throw error;
}

export function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}
