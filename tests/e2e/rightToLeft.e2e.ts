import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { io } from 'socket.io-client';
import { facilitatorSocket, openScreen, phone } from './helpers';

type Box = { x: number; width: number };
const centre = (box: Box) => box.x + box.width / 2;

async function boxOf(locator: Locator): Promise<Box> {
  await expect(locator).toBeVisible();
  const box = await locator.boundingBox();
  if (!box) throw new Error('no box');
  return box;
}

/** `first` is before `second` in reading order: left of it in English, right of it in Arabic. */
async function expectReadingOrder(page: Page, locale: string, first: Locator, second: Locator) {
  const [a, b] = [await boxOf(first), await boxOf(second)];
  if (locale === 'ar') expect(centre(a), 'right to left').toBeGreaterThan(centre(b));
  else expect(centre(a), 'left to right').toBeLessThan(centre(b));
  expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe(locale === 'ar' ? 'rtl' : 'ltr');
}

async function open(browser: Browser, locale: string, url: string, viewport = phone) {
  const page = await (await browser.newContext({ ...viewport, locale })).newPage();
  await page.goto(url);
  return page;
}

test('Arabic mirrors the phone, the projector screen and the console; English does not', async ({ browser, request }) => {
  test.setTimeout(60_000);
  const created = await (await request.post('/api/workshops', { data: { title: 'حوار الحي Ward 4', groups: [], anonymityThreshold: 3 } })).json();
  const seed = await facilitatorSocket(created);
  const poll = await seed.timeout(5000).emitWithAck('agenda:add', {
    activity: { kind: 'poll', title: 'الإنارة', question: 'ما الأولوية؟', type: 'single', options: ['الإنارة', 'Benches', 'الحدائق'] },
  });
  await seed.timeout(5000).emitWithAck('agenda:goTo', { id: poll.id });
  await seed.timeout(5000).emitWithAck('activity:setState', { id: poll.id, state: 'open' });
  await seed.timeout(5000).emitWithAck('timer:start', { seconds: 300 });

  for (const locale of ['en', 'ar']) {
    const mobile = await open(browser, locale, created.urls.join);
    const title = mobile.getByText('حوار الحي Ward 4');
    // The workshop's title starts the header; the language picker ends it; the quick exit sits at the end.
    await expectReadingOrder(mobile, locale, title, mobile.getByRole('combobox').first());
    const exit = await boxOf(mobile.getByRole('button', { name: locale === 'ar' ? 'مغادرة سريعة' : 'Leave quickly' }));
    if (locale === 'ar') expect(centre(exit)).toBeLessThan(195);
    else expect(centre(exit)).toBeGreaterThan(195);
    // Answer choices start at the reading edge: the radio before its label.
    const choice = mobile.locator('label.choice').first();
    await expectReadingOrder(mobile, locale, choice.locator('input'), choice.locator('span'));
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const screen = await openScreen(browser, created.urls.screen, locale);
    // The activity takes the reading side, the join panel (code and QR) the other.
    await expectReadingOrder(screen, locale, screen.locator('.stage'), screen.locator('aside.join'));
    // The join address stays one left-to-right run inside a sentence that reads in the page's direction.
    const address = screen.locator('.url bdi[dir="ltr"]');
    await expect(address).toHaveText(new RegExp(`/j/${created.joinCode}$`));
    await expect(screen.locator('.url')).not.toHaveAttribute('dir', 'ltr');

    const console = await open(browser, locale, created.urls.facilitate, { viewport: { width: 1280, height: 900 } } as typeof phone);
    await expectReadingOrder(console, locale, console.locator('.main-column'), console.locator('.side-column'));
    // The Latin join code is isolated: in Arabic it cannot swap places with the count beside it.
    const header = console.locator('.console-header p');
    await expect(header.locator('bdi.code[dir="ltr"]')).toHaveText(created.joinCode);
    const code = await boxOf(header.locator('bdi.code'));
    const line = await boxOf(header);
    if (locale === 'ar') expect(code.x + code.width, 'the code after its label, not at the line end').toBeLessThan(line.x + line.width - 60);
    // Screenshots beside the assertions, for a person to look at (kept in the test's output folder).
    for (const [name, page] of Object.entries({ phone: mobile, screen, console })) {
      const path = test.info().outputPath(`${locale}-${name}.png`);
      await page.screenshot({ path, fullPage: true });
      await test.info().attach(`${locale}-${name}`, { path, contentType: 'image/png' });
    }
    for (const page of [mobile, screen, console]) await page.context().close();
  }

  // Results: bars grow from the reading edge, their labels before them.
  const voters = await Promise.all(
    ['a', 'b', 'c'].map(async (n) => {
      const socket = io(test.info().project.use.baseURL!, {
        auth: { role: 'participant', joinCode: created.joinCode, token: `rtl-voter-${n}`.padEnd(40, 'x') },
        transports: ['websocket'],
      });
      await new Promise((resolve) => socket.once('session:snapshot', resolve));
      await socket.timeout(5000).emitWithAck('poll:vote', { pollId: poll.id, answer: { choice: 'benches' } });
      return socket;
    }),
  );
  await seed.timeout(5000).emitWithAck('activity:setState', { id: poll.id, state: 'closed' });
  await seed.timeout(5000).emitWithAck('activity:setResultsVisible', { id: poll.id, visible: true });
  for (const locale of ['en', 'ar']) {
    const screen = await openScreen(browser, created.urls.screen, locale);
    const chart = screen.locator('.chart');
    await expectReadingOrder(screen, locale, chart.locator('.label').nth(1), chart.locator('.bar').nth(1));
    await screen.context().close();
  }
  for (const voter of voters) voter.disconnect();
  seed.disconnect();
});
