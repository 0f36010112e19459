/**
 * The simulators read time only through a SimClock so tests can inject a
 * fixed clock and move it (code expiry, token lifetime, rate-limit windows,
 * the 30-day event retention, OAuth 1.0a timestamp windows).
 */
export interface SimClock {
  now(): Date;
  nowMs(): number;
  /** Shift simulator time forward (or back) without touching the base clock. */
  advance(ms: number): void;
}

export function createClock(base: () => Date = () => new Date()): SimClock {
  let offset = 0;
  return {
    now: () => new Date(base().getTime() + offset),
    nowMs: () => base().getTime() + offset,
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

/** YYYY-MM-DD in UTC. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
