import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/**
 * RS256 signing for the simulators' OpenID Connect id_tokens, with node:crypto
 * only (no jose dependency). One key pair per simulator instance, published
 * as a JWKS so relying parties verify signatures exactly as with the real IdP.
 */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: Record<string, unknown>;
}

export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string; kty: string };
  // RFC 7638 thumbprint as the key id: stable for the key, unique across instances.
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('base64url');
  return {
    kid: thumbprint,
    privateKey,
    publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, alg: 'RS256', use: 'sig', kid: thumbprint },
  };
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const header = { alg: 'RS256', typ: 'JWT', kid: key.kid };
  const input = `${b64url(header)}.${b64url(claims)}`;
  const signature = sign('sha256', Buffer.from(input), key.privateKey).toString('base64url');
  return `${input}.${signature}`;
}

export function jwks(key: SigningKey): { keys: Record<string, unknown>[] } {
  return { keys: [key.publicJwk] };
}
