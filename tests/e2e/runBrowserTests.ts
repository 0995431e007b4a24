/**
 * `npm test`'s last step: the Playwright suite, in the browser of tests/e2e/browser.ts. With no browser at all it
 * says so in one line and skips the suite — except in CI, where that fails. Arguments go on to `playwright test`.
 */
import { spawnSync } from 'node:child_process';
import { browserPath } from './browser.js';

if (!browserPath()) {
  const line = 'no Chromium for the browser tests: apt-get install chromium, or set CHROMIUM_PATH to a Chrome or Chromium';
  if (process.env.CI) {
    console.error(`${line} (CI runs every suite)`);
    process.exit(1);
  }
  console.warn(`skipped the browser tests: ${line}`);
  process.exit(0);
}
const result = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
