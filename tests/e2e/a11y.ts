/** Accessibility checks shared by the e2e tests: axe in both colour schemes, touch targets, keyboard travel. */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Browser, type BrowserContextOptions, type Locator, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';

/** WCAG 2.2 level A and AA, as axe tags them. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export type Created = { id: string; joinCode: string; facilitatorKey: string; urls: Record<'join' | 'screen' | 'facilitate', string> };

export async function createWorkshop(request: APIRequestContext, data: Record<string, unknown>): Promise<Created> {
  return (await request.post('/api/workshops', { data })).json();
}

export async function openPage(browser: Browser, url: string, options: BrowserContextOptions = { viewport: { width: 1280, height: 900 } }) {
  const page = await (await browser.newContext(options)).newPage();
  await page.goto(url);
  return page;
}

/** No axe violation of WCAG 2.2 A/AA on the page as it is now, in the light and in the dark colour scheme. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    const found = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    expect.soft(found, `axe on ${where}, ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Every control on the page offers at least 44×44 CSS pixels to a finger (a radio or checkbox: its label). */
export async function expectTouchTargets(page: Page, where: string): Promise<void> {
  const small = await page.evaluate(() => {
    const found: string[] = [];
    for (const control of document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, summary, [role="button"]')) {
      const toggle = control instanceof HTMLInputElement && (control.type === 'radio' || control.type === 'checkbox');
      const target = (toggle && control.closest('label')) || control;
      const { width, height } = target.getBoundingClientRect();
      if (width === 0 && height === 0) continue; // not rendered (a closed details, a hidden dialog)
      if (width < 44 || height < 44) found.push(`${target.outerHTML.slice(0, 80)} is ${Math.round(width)}×${Math.round(height)}`);
    }
    return found;
  });
  expect.soft(small, `touch targets on ${where}`).toEqual([]);
}

/** Presses Tab (only Tab) until `target` has the focus; fails if it is not reached. */
export async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  const handle = await target.elementHandle();
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((el) => el === document.activeElement, handle)) {
      await expectFocusVisible(page);
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

/** The focused control shows a solid outline of at least 2px (a hidden radio: on its label). */
export async function expectFocusVisible(page: Page): Promise<void> {
  const outline = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const styled = [el, el.closest('label')].filter((x): x is HTMLElement => x !== null).map((x) => getComputedStyle(x));
    const shown = styled.find((s) => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2);
    return shown ? `${shown.outlineStyle} ${shown.outlineWidth}` : `none on ${el.outerHTML.slice(0, 80)}`;
  });
  expect(outline).toMatch(/^solid \d/);
}

type Acked = { ok: true; [key: string]: unknown } | { ok: false; code: string; message: string };
export type Client = { send: (event: string, payload: unknown) => Promise<Acked & { ok: true }>; socket: Socket; close: () => void };

function client(auth: Record<string, unknown>): Promise<Client> {
  const socket = io(test.info().project.use.baseURL!, { auth, transports: ['websocket'], forceNew: true });
  const send = async (event: string, payload: unknown) => {
    const ack = (await socket.timeout(5000).emitWithAck(event, payload)) as Acked;
    if (!ack.ok) throw new Error(`${event}: ${ack.code} ${ack.message}`);
    return ack;
  };
  return new Promise((resolve, reject) =>
    socket.once('session:snapshot', () => resolve({ send, socket, close: () => socket.disconnect() })).once('connect_error', reject),
  );
}

/** The facilitator, over the real protocol: for seeding and for moving the workshop on. */
export const facilitatorClient = (created: Created) => client({ role: 'facilitator', workshopId: created.id, key: created.facilitatorKey });

/** Another person in the room, over the real protocol (so k people can answer without k browsers). */
export const participantClient = (created: Created) =>
  client({ role: 'participant', joinCode: created.joinCode, token: randomBytes(32).toString('base64url') });
