/** Which code bin/rollcall.mjs runs (see entry.mjs). */
export function chooseEntry(root: string, env?: Record<string, string | undefined>): 'dist' | 'source';
