import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { apiDoc } from '../openapi.ts';
import { localOrToken } from '../plugins/local-only.ts';

/**
 * The development mail page's data. Registered only when mail is captured
 * (no SMTP_URL) and not in production, so it cannot expose real mail; and
 * served only to this machine, because captured invitation and password-reset
 * links are credentials (a demo started with HOST=0.0.0.0 must not hand them
 * to the network).
 */
export function devMailRoutes(app: FastifyInstance, ctx: AppContext): void {
  if (!ctx.mailer.capturing || ctx.config.env === 'production') return;
  const onlyHere = localOrToken(undefined, 'Captured mail is shown only on the machine running Rollcall (open /dev/mail there).');
  app.get('/api/dev/mail', { onRequest: onlyHere, schema: apiDoc({ summary: 'Development only: the emails Rollcall captured instead of sending (served to this machine only)', tags: ['development'], responses: { 200: 'OK', 403: 'Not a request made on this machine' } }) }, async () => {
    const messages = await ctx.store.mail.list();
    return { messages: messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })) };
  });
}
