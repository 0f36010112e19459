import { createHash } from 'node:crypto';

/**
 * Client-side pacing per credential, so a sync stays under a provider's
 * documented limit instead of discovering it through 429 storms (Clever:
 * 1200 requests/minute per bearer token, counted in a fixed window).
 *
 * The bucket is sized so that no 60-second window can exceed the limit:
 * capacity (burst) + refill over a minute = limit. A plain "limit per minute"
 * bucket could spend a full bucket at the end of one server window and
 * another at the start of the next.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number | null = null;
  private pausedUntil = 0;
  readonly capacity: number;
  private readonly refillPerMs: number;

  constructor(requestsPerMinute: number) {
    this.capacity = Math.max(1, Math.floor(requestsPerMinute / 20));
    this.refillPerMs = Math.max(requestsPerMinute - this.capacity, 1) / 60_000;
    this.tokens = this.capacity;
  }

  /** Takes a token and returns 0, or returns how long to wait before asking again. */
  tryTake(now: number): number {
    if (this.updatedAt !== null && now > this.updatedAt) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.refillPerMs);
    }
    this.updatedAt = now;
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.tokens) / this.refillPerMs);
  }

  /** The server said the window is spent (429, or X-RateLimit-Remaining: 0): everyone on this credential waits. */
  pauseUntil(at: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, at);
  }
}

export async function acquire(bucket: TokenBucket, now: () => number, sleep: (ms: number) => Promise<void>): Promise<void> {
  for (;;) {
    const wait = bucket.tryTake(now());
    if (wait <= 0) return;
    await sleep(wait);
  }
}

// Shared across provider instances: the lead may build a provider per request,
// but the limit belongs to the credential, not to the object.
const buckets = new Map<string, TokenBucket>();

/** The bucket for one credential; the credential itself is only kept as a hash. */
export function bucketFor(scope: string, credential: string, requestsPerMinute: number): TokenBucket {
  const key = `${scope}:${requestsPerMinute}:${createHash('sha256').update(credential).digest('hex')}`;
  let bucket = buckets.get(key);
  if (bucket === undefined) {
    bucket = new TokenBucket(requestsPerMinute);
    buckets.set(key, bucket);
  }
  return bucket;
}
