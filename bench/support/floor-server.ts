import { createHash, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import pg from 'pg';

/**
 * The sign-in storm's floor: a minimal Fastify server that makes exactly the
 * HTTP round trips Rollcall's "Log in with Clever / ClassLink" makes — the
 * redirect to authorize, then token + who-am-I calls to the simulator — with
 * in-memory state and sessions and none of Rollcall's logic (no database, no
 * openid-client, no linking). Run as its own process, like the server under test.
 *
 * With DATABASE_URL (Rollcall's bench database) it is the *database floor*:
 * the same five database round trips as Rollcall's sign-in, as bare `pg`
 * prepared statements (flow stored, flow taken, sign-in stamped with the
 * session opened, session looked up, class list read), so the bench can tell
 * what the database costs from what Rollcall's own code costs.
 *
 *   PORT, PUBLIC_URL, CLEVER_URL, CLASSLINK_URL, CLEVER_CLIENT_ID/SECRET, CLASSLINK_CLIENT_ID/SECRET
 *   optional: DATABASE_URL with CLEVER_TENANT_KEY, CLASSLINK_TENANT_KEY (identities.tenant_key of each provider)
 */
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`floor server: ${name} is required`);
  return value;
};
const port = Number(env('PORT'));
const publicUrl = env('PUBLIC_URL');
const clever = { url: env('CLEVER_URL'), id: env('CLEVER_CLIENT_ID'), secret: env('CLEVER_CLIENT_SECRET') };
const classlink = { url: env('CLASSLINK_URL'), id: env('CLASSLINK_CLIENT_ID'), secret: env('CLASSLINK_CLIENT_SECRET') };

const token = () => randomBytes(24).toString('base64url');

/** Where the floor keeps its flows and sessions: in memory, or in PostgreSQL with Rollcall's round trips. */
interface FloorState {
  saveFlow(state: string, flow: { provider: string; verifier: string }): Promise<void>;
  takeFlow(state: string): Promise<{ provider: string; verifier: string } | undefined>;
  openSession(session: string, provider: string, who: string): Promise<boolean>;
  classesOf(session: string): Promise<{ id: string; name: string }[] | undefined>;
}

function memoryState(): FloorState {
  const flows = new Map<string, { provider: string; verifier: string }>();
  const sessions = new Map<string, string>();
  return {
    saveFlow: async (state, flow) => void flows.set(state, flow),
    takeFlow: async (state) => {
      const flow = flows.get(state);
      flows.delete(state);
      return flow;
    },
    openSession: async (session, _provider, who) => {
      sessions.set(session, who);
      return true;
    },
    classesOf: async (session) => (sessions.has(session) ? [] : undefined),
  };
}

async function databaseState(url: string): Promise<FloorState> {
  const tenants: Record<string, string> = { clever: env('CLEVER_TENANT_KEY'), classlink: env('CLASSLINK_TENANT_KEY') };
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Tables of its own for what Rollcall keeps in auth_flows and sessions (auth_flows is unlogged there too).
  await pool.query('create unlogged table if not exists floor_flows (state text primary key, provider text not null, verifier text not null, expires_at timestamptz not null)');
  await pool.query('create table if not exists floor_sessions (id text primary key, user_id uuid not null, expires_at timestamptz not null)');
  const run = async <R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]) => (await pool.query<R>({ name, text, values })).rows;
  return {
    saveFlow: async (state, flow) => {
      await run('floor_save_flow', "insert into floor_flows (state, provider, verifier, expires_at) values ($1, $2, $3, now() + interval '10 minutes')", [state, flow.provider, flow.verifier]);
    },
    takeFlow: async (state) => (await run<{ provider: string; verifier: string }>('floor_take_flow', 'delete from floor_flows where state = $1 and expires_at > now() returning provider, verifier', [state]))[0],
    // The writes Rollcall's sign-in makes in its one statement: both sign-in stamps and the new session.
    openSession: async (session, provider, who) =>
      (
        await run(
          'floor_open_session',
          `with identity as (
             update identities set last_sign_in_at = now() where provider = $1 and tenant_key = $2 and external_id = $3 returning user_id
           ), signed_in as (
             update users u set last_sign_in_at = now() from identity where u.id = identity.user_id returning u.id
           )
           insert into floor_sessions (id, user_id, expires_at) select $4, id, now() + interval '1 day' from signed_in returning user_id`,
          [provider, tenants[provider], who, session],
        )
      ).length === 1,
    classesOf: async (session) => {
      const [row] = await run<{ user_id: string }>('floor_session', 'select user_id from floor_sessions where id = $1 and expires_at > now()', [session]);
      if (!row) return undefined;
      return run<{ id: string; name: string }>(
        'floor_classes',
        "select c.id, c.name from enrollments e join classes c on c.id = e.class_id where e.user_id = $1 and e.status = 'active' and c.archived_at is null order by c.name",
        [row.user_id],
      );
    },
  };
}

const databaseUrl = process.env.DATABASE_URL;
const store = databaseUrl ? await databaseState(databaseUrl) : memoryState();

const app = Fastify({ logger: false });
await app.register(cookie);

app.get<{ Params: { provider: string } }>('/auth/:provider/start', async (request, reply) => {
  const { provider } = request.params;
  const state = token();
  const verifier = token();
  await store.saveFlow(state, { provider, verifier });
  const redirectUri = `${publicUrl}/auth/${provider}/callback`;
  const url =
    provider === 'clever'
      ? new URL(`${clever.url}/oauth/authorize`)
      : new URL(`${classlink.url}/oauth2/v2/auth`);
  url.search = new URLSearchParams(
    provider === 'clever'
      ? { response_type: 'code', client_id: clever.id, redirect_uri: redirectUri, state }
      : {
          response_type: 'code',
          client_id: classlink.id,
          redirect_uri: redirectUri,
          scope: 'openid profile email oneroster',
          state,
          nonce: token(),
          code_challenge: createHash('sha256').update(verifier).digest('base64url'),
          code_challenge_method: 'S256',
        },
  ).toString();
  reply.setCookie('rc_oauth', state, { path: '/auth', httpOnly: true });
  return reply.redirect(url.toString(), 302);
});

const json = async (response: Response): Promise<Record<string, any>> => {
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${response.url}`);
  return (await response.json()) as Record<string, any>;
};

app.get<{ Params: { provider: string }; Querystring: { code?: string; state?: string } }>('/auth/:provider/callback', async (request, reply) => {
  const { provider } = request.params;
  const { code, state } = request.query;
  const flow = state ? await store.takeFlow(state) : undefined;
  if (!code || !state || !flow || flow.provider !== provider || request.cookies.rc_oauth !== state) return reply.redirect('/signin?error=state_mismatch', 302);
  const redirectUri = `${publicUrl}/auth/${provider}/callback`;
  let who: string;
  if (provider === 'clever') {
    const tokens = await json(
      await fetch(`${clever.url}/oauth/tokens`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${clever.id}:${clever.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }).toString(),
      }),
    );
    const bearer = { authorization: `Bearer ${tokens.access_token}`, accept: 'application/json' };
    const me = await json(await fetch(`${clever.url}/v3.0/me`, { headers: bearer }));
    const user = await json(await fetch(`${clever.url}/v3.0/users/${encodeURIComponent(me.data.id)}`, { headers: bearer }));
    who = user.data.id;
  } else {
    const tokens = await json(
      await fetch(`${classlink.url}/oauth2/v2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: classlink.id, client_secret: classlink.secret, code_verifier: flow.verifier }).toString(),
      }),
    );
    const info = await json(await fetch(`${classlink.url}/v2/my/info`, { headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/json' } }));
    who = String(info.SourcedId);
  }
  const session = token();
  if (!(await store.openSession(session, provider, who))) return reply.redirect('/signin?error=unknown_account', 302);
  reply.clearCookie('rc_oauth', { path: '/auth' });
  reply.setCookie('rc_session', session, { path: '/', httpOnly: true });
  return reply.redirect('/student', 302);
});

app.get('/api/classes', async (request, reply) => {
  const classes = request.cookies.rc_session ? await store.classesOf(request.cookies.rc_session) : undefined;
  if (!classes) return reply.status(401).send({ error: 'unauthenticated' });
  return { classes };
});

app.get('/healthz', async () => ({ ok: true }));

await app.listen({ host: '127.0.0.1', port });
process.stdout.write('floor listening\n');
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
