import * as oidc from 'openid-client';
import type { Store } from '../db/store.ts';
import type { Clock } from '../lib/clock.ts';
import { hashToken } from '../lib/crypto.ts';
import type { Actor, User } from '../domain/accounts/accounts.types.ts';
import type { SessionRow } from '../domain/accounts/sessions.service.ts';
import type { LinkingService } from '../domain/identities/linking.service.ts';
import { AppError } from '../lib/errors.ts';
import type { ProviderKind } from '../providers/roster-provider.ts';
import { SignInError, type SignInStrategy } from './provider-signin.types.ts';

const FLOW_TTL_MS = 10 * 60_000;

export type CallbackResult =
  | { readonly kind: 'signed-in'; readonly user: User; readonly returnTo: string | null; readonly how: 'existing' | 'linked' | 'created' }
  | { readonly kind: 'connected'; readonly returnTo: string | null }
  /** A code we did not ask for (portal/LaunchPad launch): start our own flow instead of using it. */
  | { readonly kind: 'restart'; readonly provider: ProviderKind }
  | { readonly kind: 'refused'; readonly reason: string; readonly message: string; readonly purpose: 'signin' | 'connect' };

/**
 * Only same-origin paths: "/x", never "//host", "/\host" or "https://…" (no open
 * redirects). Control characters, spaces and backslashes are refused anywhere:
 * browsers drop tabs and newlines from a Location and read "\" as "/", so
 * "/\t/evil.example" would otherwise land on evil.example. The same rule as
 * web/src/navigation.ts.
 */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 500) return null;
  if (!value.startsWith('/') || value.startsWith('//') || /[\u0000-\u0020\u007f\\]/.test(value)) return null;
  // Returned as given, not normalised: new URL('/.//x').pathname is "//x", itself an off-site redirect.
  const base = 'https://rollcall.invalid';
  try {
    return new URL(value, base).origin === base ? value : null;
  } catch {
    return null;
  }
}

/**
 * The authorization-code round trip: a single-use flow row (state hash,
 * nonce, PKCE verifier) bound to the browser by an HttpOnly cookie holding
 * the state, then the provider's verification and the linking rules.
 */
export class SignInFlows {
  constructor(private readonly deps: { store: Store; clock: Clock; linking: LinkingService; strategies: ReadonlyMap<ProviderKind, SignInStrategy> }) {}

  get providers(): SignInStrategy[] {
    return [...this.deps.strategies.values()];
  }

  strategy(provider: string): SignInStrategy {
    const strategy = this.deps.strategies.get(provider as ProviderKind);
    if (!strategy) throw new AppError('not_found', 'This sign-in method is not configured.');
    return strategy;
  }

  async start(provider: string, input: { purpose: 'signin' | 'connect'; actor?: Actor; returnTo?: unknown; districtId?: string }): Promise<{ url: URL; state: string }> {
    const strategy = this.strategy(provider);
    if (input.purpose === 'connect' && !input.actor) throw new AppError('unauthenticated', 'Sign in first, then connect your rostering account.');
    const secrets = {
      state: oidc.randomState(),
      nonce: strategy.uses.nonce ? oidc.randomNonce() : null,
      codeVerifier: strategy.uses.pkce ? oidc.randomPKCECodeVerifier() : null,
    };
    const now = this.deps.clock.now();
    await this.deps.store.authFlows.create({
      stateHash: hashToken(secrets.state),
      provider: strategy.provider,
      purpose: input.purpose,
      codeVerifier: secrets.codeVerifier,
      nonce: secrets.nonce,
      userId: input.purpose === 'connect' ? input.actor!.user.id : null,
      returnTo: safeReturnTo(input.returnTo),
      expiresAt: new Date(now.getTime() + FLOW_TTL_MS),
    });
    const url = await strategy.authorizationUrl(secrets, { ...(input.districtId && /^[0-9a-f]{24}$/.test(input.districtId) ? { districtId: input.districtId } : {}) });
    return { url, state: secrets.state };
  }

  /**
   * With `session` (from SessionsService.issue), a sign-in stores that session
   * for the signed-in user; the caller then only sets its cookie.
   */
  async callback(provider: string, callbackUrl: URL, browserState: string | undefined, actor: Actor | undefined, session?: SessionRow): Promise<CallbackResult> {
    const strategy = this.strategy(provider);
    const params = callbackUrl.searchParams;
    const state = params.get('state');
    const error = params.get('error');
    if (error) {
      if (state) await this.deps.store.authFlows.take(hashToken(state), this.deps.clock.now());
      return { kind: 'refused', reason: 'provider_denied', message: `${strategy.label} did not complete the sign-in (${error.slice(0, 60)}).`, purpose: 'signin' };
    }
    if (!params.get('code')) return { kind: 'refused', reason: 'bad_response', message: `${strategy.label} sent no sign-in code.`, purpose: 'signin' };
    if (!state) return { kind: 'restart', provider: strategy.provider };

    // The state must be the one this browser started: matching the cookie *and* a live flow row.
    const flow = await this.deps.store.authFlows.take(hashToken(state), this.deps.clock.now());
    if (!flow || flow.provider !== strategy.provider || !browserState || browserState !== state) {
      return { kind: 'refused', reason: 'state_mismatch', message: 'This sign-in did not start in this browser, or it took too long. Start again from the sign-in page.', purpose: flow?.purpose ?? 'signin' };
    }
    try {
      const profile = await strategy.complete(callbackUrl, { state, nonce: flow.nonce, codeVerifier: flow.codeVerifier });
      if (flow.purpose === 'connect') {
        if (!actor || actor.user.id !== flow.userId) {
          return { kind: 'refused', reason: 'session_changed', message: 'You were signed out while connecting. Sign in and try again.', purpose: 'connect' };
        }
        await this.deps.linking.connect(actor, profile);
        return { kind: 'connected', returnTo: flow.returnTo };
      }
      const outcome = await this.deps.linking.signIn(profile, session);
      return { kind: 'signed-in', user: outcome.user, how: outcome.how, returnTo: flow.returnTo };
    } catch (e) {
      if (e instanceof SignInError) return { kind: 'refused', reason: e.reason, message: e.message, purpose: flow.purpose };
      if (e instanceof AppError && e.reason) return { kind: 'refused', reason: e.reason, message: e.message, purpose: flow.purpose };
      throw e;
    }
  }
}
