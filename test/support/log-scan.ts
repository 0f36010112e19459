/**
 * Scans captured log lines for personal data and secrets. Two kinds of check:
 * patterns that are never acceptable in a log (email addresses, bearer tokens,
 * JWTs, OAuth codes and states or link tokens in query strings, cookie headers,
 * long opaque random strings), and exact values the test knows (passwords,
 * tokens, cookie values, provider credentials, people's names).
 */

export interface LogFinding {
  readonly kind: string;
  /** What matched (a known value is shown only by its kind and first characters). */
  readonly match: string;
  readonly lineIndex: number;
  readonly line: string;
}

export interface LogScanOptions {
  /** People's names (full, given or family names of 3+ letters) that must not appear. */
  readonly names?: readonly string[];
  /** Exact values that must not appear: passwords, tokens, cookie values, client secrets. */
  readonly secrets?: readonly string[];
  /** Substrings to tolerate for pattern checks (e.g. a fixed sender address). */
  readonly allow?: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const PATTERNS: readonly { kind: string; re: RegExp; keep?: (m: string) => boolean }[] = [
  { kind: 'email address', re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: 'bearer token', re: /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi },
  { kind: 'basic credentials', re: /\bBasic\s+[A-Za-z0-9+/=]{8,}/g },
  { kind: 'JWT', re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
  { kind: 'secret in a query string', re: /[?&](?:code|state|token|access_token|id_token|nonce|code_verifier|password|client_secret)=[^&\s"]+/gi },
  { kind: 'cookie header', re: /"(?:cookie|set-cookie)"\s*:/gi },
  { kind: 'session or flow cookie', re: /\brc_(?:session|csrf|oauth|restart)=[^;\s"]+/g },
  // Our tokens are base64url of 32 bytes (43 characters); ids are UUIDs (allowed), hex digests 64 characters.
  { kind: 'opaque secret-like string', re: /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g, keep: (m) => !UUID.test(m) && /[A-Z]/.test(m) && /[a-z]/.test(m) && /\d/.test(m) },
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function scanLogs(lines: readonly string[], options: LogScanOptions = {}): LogFinding[] {
  const findings: LogFinding[] = [];
  const allow = options.allow ?? [];
  const secrets = [...new Set((options.secrets ?? []).filter((s) => s && s.length >= 6))];
  const names = [...new Set((options.names ?? []).map((n) => n.trim()).filter((n) => n.length >= 3))];
  const nameRes = names.map((n) => ({ name: n, re: new RegExp(`(?<![\\p{L}])${escapeRe(n)}(?![\\p{L}])`, 'u') }));

  lines.forEach((line, lineIndex) => {
    const add = (kind: string, match: string) => findings.push({ kind, match, lineIndex, line: line.length > 400 ? `${line.slice(0, 400)}…` : line });
    for (const { kind, re, keep } of PATTERNS) {
      for (const m of line.matchAll(re)) {
        if (allow.some((a) => m[0].includes(a))) continue;
        if (keep && !keep(m[0])) continue;
        add(kind, m[0]);
      }
    }
    for (const secret of secrets) {
      if (line.includes(secret) || line.includes(encodeURIComponent(secret))) add('known secret', `${secret.slice(0, 4)}…`);
    }
    for (const { name, re } of nameRes) if (re.test(line)) add('person name', name);
  });
  return findings;
}

/** A readable summary for an assertion message. */
export function describeFindings(findings: readonly LogFinding[]): string {
  return findings
    .slice(0, 20)
    .map((f) => `- ${f.kind}: ${f.match}\n    in line ${f.lineIndex}: ${f.line}`)
    .join('\n');
}
