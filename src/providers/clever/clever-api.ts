import type { HttpClient } from '../http-client.ts';
import { isObject, type Json } from '../wire.ts';

/**
 * Clever Data API v3.0 transport: bearer auth, the `{data:[{data,uri}],links}`
 * envelope and cursor paging by following `links` rel "next" (a path relative
 * to the API host that already includes /v3.0) until it is absent or a page
 * is empty — Clever documents that next links may lead to empty pages.
 */
export type Query = Record<string, string | readonly string[] | undefined>;

export interface CleverPage {
  /** The unwrapped records (`item.data`). */
  readonly records: Json[];
  /** Items that were not records, described without their content. */
  readonly skipped: string[];
}

/** Far beyond any district at limit 1000; only a broken server gets here. */
const MAX_PAGES = 100_000;

export class CleverApi {
  private readonly origin: string;
  /** A path prefix in front of /v3.0 (e.g. a proxy mount), usually ''. */
  private readonly prefix: string;

  constructor(
    private readonly http: HttpClient,
    apiUrl: string,
    private readonly token: string,
  ) {
    const url = new URL(apiUrl);
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '').replace(/\/v3\.0$/, '');
  }

  /** Absolute URL for an API path ("/users") or a link uri ("/v3.0/users?…"); other hosts are never followed. */
  url(pathOrUri: string, query: Query = {}): string {
    let target = pathOrUri;
    if (/^https?:\/\//i.test(target)) {
      const abs = new URL(target);
      target = abs.pathname + abs.search;
    }
    if (!target.startsWith('/v3.0/') && !target.startsWith(`${this.prefix}/v3.0/`)) target = `/v3.0${target.startsWith('/') ? '' : '/'}${target}`;
    if (this.prefix !== '' && !target.startsWith(`${this.prefix}/`)) target = this.prefix + target;
    const url = new URL(this.origin + target);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const v of typeof value === 'string' ? [value] : value) url.searchParams.append(key, v);
    }
    return url.toString();
  }

  private async getJson(url: string): Promise<{ body: unknown; path: string }> {
    const res = await this.http.request({ url, headers: () => ({ authorization: `Bearer ${this.token}` }) });
    return { body: res.body, path: res.path };
  }

  /** A single-object endpoint: `{data:{…}}`. Throws not_found on 404. */
  async getOne(path: string): Promise<Json> {
    const { body, path: where } = await this.getJson(this.url(path));
    if (!isObject(body) || !isObject(body['data'])) throw this.http.error('bad_data', `GET ${where}: response has no data object`);
    return body['data'];
  }

  /** Every page of a list endpoint, following next links; detects a server that hands back a cursor twice. */
  async *pages(path: string, query: Query = {}): AsyncGenerator<CleverPage> {
    let url = this.url(path, query);
    const seenCursors = new Set<string>();
    const seenUrls = new Set<string>();
    for (let n = 0; n < MAX_PAGES; n++) {
      seenUrls.add(url);
      const cursor = new URL(url).searchParams.get('starting_after');
      if (cursor !== null) seenCursors.add(cursor);

      const { body, path: where } = await this.getJson(url);
      if (!isObject(body) || !Array.isArray(body['data'])) {
        throw this.http.error('bad_data', `GET ${where}: list response has no data array`);
      }
      const links = body['links'];
      if (links !== undefined && links !== null && !Array.isArray(links)) {
        throw this.http.error('bad_data', `GET ${where}: list response links is not an array`);
      }
      const page: CleverPage = { records: [], skipped: [] };
      body['data'].forEach((item: unknown, i: number) => {
        if (isObject(item) && isObject(item['data'])) page.records.push(item['data']);
        else page.skipped.push(`item ${i} of a ${where} page is not a {data, uri} record`);
      });
      if (body['data'].length === 0) return;
      yield page;

      const next = (links ?? []).find((l: unknown) => isObject(l) && l['rel'] === 'next' && typeof l['uri'] === 'string') as Json | undefined;
      if (next === undefined) return;
      let nextUrl: string;
      try {
        nextUrl = this.url(next['uri'] as string);
      } catch {
        throw this.http.error('bad_data', `GET ${where}: the next link is not a URL`);
      }
      const nextCursor = new URL(nextUrl).searchParams.get('starting_after');
      if (seenUrls.has(nextUrl) || (nextCursor !== null && seenCursors.has(nextCursor))) {
        throw this.http.error('bad_data', `GET ${where}: pagination loop, the next link repeats a cursor already read`);
      }
      url = nextUrl;
    }
    throw this.http.error('bad_data', `GET ${path}: more than ${MAX_PAGES} pages`);
  }
}
