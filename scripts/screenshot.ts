// Development aid: `node scripts/screenshot.ts SITE_DIR /month/2026-05/ out.png [light|dark]` screenshots a page of a built site.
import { chromium } from 'playwright-core';
import { serveStatic } from '../src/serve/static.ts';
const [root, page_, out, scheme] = process.argv.slice(2);
const server = await serveStatic(root);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: (scheme as 'light' | 'dark') ?? 'light' });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
await page.goto(server.url + page_.replace(/^\//, ''));
await page.screenshot({ path: out, fullPage: true });
await browser.close();
await server.close();
