/** "2025-08-01" → "Aug 1, 2025", read as a calendar date (no time-zone shift). */
export function formatDay(day: string): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return d.toLocaleDateString(undefined, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Split text into plain runs and http(s) links, trailing punctuation left out of the link. */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; href: string };

export function linkParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  const re = /https?:\/\/[^\s<>"']+/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    let href = m[0];
    const trail = /[.,;:!?)\]]+$/.exec(href);
    if (trail) href = href.slice(0, -trail[0].length);
    const start = m.index;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', href });
    last = start + href.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago `iso` was, in words: "just now", "1 minute ago", "5 minutes ago",
 * "3 hours ago", "yesterday", "4 days ago"; after 30 days the date itself
 * ("on Aug 1, 2025"). A time slightly in the future (clock skew) is "just now".
 */
export function timeAgo(iso: string, now: number = Date.now()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const ms = now - t;
  if (ms < 45_000) return 'just now';
  if (ms < HOUR) {
    const m = Math.max(1, Math.floor(ms / MINUTE));
    return `${plural(m, 'minute')} ago`;
  }
  if (ms < DAY) return `${plural(Math.floor(ms / HOUR), 'hour')} ago`;
  if (ms < 2 * DAY) return 'yesterday';
  if (ms < 30 * DAY) return `${Math.floor(ms / DAY)} days ago`;
  return `on ${formatDay(new Date(t).toISOString())}`;
}

/** "Last synced 5 minutes ago", or "Not synced yet". */
export function lastSyncedText(iso: string | null, now: number = Date.now()): string {
  return iso ? `Last synced ${timeAgo(iso, now)}` : 'Not synced yet';
}

/** "Aug 1, 2025 – Dec 19, 2025", "from Aug 1, 2025", "until Dec 19, 2025", or "" without dates. */
export function formatDates(start: string | null, end: string | null): string {
  if (start && end) return `${formatDay(start)} – ${formatDay(end)}`;
  if (start) return `from ${formatDay(start)}`;
  if (end) return `until ${formatDay(end)}`;
  return '';
}

/** "Fall 2025 (Aug 1, 2025 – Dec 19, 2025)", or just the name when there are no dates. */
export function formatTerm(term: { name: string; startDate: string | null; endDate: string | null }): string {
  const dates = formatDates(term.startDate, term.endDate);
  return dates ? `${term.name} (${dates})` : term.name;
}

/** A bare period number reads as "Period 3"; anything else ("P3", "Block A") as given. */
export function periodLabel(period: string): string {
  return /^\d+$/.test(period.trim()) ? `Period ${period.trim()}` : period;
}

/** "Algebra I – P1, Biology – P3" → "Added 2 classes: Algebra I – P1, Biology – P3." */
export function addedNotice(names: string[]): string {
  if (names.length === 0) return 'No classes were added.';
  return `Added ${plural(names.length, 'class', 'classes')}: ${names.join(', ')}.`;
}
