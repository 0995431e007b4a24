import { expect, test, type Browser, type Page } from '@playwright/test';
import { facilitatorSocket, phone } from './helpers';

async function joinByCode(browser: Browser, code: string, group?: string): Promise<Page> {
  const page = await (await browser.newContext(phone)).newPage();
  await page.goto('/');
  await page.getByLabel('Workshop code').fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('heading', { name: 'Which group are you part of?' })).toBeVisible();
  await page.getByRole('radio', { name: group ?? 'I prefer not to say' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  return page;
}

test('a facilitator creates a workshop, two phones join by code and follow the agenda live', async ({ browser }) => {
  const facilitator = await (await browser.newContext()).newPage();
  await facilitator.goto('/');
  await facilitator.getByRole('link', { name: 'Start a new workshop' }).click();
  await facilitator.getByLabel('Workshop title').fill('Safer streets dialogue');
  await expect(facilitator.getByText('Police', { exact: true })).toBeVisible(); // default groups are offered
  await facilitator.getByRole('button', { name: 'Create workshop' }).click();

  await expect(facilitator.getByRole('heading', { name: 'Safer streets dialogue' })).toBeVisible();
  // The key is taken out of the address bar so a projected console does not show it.
  expect(new URL(facilitator.url()).hash).toBe('');
  // …but the console offers it to copy, as the facilitator's way back in.
  await expect(facilitator.getByLabel('Your facilitator link')).toHaveValue(/\/facilitate\/[\w-]+#key=[\w-]{22}$/);
  const code = (await facilitator.getByTestId('join-code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{6}$/);

  for (const [title, body] of [
    ['Welcome', 'Thank you for coming.'],
    ['Ground rules', 'Speak for yourself.\nListen to understand.'],
  ]) {
    await facilitator.getByLabel('Title').last().fill(title!);
    await facilitator.getByLabel('Text').last().fill(body!);
    await facilitator.getByRole('button', { name: 'Add to agenda' }).click();
    await expect(facilitator.getByRole('listitem').filter({ hasText: title! })).toBeVisible();
  }

  const resident = await joinByCode(browser, code, 'Community members');
  const officer = await joinByCode(browser, code, 'Police');
  for (const page of [resident, officer]) {
    await expect(page.getByText('The facilitator will start soon')).toBeVisible();
  }
  await expect(facilitator.getByText('2 participants connected').first()).toBeVisible();

  await facilitator.getByRole('button', { name: 'Next' }).click();
  for (const page of [resident, officer]) {
    await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();
    await expect(page.getByText('Thank you for coming.')).toBeVisible();
  }

  await facilitator.getByRole('button', { name: 'Next' }).click();
  for (const page of [resident, officer]) {
    await expect(page.getByRole('heading', { name: 'Ground rules' })).toBeVisible();
  }

  await facilitator.getByRole('button', { name: '3 min' }).click();
  for (const page of [resident, officer]) {
    await expect(page.getByRole('timer')).toHaveAccessibleName(/Time left: (3:00|2:5\d)/);
  }

  // A reload keeps the participant: no group question again, straight back to the current activity.
  await resident.reload();
  await expect(resident.getByRole('heading', { name: 'Ground rules' })).toBeVisible();
  await expect(resident.getByText('Your group: Community members')).toBeVisible();
  await expect(facilitator.getByText('2 participants connected').first()).toBeVisible();

  await facilitator.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(officer.getByRole('heading', { name: 'Welcome' })).toBeVisible();
});

test('the screen view shows the join code, QR code, current activity and participant count', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'Town hall' } })).json();
  const screen = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  // The join code alone opens no screen: only the console's screen link, whose key then leaves the address bar.
  await screen.goto(`/screen/${created.joinCode}`);
  await expect(screen.getByRole('alert')).toHaveText(/This screen link is not valid/);
  await screen.goto(created.urls.screen);
  await expect(screen.getByRole('heading', { name: 'Town hall' })).toBeVisible();
  expect(screen.url()).not.toContain('#');
  await screen.reload();
  await expect(screen.getByRole('heading', { name: 'Town hall' })).toBeVisible();
  await expect(screen.getByText(created.joinCode, { exact: true })).toBeVisible();
  const qr = screen.getByRole('img', { name: 'QR code to join the workshop' });
  await expect(qr).toBeVisible();
  // Visible is not loaded: wait for the image itself to have arrived.
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(screen.getByText('0 participants connected')).toBeVisible();

  await joinByCode(browser, created.joinCode);
  await expect(screen.getByText('1 participant connected')).toBeVisible();
});

test('a participant who types a code that does not exist is told so and can try again', async ({ browser }) => {
  const page = await (await browser.newContext(phone)).newPage();
  await page.goto('/j/ZZZZZZ');
  await expect(page.getByRole('alert')).toContainText('No workshop has the code ZZZZZZ');
  await expect(page.getByLabel('Workshop code')).toHaveValue('ZZZZZZ');
});

test('a participant sees a reconnecting state when the connection drops, and catches up on what happened', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'Resilience' } })).json();
  const facilitator = await facilitatorSocket(created);
  const added = await facilitator.timeout(5000).emitWithAck('agenda:add', { activity: { kind: 'info', title: 'After the break' } });

  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(created.urls.join);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('The facilitator will start soon')).toBeVisible();

  await context.setOffline(true);
  await expect(page.getByRole('status')).toContainText('Connection lost — reconnecting', { timeout: 20_000 });
  await facilitator.timeout(5000).emitWithAck('agenda:goTo', { id: added.id });
  await context.setOffline(false);
  await expect(page.getByRole('heading', { name: 'After the break' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('Connection lost')).toBeHidden();
  facilitator.disconnect();
});

test('a facilitator starts from a template agenda', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/new');
  await page.getByLabel('Workshop title').fill('Dialogue in Ward 7');
  await page.getByLabel('Start from').selectOption({ label: 'Community–police dialogue (half day)' });
  await page.getByRole('button', { name: 'Create workshop' }).click();
  await expect(page.getByRole('heading', { name: 'Dialogue in Ward 7' })).toBeVisible();
  const agenda = page.getByRole('region', { name: 'Agenda' }).getByRole('listitem');
  await expect(agenda).toHaveCount(8);
  await expect(agenda.nth(3)).toContainText('Safety concerns');
});

test('an Arabic workshop from a template is Arabic in its agenda, its plan and on the projector', async ({ browser }) => {
  // The organiser reads English; the room reads Arabic, and so does the projector, whatever laptop drives it.
  const page = await (await browser.newContext({ locale: 'en', viewport: { width: 1366, height: 768 } })).newPage();
  await page.goto('/new');
  await page.getByLabel('Workshop title').fill('Ward 7 dialogue');
  await page.getByLabel('Workshop language').selectOption('ar');
  await page.getByLabel('Start from').selectOption({ label: 'Community–police dialogue (half day)' });
  await page.getByRole('button', { name: 'Create workshop' }).click();
  const agenda = page.getByRole('region', { name: 'Agenda' }).getByRole('listitem');
  await expect(agenda).toHaveCount(8);
  await expect(agenda.nth(0)).toContainText('أهلًا وسهلًا');
  await expect(agenda.nth(3)).toContainText('مخاوف تتعلق بالأمان');
  await expect(page.getByRole('heading', { name: 'Ward 7 dialogue' })).toBeVisible();
  const screenLink = await page.getByLabel('Screen link (projector)').inputValue();

  const projector = await (await browser.newContext({ locale: 'en-GB', viewport: { width: 1920, height: 1080 } })).newPage();
  await projector.goto(screenLink);
  await expect(projector.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(projector.locator('html')).toHaveAttribute('dir', 'rtl');
  // An English title on the Arabic projector keeps its letters in order but lines up with the page's right edge.
  const title = projector.getByRole('heading', { name: 'Ward 7 dialogue' });
  const [titleBox, stageBox] = [await title.boundingBox(), await projector.locator('.stage').boundingBox()];
  const textRight = await title.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return range.getBoundingClientRect().right;
  });
  expect(Math.abs(textRight - (titleBox!.x + titleBox!.width)), 'title text at the right edge').toBeLessThan(2);
  expect(titleBox!.x + titleBox!.width).toBeGreaterThan(stageBox!.x + stageBox!.width - 2);

  // Whoever sets the projector up can choose another language for it; that screen keeps it across a reload,
  // and the organiser's own browser is not changed by it.
  await projector.getByLabel('اللغة').selectOption('fr');
  await expect(projector.locator('html')).toHaveAttribute('lang', 'fr');
  await projector.reload();
  await expect(projector.getByText('Bienvenue', { exact: false }).first()).toBeVisible();
  await expect(projector.locator('html')).toHaveAttribute('lang', 'fr');
  const plan = page.getByRole('region', { name: 'Agenda' }).getByRole('listitem').nth(5);
  await expect(plan).toContainText('خطة عملنا');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.context().close();
  await projector.context().close();
});

test('each phone reads the default stakeholder groups in its own language; a group the organiser named stays as named', async ({ browser, request }) => {
  const created = await (
    await request.post('/api/workshops', { data: { title: 'Quartier 7', language: 'fr', groups: ['Habitants', 'Police', 'Commerçants du marché'] } })
  ).json();
  const expected = {
    fr: ['Habitants', 'Police', 'Commerçants du marché'],
    en: ['Community members', 'Police', 'Commerçants du marché'],
    ar: ['أفراد المجتمع', 'الشرطة', 'Commerçants du marché'],
  };
  for (const [locale, labels] of Object.entries(expected)) {
    const page = await (await browser.newContext({ ...phone, locale })).newPage();
    await page.goto(created.urls.join);
    await expect(page.locator('label.option-card span.user-text')).toHaveText(labels);
    await page.locator('label.option-card').nth(1).click();
    await page.locator('form button.primary').click();
    await expect(page.getByText(labels[1]!, { exact: false }).first()).toBeVisible();
    await page.context().close();
  }
});

test('the agenda form keeps what was typed for each kind while the facilitator looks at another', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'Ward 7' } })).json();
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await page.goto(created.urls.facilitate);
  const kinds = page.getByRole('group', { name: 'Kind of activity' });
  await kinds.getByRole('radio', { name: 'Board' }).check();
  await page.getByLabel('Question for the room').fill('What makes you feel unsafe?');
  await page.getByLabel('Dots per person').fill('5');
  await kinds.getByRole('radio', { name: 'Poll' }).check();
  await page.getByLabel('Question', { exact: true }).fill('Do you feel safe at night?');
  await kinds.getByRole('radio', { name: 'Board' }).check();
  await expect(page.getByLabel('Question for the room')).toHaveValue('What makes you feel unsafe?');
  await expect(page.getByLabel('Dots per person')).toHaveValue('5');
  await kinds.getByRole('radio', { name: 'Poll' }).check();
  await expect(page.getByLabel('Question', { exact: true })).toHaveValue('Do you feel safe at night?');

  // Once added, the form starts empty for the next activity, whichever kind it is.
  await page.getByLabel('Options').fill('Yes\nNo');
  await page.getByLabel('Title', { exact: true }).fill('Safety at night');
  await page.getByRole('button', { name: 'Add to agenda' }).click();
  await expect(page.getByRole('region', { name: 'Agenda' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByLabel('Question', { exact: true })).toHaveValue('');
  await kinds.getByRole('radio', { name: 'Board' }).check();
  await expect(page.getByLabel('Question for the room')).toHaveValue('');
});

test('the presenter view: now, next, speaker notes, timer and session clock fit a 1366×768 console; notes stay off the room', async ({ browser, request }) => {
  test.setTimeout(60_000);
  const created = await (await request.post('/api/workshops', { data: { title: 'Ward 7 dialogue', anonymityThreshold: 3 } })).json();
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await page.goto(created.urls.facilitate);
  const build = page.getByRole('region', { name: 'Build the agenda' });
  for (const [title, minutes, notes] of [
    ['Welcome', '10', 'Thank the imam for the room. Mention the fire exits.'],
    ['Safety concerns', '45', ''],
  ]) {
    await build.getByLabel('Title', { exact: true }).fill(title!);
    await build.getByLabel('Planned minutes').fill(minutes!);
    await build.getByLabel('Speaker notes (only facilitators see them)').fill(notes!);
    await build.getByRole('button', { name: 'Add to agenda' }).click();
  }
  await expect(build.getByRole('region', { name: 'Agenda' }).getByRole('listitem')).toHaveCount(2);
  await expect(build.getByRole('region', { name: 'Agenda' }).getByRole('listitem').first()).toContainText('10 min');

  const mobile = await (await browser.newContext(phone)).newPage();
  const screen = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await mobile.goto(created.urls.join);
  await mobile.getByRole('button', { name: 'Continue' }).click();
  await screen.goto(created.urls.screen);
  const run = page.getByRole('region', { name: 'Run the session' });
  await run.getByRole('button', { name: 'Next' }).click();
  await expect(run.getByText('Thank the imam for the room. Mention the fire exits.')).toBeVisible();
  await expect(run.getByText('Up next: Safety concerns')).toBeVisible();
  await expect(run.getByRole('status').filter({ hasText: 'On time' })).toContainText('55 minutes planned in all');
  // What runs the room is on screen without scrolling: the notes, Next and the timer's controls.
  for (const control of [run.getByText('Mention the fire exits'), run.getByRole('button', { name: 'Next' }), run.getByRole('button', { name: '5 min' })]) {
    const box = (await control.boundingBox())!;
    expect(box.y + box.height, 'inside 768 px').toBeLessThanOrEqual(768);
  }
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(768);
  await page.screenshot({ path: test.info().outputPath('presenter-view.png') });
  // The room sees the slide, never the notes.
  await expect(mobile.getByRole('heading', { name: 'Welcome' })).toBeVisible();
  await expect(screen.getByRole('heading', { name: 'Welcome' })).toBeVisible();
  for (const viewer of [mobile, screen]) expect(await viewer.content()).not.toContain('fire exits');
  // The agenda reorders by drag and drop too (↑ ↓ being the keyboard's way).
  const items = build.getByRole('region', { name: 'Agenda' }).getByRole('listitem');
  await items.nth(1).dragTo(items.nth(0));
  await expect(items.first()).toContainText('Safety concerns');
  await expect(run.getByText('Up next: Safety concerns')).toBeHidden();
  for (const p of [page, mobile, screen]) await p.context().close();
});
