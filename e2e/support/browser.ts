import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** CI must run the browser tests; a developer machine without Chromium skips them, saying why. */
export const browserAvailable = existsSync(chromiumPath);
if (!browserAvailable) {
  const message = `[skipped] browser tests: ${chromiumPath} not found (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`${message} — required in CI`);
  console.warn(message);
}

export function launchBrowser(): Promise<Browser> {
  // Never a downloaded browser: Debian's Chromium, with its network chatter off.
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
