import { describe, expect, it } from 'vitest';
import { readAhead } from './concurrency.ts';

/** Five items; `log.pulled` counts the ones produced, `log.closed` whether the source was told to stop. */
async function* numbers(log: { pulled: number; closed: boolean }, failAt?: number) {
  try {
    for (let i = 1; i <= 5; i++) {
      if (i === failAt) throw new Error(`page ${i} failed`);
      log.pulled++;
      yield i;
    }
  } finally {
    log.closed = true;
  }
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('readAhead', () => {
  it('keeps the order and reads ahead of the consumer, by at most `depth` items', async () => {
    const log = { pulled: 0, closed: false };
    const seen: number[] = [];
    for await (const n of readAhead(numbers(log), 2)) {
      await tick();
      // While the consumer works on item n, the next ones arrive, but never more than two.
      expect(log.pulled).toBe(Math.min(5, n + 2));
      seen.push(n);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('hands a failure of the source to the consumer in its place', async () => {
    const seen: number[] = [];
    const run = async () => {
      for await (const n of readAhead(numbers({ pulled: 0, closed: false }, 3), 4)) seen.push(n);
    };
    await expect(run()).rejects.toThrow('page 3 failed');
    expect(seen).toEqual([1, 2]);
  });

  it('closes the source when the consumer stops early', async () => {
    const log = { pulled: 0, closed: false };
    for await (const n of readAhead(numbers(log), 1)) if (n === 2) break;
    await tick();
    expect(log.closed).toBe(true);
    expect(log.pulled).toBeLessThan(5);
  });
});
