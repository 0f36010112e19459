/**
 * Memory check by hand: serve a 500,000-student district and page every
 * student over Clever and over OneRoster 1.1 (OAuth 1.0a-signed) and 1.2,
 * plus the 1,000+ student section and the first and last enrollment pages,
 * then print peak RSS. Records are computed on demand, so peak RSS should
 * stay near the idle figure whatever the district size.
 *
 *   node --import tsx sim/measure-memory.ts [students] [pageSize]
 */
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { startSimulators } from './index.ts';

const students = Number(process.argv[2] ?? 500_000);
const pageSize = Number(process.argv[3] ?? 10_000);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const peak = () => process.resourceUsage().maxRSS * 1024;

async function main(): Promise<void> {
  const t0 = Date.now();
  const sims = await startSimulators({ districts: [{ kind: 'generated', students, seed: 500 }], rateLimitPerMinute: 1_000_000 });
  const d = sims.districts[0]!;
  console.log(`district: ${d.counts.students} students, ${d.counts.teachers} teachers, ${d.counts.sections} sections, ${d.counts.enrollments} enrollments`);
  console.log(`started in ${Date.now() - t0} ms; RSS ${mb(process.memoryUsage().rss)}, peak ${mb(peak())}`);

  // Clever: follow next links through every student.
  let t = Date.now();
  let seen = 0;
  let next: string | undefined = `/v3.0/users?role=student&limit=${pageSize}`;
  while (next !== undefined) {
    const r = await fetch(`${sims.clever.url}${next}`, { headers: { authorization: `Bearer ${d.cleverDistrictToken}` } });
    const body = (await r.json()) as { data: unknown[]; links: { rel: string; uri: string }[] };
    if (body.data.length === 0) break;
    seen += body.data.length;
    next = body.links.find((l) => l.rel === 'next')?.uri;
  }
  console.log(`Clever: paged ${seen} students in ${Date.now() - t} ms; peak RSS ${mb(peak())}`);

  // OneRoster 1.1 with real OAuth 1.0a signatures.
  const oauth = new OAuth({
    consumer: { key: d.oneRoster.v1p1.consumerKey, secret: d.oneRoster.v1p1.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  const signed = (url: string) => fetch(url, { headers: { ...oauth.toHeader(oauth.authorize({ url, method: 'GET' })) } });
  t = Date.now();
  seen = 0;
  for (let offset = 0; ; offset += pageSize) {
    const r = await signed(`${d.oneRoster.v1p1.baseUrl}/students?limit=${pageSize}&offset=${offset}&sort=sourcedId&orderBy=asc`);
    const page = ((await r.json()) as { users: unknown[] }).users;
    seen += page.length;
    if (page.length < pageSize) break;
  }
  console.log(`OneRoster 1.1: paged ${seen} students in ${Date.now() - t} ms; peak RSS ${mb(peak())}`);

  // OneRoster 1.2: the big section, and the first and last enrollment pages.
  const tokenRes = await fetch(d.oneRoster.v1p2.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${d.oneRoster.v1p2.clientId}:${d.oneRoster.v1p2.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  const get12 = async (path: string) => {
    const r = await fetch(`${d.oneRoster.v1p2.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { body: (await r.json()) as Record<string, unknown[]>, total: Number(r.headers.get('x-total-count')) };
  };
  t = Date.now();
  seen = 0;
  for (let offset = 0; ; offset += pageSize) {
    const page = (await get12(`/students?limit=${pageSize}&offset=${offset}`)).body['users'] ?? [];
    seen += page.length;
    if (page.length < pageSize) break;
  }
  const bigClass = ((await get12(`/classes?limit=1&filter=${encodeURIComponent("title~'All Grades'")}`)).body['classes'] ?? [])[0] as
    | { sourcedId: string }
    | undefined;
  const bigRoster = bigClass === undefined ? [] : ((await get12(`/classes/${bigClass.sourcedId}/students?limit=${pageSize}`)).body['users'] ?? []);
  const enrollments = await get12(`/enrollments?limit=${pageSize}`);
  const lastOffset = Math.max(0, enrollments.total - pageSize);
  const lastEnrollments = (await get12(`/enrollments?limit=${pageSize}&offset=${lastOffset}`)).body['enrollments'] ?? [];
  console.log(
    `OneRoster 1.2: paged ${seen} students, big section ${bigRoster.length} students, enrollments ${enrollments.total} (last page ${lastEnrollments.length}) in ${Date.now() - t} ms`,
  );
  // With --expose-gc, show what is actually retained after the walk.
  (globalThis as { gc?: () => void }).gc?.();
  console.log(`peak RSS: ${mb(peak())} (current RSS ${mb(process.memoryUsage().rss)}, heap ${mb(process.memoryUsage().heapUsed)})`);
  await sims.close();
}

await main();
