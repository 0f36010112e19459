import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { createTestContext, type TestContext } from '../../test/support/context.ts';
import { freePort } from '../../test/support/processes.ts';

/** A real Rollcall server (web + workers) on a free port, on PGlite or TEST_DATABASE_URL. */
export async function startServer(env: Record<string, string> = {}, fixedPort?: number): Promise<{ t: TestContext; app: FastifyInstance; url: string; stop(): Promise<void> }> {
  const port = fixedPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const t = await createTestContext({ PUBLIC_URL: url, PORT: String(port), SIGNIN_RATE_LIMIT: '1000', ...env });
  await t.ctx.queue.work(t.ctx.jobHandlers, t.ctx.logger);
  const app = await buildApp(t.ctx);
  await app.listen({ host: '127.0.0.1', port });
  return {
    t,
    app,
    url,
    async stop() {
      await app.close();
      await t.close();
    },
  };
}
