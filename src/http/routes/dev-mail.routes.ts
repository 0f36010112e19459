import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';

/**
 * The development mail page's data. Registered only when mail is captured
 * (no SMTP_URL) and not in production, so it cannot expose real mail.
 */
export function devMailRoutes(app: FastifyInstance, ctx: AppContext): void {
  if (!ctx.mailer.capturing || ctx.config.env === 'production') return;
  app.get('/api/dev/mail', async () => {
    const messages = await ctx.store.mail.list();
    return { messages: messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })) };
  });
}
