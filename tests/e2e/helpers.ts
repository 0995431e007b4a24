import { expect, test, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { io } from 'socket.io-client';

/** A phone-sized browser context. */
export const phone = { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true };

/** Opens a phone on a join link and continues without choosing a group. */
export async function joinPhone(browser: Browser, joinUrl: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await (await browser.newContext({ ...phone, ...options })).newPage();
  await page.goto(joinUrl);
  await page.getByRole('button', { name: 'Continue' }).click();
  return page;
}

/**
 * Opens a projector in a browser reading `locale` and switches it to that language with its own control: a screen
 * shows the workshop's language (English in these tests) whatever the browser's, until someone chooses.
 */
export async function openScreen(browser: Browser, url: string, locale: string, viewport = { width: 1280, height: 720 }): Promise<Page> {
  const screen = await (await browser.newContext({ viewport, locale })).newPage();
  await screen.goto(url);
  await expect(screen.locator('html')).toHaveAttribute('lang', 'en');
  await screen.getByLabel('Language').selectOption(locale);
  await expect(screen.locator('html')).toHaveAttribute('lang', locale);
  return screen;
}

/** A facilitator driving the workshop over the real protocol, for seeding and for tests about other screens. */
export async function facilitatorSocket(created: { id: string; facilitatorKey: string }) {
  const socket = io(test.info().project.use.baseURL!, {
    auth: { role: 'facilitator', workshopId: created.id, key: created.facilitatorKey },
    transports: ['websocket'],
  });
  await new Promise((resolve, reject) => socket.once('session:snapshot', resolve).once('connect_error', reject));
  return socket;
}
