import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestContext } from 'vitest';

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

/**
 * When the running test fails, print where each of its pages was and what it showed: a CI log
 * then says "the dialog offered the diagnosis link" instead of only "matcher timed out".
 */
export function dumpPagesOnFailure(context: TestContext, browser: () => Browser | undefined): void {
  context.onTestFailed(async () => {
    const pages: Page[] = (browser()?.contexts() ?? []).flatMap((c) => c.pages());
    for (const page of pages) {
      if (page.isClosed()) continue;
      const text = await page.locator('body').innerText({ timeout: 2_000 }).catch((e: unknown) => `(unreadable: ${String(e)})`);
      console.error(`--- page ${page.url()}\n${text.slice(0, 3_000)}`);
    }
  });
}
