import type { Command } from 'commander';
import { rotateSealedSecrets } from '../domain/integrations/key-rotation.ts';
import { SecretBox } from '../lib/crypto.ts';
import { bootConfig, fail, print, withContext } from './runtime.ts';

const decodeKey = (value: string, name: string): Buffer => {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32) fail(`${name}: must be 32 random bytes, base64-encoded (openssl rand -base64 32)`);
  return key;
};

/**
 * rollcall keys rotate: re-encrypts the provider credentials stored under the
 * previous ROLLCALL_ENCRYPTION_KEY with the current one. Run it once, with every
 * Rollcall process stopped or already started with the new key (see docs/deploy.md).
 */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('Manage the encryption key (ROLLCALL_ENCRYPTION_KEY)');
  keys
    .command('rotate')
    .description('Re-encrypt stored provider secrets from the old key to the current ROLLCALL_ENCRYPTION_KEY')
    .option('--old-key <base64>', 'the previous key (or set ROLLCALL_OLD_ENCRYPTION_KEY, which keeps it out of the process list)')
    .option('--json', 'print JSON')
    .action(async (opts: { oldKey?: string; json?: boolean }) => {
      const config = bootConfig();
      if (!config.encryptionKey) fail('ROLLCALL_ENCRYPTION_KEY must be set to the new key');
      const oldValue = opts.oldKey ?? process.env.ROLLCALL_OLD_ENCRYPTION_KEY;
      if (!oldValue) fail('give the previous key with --old-key or ROLLCALL_OLD_ENCRYPTION_KEY');
      const oldKey = decodeKey(oldValue, 'the old key');
      if (oldKey.equals(config.encryptionKey)) fail('the old key and ROLLCALL_ENCRYPTION_KEY are the same');
      const result = await withContext((ctx) => rotateSealedSecrets(ctx.store, { old: new SecretBox(oldKey), current: new SecretBox(config.encryptionKey!) }));
      print(!!opts.json, result, () => `Re-encrypted ${result.rotated} integration secret(s); ${result.alreadyCurrent} already used the current key.`);
    });
}
