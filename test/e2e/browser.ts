import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, or null when it is missing: the browser tests are then skipped with a notice, except under
 * CI=true, where a missing browser is a failure (.ci/run installs it).
 */
export async function launchBrowser(): Promise<Browser | null> {
  if (!fs.existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see scripts/install-browser.sh)`);
    console.warn(`NOTICE: browser tests skipped: ${CHROMIUM} not found (install it with scripts/install-browser.sh)`);
    return null;
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
