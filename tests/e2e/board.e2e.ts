import { expect, test, type Page } from '@playwright/test';
import { facilitatorSocket, joinPhone, phone } from './helpers';

/** The note card showing exactly `text` (not a menu option that quotes it). */
const noteCard = (page: Page, text: string) => page.locator('li.note').filter({ has: page.locator('p.text').getByText(text, { exact: true }) });

test('a board: notes from three phones appear everywhere, the facilitator clusters them, the room votes with dots', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'Safer streets', anonymityThreshold: 3 } })).json();
  const seed = await facilitatorSocket(created);
  const board = await seed.timeout(5000).emitWithAck('agenda:add', {
    activity: {
      kind: 'board',
      title: 'Safety concerns',
      prompt: 'What makes you feel unsafe here?',
      prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 },
    },
  });
  await seed.timeout(5000).emitWithAck('agenda:goTo', { id: board.id });

  const facilitator = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await facilitator.goto(created.urls.facilitate);
  const phones = await Promise.all([1, 2, 3].map(() => joinPhone(browser, created.urls.join)));

  const texts = ['Dark underpass by the station', 'No lighting at the station underpass', 'Nowhere for young people at night'];
  for (const [i, page] of phones.entries()) {
    await page.getByLabel('Your note').fill(texts[i]!);
    await page.getByRole('button', { name: 'Add note' }).click();
  }
  for (const page of [facilitator, ...phones]) {
    for (const text of texts) await expect(noteCard(page, text)).toBeVisible();
  }
  await expect(phones[0]!.getByText('Your note (only you see this)')).toHaveCount(1);

  // By keyboard alone: open a note's "Group…" dialog, choose a partner, apply — a group named after it.
  await noteCard(facilitator, texts[1]!).getByRole('button', { name: 'Group…' }).focus();
  await facilitator.keyboard.press('Enter');
  const dialog = facilitator.getByRole('dialog', { name: 'Group or move this note' });
  await dialog.getByRole('radio', { name: `New group with: ${texts[0]}` }).focus();
  await facilitator.keyboard.press('Space');
  await dialog.getByRole('button', { name: 'Apply' }).focus();
  await facilitator.keyboard.press('Enter');
  const cluster = facilitator.getByRole('group', { name: texts[0]! });
  await expect(cluster.locator('li.note')).toHaveCount(2);
  await cluster.getByLabel('Group name').fill('Station underpass');
  await cluster.getByLabel('Group name').press('Enter');
  const underpass = facilitator.getByRole('group', { name: 'Station underpass' });
  await expect(underpass).toBeVisible();

  // By drag and drop: a note dropped on a grouped note joins its group.
  await noteCard(facilitator, texts[2]!).dragTo(noteCard(facilitator, texts[0]!), {
    sourcePosition: { x: 12, y: 10 }, // grab the text, not a button
    targetPosition: { x: 12, y: 10 },
  });
  await expect(underpass.locator('li.note')).toHaveCount(3);
  // …and back out with the dialog.
  await noteCard(facilitator, texts[2]!).getByRole('button', { name: 'Group…' }).click();
  await dialog.getByRole('radio', { name: 'Not grouped' }).check();
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(underpass.locator('li.note')).toHaveCount(2);

  // A phone that loses the network catches up with the board when it comes back.
  await phones[2]!.context().setOffline(true);
  await phones[0]!.getByLabel('Your note').fill('Added while someone was offline');
  await phones[0]!.getByRole('button', { name: 'Add note' }).click();
  await expect(noteCard(facilitator, 'Added while someone was offline')).toBeVisible();
  await phones[2]!.context().setOffline(false);
  await expect(noteCard(phones[2]!, 'Added while someone was offline')).toBeVisible({ timeout: 15_000 });

  await facilitator.getByRole('button', { name: 'Lock notes and start voting' }).click();
  const votes: [number, string, number][] = [
    [0, 'Station underpass', 2],
    [1, 'Station underpass', 1],
    [1, texts[2]!, 1],
    [2, texts[2]!, 1],
  ];
  for (const [who, item, dots] of votes) {
    const add = phones[who]!.getByRole('button', { name: `Add a dot to “${item}”` });
    for (let i = 0; i < dots; i++) await add.click();
  }
  await expect(phones[0]!.getByText('1 dot left')).toBeVisible();
  await expect(phones[1]!.getByText('1 dot left')).toBeVisible();
  await expect(phones[2]!.getByText('2 dots left')).toBeVisible();

  // Three voters reach k = 3: the facilitator sees the ranking; the room sees it once revealed.
  const priorities = facilitator.getByRole('region', { name: 'Priorities' });
  await expect(priorities.getByRole('listitem').first()).toContainText('Station underpass');
  await expect(priorities.getByRole('listitem').first()).toContainText('3 dots');
  await expect(phones[0]!.getByRole('region', { name: 'Priorities' })).toHaveCount(0);
  // Until then every phone, and the wall, sees how many are here and how many voted: invented voters would show.
  await expect(phones[0]!.getByText('3 participants connected · 3 people have voted')).toBeVisible();
  const screen = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await screen.goto(created.urls.screen);
  await expect(screen.getByText('3 people have voted')).toBeVisible();
  await expect(screen.getByText('3 participants connected')).toBeVisible();
  await facilitator.getByLabel('Show results to the room').check();
  const phoneResults = phones[2]!.getByRole('region', { name: 'Priorities' });
  await expect(phoneResults.getByRole('listitem').nth(0)).toContainText('Station underpass');
  await expect(phoneResults.getByRole('listitem').nth(1)).toContainText(texts[2]!);
  await expect(phoneResults.getByRole('listitem').nth(1)).toContainText('2 dots');

  await expect(screen.getByRole('region', { name: 'Priorities' }).getByRole('listitem').first()).toContainText('Station underpass');
  seed.disconnect();
});

test('a phone shows a board without sideways scrolling, left to right and right to left', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'حوار الحي', language: 'ar' } })).json();
  const seed = await facilitatorSocket(created);
  const board = await seed.timeout(5000).emitWithAck('agenda:add', { activity: { kind: 'board', title: 'مخاوف السلامة' } });
  await seed.timeout(5000).emitWithAck('agenda:goTo', { id: board.id });
  for (const locale of ['ar', 'en']) {
    const page = await (await browser.newContext({ ...phone, locale })).newPage();
    await page.goto(created.urls.join);
    await page.getByRole('button', { name: locale === 'ar' ? 'متابعة' : 'Continue' }).click(); // without choosing a group
    await expect(page.locator('textarea')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).direction)).toBe(locale === 'ar' ? 'rtl' : 'ltr');
  }
  seed.disconnect();
});

test('questions to a panel are called questions, not notes, on an Arabic phone and console', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'أسئلة للشرطة', language: 'ar', anonymityThreshold: 3 } })).json();
  const seed = await facilitatorSocket(created);
  const qa = await seed.timeout(5000).emitWithAck('agenda:add', { activity: { kind: 'board', title: 'أسئلة إلى الشرطة', mode: 'qa' } });
  await seed.timeout(5000).emitWithAck('agenda:goTo', { id: qa.id });
  const mobile = await (await browser.newContext({ ...phone, locale: 'ar' })).newPage();
  await mobile.goto(created.urls.join);
  await mobile.locator('form button.primary').click(); // no group stated
  await expect(mobile.getByLabel('سؤالك')).toBeVisible();
  await expect(mobile.getByText('يمكنك طرح 5 أسئلة إضافية', { exact: false })).toBeVisible();
  await mobile.getByLabel('سؤالك').fill('لماذا لا تستجيب الشرطة ليلًا؟');
  await mobile.getByRole('button', { name: 'طرح السؤال' }).click();
  await expect(mobile.getByText('يمكنك طرح 4 أسئلة إضافية', { exact: false })).toBeVisible();
  // "ملاحظة" (a note) appears nowhere a questioner or the facilitator reads.
  await expect(mobile.locator('main')).not.toContainText('ملاحظ');
  const console = await (await browser.newContext({ locale: 'ar', viewport: { width: 1366, height: 768 } })).newPage();
  await console.goto(created.urls.facilitate);
  const board = console.locator('.facilitator-board');
  await expect(board).toContainText('سؤال واحد');
  await expect(board).not.toContainText('ملاحظ');
  await seed.timeout(5000).emitWithAck('activity:setState', { id: qa.id, state: 'closed' });
  await expect(mobile.getByText('أُغلق باب الأسئلة. شكرًا.')).toBeVisible();
  for (const page of [mobile, console]) await page.context().close();
  seed.disconnect();
});

test('a moderated Q&A: a question waits for approval, then reaches the projector; a rejected one never does', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'Panel', anonymityThreshold: 3 } })).json();
  const seed = await facilitatorSocket(created);
  const qa = await seed.timeout(5000).emitWithAck('agenda:add', { activity: { kind: 'board', title: 'Questions to the police', mode: 'qa', moderated: true } });
  await seed.timeout(5000).emitWithAck('agenda:goTo', { id: qa.id });
  const mobile = await joinPhone(browser, created.urls.join);
  const screen = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await screen.goto(created.urls.screen);
  const console = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await console.goto(created.urls.facilitate);

  for (const question of ['Why are patrols so rare at night?', 'a personal attack on one officer']) {
    await mobile.getByLabel('Your question').fill(question);
    await mobile.getByRole('button', { name: 'Ask' }).click();
    await expect(mobile.getByRole('list', { name: 'Waiting for the facilitator’s approval' })).toContainText(question);
  }
  const queue = console.getByRole('region', { name: /waiting for approval/ });
  await expect(queue.getByRole('listitem')).toHaveCount(2);
  await expect(screen.getByText('0 questions so far')).toBeVisible();
  await queue.getByRole('listitem').filter({ hasText: 'Why are patrols' }).getByRole('button', { name: 'Approve' }).click();
  await queue.getByRole('listitem').filter({ hasText: 'personal attack' }).getByRole('button', { name: 'Reject' }).click();
  await expect(queue.getByRole('listitem')).toHaveCount(0);
  await expect(screen.getByText('Why are patrols so rare at night?')).toBeVisible();
  // On the phone the question moved from "waiting" to the room's list; the rejected one is no one's to see.
  await expect(mobile.getByRole('list', { name: 'Waiting for the facilitator’s approval' })).not.toContainText('Why are patrols');
  await expect(mobile.locator('main')).toContainText('Why are patrols so rare at night?');
  expect(await screen.content()).not.toContain('personal attack');
  for (const page of [mobile, screen, console]) await page.context().close();
  seed.disconnect();
});
