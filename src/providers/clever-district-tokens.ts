import { ProviderError } from './roster-provider.ts';

/**
 * Clever's district-app token listing (GET /oauth/tokens?owner_type=district,
 * HTTP Basic with the app's client credentials): one token per connected district.
 */
export function createCleverTokenDirectory(options: { authUrl: string; clientId: string | undefined; clientSecret: string | undefined; fetch?: typeof fetch }) {
  const doFetch = options.fetch ?? fetch;
  return {
    async findDistrictToken(cleverDistrictId: string): Promise<string | undefined> {
      if (!options.clientId || !options.clientSecret) throw new ProviderError('auth', 'CLEVER_CLIENT_ID and CLEVER_CLIENT_SECRET are not configured', { provider: 'clever' });
      const url = new URL('/oauth/tokens', options.authUrl);
      url.searchParams.set('owner_type', 'district');
      url.searchParams.set('district', cleverDistrictId);
      let response: Response;
      try {
        response = await doFetch(url, {
          headers: { authorization: `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`, accept: 'application/json' },
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        throw new ProviderError('unavailable', `GET /oauth/tokens failed: ${(error as Error).message}`, { provider: 'clever' });
      }
      if (response.status === 401 || response.status === 403) throw new ProviderError('auth', `GET /oauth/tokens answered ${response.status}`, { status: response.status, provider: 'clever' });
      if (!response.ok) throw new ProviderError('unavailable', `GET /oauth/tokens answered ${response.status}`, { status: response.status, provider: 'clever' });
      const body = (await response.json().catch(() => undefined)) as { data?: { owner?: { type?: string; id?: string }; access_token?: string }[] } | undefined;
      if (!body || !Array.isArray(body.data)) throw new ProviderError('bad_data', 'GET /oauth/tokens: no data list', { provider: 'clever' });
      // Filter ourselves too: the district= parameter narrows the list, but we never trust a token for another owner.
      const match = body.data.find((t) => t.owner?.type === 'district' && t.owner.id === cleverDistrictId && typeof t.access_token === 'string');
      return match?.access_token;
    },
  };
}
