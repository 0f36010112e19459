import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded database and the demo', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './data' });
    expect(config.demo).toBe(true);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.secureCookies).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });
  it('uses PostgreSQL when DATABASE_URL is set, and secure cookies behind https', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h/db', PUBLIC_URL: 'https://rollcall.example/' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
    expect(config.demo).toBe(false);
    expect(config.secureCookies).toBe(true);
    expect(config.publicUrl).toBe('https://rollcall.example');
  });
  it('names every bad variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x/y', ROLLCALL_ENCRYPTION_KEY: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('ROLLCALL_ENCRYPTION_KEY');
      expect(message).not.toContain('short'); // secrets are not echoed
    }
  });
  it('requires a key and a public URL in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ROLLCALL_ENCRYPTION_KEY[\s\S]*PUBLIC_URL/);
  });
});
