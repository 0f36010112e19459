import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { SimClock } from '../shared/clock.ts';

/**
 * Clever's documented limit: N requests per minute per bearer token, in a
 * fixed window that resets each minute; 429 with an empty body when exceeded.
 * Headers go on every response so clients can pace themselves.
 */
export interface RateState {
  limit: number;
  remaining: number;
  resetSeconds: number;
  bucket: string;
  limited: boolean;
}

export class RateLimiter {
  private windows = new Map<string, { window: number; count: number }>();
  private currentWindow = -1;

  constructor(
    private readonly clock: SimClock,
    public perMinute: number,
  ) {}

  hit(token: string): RateState {
    const now = this.clock.nowMs();
    const window = Math.floor(now / 60_000);
    if (window !== this.currentWindow) {
      // A new minute: every bucket starts over, so old entries can go.
      this.windows = new Map();
      this.currentWindow = window;
    }
    const entry = this.windows.get(token) ?? { window, count: 0 };
    entry.count += 1;
    this.windows.set(token, entry);
    return {
      limit: this.perMinute,
      remaining: Math.max(0, this.perMinute - entry.count),
      resetSeconds: (window + 1) * 60,
      bucket: createHash('sha256').update(token).digest('hex').slice(0, 16),
      limited: entry.count > this.perMinute,
    };
  }

  reset(): void {
    this.windows = new Map();
  }
}

export function setRateHeaders(reply: FastifyReply, state: Pick<RateState, 'limit' | 'remaining' | 'resetSeconds' | 'bucket'>): void {
  reply.header('X-RateLimit-Limit', String(state.limit));
  reply.header('X-RateLimit-Remaining', String(state.remaining));
  reply.header('X-RateLimit-Reset', String(state.resetSeconds));
  reply.header('X-RateLimit-Bucket', state.bucket);
}
