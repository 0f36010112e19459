import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startCli, type Running } from '../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-lifecycle-'));
const key = randomBytes(32).toString('base64');
let server: Running | undefined;

afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Resolves with everything the server wrote once it closes the connection. */
function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('start-up fails fast with a message naming what is missing', () => {
  it('exits 1 naming the database when DATABASE_URL points at a closed port', async () => {
    const port = await freePort();
    const started = Date.now();
    const result = await runCli(['serve'], { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/rollcall`, ROLLCALL_ENCRYPTION_KEY: key, ROLLCALL_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot reach the database given by DATABASE_URL/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('exits 1 naming ROLLCALL_ENCRYPTION_KEY when production has none', async () => {
    const result = await runCli(['serve'], { NODE_ENV: 'production', PUBLIC_URL: 'https://rollcall.example.org', ROLLCALL_ENCRYPTION_KEY: '', ROLLCALL_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ROLLCALL_ENCRYPTION_KEY \(unset\): required when NODE_ENV=production/);
  });
});

describe('SIGTERM on the embedded database', () => {
  it('stops accepting, finishes the request in flight, releases the lock and exits 0', async () => {
    const port = await freePort();
    const env = { ROLLCALL_DATA_DIR: dataDir, ROLLCALL_DEMO: 'false', PORT: String(port) };
    server = await startCli([], env, /Rollcall is running at/);
    const base = `http://127.0.0.1:${port}`;
    expect(existsSync(join(dataDir, 'rollcall.lock'))).toBe(true);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // A sign-in whose body is still arriving when the signal comes: the request is in flight.
    const session = await fetch(`${base}/api/session`);
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const cookie = session.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const body = JSON.stringify({ email: 'nobody@school.test', password: 'not a real password' });
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const answer = readAll(socket);
    socket.write(
      `POST /api/auth/signin HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-csrf-token: ${csrfToken}\r\nCookie: ${cookie}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 300));

    const exited = server.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 700));
    expect(server.child.exitCode).toBeNull(); // still waiting for the request in flight
    await expect(fetch(`${base}/healthz`)).rejects.toThrow(); // but no longer accepting connections

    socket.write(body.slice(10));
    expect(await answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(await exited).toBe(0);
    expect(server.output()).toMatch(/"msg":"stopped"/);
    server = undefined;

    expect(existsSync(join(dataDir, 'rollcall.lock'))).toBe(false);
    const next = await runCli(['districts', 'list', '--json'], { ROLLCALL_DATA_DIR: dataDir, ROLLCALL_DEMO: 'false' });
    expect(next.code).toBe(0);
  }, 90_000);
});
