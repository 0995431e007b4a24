import { expect, test, type Page } from '@playwright/test';
import { createWorkshop, expectFocusVisible, facilitatorClient, openPage, tabTo } from './a11y';

const phoneOptions = { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true };
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

test('with the keyboard alone: notes are added, clustered, dot-voted, a ranking is reordered and the plan is written', async ({ browser, request }) => {
  test.setTimeout(40_000);
  const created = await createWorkshop(request, { title: 'Keyboard only', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  const board = await seed.send('agenda:add', {
    activity: { kind: 'board', title: 'Safety concerns', prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 } },
  });
  const ranking = await seed.send('agenda:add', {
    activity: { kind: 'poll', title: 'What first?', question: 'Rank these', type: 'ranking', options: ['Lighting', 'Youth centre', 'Patrols'] },
  });
  const plan = await seed.send('agenda:add', { activity: { kind: 'plan', title: 'Local action plan', template: 'blank' } });
  await seed.send('agenda:goTo', { id: board.id });
  const [console, phone] = await Promise.all([openPage(browser, created.urls.facilitate), openPage(browser, created.urls.join, phoneOptions)]);

  // The phone adds two notes.
  for (const text of ['Dark underpass by the station', 'No lighting at the station']) {
    await tabTo(phone, phone.getByLabel('Your note'));
    await phone.keyboard.type(text);
    await tabTo(phone, phone.getByRole('button', { name: 'Add note' }));
    await phone.keyboard.press('Enter');
    await expect(console.locator('li.note').filter({ hasText: text })).toBeVisible();
  }

  // The facilitator groups them with the "Group…" dialog: Tab, Enter, arrow keys, Enter.
  await tabTo(console, console.locator('li.note').filter({ hasText: 'No lighting at the station' }).getByRole('button', { name: 'Group…' }));
  await console.keyboard.press('Enter');
  const dialog = console.getByRole('dialog', { name: 'Group or move this note' });
  const partner = dialog.getByRole('radio', { name: 'New group with: Dark underpass by the station' });
  await expect(dialog.getByRole('radio', { name: 'Not grouped' })).toBeFocused();
  await console.keyboard.press('ArrowDown');
  await expect(partner).toBeChecked();
  await expectFocusVisible(console);
  await tabTo(console, dialog.getByRole('button', { name: 'Apply' }));
  await console.keyboard.press('Enter');
  const grouped = console.getByRole('group', { name: 'Dark underpass by the station' });
  await expect(grouped.locator('li.note')).toHaveCount(2);
  // The keyboard is where it was, on the moved note's own button in its new place — not back at the page's top.
  await expect(grouped.locator('li.note').filter({ hasText: 'No lighting at the station' }).getByRole('button', { name: 'Group…' })).toBeFocused();
  await tabTo(console, console.getByRole('button', { name: 'Lock notes and start voting' }));
  await console.keyboard.press('Enter');

  // Dots by keyboard: the button keeps the focus when its item is full (no lost place).
  const add = phone.getByRole('button', { name: 'Add a dot to “Dark underpass by the station”' });
  await tabTo(phone, add);
  await phone.keyboard.press('Enter');
  await expect(phone.getByText('2 dots left')).toBeVisible();
  await expect(phone.getByText('Your vote is saved as you go.', { exact: false })).toBeVisible(); // no button to miss
  await phone.keyboard.press('Enter');
  await expect(phone.getByText('1 dot left')).toBeVisible();
  await expect(add).toBeFocused();
  await expect(add).toHaveAttribute('aria-disabled', 'true');
  await phone.keyboard.press('Enter'); // the item holds its maximum: nothing changes
  await expect(phone.getByText('1 dot left')).toBeVisible();

  // A ranking poll: the phone's focus lands on its heading; items are added and moved up with Enter.
  await seed.send('agenda:goTo', { id: ranking.id });
  await expect(phone.getByRole('heading', { name: 'What first?' })).toBeFocused();
  await tabTo(phone, phone.getByRole('button', { name: 'Add “Lighting” to my ranking' }));
  await phone.keyboard.press('Enter');
  await expect(phone.getByRole('button', { name: 'Add “Youth centre” to my ranking' })).toBeFocused();
  await phone.keyboard.press('Enter');
  await expect(phone.getByRole('button', { name: 'Add “Patrols” to my ranking' })).toBeFocused();
  await phone.keyboard.press('Enter');
  await expect(phone.getByRole('button', { name: 'Move “Patrols” up' })).toBeFocused();
  await phone.keyboard.press('Enter');
  await phone.keyboard.press('Enter');
  await expect(phone.getByRole('button', { name: 'Move “Patrols” up' })).toBeFocused();
  await expect(phone.locator('ol.ranking > li')).toHaveText([/1\. Patrols/, /2\. Lighting/, /3\. Youth centre/]);
  await expect(phone.locator('[aria-live="polite"]', { hasText: '“Patrols” is now number 1' })).toBeAttached();
  await tabTo(phone, phone.getByRole('button', { name: 'Move “Lighting” down' }));
  await phone.keyboard.press('Enter');
  await expect(phone.locator('ol.ranking > li')).toHaveText([/1\. Patrols/, /2\. Youth centre/, /3\. Lighting/]);
  // Like every poll, a ranking is sent with one button, with the same confirmation.
  await expect(phone.getByText('Your answer is saved.')).toBeHidden();
  await tabTo(phone, phone.getByRole('button', { name: 'Send my answer' }));
  await phone.keyboard.press('Enter');
  await expect(phone.getByText('Your answer is saved.')).toBeVisible();
  await phone.reload(); // the order came back from the server
  await expect(phone.locator('ol.ranking > li')).toHaveText([/1\. Patrols/, /2\. Youth centre/, /3\. Lighting/]);

  // The plan: the facilitator types its title.
  await seed.send('agenda:goTo', { id: plan.id });
  const title = console.getByLabel('Title of the plan');
  await tabTo(console, title);
  await console.keyboard.type('Ward 4 action plan');
  await expect(title).toHaveValue('Ward 4 action plan');
  await expect(phone.getByText('Ward 4 action plan')).toBeVisible();
  seed.close();
});

test('a phone moves focus to a new activity, but never while the person is typing', async ({ browser, request }) => {
  const created = await createWorkshop(request, { title: 'Focus', groups: [] });
  const seed = await facilitatorClient(created);
  const board = await seed.send('agenda:add', { activity: { kind: 'board', title: 'Concerns' } });
  const slide = await seed.send('agenda:add', { activity: { kind: 'info', title: 'Break', body: 'Back at 11.' } });
  await seed.send('agenda:goTo', { id: board.id });
  const phone = await openPage(browser, created.urls.join, phoneOptions);
  await expect(phone.getByRole('heading', { name: 'Concerns' })).toBeVisible();
  expect(await focusedText(phone)).not.toBe('Concerns'); // opening the page is not a change: nothing is taken

  await tabTo(phone, phone.getByLabel('Your note'));
  await phone.keyboard.type('Half a thou');
  // The board is renamed (the same activity, changed): the person keeps typing where they were.
  await seed.send('agenda:update', { id: board.id, activity: { kind: 'board', title: 'Our concerns' } });
  await expect(phone.getByRole('heading', { name: 'Our concerns' })).toBeVisible();
  await phone.keyboard.type('ght');
  await expect(phone.getByLabel('Your note')).toBeFocused();
  await expect(phone.getByLabel('Your note')).toHaveValue('Half a thought');

  await tabTo(phone, phone.getByRole('button', { name: 'Add note' }));
  await seed.send('agenda:goTo', { id: slide.id });
  await expect(phone.getByRole('heading', { name: 'Break' })).toBeFocused();
  await expectFocusVisible(phone);
  seed.close();
});
