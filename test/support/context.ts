import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { createContext, type AppContext } from '../../src/context.ts';
import { createLogger } from '../../src/lib/logger.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createTestDatabase } from './database.ts';

/** A clock tests can move forward (expiry) without sleeping. */
export class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** Every log line of the context, so privacy tests can scan them. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestContext {
  readonly ctx: AppContext;
  readonly clock: TestClock;
  readonly logs: LogCapture;
  readonly masterKey: Buffer;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'http://rollcall.test', LOG_LEVEL: 'info', ROLLCALL_DEMO: 'false', ...overrides });
}

export async function createTestContext(overrides: Record<string, string> = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const clock = new TestClock();
  const logs = new LogCapture();
  const masterKey = randomBytes(32);
  const ctx = await createContext(testConfig(overrides), {
    logger: createLogger('info', logs),
    clock,
    target: database.target,
    masterKey,
    supervise: false,
    poolSize: 4,
  });
  return {
    ctx,
    clock,
    logs,
    masterKey,
    async close() {
      await ctx.close();
      await database.drop();
    },
  };
}
