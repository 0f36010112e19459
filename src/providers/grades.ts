/**
 * Grades to Rollcall's canonical form: 'PK', 'K', '1'…'13', 'Other' or null.
 * Accepts Clever's enum (Kindergarten, "9", PreKindergarten, …) and OneRoster's
 * CEDS codes (KG, 09, PK, …). Pre-kindergarten years (preschool, transitional
 * kindergarten) become 'PK'; ungraded, infant/toddler and post-secondary
 * become 'Other'; empty or unknown values become null.
 */
const ALIASES: Record<string, string> = {
  kindergarten: 'K',
  kg: 'K',
  k: 'K',
  prekindergarten: 'PK',
  pk: 'PK',
  preschool: 'PK',
  pr: 'PK',
  transitionalkindergarten: 'PK',
  tk: 'PK',
  infanttoddler: 'Other',
  it: 'Other',
  postgraduate: 'Other',
  ps: 'Other',
  ungraded: 'Other',
  ug: 'Other',
  other: 'Other',
};

export function normalizeGrade(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const raw = String(value).trim();
  if (raw === '') return null;
  if (/^\d{1,2}$/.test(raw)) {
    const n = Number(raw);
    if (n === 0) return 'K';
    return n >= 1 && n <= 13 ? String(n) : null;
  }
  const key = raw.toLowerCase().replace(/[\s_-]/g, '');
  // Own keys only: "constructor" or "__proto__" is not a grade (and not Object's members).
  return Object.hasOwn(ALIASES, key) ? ALIASES[key]! : null;
}

/** The first recognizable grade of a list (OneRoster users carry grades[]). */
export function firstGrade(values: readonly string[]): string | null {
  for (const v of values) {
    const g = normalizeGrade(v);
    if (g !== null) return g;
  }
  return null;
}
