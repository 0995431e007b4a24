import { expect, test, type Locator, type Page } from '@playwright/test';
import { labelledIds } from '../../shared/protocol/labelIds';
import { createWorkshop, facilitatorClient, openPage, participantClient } from './a11y';
import { openScreen } from './helpers';

const phoneOptions = { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true };

/** At 200% text the phone page does not scroll sideways and the controls that matter stay on screen. */
async function expectReadableAt200(page: Page, where: string, controls: Locator[]) {
  const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth);
  expect(overflow, `sideways scrolling at 200% on ${where}`).toBeLessThanOrEqual(0);
  for (const control of controls) {
    await expect(control, where).toBeVisible();
    const box = (await control.boundingBox())!;
    expect(box.x, `${where}: ${control}`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${where}: ${control}`).toBeLessThanOrEqual(390);
  }
}

test('text at 200% on a phone needs no sideways scrolling on a board, dot voting and every kind of poll', async ({ browser, request }) => {
  test.setTimeout(30_000);
  const created = await createWorkshop(request, { title: 'Large text', groups: [] });
  const seed = await facilitatorClient(created);
  const board = await seed.send('agenda:add', {
    activity: {
      kind: 'board',
      title: 'Concerns',
      prompt: 'What worries you?',
      columns: ['Streets', 'Transport'],
      prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 },
    },
  });
  const options = ['Better street lighting near the station', 'Youth centre', 'Patrols'];
  const polls = [
    { type: 'single', options },
    { type: 'multiple', options },
    { type: 'scale', scale: { kind: 'zeroToTen', low: 'Not at all', high: 'Completely' } },
    { type: 'ranking', options },
    { type: 'open' },
  ];
  const pollIds: string[] = [];
  for (const poll of polls) pollIds.push((await seed.send('agenda:add', { activity: { kind: 'poll', title: `A ${poll.type} poll`, ...poll } })).id as string);
  await seed.send('agenda:goTo', { id: board.id });
  const phone = await openPage(browser, created.urls.join, phoneOptions);
  await expect(phone.getByLabel('Your note')).toBeVisible();
  await phone.evaluate(() => (document.documentElement.style.fontSize = '200%'));
  await expectReadableAt200(phone, 'board', [
    phone.getByLabel('Your note'),
    phone.getByRole('radio', { name: 'Orange' }),
    phone.getByRole('button', { name: 'Add note' }),
  ]);

  const someone = await participantClient(created);
  await someone.send('board:addNote', { boardId: board.id, text: 'Nobody walks home alone after dark here', color: 'pink', column: null });
  await seed.send('activity:setState', { id: board.id, state: 'locked' });
  const addDot = phone.getByRole('button', { name: 'Add a dot to “Nobody walks home alone after dark here”' });
  await expectReadableAt200(phone, 'dot voting', [addDot, phone.getByRole('button', { name: 'Take a dot from “Nobody walks home alone after dark here”' })]);

  const controls: Record<string, Locator[]> = {
    single: [phone.getByRole('radio', { name: options[0] }), phone.getByRole('button', { name: 'Send my answer' })],
    multiple: [phone.getByRole('checkbox', { name: options[0] }), phone.getByRole('button', { name: 'Send my answer' })],
    scale: [phone.getByRole('radio', { name: /^10/ }), phone.getByRole('button', { name: 'Send my answer' })],
    ranking: [phone.getByRole('button', { name: `Add “${options[0]}” to my ranking` })],
    open: [phone.getByLabel('Your answer'), phone.getByRole('button', { name: 'Send my answer' })],
  };
  for (const [i, poll] of polls.entries()) {
    await seed.send('agenda:goTo', { id: pollIds[i] });
    await expect(phone.getByRole('heading', { name: `A ${poll.type} poll` })).toBeVisible();
    await expectReadableAt200(phone, `${poll.type} poll`, controls[poll.type]!);
  }
  for (const c of [seed, someone]) c.close();
});

test('with reduced motion asked for, nothing animates: result bars do not slide', async ({ browser, request }) => {
  const created = await createWorkshop(request, { title: 'Calm', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  const board = await seed.send('agenda:add', { activity: { kind: 'board', title: 'Concerns', prioritisation: { method: 'dots', budget: 1, maxPerItem: 1 } } });
  await seed.send('agenda:goTo', { id: board.id });
  const people = await Promise.all([1, 2, 3].map(() => participantClient(created)));
  const note = await people[0]!.send('board:addNote', { boardId: board.id, text: 'Lighting', color: 'yellow', column: null });
  await seed.send('activity:setState', { id: board.id, state: 'locked' });
  for (const p of people) await p.send('board:vote', { boardId: board.id, ballot: { dots: { [note.noteId as string]: 1 } } });
  await seed.send('activity:setResultsVisible', { id: board.id, visible: true });

  const screen = await openPage(browser, created.urls.screen, { viewport: { width: 1280, height: 720 } });
  const bar = screen.getByRole('region', { name: 'Priorities' }).locator('.bar').first();
  await expect(bar).toBeAttached();
  const motion = () => bar.evaluate((el) => [getComputedStyle(el).transitionDuration, getComputedStyle(el).animationDuration]);
  expect((await motion())[0]).toBe('0.6s'); // the bars grow, normally
  await screen.emulateMedia({ reducedMotion: 'reduce' });
  expect(await motion()).toEqual(['0s', '0s']);
  expect(await screen.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior)).toBe('auto');
  for (const c of [seed, ...people]) c.close();
});

test('a chart can be read as a table, and its labels are never clipped', async ({ browser, request }) => {
  const created = await createWorkshop(request, { title: 'Tables', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  const long = 'More foot patrols in the evenings near the station';
  const poll = await seed.send('agenda:add', {
    activity: { kind: 'poll', title: 'First', question: 'What first?', type: 'single', options: [long, 'Patrols'] },
  });
  await seed.send('agenda:goTo', { id: poll.id });
  const phone = await openPage(browser, created.urls.join, phoneOptions);
  const choice = await phone.getByRole('radio', { name: long }).getAttribute('value');
  const people = await Promise.all([1, 2, 3].map(() => participantClient(created)));
  for (const p of people) await p.send('poll:vote', { pollId: poll.id, answer: { choice } });
  await seed.send('activity:setState', { id: poll.id, state: 'closed' });
  await seed.send('activity:setResultsVisible', { id: poll.id, visible: true });

  const table = phone.getByRole('table', { name: 'What first?' });
  await expect(table.getByRole('row', { name: long })).toContainText('3 people'); // always there for screen readers
  await expect(phone.locator('.chart')).toBeVisible();
  expect((await table.locator('xpath=..').boundingBox())!.width).toBeLessThanOrEqual(1); // …and out of sight
  const toggle = phone.getByRole('button', { name: 'Show as a table' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(phone.locator('.chart')).toBeHidden();
  expect((await table.getByRole('rowheader', { name: long }).boundingBox())!.width).toBeGreaterThan(100);

  // On the projector the whole label shows: wrapped inside the window, nothing cut off at either end.
  const screen = await openPage(browser, created.urls.screen, { viewport: { width: 1920, height: 1080 } });
  const label = screen.locator('.chart .label').first();
  await expect(label).toHaveText(long);
  const fits = await label.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return { inside: box.left >= 0 && box.right <= innerWidth, unclipped: el.scrollWidth <= el.clientWidth, size: parseFloat(getComputedStyle(el).fontSize) };
  });
  expect(fits).toMatchObject({ inside: true, unclipped: true });
  expect(fits.size).toBeGreaterThanOrEqual(28); // readable from the back of the room
  for (const c of [seed, ...people]) c.close();
});

test('a ranking result lists the options by points, each with its rank, in English and Arabic', async ({ browser, request }) => {
  const created = await createWorkshop(request, { title: 'Ranks', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  const labels = ['Lighting', 'Youth centre', 'الشرطة لا تستجيب'];
  const poll = await seed.send('agenda:add', { activity: { kind: 'poll', title: 'Order', question: 'Rank these', type: 'ranking', options: labels } });
  await seed.send('agenda:goTo', { id: poll.id });
  const [lighting, youth, police] = labelledIds(labels, 'option').map((o) => o.id);
  const people = await Promise.all([1, 2, 3].map(() => participantClient(created)));
  // Everyone puts the police option first; lighting comes last in the points, first in option order.
  for (const p of people) await p.send('poll:vote', { pollId: poll.id, answer: { ranking: [police, youth, lighting] } });
  await seed.send('activity:setState', { id: poll.id, state: 'closed' });
  await seed.send('activity:setResultsVisible', { id: poll.id, visible: true });
  for (const locale of ['en', 'ar']) {
    const screen = await openScreen(browser, created.urls.screen, locale, { width: 1920, height: 1080 });
    const chart = screen.locator('.chart');
    await expect(chart.locator('.label')).toHaveText(['1 الشرطة لا تستجيب', '2 Youth centre', '3 Lighting']);
    // The rank sits at the reading edge of its label, whatever script the label is in.
    const rank = await chart.locator('.rank').first().boundingBox();
    const label = await chart.locator('.label bdi').first().boundingBox();
    if (locale === 'ar') expect(rank!.x).toBeGreaterThan(label!.x);
    else expect(rank!.x).toBeLessThan(label!.x);
    await screen.context().close();
  }
  for (const c of [seed, ...people]) c.close();
});

test('rounds side by side share one scale: three votes in round 1 draw half as long as six in round 2', async ({ browser, request }) => {
  const created = await createWorkshop(request, { title: 'Rounds', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  const poll = await seed.send('agenda:add', {
    activity: { kind: 'poll', title: 'Trust', question: 'Trust the police?', type: 'single', options: ['Yes', 'No'] },
  });
  await seed.send('agenda:goTo', { id: poll.id });
  const people = await Promise.all(Array.from({ length: 6 }, () => participantClient(created)));
  for (const p of people.slice(0, 3)) await p.send('poll:vote', { pollId: poll.id, answer: { choice: 'yes' } });
  await seed.send('activity:setState', { id: poll.id, state: 'closed' });
  await seed.send('poll:reopen', { pollId: poll.id });
  for (const p of people) await p.send('poll:vote', { pollId: poll.id, answer: { choice: 'yes' } });
  await seed.send('activity:setState', { id: poll.id, state: 'closed' });
  await seed.send('activity:setResultsVisible', { id: poll.id, visible: true });

  const screen = await openPage(browser, created.urls.screen, { viewport: { width: 1920, height: 1080 } });
  const first = screen.getByRole('region', { name: 'Results, round 1' }).locator('.bar').first();
  const second = screen.getByRole('region', { name: 'Results, round 2' }).locator('.bar').first();
  await expect(first).toBeVisible();
  const [one, two] = [(await first.boundingBox())!.width, (await second.boundingBox())!.width];
  expect(one / two).toBeCloseTo(0.5, 1);
  // Counts with their share of those who answered: all three said yes in round 1.
  await expect(screen.getByRole('region', { name: 'Results, round 1' }).locator('.chart .value').first()).toHaveText(/^3\s*100\s?%$/);
  await screen.screenshot({ path: test.info().outputPath('projector-rounds.png') });
  for (const c of [seed, ...people]) c.close();
});

test('a paper tally that does not add up is refused beside its form, where the facilitator is typing', async ({ browser, request }) => {
  const created = await createWorkshop(request, { title: 'Paper', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  const poll = await seed.send('agenda:add', {
    activity: { kind: 'poll', title: 'Trust', question: 'Trust the police?', type: 'single', options: ['Yes', 'No'] },
  });
  await seed.send('agenda:goTo', { id: poll.id }); // showing a poll opens it
  await seed.send('activity:setState', { id: poll.id, state: 'closed' });
  const console = await openPage(browser, created.urls.facilitate, { viewport: { width: 1366, height: 768 } });
  await console.getByText('Add paper ballots').click();
  await console.getByLabel('Paper ballots counted').fill('4');
  await console.locator('#paper-yes').fill('2');
  await console.getByRole('button', { name: 'Save paper ballots' }).click();
  const form = console.locator('details.paper form');
  const alert = form.getByRole('alert');
  await expect(alert).toContainText('the counts add up to 2, not to the 4 paper ballots');
  // Right under the button that was pressed, in view; the poll's own alert area stays empty.
  const [button, box] = [(await form.getByRole('button', { name: 'Save paper ballots' }).boundingBox())!, (await alert.boundingBox())!];
  expect(box.y - (button.y + button.height)).toBeLessThan(60);
  await expect(alert).toBeInViewport({ ratio: 0.95 });
  await expect(console.locator('section.card > .notice[role="alert"]').first()).toBeEmpty();
  seed.close();
});

test('the projector shows the questions the room asked, most upvoted first, as many as fit; the join panel makes room', async ({ browser, request }) => {
  const created = await createWorkshop(request, { title: 'Panel', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  const screen = await openPage(browser, created.urls.screen, { viewport: { width: 1920, height: 1080 } });
  const welcomeJoin = (await screen.locator('aside.join').boundingBox())!.width;
  const qa = await seed.send('agenda:add', { activity: { kind: 'board', title: 'Questions to the police', mode: 'qa' } });
  await seed.send('agenda:goTo', { id: qa.id });
  const people = await Promise.all(Array.from({ length: 3 }, () => participantClient(created)));
  const questions = Array.from({ length: 14 }, (_, i) => `Question ${i + 1}: why do patrols pass so rarely through the estate after dark, and who decides?`);
  const ids: string[] = [];
  for (const [i, text] of questions.entries()) ids.push((await people[i % 3]!.send('board:addNote', { boardId: qa.id, text })).noteId as string);
  // Everyone upvotes question 9: it leads the list once the count may be shown.
  for (const p of people) await p.send('board:vote', { boardId: qa.id, ballot: { upvotes: [ids[8]!] } });

  const list = screen.getByRole('list', { name: 'Most upvoted questions' });
  await expect(list.locator('li').first()).toContainText('Question 9');
  await expect(list.locator('li').first()).toContainText('3 votes');
  const shown = await list.locator('li').count();
  expect(shown).toBeLessThan(14);
  await expect(screen.getByText(`${14 - shown} more questions`)).toBeVisible();
  expect(await screen.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(1080);
  expect((await screen.locator('aside.join').boundingBox())!.width).toBeLessThan(welcomeJoin * 0.75);
  await screen.screenshot({ path: test.info().outputPath('projector-questions.png') });
  for (const c of [seed, ...people]) c.close();
});
