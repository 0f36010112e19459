import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startCli, type Running } from '../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-embedded-'));
let server: Running | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded database from the CLI', () => {
  it('stops a bad setting at boot with a message naming the variable', async () => {
    const result = await runCli(['migrate'], { ROLLCALL_DATA_DIR: dataDir, PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PORT \("eighty"\)/);
  });

  it('migrates, runs the operator commands with --json, and refuses a second process on the same data directory', async () => {
    const env = { ROLLCALL_DATA_DIR: dataDir, ROLLCALL_DEMO: 'false' };
    expect((await runCli(['migrate'], env)).stdout).toMatch(/up to date/);
    const district = await runCli(['districts', 'add', 'Lakeview', '--json'], env);
    expect(district.code).toBe(0);
    const { id } = JSON.parse(district.stdout) as { id: string };
    const school = await runCli(['schools', 'add', 'Lakeview Elementary', '--district', 'Lakeview', '--json'], env);
    const license = await runCli(
      ['licenses', 'add', '--district', id, '--school', JSON.parse(school.stdout).id, '--name', 'Lakeview 2026', '--seats', '12', '--starts', '2026-08-01', '--ends', '2027-07-31', '--json'],
      env,
    );
    expect(JSON.parse(license.stdout)).toMatchObject({ name: 'Lakeview 2026', seats: 12, seatsUsed: 0 });
    const bad = await runCli(['licenses', 'add', '--district', 'Nowhere', '--name', 'x', '--seats', '1', '--starts', '2026-01-01', '--ends', '2026-02-01'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/No district with id or name "Nowhere"/);

    const port = await freePort();
    server = await startCli([], { ...env, PORT: String(port) }, /Rollcall is running at/);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);

    const second = await runCli(['districts', 'list'], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/Another Rollcall process \(pid \d+\) is using the embedded database/);

    expect(await server.stop()).toBe(0);
    server = undefined;
    // The lock goes with the process, and the data stays.
    const list = await runCli(['districts', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ name: 'Lakeview' });
  }, 180_000);
});
