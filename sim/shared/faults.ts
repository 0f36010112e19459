import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestPath } from './http.ts';

/**
 * Fault injection: make the next N matching responses fail the way real
 * provider outages look. Request-phase faults (server error, rate limit,
 * slow) act before the handler; body faults (truncated JSON, missing
 * collection key, empty roster) rewrite a successful JSON response; the
 * pagination loop is consumed by list handlers; revoked credentials is a
 * switch that stays on until restored.
 */
export type FaultKind =
  | 'server-error'
  | 'rate-limit'
  | 'slow'
  | 'truncated-json'
  | 'missing-collection-key'
  | 'empty-roster'
  | 'revoked-credentials'
  | 'pagination-loop';

export const FAULT_KINDS: readonly FaultKind[] = [
  'server-error',
  'rate-limit',
  'slow',
  'truncated-json',
  'missing-collection-key',
  'empty-roster',
  'revoked-credentials',
  'pagination-loop',
];

export interface FaultOptions {
  /** How many matching responses to affect (default 1; ignored for revoked-credentials). */
  count?: number;
  /** Only requests whose path starts with this prefix. */
  pathPrefix?: string;
  /** For 'slow'. Default 2000 ms. */
  delayMs?: number;
  /** For 'rate-limit'. Default 30 s. */
  retryAfterSeconds?: number;
}

export interface ActiveFault {
  kind: FaultKind;
  remaining: number;
  pathPrefix: string;
  delayMs: number;
  retryAfterSeconds: number;
}

export class FaultRegistry {
  private faults: ActiveFault[] = [];
  private revokedFlag = false;

  inject(kind: FaultKind, options: FaultOptions = {}): void {
    if (!FAULT_KINDS.includes(kind)) throw new Error(`unknown fault "${kind}"`);
    if (kind === 'revoked-credentials') {
      this.revokedFlag = true;
      return;
    }
    this.faults.push({
      kind,
      remaining: Math.max(1, Math.floor(options.count ?? 1)),
      pathPrefix: options.pathPrefix ?? '',
      delayMs: options.delayMs ?? 2000,
      retryAfterSeconds: options.retryAfterSeconds ?? 30,
    });
  }

  /** Credentials work again. */
  restore(): void {
    this.revokedFlag = false;
  }

  clear(): void {
    this.faults = [];
    this.revokedFlag = false;
  }

  get revoked(): boolean {
    return this.revokedFlag;
  }

  active(): readonly ActiveFault[] {
    return this.faults.filter((f) => f.remaining > 0);
  }

  /** Consume one use of the first pending fault of these kinds matching the path. */
  take(path: string, kinds: readonly FaultKind[]): ActiveFault | undefined {
    if (path.startsWith('/_control')) return undefined;
    const fault = this.faults.find((f) => f.remaining > 0 && kinds.includes(f.kind) && path.startsWith(f.pathPrefix));
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }
}

/** How one provider renders faults and recognizes its list envelopes. */
export interface FaultStyle {
  serverError(req: FastifyRequest, reply: FastifyReply): FastifyReply;
  rateLimited(req: FastifyRequest, reply: FastifyReply, retryAfterSeconds: number): FastifyReply;
  /** Name of the collection key if this JSON body is a list response. */
  collectionKey(body: Record<string, unknown>): string | undefined;
  /** Header adjustments after emptying a list (e.g. X-Total-Count). */
  onEmptied?(reply: FastifyReply): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function installFaults(app: FastifyInstance, registry: FaultRegistry, style: FaultStyle): void {
  app.addHook('onRequest', async (req, reply) => {
    const path = requestPath(req);
    const fault = registry.take(path, ['server-error', 'rate-limit', 'slow']);
    if (fault === undefined) return;
    if (fault.kind === 'slow') {
      await sleep(fault.delayMs);
      return;
    }
    if (fault.kind === 'server-error') return style.serverError(req, reply);
    return style.rateLimited(req, reply, fault.retryAfterSeconds);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.includes('json')) return payload;
    const path = requestPath(req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(payload) as Record<string, unknown>;
    } catch {
      return payload;
    }
    const key = body !== null && typeof body === 'object' ? style.collectionKey(body) : undefined;
    const kinds: FaultKind[] = key === undefined ? ['truncated-json'] : ['truncated-json', 'missing-collection-key', 'empty-roster'];
    const fault = registry.take(path, kinds);
    if (fault === undefined) return payload;
    if (fault.kind === 'truncated-json') {
      // Cut mid-document: the status and headers still claim success.
      return payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
    }
    if (key === undefined) return payload;
    if (fault.kind === 'missing-collection-key') {
      delete body[key];
      return JSON.stringify(body);
    }
    body[key] = [];
    style.onEmptied?.(reply);
    return JSON.stringify(body);
  });
}
