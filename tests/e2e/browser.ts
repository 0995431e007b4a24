/**
 * The browser the Playwright suite drives: CHROMIUM_PATH, else Debian's (or Ubuntu's) Chromium, else whatever
 * Playwright itself resolves (a browser installed on a laptop with `npx playwright install`; never downloaded by
 * the tests). Undefined when there is none of these.
 */
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';

export function browserPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  const system = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
  if (system) return system;
  try {
    const own = chromium.executablePath();
    return existsSync(own) ? own : undefined;
  } catch {
    return undefined;
  }
}
