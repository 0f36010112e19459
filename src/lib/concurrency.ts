/** Runs `work` over `items` with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(runners);
  return results;
}

/** Rejects with `onTimeout()` if `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    }),
  ]);
}

/**
 * Pulls up to `depth` items of `source` ahead of the consumer, so a slow source
 * (provider pages) and a slow consumer (database writes) overlap. A failure of
 * the source reaches the consumer in order; `close` stops reading ahead.
 */
export function readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncIterable<T> & { close(): void } {
  const it = source[Symbol.asyncIterator]();
  const buffer: Promise<IteratorResult<T>>[] = [];
  let finished = false;
  const fill = () => {
    while (!finished && buffer.length < depth) {
      // An async generator serves queued next() calls one after the other, in order.
      const next = it.next();
      next.then(
        (r) => {
          if (r.done) finished = true;
        },
        () => {
          finished = true;
        },
      );
      buffer.push(next);
    }
  };
  return {
    close() {
      finished = true;
      buffer.length = 0;
      void Promise.resolve(it.return?.()).catch(() => undefined);
    },
    [Symbol.asyncIterator]() {
      return {
        next: async () => {
          fill();
          const next = buffer.shift() ?? it.next();
          const result = await next;
          if (!result.done) fill();
          return result;
        },
        return: async () => {
          this.close();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
