import { expect, test, type Page } from '@playwright/test';
import { createWorkshop, facilitatorClient, openPage, participantClient } from './a11y';

const phoneOptions = { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true };
/** The polite live region currently saying exactly `text`. */
const said = (page: Page, text: string) => page.locator('[aria-live="polite"]').filter({ hasText: new RegExp(`^${text}$`) });

test('the phone and the screen announce a new activity, and the timer only at one minute left and at zero', async ({ browser, request }) => {
  const created = await createWorkshop(request, { title: 'Live regions', groups: [] });
  const seed = await facilitatorClient(created);
  const slide = await seed.send('agenda:add', { activity: { kind: 'info', title: 'Ground rules' } });
  const [phone, screen] = await Promise.all([
    openPage(browser, created.urls.join, phoneOptions),
    openPage(browser, created.urls.screen, { viewport: { width: 1280, height: 720 } }),
  ]);
  await expect(screen.getByText('0 participants connected').or(screen.getByText('1 participant connected'))).toBeVisible();
  await expect(phone.getByText('The facilitator will start soon')).toBeVisible();
  await seed.send('agenda:goTo', { id: slide.id });
  for (const page of [phone, screen]) await expect(said(page, 'Ground rules')).toHaveCount(1);

  await seed.send('timer:start', { seconds: 62 });
  for (const page of [phone, screen]) await expect(page.getByRole('timer')).toBeVisible();
  await expect(said(phone, 'One minute left')).toHaveCount(0); // nothing while more than a minute is left
  for (const page of [phone, screen]) await expect(said(page, 'One minute left')).toHaveCount(1, { timeout: 5000 });
  // Seconds go by without a word: the region still holds the same message.
  await expect(phone.getByRole('timer')).toHaveAccessibleName(/Time left: 0:5[0-8]/);
  await expect(said(phone, 'One minute left')).toHaveCount(1);
  await seed.send('timer:adjust', { seconds: -57 }); // taking a minute off is not "one minute left" again
  for (const page of [phone, screen]) await expect(said(page, 'Time is up')).toHaveCount(1, { timeout: 6000 });
  seed.close();
});

test('the phone and the screen announce results when they are revealed, for a board and for a poll', async ({ browser, request }) => {
  const created = await createWorkshop(request, { title: 'Reveal', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  const board = await seed.send('agenda:add', { activity: { kind: 'board', title: 'Concerns', prioritisation: { method: 'dots', budget: 2, maxPerItem: 2 } } });
  const poll = await seed.send('agenda:add', {
    activity: { kind: 'poll', title: 'Safety', question: 'Safe at night?', type: 'single', options: ['Yes', 'No'] },
  });
  await seed.send('agenda:goTo', { id: board.id });
  const [phone, screen] = await Promise.all([
    openPage(browser, created.urls.join, phoneOptions),
    openPage(browser, created.urls.screen, { viewport: { width: 1280, height: 720 } }),
  ]);
  const people = await Promise.all([1, 2, 3].map(() => participantClient(created)));
  const notes = await Promise.all(people.map((p, i) => p.send('board:addNote', { boardId: board.id, text: `Concern ${i}`, color: 'yellow', column: null })));
  await seed.send('activity:setState', { id: board.id, state: 'locked' });
  for (const [i, p] of people.entries()) await p.send('board:vote', { boardId: board.id, ballot: { dots: { [notes[i]!.noteId as string]: 1 } } });
  await expect(phone.getByRole('heading', { name: 'Place your dots' })).toBeVisible();
  for (const page of [phone, screen]) await expect(said(page, 'The results are now shown.')).toHaveCount(0);
  await seed.send('activity:setResultsVisible', { id: board.id, visible: true });
  for (const page of [phone, screen]) await expect(said(page, 'The results are now shown.')).toHaveCount(1);

  await seed.send('agenda:goTo', { id: poll.id });
  await expect(phone.getByRole('radio', { name: 'Yes' })).toBeVisible();
  const yes = await phone.getByRole('radio', { name: 'Yes' }).getAttribute('value');
  for (const p of people) await p.send('poll:vote', { pollId: poll.id, answer: { choice: yes } });
  await seed.send('activity:setState', { id: poll.id, state: 'closed' });
  await expect(phone.getByText('This poll is closed.')).toBeVisible();
  for (const page of [phone, screen]) await expect(said(page, 'The results are now shown.')).toHaveCount(0);
  await seed.send('activity:setResultsVisible', { id: poll.id, visible: true });
  for (const page of [phone, screen]) await expect(said(page, 'The results are now shown.')).toHaveCount(1);
  for (const c of [seed, ...people]) c.close();
});

test('a timer of seconds ends visibly and audibly on the projector, offers no Pause at 0:00, and can run into the next activity', async ({
  browser,
  request,
}) => {
  const created = await createWorkshop(request, { title: 'Timed', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  for (const title of ['Round one', 'Round two']) await seed.send('agenda:add', { activity: { kind: 'info', title, body: '' } });
  const [console, screen] = await Promise.all([
    openPage(browser, created.urls.facilitate, { viewport: { width: 1366, height: 768 } }),
    openPage(browser, created.urls.screen, { viewport: { width: 1920, height: 1080 } }),
  ]);
  // Count the tones the projector plays; sound starts once someone has used the page (here, a click).
  await screen.evaluate(() => {
    const original = AudioContext.prototype.createOscillator;
    (window as unknown as { tones: number }).tones = 0;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      (window as unknown as { tones: number }).tones++;
      return original.call(this);
    };
  });
  await screen.locator('main').click();
  await expect(screen.getByLabel('Sound when time is up')).toBeChecked();

  await console.getByRole('button', { name: 'Next' }).click();
  const timer = console.getByRole('group', { name: 'Timer' });
  await timer.getByLabel('Minutes', { exact: true }).fill('0');
  await timer.getByLabel('Seconds').fill('3');
  await timer.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(screen.getByRole('timer')).toHaveAccessibleName(/Time left: 0:0[1-3]/);
  await expect(screen.getByRole('timer')).toContainText('Time is up', { timeout: 8000 });
  await expect.poll(() => screen.evaluate(() => (window as unknown as { tones: number }).tones)).toBe(3);
  await expect(timer.getByRole('button', { name: 'Pause' })).toHaveCount(0);
  await expect(timer.getByRole('button', { name: '+1 min' })).toBeVisible();

  // With time left, moving on asks: kept, the countdown carries on into the next activity.
  await timer.getByRole('button', { name: '+1 min' }).click();
  // The minute is on the clock before moving on (a loaded machine may take a moment): only then does Next ask.
  await expect(screen.getByRole('timer')).toHaveAccessibleName(/Time left: 0:5\d|Time left: 1:00/);
  console.once('dialog', (dialog) => {
    expect(dialog.message()).toMatch(/^The timer still shows [01]:\d\d\. Keep it running/);
    void dialog.accept();
  });
  await console.getByRole('button', { name: 'Next' }).click();
  await expect(screen.getByRole('heading', { name: 'Round two' })).toBeVisible();
  await expect(screen.getByRole('timer')).toHaveAccessibleName(/Time left: 0:5\d|Time left: 1:00/);
  seed.close();
});

test('phones react with a tap; the projector and the console show the counts together, then let them go', async ({ browser, request }) => {
  const created = await createWorkshop(request, { title: 'Town hall', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  const talk = await seed.send('agenda:add', { activity: { kind: 'info', title: 'The budget', body: '' } });
  await seed.send('agenda:goTo', { id: talk.id });
  const [screen, console, ...phones] = await Promise.all([
    openPage(browser, created.urls.screen, { viewport: { width: 1920, height: 1080 } }),
    openPage(browser, created.urls.facilitate, { viewport: { width: 1366, height: 768 } }),
    ...[0, 1].map(() => openPage(browser, created.urls.join, { ...phoneOptions })),
  ]);
  // Reactions are counted in windows that follow the clock (server/rooms/Reactions.ts): tap just after a window
  // starts, so the three taps below fall in one and come out as one batch.
  await phones[0]!.waitForTimeout(3000 - (Date.now() % 3000) + 100);
  for (const phone of phones) {
    await phone.getByRole('button', { name: 'Slow down' }).click();
    await expect(phone.getByText('Sent: Slow down')).toBeAttached();
  }
  await phones[0]!.getByRole('button', { name: 'Agree' }).click();
  const onScreen = screen.getByRole('list', { name: 'Reactions from the room' });
  await expect(onScreen.getByRole('listitem')).toHaveText([/^\s*1\s*Agree\s*$/, /^\s*2\s*Slow down\s*$/], { timeout: 6000 });
  // Pictures, not emoji characters: they show on a laptop without an emoji font.
  for (const picture of await onScreen.locator('img').all())
    expect(await picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(console.getByRole('list', { name: 'Reactions from the room' })).toContainText('2');
  // Touch targets a thumb can hit on a phone.
  for (const button of await phones[1]!.locator('section.reactions button').all()) expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await screen.screenshot({ path: test.info().outputPath('projector-reactions.png') });
  await phones[0]!.screenshot({ path: test.info().outputPath('phone-reactions.png') });
  await expect(onScreen).toBeHidden({ timeout: 15_000 });
  seed.close();
});
