import type { FastifyInstance } from 'fastify';

/**
 * Makes `app.close()` finish as soon as the requests in flight are answered.
 * Node's server.close() reaps only the keep-alive connections idle at that
 * moment; a connection whose request was in flight goes back to idle after its
 * response and would hold the close open for the whole keep-alive timeout
 * (72 s in Fastify). So while closing, responses say `Connection: close`, and
 * connections that turn idle are closed on a short interval.
 */
export function registerGracefulClose(app: FastifyInstance): void {
  let closing = false;
  let reaper: NodeJS.Timeout | undefined;
  app.addHook('preClose', (done) => {
    closing = true;
    if (app.server.listening) {
      reaper = setInterval(() => app.server.closeIdleConnections(), 100);
      reaper.unref();
    }
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing && !reply.raw.headersSent) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onClose', (_instance, done) => {
    clearInterval(reaper);
    done();
  });
}
