import { expect, test, type Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import { facilitatorSocket, phone } from './helpers';

/** Markup and links typed into a workshop; each would set window.__pwned if it were ever run. */
const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=1</script>';
const LINK = '<a href="javascript:window.__pwned=1">click me</a>';
const MD_LINK = '[click](javascript:window.__pwned=1)';

/** Nothing ran, and nothing hostile became an element. */
async function expectInert(page: Page, view: string): Promise<void> {
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned), view).toBeUndefined();
  await expect(page.locator('img[src="x"], a[href^="javascript:" i], [onerror]'), view).toHaveCount(0);
  expect(await page.locator('script').evaluateAll((scripts) => scripts.filter((s) => s.textContent?.includes('__pwned')).length), view).toBe(0);
}

test('markup and links typed into a workshop show as text on phones, the screen and the console, and never run', async ({ browser, request }) => {
  test.setTimeout(90_000);
  // Seeded through the import endpoint: a hostile title, agenda and plan in one request.
  const response = await request.post('/api/workshops/import', {
    data: {
      schema: 'roundtable.workshop/1',
      workshop: { title: IMG, language: 'en', anonymityThreshold: 3, groups: [{ label: SCRIPT }] },
      activities: [
        { kind: 'board', title: SCRIPT, prompt: LINK, mode: 'board', columns: [], noteLimit: 5, prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 } },
        {
          kind: 'poll',
          title: 'Choose',
          question: MD_LINK,
          type: 'single',
          options: [
            { id: 'a', label: IMG },
            { id: 'b', label: SCRIPT },
            { id: 'c', label: MD_LINK },
          ],
          allowPreferNot: true,
          liveResults: false,
        },
        { kind: 'poll', title: 'One word', question: LINK, type: 'open', options: [], allowPreferNot: true, liveResults: false },
        { kind: 'plan', title: 'Plan', template: 'blank' },
      ],
      plan: { template: 'blank', title: SCRIPT, sections: { vision: `${IMG}\n${MD_LINK}` }, actions: [{ title: LINK, description: SCRIPT }] },
    },
  });
  expect(response.status()).toBe(201);
  const created = await response.json();
  const lead = await facilitatorSocket(created);
  const snapshot = await new Promise<{ agenda: { activities: { id: string }[] } }>((resolve) => {
    const fresh = io(test.info().project.use.baseURL!, {
      auth: { role: 'facilitator', workshopId: created.id, key: created.facilitatorKey },
      transports: ['websocket'],
    });
    fresh.once('session:snapshot', (s) => (fresh.disconnect(), resolve(s)));
  });
  const [board, choice, open, plan] = snapshot.agenda.activities.map((a) => a.id) as [string, string, string, string];
  const ask = (event: string, payload: unknown) => lead.timeout(5000).emitWithAck(event, payload);

  const facilitator = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await facilitator.goto(created.urls.facilitate);
  const screen = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await screen.goto(created.urls.screen);
  const participant = await (await browser.newContext(phone)).newPage();
  await participant.goto(created.urls.join);
  await participant.getByRole('button', { name: 'Continue' }).click();
  const pages = { facilitator, screen, participant };
  const everywhere = async (step: string) => {
    for (const [view, page] of Object.entries(pages)) await expectInert(page, `${view}, ${step}`);
  };
  await expect(facilitator.getByText(IMG).first()).toBeVisible();
  await everywhere('waiting');

  // Three more people, over the protocol, so that counts reach k = 3.
  const others: Socket[] = [];
  for (let i = 0; i < 3; i++) {
    const socket = io(test.info().project.use.baseURL!, {
      auth: { role: 'participant', joinCode: created.joinCode, token: `hostile-text-person-${i}`.padEnd(40, 'x') },
      transports: ['websocket'],
    });
    await new Promise((resolve) => socket.once('session:snapshot', resolve));
    others.push(socket);
  }
  const each = (event: string, payload: unknown) => Promise.all(others.map((s) => s.timeout(5000).emitWithAck(event, payload)));

  await ask('agenda:goTo', { id: board });
  for (const [i, text] of [IMG, SCRIPT, LINK].entries()) await others[i]!.timeout(5000).emitWithAck('board:addNote', { boardId: board, text });
  await participant.getByLabel('Your note').fill(MD_LINK);
  await participant.getByRole('button', { name: 'Add note' }).click();
  for (const page of [facilitator, screen])
    for (const text of [IMG, SCRIPT, LINK, MD_LINK]) await expect(page.getByText(text, { exact: true }).first()).toBeVisible();
  await expect(participant.getByText(MD_LINK, { exact: true }).first()).toBeVisible();
  await everywhere('board');

  await ask('agenda:goTo', { id: choice });
  await ask('activity:setState', { id: choice, state: 'open' });
  for (const label of [IMG, SCRIPT, MD_LINK]) await expect(participant.getByRole('radio', { name: label, exact: true })).toBeVisible();
  await expect(participant.getByText(MD_LINK, { exact: true }).first()).toBeVisible(); // the question
  await everywhere('choice poll');

  await ask('agenda:goTo', { id: open });
  await ask('activity:setState', { id: open, state: 'open' });
  await each('poll:vote', { pollId: open, answer: { text: SCRIPT } });
  await ask('activity:setState', { id: open, state: 'closed' });
  await ask('activity:setResultsVisible', { id: open, visible: true });
  await expect(facilitator.getByText(SCRIPT, { exact: true }).first()).toBeVisible();
  await everywhere('open question');

  await ask('agenda:goTo', { id: plan });
  await expect
    .poll(() => facilitator.locator('input, textarea').evaluateAll((fields) => fields.some((f) => (f as HTMLInputElement).value.includes('window.__pwned'))))
    .toBe(true);
  await everywhere('plan');

  for (const socket of [lead, ...others]) socket.disconnect();
});
