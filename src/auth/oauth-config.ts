import * as oidc from 'openid-client';
import { SignInError } from './provider-signin.types.ts';

/**
 * openid-client refuses plain http unless told; only the local simulators
 * (development and tests) are http, and production config rejects http URLs.
 */
export const insecureIfHttp = (url: string) => (url.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : {});

/** Maps openid-client and fetch failures at the token/userinfo step to a reason the UI can explain. */
export function asSignInError(error: unknown, provider: string): SignInError {
  if (error instanceof SignInError) return error;
  const e = error as { name?: string; code?: string; error?: string; status?: number; message?: string; cause?: { status?: number } };
  // oauth4webapi puts the HTTP response in `cause` (non-conforming answers) or `status` (error bodies).
  const status = typeof e?.status === 'number' ? e.status : typeof e?.cause?.status === 'number' ? e.cause.status : undefined;
  if (status !== undefined && status >= 500) return new SignInError('provider_unavailable', `${provider} answered with an error (${status}). Try again in a minute.`);
  if (e?.name === 'TypeError' || e?.code === 'OAUTH_TIMEOUT' || e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new SignInError('provider_unavailable', `${provider} did not answer. Try again in a minute.`);
  }
  if (e?.error || e?.code === 'OAUTH_RESPONSE_BODY_ERROR' || (status !== undefined && status >= 400)) {
    return new SignInError('code_rejected', `${provider} did not accept this sign-in (${e.error ?? status}). Start again from the sign-in page.`);
  }
  return new SignInError('bad_response', `${provider} sent a sign-in response Rollcall could not verify (${e?.code ?? e?.name ?? 'unknown'}).`);
}

/** GET a JSON document with a bearer token; failures become SignInErrors. */
export async function getJson(url: string, token: string, provider: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch {
    throw new SignInError('provider_unavailable', `${provider} did not answer. Try again in a minute.`);
  }
  if (response.status === 401 || response.status === 403) throw new SignInError('code_rejected', `${provider} refused the sign-in token (${response.status}).`);
  if (!response.ok) throw new SignInError('provider_unavailable', `${provider} answered with an error (${response.status}). Try again in a minute.`);
  try {
    return await response.json();
  } catch {
    throw new SignInError('bad_response', `${provider} sent an unreadable answer.`);
  }
}
