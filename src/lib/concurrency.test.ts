import { describe, expect, it } from 'vitest';
import { readAhead } from './concurrency.ts';

async function* numbers(log: number[], failAt?: number) {
  for (let i = 1; i <= 5; i++) {
    if (i === failAt) throw new Error(`page ${i} failed`);
    log.push(i);
    yield i;
  }
}

describe('readAhead', () => {
  it('keeps the order and reads at most `depth` items ahead of the consumer', async () => {
    const pulled: number[] = [];
    const seen: number[] = [];
    const pages = readAhead(numbers(pulled), 2);
    for await (const n of pages) {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(n);
      expect(pulled.length).toBeLessThanOrEqual(n + 2);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('hands a failure of the source to the consumer in its place', async () => {
    const seen: number[] = [];
    const run = async () => {
      for await (const n of readAhead(numbers([], 3), 4)) seen.push(n);
    };
    await expect(run()).rejects.toThrow('page 3 failed');
    expect(seen).toEqual([1, 2]);
  });

  it('stops reading once closed', async () => {
    const pulled: number[] = [];
    const pages = readAhead(numbers(pulled), 1);
    for await (const n of pages) if (n === 2) break;
    await new Promise((r) => setTimeout(r, 10));
    expect(pulled.length).toBeLessThanOrEqual(3);
  });
});
