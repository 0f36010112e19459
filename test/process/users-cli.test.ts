import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.ts';
import type { DatabaseTarget } from '../../src/db/database.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { testConfig } from '../support/context.ts';
import { createTestDatabase, engine } from '../support/database.ts';
import { makeDistrict, makeUser } from '../support/factories.ts';
import { runCli } from '../support/processes.ts';

/** `rollcall users find|diagnose` as support runs them, against a database prepared in-process. */
const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-users-cli-'));
let env: Record<string, string>;
let drop: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  const key = Buffer.alloc(32, 9).toString('base64');
  let target: DatabaseTarget = { kind: 'pglite', dataDir };
  env = { ROLLCALL_DATA_DIR: dataDir, ROLLCALL_DEMO: 'false', ROLLCALL_ENCRYPTION_KEY: key, PUBLIC_URL: 'http://rollcall.test' };
  if (engine === 'postgres') {
    const db = await createTestDatabase();
    target = db.target;
    drop = db.drop;
    env = { ...env, DATABASE_URL: (db.target as { url: string }).url };
  }
  const ctx = await createContext(testConfig({ ROLLCALL_DATA_DIR: dataDir }), { logger: createLogger('warn'), target, masterKey: Buffer.from(key, 'base64'), supervise: false });
  try {
    const { license, admin } = await makeDistrict(ctx, { name: 'Cli District' });
    const teacher = await makeUser(ctx, { email: 'cli.teacher@school.test', name: 'Carla Cli' });
    await ctx.store.licenses.insertMembers(license.id, [{ email: teacher.email!, userId: teacher.id }], admin.id, new Date());
  } finally {
    await ctx.close();
  }
}, 120_000);
afterAll(async () => {
  await drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`rollcall users (${engine})`, () => {
  it('finds users by part of a name or email', async () => {
    const found = await runCli(['users', 'find', 'carla', '--json'], env);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toEqual([expect.objectContaining({ name: 'Carla Cli', email: 'cli.teacher@school.test', role: 'teacher' })]);
    const text = await runCli(['users', 'find', 'nobody-like-this'], env);
    expect(text.stdout).toMatch(/No users match "nobody-like-this"/);
  });

  it('prints the same diagnosis the teacher sees, as text and as JSON', async () => {
    const text = await runCli(['users', 'diagnose', 'CLI.Teacher@school.test'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Diagnosis for Carla Cli <cli.teacher@school.test> — Cli District');
    expect(text.stdout).toContain('NOT AVAILABLE: check 1 fails: Your district has an active rostering connection');
    expect(text.stdout).toMatch(/1\. \[FAIL\] +Your district has an active rostering connection — Cli District hasn’t connected Rollcall/);
    expect(text.stdout).toMatch(/2\. \[skipped\]/);
    expect(text.stdout).toContain('Who can fix it: the district’s IT');

    const json = await runCli(['users', 'diagnose', 'cli.teacher@school.test', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, firstFailure: 'integration', fixer: 'district_it', subject: { email: 'cli.teacher@school.test' } });
  });

  it('says plainly when nobody has that email, and keeps add-operator working', async () => {
    const missing = await runCli(['users', 'diagnose', 'ghost@school.test'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/A user or invitation for ghost@school\.test was not found/);
    const help = await runCli(['users', '--help'], env);
    expect(help.stdout).toMatch(/add-operator/);
    expect(help.stdout).toMatch(/find/);
    expect(help.stdout).toMatch(/diagnose/);
  });
});
