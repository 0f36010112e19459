import type { Store } from '../../db/store.ts';
import { AppError } from '../../lib/errors.ts';

/** What seals and opens secrets ("v1.<iv>.<tag>.<ct>", AES-256-GCM): the old key's box and the new key's. */
export interface SecretSealer {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export interface RotationResult {
  /** Re-encrypted from the old key to the new one. */
  readonly rotated: number;
  /** Already sealed with the new key (a rotation that ran before, or a secret saved since). */
  readonly alreadyCurrent: number;
}

const opens = (box: SecretSealer, sealed: string): string | null => {
  try {
    return box.open(sealed);
  } catch {
    return null;
  }
};

/**
 * Re-encrypts every integration's provider credentials from the old master
 * key to the new one, in one transaction: either every secret opens with one
 * of the two keys and all are rewritten, or nothing changes. Safe to run again
 * (secrets already under the new key are left alone).
 */
export async function rotateSealedSecrets(store: Store, keys: { old: SecretSealer; current: SecretSealer }): Promise<RotationResult> {
  return store.transaction(async (tx) => {
    let rotated = 0;
    let alreadyCurrent = 0;
    for (const { id, sealed } of await tx.integrations.allSealedCredentialsForUpdate()) {
      if (opens(keys.current, sealed) !== null) {
        alreadyCurrent++;
        continue;
      }
      const plaintext = opens(keys.old, sealed);
      if (plaintext === null) {
        throw new AppError('conflict', `The credentials of integration ${id} open with neither the old nor the new key. Nothing was changed; check --old-key and ROLLCALL_ENCRYPTION_KEY.`);
      }
      await tx.integrations.replaceSealedCredentials(id, keys.current.seal(plaintext));
      rotated++;
    }
    return { rotated, alreadyCurrent };
  });
}
