import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs, one JSON object per line on stdout. Correlation ids:
 * every line of an HTTP request carries `reqId` (Fastify's child logger; the
 * response echoes it as `x-request-id`), and every line of a sync run carries
 * `syncRunId` — log through `logger.child({ syncRunId })` for the run's length.
 *
 * Redaction is a second line of defence: code must not
 * log personal data or secrets in the first place, but if a request object or
 * a provider payload slips through, these paths are blanked.
 */
export const redactedPaths = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'email',
  '*.email',
  'name',
  '*.name',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'accessToken',
  '*.accessToken',
];

/** A path segment that may be a secret: invitation and reset tokens, session ids, long opaque ids. */
const OPAQUE_SEGMENT = /^[A-Za-z0-9_~.%-]{20,}$|@|%40/;

/**
 * The URL as it may be logged: the matched route pattern ("/api/invitations/:token"),
 * or for unmatched paths (the web UI's own pages, e.g. "/invitations/<token>")
 * the path with opaque segments masked. Never the query string (OAuth codes and
 * state, email-link tokens).
 */
export function logSafeUrl(request: { url?: string; routeOptions?: { url?: string } }): string {
  const pattern = request.routeOptions?.url;
  if (pattern) return pattern;
  const path = (request.url ?? '').split('?')[0] ?? '';
  return path
    .split('/')
    .map((segment) => (OPAQUE_SEGMENT.test(segment) ? ':redacted' : segment))
    .join('/');
}

/**
 * Fastify's default request serializer logs the raw URL (with its query) and the
 * client's address; ours logs the method and the safe URL only. The request id
 * is on every request log line already (`reqId`, Fastify's child logger binding).
 */
const serializers = {
  req: (request: { method?: string; url?: string; routeOptions?: { url?: string } }) => ({ method: request.method, url: logSafeUrl(request) }),
};

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: 'rollcall' },
      serializers,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as pino.DestinationStream | undefined,
  );
}
