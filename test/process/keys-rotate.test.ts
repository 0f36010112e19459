import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { testConfig } from '../support/context.ts';
import { runCli } from '../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-keys-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const key = () => randomBytes(32).toString('base64');

/** Opens the integration's credentials with `masterKey` (as every provider call does). */
async function opensWith(masterKey: string): Promise<boolean> {
  const ctx = await createContext(testConfig({ ROLLCALL_DATA_DIR: dataDir }), {
    logger: createLogger('silent'),
    target: { kind: 'pglite', dataDir },
    masterKey: Buffer.from(masterKey, 'base64'),
    supervise: false,
  });
  try {
    const [integration] = await ctx.store.integrations.list();
    await ctx.services.integrations.provider(integration!);
    return true;
  } catch {
    return false;
  } finally {
    await ctx.close();
  }
}

describe('rollcall keys rotate', () => {
  it('re-encrypts provider secrets from the old key to the new one, once, and refuses a wrong old key changing nothing', async () => {
    const [oldKey, newKey, stranger] = [key(), key(), key()];
    const env = (k: string) => ({ ROLLCALL_DATA_DIR: dataDir, ROLLCALL_DEMO: 'false', ROLLCALL_ENCRYPTION_KEY: k });
    expect((await runCli(['districts', 'add', 'Lakeview'], env(oldKey))).code).toBe(0);
    const added = await runCli(
      ['integrations', 'add-classlink', '--district', 'Lakeview', '--tenant-id', '2001', '--roster-server', 'http://127.0.0.1:9', '--key', 'lakeview-key', '--secret', 'lakeview-roster-secret', '--json'],
      env(oldKey),
    );
    expect(added.code, added.stderr).toBe(0);
    expect(await opensWith(oldKey)).toBe(true);

    const rotated = await runCli(['keys', 'rotate', '--json'], { ...env(newKey), ROLLCALL_OLD_ENCRYPTION_KEY: oldKey });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout)).toEqual({ rotated: 1, alreadyCurrent: 0 });
    expect(await opensWith(newKey)).toBe(true);
    expect(await opensWith(oldKey)).toBe(false);

    const again = await runCli(['keys', 'rotate', '--old-key', oldKey], env(newKey));
    expect(again.stdout).toMatch(/Re-encrypted 0 integration secret\(s\); 1 already used the current key/);

    const wrong = await runCli(['keys', 'rotate', '--old-key', stranger], env(key()));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/open with neither the old nor the new key\. Nothing was changed/);
    expect(await opensWith(newKey)).toBe(true);

    const missing = await runCli(['keys', 'rotate'], env(newKey));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--old-key or ROLLCALL_OLD_ENCRYPTION_KEY/);
  }, 120_000); // ten short processes, each opening the embedded database
});
