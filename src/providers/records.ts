import { ProviderError, type ProviderKind } from './roster-provider.ts';
import type { Mapped } from './wire.ts';

/** Shared by both adapters: keeping mapped records, reporting skipped ones, and 404 as "gone". */

const LABEL: Record<ProviderKind, string> = { clever: 'Clever', classlink: 'ClassLink' };

/** The records that mapped; each skipped one becomes a warning naming the collection and record id (never its content). */
export function keepMapped<T>(provider: ProviderKind, collection: string, results: readonly Mapped<T>[], warnings: string[]): T[] {
  const out: T[] = [];
  for (const r of results) {
    if (r.ok) out.push(r.value);
    else warnings.push(`${LABEL[provider]} ${collection} record${r.id === undefined ? '' : ` ${r.id}`} skipped: ${r.reason}`);
  }
  return out;
}

/** Providers answer 404 for unknown, unshared and deleted records alike: all mean "gone". */
export async function orNull<T>(load: () => Promise<T | null>): Promise<T | null> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof ProviderError && err.kind === 'not_found') return null;
    throw err;
  }
}
