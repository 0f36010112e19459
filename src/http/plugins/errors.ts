import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorCodes } from '../../lib/errors.ts';

/** The one place errors become HTTP responses. Unknown errors are logged and never leaked. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(errorCodes[error.code]).send({ error: { code: error.code, message: error.message, fields: error.fields } });
    }
    const fe = error as FastifyError;
    if (fe.code === 'FST_CSRF_INVALID_TOKEN' || fe.code === 'FST_CSRF_MISSING_SECRET') {
      return reply.status(403).send({ error: { code: 'forbidden', message: 'Your session form token is missing or out of date. Reload the page and try again.', fields: [] } });
    }
    if (fe.statusCode === 429) {
      return reply.status(429).send({ error: { code: 'rate_limited', message: 'Too many attempts. Wait a minute and try again.', fields: [] } });
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({ error: { code: 'validation_failed', message: 'The request is too large.', fields: [] } });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ error: { code: 'validation_failed', message: 'The request could not be read.', fields: [] } });
    }
    request.log.error({ err: { message: error.message, stack: error.stack, code: fe.code } }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side. Try again; if it keeps happening, contact support.', fields: [] } });
  });
}

/**
 * Errors Fastify raises before routing (a path segment over the 100-character
 * limit, a malformed percent-encoding): the same error shape as everything
 * else, instead of Fastify's own body echoing the path.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const message = tooLong ? 'A part of the address is too long.' : 'The address could not be read.';
  void reply
    .status(tooLong ? 414 : 400)
    .header('x-content-type-options', 'nosniff')
    .send({ error: { code: 'validation_failed', message, fields: [{ field: 'url', message }] } });
}
