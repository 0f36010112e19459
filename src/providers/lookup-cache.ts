/**
 * Per-provider-instance cache for records that sections only reference by id
 * (terms, courses). A few unknown ids are fetched one by one (the import page
 * needs a teacher's five courses, not the district's five thousand); many
 * unknown ids load the whole collection once (reconciliation). Ids that turn
 * out not to exist are remembered as null so they cost one request, once.
 */
export interface LookupSource<T> {
  all(): Promise<Iterable<readonly [string, T]>>;
  /** null when the record does not exist (404). */
  one(id: string): Promise<T | null>;
}

const PARALLEL_FETCHES = 4;

export class LookupCache<T> {
  private readonly known = new Map<string, T | null>();
  private loadingAll: Promise<void> | null = null;

  constructor(
    private readonly source: LookupSource<T>,
    /** More unknown ids than this → load the collection instead. */
    private readonly fewIds = 8,
  ) {}

  async resolve(ids: Iterable<string>): Promise<ReadonlyMap<string, T | null>> {
    const wanted = [...new Set(ids)];
    let missing = wanted.filter((id) => !this.known.has(id));
    if (missing.length > this.fewIds && this.loadingAll === null) {
      this.loadingAll = this.loadAll();
    }
    if (this.loadingAll !== null && missing.length > 0) {
      await this.loadingAll;
      missing = missing.filter((id) => !this.known.has(id));
    }
    for (let i = 0; i < missing.length; i += PARALLEL_FETCHES) {
      const batch = missing.slice(i, i + PARALLEL_FETCHES);
      const found = await Promise.all(batch.map((id) => this.source.one(id)));
      batch.forEach((id, n) => this.known.set(id, found[n] ?? null));
    }
    return new Map(wanted.map((id) => [id, this.known.get(id) ?? null]));
  }

  async get(id: string): Promise<T | null> {
    return (await this.resolve([id])).get(id) ?? null;
  }

  /** Change feeds keep the cache true: an updated term or course replaces the cached one. */
  set(id: string, value: T | null): void {
    this.known.set(id, value);
  }

  forget(id: string): void {
    this.known.delete(id);
  }

  private async loadAll(): Promise<void> {
    try {
      for (const [id, value] of await this.source.all()) this.known.set(id, value);
    } catch (err) {
      this.loadingAll = null; // a failed bulk load may be retried by the next caller
      throw err;
    }
  }
}
