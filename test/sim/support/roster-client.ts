import type { SimDistrictInfo } from '../../../sim/index.ts';
import { basic, bearer, form, oauth1Client, request, signedGet, type Res } from './http.ts';

/** A OneRoster consumer for tests: 1.1 with OAuth 1.0a signatures, 1.2 with client-credentials Bearer tokens. */
export class RosterClient {
  private token: string | undefined;
  private readonly oauth;

  constructor(
    readonly district: SimDistrictInfo,
    readonly version: '1.1' | '1.2',
    /** Clock for oauth_timestamp (a test with an injected simulator clock passes sims.now). */
    now?: () => Date,
  ) {
    this.oauth = oauth1Client(district.oneRoster.v1p1.consumerKey, district.oneRoster.v1p1.consumerSecret);
    if (now !== undefined) this.oauth.getTimeStamp = () => Math.floor(now().getTime() / 1000);
  }

  get base(): string {
    return this.version === '1.1' ? this.district.oneRoster.v1p1.baseUrl : this.district.oneRoster.v1p2.baseUrl;
  }

  async fetchToken(scope?: string): Promise<string> {
    const { clientId, clientSecret, tokenUrl } = this.district.oneRoster.v1p2;
    const f = form({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
    const r = await request(tokenUrl, { method: 'POST', body: f.body, headers: { ...f.headers, ...basic(clientId, clientSecret) } });
    if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
    this.token = r.json<{ access_token: string }>().access_token;
    return this.token;
  }

  /** GET path (relative to the version base, may include a query). */
  async get(path: string): Promise<Res> {
    const url = `${this.base}${path}`;
    if (this.version === '1.1') return signedGet(this.oauth, url);
    return request(url, { headers: bearer(this.token ?? (await this.fetchToken())) });
  }

  async json<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T; headers: Headers }> {
    const r = await this.get(path);
    return { status: r.status, body: r.json<T>(), headers: r.headers };
  }

  /** Page a collection with limit/offset and a stable sort, like a careful client. */
  async all(path: string, key: string, limit = 100): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const sep = path.includes('?') ? '&' : '?';
    for (let offset = 0; ; offset += limit) {
      const r = await this.json<Record<string, Record<string, unknown>[]>>(`${path}${sep}limit=${limit}&offset=${offset}&sort=sourcedId&orderBy=asc`);
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      const page = r.body[key] ?? [];
      out.push(...page);
      if (page.length < limit || out.length >= Number(r.headers.get('x-total-count'))) return out;
    }
  }
}
