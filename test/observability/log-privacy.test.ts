import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../support/database.ts';
import { PASSWORD, linkIn, mailTo, makeDistrict, tokenFrom } from '../support/factories.ts';
import { TestBrowser } from '../support/http.ts';
import { describeFindings, scanLogs } from '../support/log-scan.ts';
import { RedirectBrowser } from '../support/redirect-browser.ts';
import { APP, sectionKey, startRosteringWorld, type RosteringWorld } from '../support/rostering-world.ts';

let w: RosteringWorld;
beforeAll(async () => {
  w = await startRosteringWorld({ districts: [{ kind: 'demo' }] });
});
afterAll(async () => w?.stop());

describe('the log scanner', () => {
  it('finds emails, tokens in URLs, cookies, bearer tokens, known secrets and names', () => {
    const lines = [
      '{"msg":"x","email":"ann@school.test"}',
      '{"req":{"url":"/auth/clever/callback?code=abc123&state=xyz"}}',
      '{"headers":{"cookie":"rc_session=Zm9vYmFy"}}',
      '{"authorization":"Bearer abcdefghijkl"}',
      '{"msg":"token is kP3xV9qLm2Zt7Rw1Yb8Nc4Hd6Jf0Gs5Ae"}',
      '{"msg":"welcome Ana Lopez"}',
      '{"msg":"the passphrase was hunter2-long"}',
      '{"msg":"fine","userId":"7b0c7e3c-6f1d-4c36-9a53-0c2a4e2e9f11","reqId":"a2c1e1b0-5d7e-4b8f-9c3a-2f1e0d9c8b7a"}',
    ];
    const findings = scanLogs(lines, { names: ['Ana Lopez'], secrets: ['hunter2-long'] });
    const kinds = (i: number) => findings.filter((f) => f.lineIndex === i).map((f) => f.kind);
    expect(kinds(0)).toContain('email address');
    expect(kinds(1)).toContain('secret in a query string');
    expect(kinds(2)).toEqual(expect.arrayContaining(['cookie header', 'session or flow cookie']));
    expect(kinds(3)).toContain('bearer token');
    expect(kinds(4)).toContain('opaque secret-like string');
    expect(kinds(5)).toContain('person name');
    expect(kinds(6)).toContain('known secret');
    expect(kinds(7)).toEqual([]);
  });
});

describe(`nothing personal or secret in the logs of a representative flow (${engine})`, () => {
  it('sign-up, invitation, provider sign-ins, an import and syncs log ids and outcomes only', async () => {
    const { app, sims, t } = w;
    const maple = w.districts[0]!;
    const secrets: string[] = [PASSWORD, maple.info.cleverDistrictToken, maple.info.oneRoster.v1p1.consumerSecret, maple.info.oneRoster.v1p2.clientSecret, 'rc-secret', 'rc-cl-secret'];
    const names: string[] = [];
    const person = (p: { givenName: string; familyName: string }) => names.push(`${p.givenName} ${p.familyName}`, p.familyName);

    // Sign-up with a password, a refused sign-in, and the verification link.
    const signupPassword = 'marigold umbrella 1987';
    secrets.push(signupPassword);
    names.push('Priya Ramanathan', 'Ramanathan');
    const newcomer = new TestBrowser(app);
    expect((await newcomer.post('/api/auth/signup', { name: 'Priya Ramanathan', email: 'priya.ramanathan@school.test', password: signupPassword })).status).toBe(201);
    expect((await new TestBrowser(app).post('/api/auth/signin', { email: 'priya.ramanathan@school.test', password: 'not her password at all' })).status).toBe(401);
    const [verify] = await mailTo(t.ctx, 'priya.ramanathan@school.test');
    const verifyToken = tokenFrom(linkIn(verify!.text, '/verify-email?token='), 'query');
    secrets.push(verifyToken);
    expect((await newcomer.post('/api/auth/verify-email', { token: verifyToken })).status).toBe(200);
    // The link itself, as the browser opens it (the web UI's page, with the token in the query).
    await app.inject({ method: 'GET', url: `/verify-email?token=${encodeURIComponent(verifyToken)}` });

    // An invitation: the admin adds a teacher, who opens the link and finishes the account.
    const { license, admin } = await makeDistrict(t.ctx);
    const adminBrowser = new TestBrowser(app);
    expect((await adminBrowser.post('/api/auth/signin', { email: admin.email, password: PASSWORD })).status).toBe(200);
    expect((await adminBrowser.post(`/api/licenses/${license.id}/members`, { emails: 'Oluwaseun Adebayo <oluwaseun.adebayo@school.test>' })).status).toBe(200);
    const [invitation] = await mailTo(t.ctx, 'oluwaseun.adebayo@school.test');
    const invitationToken = tokenFrom(linkIn(invitation!.text, '/invitations/'), 'path');
    secrets.push(invitationToken);
    names.push('Oluwaseun Adebayo', 'Adebayo');
    await app.inject({ method: 'GET', url: `/invitations/${encodeURIComponent(invitationToken)}` });
    const invitee = new TestBrowser(app);
    expect((await invitee.get(`/api/invitations/${encodeURIComponent(invitationToken)}`)).status).toBe(200);
    const invitePassword = 'lighthouse pebble 4417';
    secrets.push(invitePassword);
    expect((await invitee.post(`/api/invitations/${encodeURIComponent(invitationToken)}/accept`, { name: 'Oluwaseun Adebayo', password: invitePassword })).status).toBe(200);
    // A password reset request for an address with no account, and one with.
    await new TestBrowser(app).post('/api/auth/password-reset', { email: 'nobody-here@school.test' });
    await new TestBrowser(app).post('/api/auth/password-reset', { email: 'oluwaseun.adebayo@school.test' });
    await t.ctx.queue.drain(t.ctx.jobHandlers, t.ctx.logger);

    // Provider sign-ins: a Clever button, a Clever Portal launch, a ClassLink LaunchPad launch, and a refusal.
    const student = maple.info.students[0]!;
    const teacher = maple.info.teachers[1]!;
    person(student);
    person(teacher);
    const clever = new RedirectBrowser(app, APP);
    const start = await clever.get('/auth/clever/start');
    const authorize = new URL(start.location!);
    const posted = await fetch(`${sims.clever.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams([...authorize.searchParams, ['user', student.cleverId]]), redirect: 'manual' });
    await clever.follow(posted.headers.get('location')!);
    const portal = new RedirectBrowser(app, APP);
    await portal.follow(`${sims.clever.url}/sim/portal?client_id=rc&user=${teacher.cleverId}`);
    const launchpad = new RedirectBrowser(app, APP);
    await launchpad.follow(`${sims.classlink.url}/sim/launchpad?client_id=rc-cl&user=${student.classlinkUserId}`);
    const tampered = new RedirectBrowser(app, APP);
    const tamperedStart = new URL((await tampered.get('/auth/clever/start')).location!);
    tamperedStart.searchParams.set('state', 'attacker-chosen-state-value');
    const forged = await fetch(`${sims.clever.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams([...tamperedStart.searchParams, ['user', student.cleverId]]), redirect: 'manual' });
    expect((await tampered.follow(forged.headers.get('location')!)).url).toContain('error=state_mismatch');
    for (const browser of [clever, portal, launchpad, tampered]) {
      for (const visited of browser.visited) {
        for (const key of ['code', 'state']) {
          const value = new URL(visited).searchParams.get(key);
          if (value) secrets.push(value);
        }
      }
      for (const jar of browser.jars.values()) secrets.push(...jar.values());
    }

    // An import of two sections, the class list and a roster.
    const importer = maple.info.teachers[0]!;
    person(importer);
    const { browser } = await w.teacher(maple, importer, 'classlink');
    expect((await browser.get('/api/rostering/sections')).status).toBe(200);
    const chosen = maple.info.sections.filter((s) => s.teacherEmails[0] === importer.email && !s.ended).slice(0, 2);
    const imported = await browser.post('/api/rostering/import', { sections: chosen.map((s) => ({ integrationId: maple.integrations.classlink.id, externalId: sectionKey('classlink', s) })) });
    expect(imported.status).toBe(200);
    const classes = await browser.get('/api/classes');
    const classId = (classes.body.classes as { id: string }[])[0]!.id;
    const roster = await browser.get(`/api/classes/${classId}`);
    expect(roster.status).toBe(200);
    // "Sync now" on the class, and a full sync of the integration through the queue (its run logs carry syncRunId).
    expect((await browser.post(`/api/classes/${classId}/sync`)).status).toBe(200);
    await t.ctx.services.sync.enqueue({ kind: 'cli' }, maple.integrations.classlink.id, 'full', 'full');
    await t.ctx.queue.drain(t.ctx.jobHandlers, t.ctx.logger);
    // Everyone on that roster is now a person whose name must not be logged.
    for (const s of maple.info.students) person(s);
    for (const b of [newcomer, adminBrowser, invitee, browser]) secrets.push(...b.cookies.values());
    await app.inject({ method: 'GET', url: '/metrics' });

    const lines = t.logs.lines;
    expect(lines.length).toBeGreaterThan(50);
    const findings = scanLogs(lines, { names, secrets });
    expect(findings, describeFindings(findings)).toEqual([]);

    // Every request log line carries the request id.
    const requestLines = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'incoming request' || l.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThan(20);
    for (const line of requestLines) expect(line.reqId).toMatch(/^[0-9a-f-]{36}$/);
    // One line per request, at its end, with the status and time (the storm pays for each line).
    expect(requestLines.filter((l) => l.msg === 'incoming request')).toEqual([]);
    expect(requestLines[0]).toMatchObject({ res: { statusCode: expect.any(Number) }, responseTime: expect.any(Number) });
    // …and the sync run's lines carry its run id.
    expect(lines.some((l) => /"syncRunId":"[0-9a-f-]{36}"/.test(l))).toBe(true);
  });
});
