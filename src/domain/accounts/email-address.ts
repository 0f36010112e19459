import { z } from 'zod';

const emailSchema = z.email();

/** Lower-cased and trimmed: addresses are compared case-insensitively everywhere. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return email.length <= 254 && emailSchema.safeParse(email).success;
}

/**
 * Splits pasted text ("a@x.org, B <b@x.org>; c@x.org\n…") into addresses,
 * keeping what the person typed so errors can name it.
 */
export function parseEmailList(text: string): { raw: string; email: string }[] {
  const parts = text
    .split(/[\n,;]+/)
    .flatMap((chunk) => {
      const angle = chunk.match(/<([^>]*)>/);
      if (angle) return [angle[1] ?? ''];
      return chunk.split(/\s+/);
    })
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return parts.map((raw) => ({ raw, email: normalizeEmail(raw) }));
}
