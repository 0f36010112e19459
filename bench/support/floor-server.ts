import { createHash, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';

/**
 * The sign-in storm's floor: a minimal Fastify server that makes exactly the
 * HTTP round trips Rollcall's "Log in with Clever / ClassLink" makes — the
 * redirect to authorize, then token + who-am-I calls to the simulator — with
 * in-memory state and sessions and none of Rollcall's logic (no database, no
 * openid-client, no linking). Run as its own process, like the server under test.
 *
 *   PORT, PUBLIC_URL, CLEVER_URL, CLASSLINK_URL, CLEVER_CLIENT_ID/SECRET, CLASSLINK_CLIENT_ID/SECRET
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
const flows = new Map<string, { provider: string; verifier: string }>();
const sessions = new Map<string, string>();

const app = Fastify({ logger: false });
await app.register(cookie);

app.get<{ Params: { provider: string } }>('/auth/:provider/start', async (request, reply) => {
  const { provider } = request.params;
  const state = token();
  const verifier = token();
  flows.set(state, { provider, verifier });
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
  const flow = state ? flows.get(state) : undefined;
  if (!code || !state || !flow || request.cookies.rc_oauth !== state) return reply.redirect('/signin?error=state_mismatch', 302);
  flows.delete(state);
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
  sessions.set(session, who);
  reply.clearCookie('rc_oauth', { path: '/auth' });
  reply.setCookie('rc_session', session, { path: '/', httpOnly: true });
  return reply.redirect('/student', 302);
});

app.get('/api/classes', async (request, reply) => {
  const who = request.cookies.rc_session ? sessions.get(request.cookies.rc_session) : undefined;
  if (!who) return reply.status(401).send({ error: 'unauthenticated' });
  return { classes: [] };
});

app.get('/healthz', async () => ({ ok: true }));

await app.listen({ host: '127.0.0.1', port });
process.stdout.write('floor listening\n');
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
