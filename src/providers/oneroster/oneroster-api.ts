import type { HttpClient } from '../http-client.ts';
import { encodeQuery, isObject, str, type Json } from '../wire.ts';
import type { RequestAuth } from './oneroster-auth.ts';

/**
 * OneRoster REST transport: signed GETs, envelope keys, and limit/offset
 * paging that cannot silently truncate or loop.
 *
 * The envelope key names the returned type, not the path (`/teachers` →
 * `users`); some servers use the path name instead, so each call accepts a
 * list of keys and a 200 without any of them is bad data, never "empty".
 */
export interface OneRosterPage {
  readonly records: Json[];
  readonly skipped: string[];
}

export interface PageQuery {
  readonly filter?: string;
}

const MAX_PAGES = 100_000;

export class OneRosterApi {
  constructor(
    private readonly http: HttpClient,
    /** e.g. https://x-v2.rosterserver.com/ims/oneroster/v1p1 */
    private readonly baseUrl: string,
    private readonly auth: RequestAuth,
    private readonly pageSize: number,
  ) {}

  url(path: string, params: readonly (readonly [string, string])[] = []): string {
    return `${this.baseUrl}/${path}${params.length === 0 ? '' : `?${encodeQuery(params)}`}`;
  }

  private async get(url: string): Promise<{ body: unknown; headers: Headers; path: string }> {
    const res = await this.http.request({
      url,
      headers: () => this.auth.headers('GET', url),
      ...(this.auth.onUnauthorized === undefined ? {} : { onUnauthorized: () => this.auth.onUnauthorized!() }),
    });
    return { body: res.body, headers: res.headers, path: res.path };
  }

  private collection(body: unknown, keys: readonly string[], where: string): unknown[] {
    if (isObject(body)) {
      for (const key of keys) {
        const value = body[key];
        if (Array.isArray(value)) return value;
        if (value !== undefined) throw this.http.error('bad_data', `GET ${where}: "${key}" is not an array`);
      }
    }
    throw this.http.error('bad_data', `GET ${where}: response has no ${keys.join('/')} collection`);
  }

  /** A singleton endpoint (`{"user": {…}}`). Throws not_found on 404. */
  async getOne(path: string, keys: readonly string[]): Promise<Json> {
    const { body, path: where } = await this.get(this.url(path));
    for (const key of keys) {
      if (isObject(body) && isObject(body[key])) return body[key];
    }
    throw this.http.error('bad_data', `GET ${where}: response has no ${keys.join('/')} object`);
  }

  /** X-Total-Count from a one-record request, or null when the server does not send it. */
  async total(path: string, keys: readonly string[]): Promise<number | null> {
    const { body, headers, path: where } = await this.get(this.url(path, [['limit', '1'], ['offset', '0']]));
    this.collection(body, keys, where);
    return totalCount(headers);
  }

  /** The server's clock from the Date header of a one-record read; null when it sends none. */
  async serverTime(path: string): Promise<number | null> {
    const { headers } = await this.get(this.url(path, [['limit', '1'], ['offset', '0']]));
    const at = Date.parse(headers.get('date') ?? '');
    return Number.isNaN(at) ? null : at;
  }

  /**
   * Every page, sorted by sourcedId so offsets are stable. Stops on an empty
   * page, when X-Total-Count records have arrived, or (without that header)
   * on a short page. Offsets advance by what actually arrived, so a server
   * that caps `limit` below ours is still read to the end.
   */
  async *pages(path: string, keys: readonly string[], query: PageQuery = {}): AsyncGenerator<OneRosterPage> {
    const seen = new Set<string>();
    let offset = 0;
    let previous: string | null = null;
    for (let n = 0; n < MAX_PAGES; n++) {
      const params: [string, string][] = [
        ['limit', String(this.pageSize)],
        ['offset', String(offset)],
        ['sort', 'sourcedId'],
        ['orderBy', 'asc'],
      ];
      if (query.filter !== undefined) params.push(['filter', query.filter]);
      const { body, headers, path: where } = await this.get(this.url(path, params));
      const items = this.collection(body, keys, where);
      if (items.length === 0) return;

      const signature = pageSignature(items);
      if (previous !== null && signature === previous) {
        throw this.http.error('bad_data', `GET ${where}: the server returned the same page for offset ${offset} (offset ignored)`);
      }
      previous = signature;

      const page: OneRosterPage = { records: [], skipped: [] };
      items.forEach((item, i) => {
        if (!isObject(item)) {
          page.skipped.push(`item ${offset + i} of ${where} is not an object`);
          return;
        }
        const id = str(item['sourcedId']);
        // Offset paging over changing data can repeat a row; the first copy wins.
        if (id !== null && seen.has(id)) return;
        if (id !== null) seen.add(id);
        page.records.push(item);
      });
      yield page;

      offset += items.length;
      // More than we asked for: the server is not paging, this was everything.
      if (items.length > this.pageSize) return;
      const total = totalCount(headers);
      if (total !== null) {
        if (offset >= total) return;
      } else if (items.length < this.pageSize && items.length % 100 !== 0) {
        // A short page ends the walk — unless its size is a round number, the
        // signature of a server-side cap (100, 500, 1000), where one more request decides.
        return;
      }
    }
    throw this.http.error('bad_data', `GET ${path}: more than ${MAX_PAGES} pages`);
  }
}

function totalCount(headers: Headers): number | null {
  const raw = headers.get('x-total-count');
  return raw !== null && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : null;
}

function pageSignature(items: readonly unknown[]): string {
  const idAt = (i: number): string => {
    const item = items[i];
    // str(), not String(): a hostile sourcedId like {"toString": 1} must not throw here.
    return isObject(item) ? (str(item['sourcedId']) ?? '') : '';
  };
  return `${items.length}|${idAt(0)}|${idAt(items.length - 1)}`;
}
