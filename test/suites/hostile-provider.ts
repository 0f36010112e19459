import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy in front of a provider simulator that makes every person record it
 * passes on carry what real rostering data can carry and Rollcall must never
 * keep: passwords, phone and SMS numbers, dates of birth, demographics,
 * student and state numbers, usernames, middle names, home addresses. Each
 * value is unique to its record and remembered, so a test can search the
 * database and the logs for every one of them. The simulators' own
 * provider-only values (Clever dob, state and SIS ids, student usernames)
 * are remembered too.
 */
export interface HostileProxy {
  readonly url: string;
  /** Every provider-only value that went through, injected or the simulator's own. */
  readonly values: Set<string>;
  /** Person records decorated, by wire format. */
  readonly decorated: { oneRoster: number; clever: number; classlinkInfo: number };
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function startHostileProxy(target: string): Promise<HostileProxy> {
  const values = new Set<string>();
  const decorated = { oneRoster: 0, clever: 0, classlinkInfo: 0 };

  const forRecord = (id: string) => {
    const tag = createHash('sha256').update(id).digest('hex').slice(0, 10);
    const n = Number.parseInt(tag.slice(0, 7), 16) % 10_000_000;
    const digits = String(n).padStart(7, '0');
    const v = {
      password: `Pw-${tag}-Secret!`,
      phone: `+1 541 ${digits}`,
      sms: `+1 971 ${digits}`,
      birthDate: `20${10 + (n % 4)}-0${1 + (n % 9)}-${10 + (n % 18)}`,
      dob: `${1 + (n % 9)}/${10 + (n % 18)}/20${10 + (n % 4)}`,
      birthCity: `Birthtown-${tag}`,
      race: `Race-${tag}`,
      language: `Homelang-${tag}`,
      studentNumber: `SN-${tag}`,
      stateId: `STATE-${tag}`,
      ssn: `SSN-${tag}`,
      username: `user-${tag}`,
      middle: `Middlename${tag}`,
      address: `${n % 900} Hidden-${tag} Lane`,
    };
    for (const value of Object.values(v)) values.add(value);
    return v;
  };
  const remember = (value: unknown) => {
    if (typeof value === 'string' && value.trim().length >= 5) values.add(value);
  };

  function decorate(node: unknown): void {
    if (Array.isArray(node)) return node.forEach(decorate);
    if (!isObject(node)) return;
    // OneRoster user (1.1 and 1.2).
    if (typeof node.sourcedId === 'string' && 'givenName' in node && 'familyName' in node) {
      const v = forRecord(node.sourcedId);
      const student = node.role === 'student' || (Array.isArray(node.roles) && node.roles.some((r) => isObject(r) && r.role === 'student'));
      if (student) remember(node.username);
      Object.assign(node, {
        password: v.password,
        phone: v.phone,
        sms: v.sms,
        middleName: v.middle,
        username: v.username,
        userIds: [{ type: 'LDAP', identifier: v.username }, { type: 'SSN', identifier: v.ssn }],
        identifier: v.studentNumber,
        demographics: { sourcedId: node.sourcedId, birthDate: v.birthDate, sex: 'female', cityOfBirth: v.birthCity, hispanicOrLatinoEthnicity: 'true', countryOfBirthCode: 'US' },
        metadata: { homeAddress: v.address, race: v.race, homeLanguage: v.language },
      });
      decorated.oneRoster++;
    }
    // Clever v3 user: { id, name: { first, last }, roles: { student: {...} | teacher: {...} } }.
    if (typeof node.id === 'string' && isObject(node.name) && 'first' in node.name && isObject(node.roles)) {
      const v = forRecord(node.id);
      const student = node.roles.student;
      if (isObject(student)) {
        remember(student.dob);
        remember(student.state_id);
        remember(student.sis_id);
        remember(isObject(student.credentials) ? student.credentials.district_username : undefined);
        Object.assign(student, {
          dob: v.dob,
          gender: 'F',
          ell_status: 'Y',
          iep_status: 'Y',
          frl_status: 'Free',
          race: v.race,
          hispanic_ethnicity: 'Y',
          home_language: v.language,
          student_number: v.studentNumber,
          state_id: v.stateId,
          sis_id: v.ssn,
          credentials: { district_username: v.username, district_password: v.password },
          location: { address: v.address },
        });
      }
      Object.assign(node.name, { middle: v.middle });
      Object.assign(node, { phone: v.phone, sms: v.sms, password: v.password });
      decorated.clever++;
    }
    // ClassLink /v2/my/info.
    if (typeof node.SourcedId === 'string' && 'TenantId' in node) {
      const v = forRecord(`${String(node.TenantId)}:${node.SourcedId}`);
      Object.assign(node, { Phone: v.phone, Password: v.password, DOB: v.birthDate, LoginId: v.username, MiddleName: v.middle, Address: v.address });
      decorated.classlinkInfo++;
    }
    for (const value of Object.values(node)) decorate(value);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === 'string' && !['host', 'connection', 'content-length', 'accept-encoding'].includes(k)) headers[k] = v;
        }
        const method = req.method ?? 'GET';
        const upstream = await fetch(new URL(req.url ?? '/', target), { method, headers, redirect: 'manual', ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }) });
        let body = Buffer.from(await upstream.arrayBuffer());
        if ((upstream.headers.get('content-type') ?? '').includes('json')) {
          try {
            const parsed = JSON.parse(body.toString('utf8')) as unknown;
            decorate(parsed);
            body = Buffer.from(JSON.stringify(parsed));
          } catch {
            // Not JSON after all (a fault the simulator injected): pass it on untouched.
          }
        }
        const out: Record<string, string> = {};
        upstream.headers.forEach((value, key) => {
          if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(key)) out[key] = value;
        });
        res.writeHead(upstream.status, out);
        res.end(body);
      })().catch((error: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`hostile proxy: ${(error as Error).message}`);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    values,
    decorated,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
