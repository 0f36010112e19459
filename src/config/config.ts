import { z } from 'zod';

/**
 * Every setting Rollcall reads from the environment. Parsed once at boot into a
 * frozen object; a bad value stops the process with a message naming the
 * variable (see ConfigError). `.env.example` documents each one.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
  .pipe(z.url().optional());

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: optionalUrl.refine(
    (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
    'must be a postgres:// or postgresql:// URL',
  ),
  ROLLCALL_DATA_DIR: z.string().min(1).default('./data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: optionalUrl,
  ROLLCALL_ENCRYPTION_KEY: z
    .string()
    .optional()
    .refine(
      (v) => v === undefined || v === '' || Buffer.from(v, 'base64').length === 32,
      'must be 32 random bytes, base64-encoded (openssl rand -base64 32)',
    ),
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().min(3).default('Rollcall <no-reply@rollcall.local>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
  INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  SIGNIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  ROLLCALL_DEMO: bool.optional(),
  CLEVER_AUTH_URL: optionalUrl,
  CLEVER_API_URL: optionalUrl,
  CLEVER_CLIENT_ID: z.string().optional(),
  CLEVER_CLIENT_SECRET: z.string().optional(),
  CLASSLINK_LAUNCHPAD_URL: optionalUrl,
  CLASSLINK_API_URL: optionalUrl,
  CLASSLINK_CLIENT_ID: z.string().optional(),
  CLASSLINK_CLIENT_SECRET: z.string().optional(),
  ROLLCALL_PROVIDER_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
  ROLLCALL_SYNC_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  ROLLCALL_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(20_000),
  SIM_CLEVER_PORT: z.coerce.number().int().min(0).max(65535).default(3101),
  SIM_CLASSLINK_PORT: z.coerce.number().int().min(0).max(65535).default(3102),
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters (openssl rand -hex 24)'),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).optional(),
});

export type Env = z.infer<typeof schema>;

export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly database:
    | { readonly kind: 'pglite'; readonly dataDir: string }
    | { readonly kind: 'postgres'; readonly url: string };
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly secureCookies: boolean;
  /** undefined = generate/load one from the data directory (development only). */
  readonly encryptionKey: Buffer | undefined;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly logLevel: Env['LOG_LEVEL'];
  readonly sessionTtlHours: number;
  readonly invitationTtlDays: number;
  readonly signinRateLimit: number;
  /** Bearer token that lets a scraper read /metrics from another machine (unset: this machine only). */
  readonly metricsToken: string | undefined;
  /** Reverse proxies in front of the web server whose X-Forwarded-For is believed (the client address used by rate limits). */
  readonly trustProxyHops: number;
  /** Start the simulators and seed the demo district in this process. */
  readonly demo: boolean;
  readonly sim: { readonly cleverPort: number; readonly classlinkPort: number };
  /** Records per provider page, and how long a teacher-facing provider call may take. */
  readonly providerPageSize: number;
  readonly providerTimeoutMs: number;
  /** How long a sync's lease on its integration lasts without renewal (a killed worker's run is taken over after this). */
  readonly syncLeaseSeconds: number;
  /** Sign-in clients; a provider without a client id has no "Log in with" button. */
  readonly providers: {
    readonly clever: ProviderClientConfig & { readonly authUrl: string; readonly apiUrl: string };
    readonly classlink: ProviderClientConfig & { readonly launchpadUrl: string; readonly apiUrl: string };
  };
}

export interface ProviderClientConfig {
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly redirectUri: string;
}

/** What the simulators register for the demo (sim/ defaults); used only when ROLLCALL_DEMO is on. */
export const demoClients = {
  clever: { clientId: 'rollcall-clever-demo', clientSecret: 'clever-demo-secret' },
  classlink: { clientId: 'rollcall-classlink-demo', clientSecret: 'classlink-demo-secret' },
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const raw = source[name];
        const shown = raw === undefined ? 'unset' : /KEY|URL|TOKEN|SECRET/.test(name) ? 'given' : JSON.stringify(raw);
        return `${name} (${shown}): ${issue.message}`;
      }),
    );
  }
  const env = parsed.data;
  const problems: string[] = [];
  const key = env.ROLLCALL_ENCRYPTION_KEY ? Buffer.from(env.ROLLCALL_ENCRYPTION_KEY, 'base64') : undefined;
  if (!key && env.NODE_ENV === 'production') {
    problems.push('ROLLCALL_ENCRYPTION_KEY (unset): required when NODE_ENV=production (openssl rand -base64 32)');
  }
  if (!env.PUBLIC_URL && env.NODE_ENV === 'production') {
    problems.push('PUBLIC_URL (unset): required when NODE_ENV=production (the https address users reach)');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  const demo = env.ROLLCALL_DEMO ?? !env.DATABASE_URL;
  const sim = (port: number) => `http://127.0.0.1:${port}`;
  const providerUrls = [
    ['CLEVER_AUTH_URL', env.CLEVER_AUTH_URL],
    ['CLEVER_API_URL', env.CLEVER_API_URL],
    ['CLASSLINK_LAUNCHPAD_URL', env.CLASSLINK_LAUNCHPAD_URL],
    ['CLASSLINK_API_URL', env.CLASSLINK_API_URL],
  ] as const;
  if (env.NODE_ENV === 'production') {
    for (const [name, value] of providerUrls) {
      if (value?.startsWith('http://')) throw new ConfigError([`${name}: must be https in production`]);
    }
  }
  const providers = {
    clever: {
      authUrl: (env.CLEVER_AUTH_URL ?? (demo ? sim(env.SIM_CLEVER_PORT) : 'https://clever.com')).replace(/\/+$/, ''),
      apiUrl: (env.CLEVER_API_URL ?? (demo ? sim(env.SIM_CLEVER_PORT) : 'https://api.clever.com')).replace(/\/+$/, ''),
      clientId: env.CLEVER_CLIENT_ID || (demo ? demoClients.clever.clientId : undefined),
      clientSecret: env.CLEVER_CLIENT_SECRET || (demo ? demoClients.clever.clientSecret : undefined),
      redirectUri: `${publicUrl}/auth/clever/callback`,
    },
    classlink: {
      launchpadUrl: (env.CLASSLINK_LAUNCHPAD_URL ?? (demo ? sim(env.SIM_CLASSLINK_PORT) : 'https://launchpad.classlink.com')).replace(/\/+$/, ''),
      apiUrl: (env.CLASSLINK_API_URL ?? (demo ? sim(env.SIM_CLASSLINK_PORT) : 'https://nodeapi.classlink.com')).replace(/\/+$/, ''),
      clientId: env.CLASSLINK_CLIENT_ID || (demo ? demoClients.classlink.clientId : undefined),
      clientSecret: env.CLASSLINK_CLIENT_SECRET || (demo ? demoClients.classlink.clientSecret : undefined),
      redirectUri: `${publicUrl}/auth/classlink/callback`,
    },
  };
  const database = env.DATABASE_URL
    ? ({ kind: 'postgres', url: env.DATABASE_URL } as const)
    : ({ kind: 'pglite', dataDir: env.ROLLCALL_DATA_DIR } as const);
  return Object.freeze({
    env: env.NODE_ENV,
    database: Object.freeze(database),
    dataDir: env.ROLLCALL_DATA_DIR,
    host: env.HOST,
    port: env.PORT,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    encryptionKey: key,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    logLevel: env.LOG_LEVEL,
    sessionTtlHours: env.SESSION_TTL_HOURS,
    invitationTtlDays: env.INVITATION_TTL_DAYS,
    signinRateLimit: env.SIGNIN_RATE_LIMIT,
    metricsToken: env.METRICS_TOKEN,
    // One load balancer in front in production unless told otherwise; never "trust everything", which lets a client pick its own address.
    trustProxyHops: env.TRUST_PROXY ?? (env.NODE_ENV === 'production' ? 1 : 0),
    demo,
    providerPageSize: env.ROLLCALL_PROVIDER_PAGE_SIZE,
    providerTimeoutMs: env.ROLLCALL_PROVIDER_TIMEOUT_MS,
    syncLeaseSeconds: env.ROLLCALL_SYNC_LEASE_SECONDS,
    sim: Object.freeze({ cleverPort: env.SIM_CLEVER_PORT, classlinkPort: env.SIM_CLASSLINK_PORT }),
    providers: Object.freeze({ clever: Object.freeze(providers.clever), classlink: Object.freeze(providers.classlink) }),
  });
}
