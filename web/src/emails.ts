/**
 * A preview of what "Teacher emails" will add. The server parses the same text
 * and is the judge; this only helps the administrator see mistakes before
 * sending. Addresses are separated by commas, semicolons, spaces or new lines,
 * and "Name <email>" is allowed.
 */
export interface EmailsPreview {
  emails: string[];
  invalid: string[];
  duplicates: string[];
}

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;".]{2,}$/;

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

function candidates(chunk: string): string[] {
  if (!chunk.includes('<')) return chunk.split(/\s+/).filter(Boolean);
  const found: string[] = [];
  // Bracketed addresses; words outside brackets are names unless they hold an "@".
  const rest = chunk.replace(/<([^>]*)>?/g, (_m, inner: string) => {
    found.push(inner.trim());
    return ' ';
  });
  for (const word of rest.split(/\s+/)) {
    if (word.includes('@')) found.push(word);
  }
  return found;
}

export function parseEmails(text: string): EmailsPreview {
  const emails: string[] = [];
  const invalid: string[] = [];
  const duplicates: string[] = [];
  const seen = new Set<string>();
  // Quoted display names may hold commas: drop them before splitting.
  const unquoted = text.replace(/"[^"]*"/g, ' ');
  for (const chunk of unquoted.split(/[,;\r\n]+/)) {
    for (const raw of candidates(chunk)) {
      const value = raw.trim();
      if (!value) continue;
      if (!isEmail(value)) {
        invalid.push(value);
        continue;
      }
      const key = value.toLowerCase();
      if (seen.has(key)) {
        duplicates.push(value);
        continue;
      }
      seen.add(key);
      emails.push(value);
    }
  }
  return { emails, invalid, duplicates };
}
