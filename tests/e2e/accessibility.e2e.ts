import { expect, test, type Page } from '@playwright/test';
import { createWorkshop, expectAccessible, expectTouchTargets, facilitatorClient, openPage, participantClient } from './a11y';

/** A phone screen: axe in both colour schemes, and fingers-sized controls. */
async function checkPhone(page: Page, where: string) {
  await expectAccessible(page, `phone: ${where}`);
  await expectTouchTargets(page, `phone: ${where}`);
}

test('home, joining, the create page, the waiting screen and a slide pass axe in light and dark', async ({ browser, request }) => {
  test.setTimeout(60_000); // eleven pages, each checked by axe in two colour schemes: ~33 s on 2 vCPU
  const created = await createWorkshop(request, { title: 'Safer streets', anonymityThreshold: 3 });
  const phone = await openPage(browser, '/', { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true });
  await expect(phone.getByRole('heading', { name: 'Roundtable' })).toBeVisible();
  await checkPhone(phone, 'home');
  await phone.getByLabel('Workshop code').fill(created.joinCode);
  await phone.getByRole('button', { name: 'Join' }).click();
  await expect(phone.getByRole('heading', { name: 'Which group are you part of?' })).toBeVisible();
  await checkPhone(phone, 'group picker');
  await phone.getByRole('radio', { name: 'Police' }).check();
  await phone.getByRole('button', { name: 'Continue' }).click();
  await expect(phone.getByText('The facilitator will start soon')).toBeVisible();
  await checkPhone(phone, 'waiting screen');

  const wrongCode = await openPage(browser, '/j/ZZZZZZ', { viewport: { width: 390, height: 760 } });
  await expect(wrongCode.getByRole('alert')).toContainText('ZZZZZZ');
  await checkPhone(wrongCode, 'a code that does not exist');

  const create = await openPage(browser, '/new');
  await expect(create.getByLabel('Workshop title')).toBeVisible();
  await expectAccessible(create, 'create page');

  const console = await openPage(browser, created.urls.facilitate);
  await expect(console.getByRole('heading', { name: 'Safer streets' })).toBeVisible();
  await expectAccessible(console, 'console before the start');
  const screen = await openPage(browser, created.urls.screen, { viewport: { width: 1280, height: 720 } });
  await expect(screen.getByText('1 participant connected')).toBeVisible();
  await expectAccessible(screen, 'screen before the start');

  const seed = await facilitatorClient(created);
  const slide = await seed.send('agenda:add', { activity: { kind: 'info', title: 'Ground rules', body: 'Speak for yourself.' } });
  await seed.send('agenda:goTo', { id: slide.id });
  for (const page of [phone, screen, console]) await expect(page.getByRole('heading', { name: 'Ground rules' })).toBeVisible();
  await seed.send('timer:start', { seconds: 180 });
  await expect(phone.getByRole('timer')).toBeVisible();
  await checkPhone(phone, 'slide with a timer');
  await expectAccessible(screen, 'screen: slide with a timer');
  await expectAccessible(console, 'console: slide with a timer');
  seed.close();
});

test('a board passes axe on every screen while notes are added, clustered, voted on and revealed', async ({ browser, request }) => {
  test.setTimeout(45_000);
  const created = await createWorkshop(request, { title: 'Safer streets', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  const board = await seed.send('agenda:add', {
    activity: { kind: 'board', title: 'Safety concerns', prompt: 'What makes you feel unsafe?', prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 } },
  });
  await seed.send('agenda:goTo', { id: board.id });
  const [console, screen, phone] = await Promise.all([
    openPage(browser, created.urls.facilitate),
    openPage(browser, created.urls.screen, { viewport: { width: 1280, height: 720 } }),
    openPage(browser, created.urls.join, { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true }),
  ]);
  const others = await Promise.all([participantClient(created), participantClient(created)]);
  const [first, second] = await Promise.all(
    ['Dark underpass by the station', 'Nowhere for young people at night'].map((text, i) =>
      others[i]!.send('board:addNote', { boardId: board.id, text, color: 'blue', column: null }),
    ),
  );
  await phone.getByLabel('Your note').fill('No lighting on Mill Road');
  await phone.getByRole('button', { name: 'Add note' }).click();
  for (const page of [console, screen, phone]) await expect(page.getByText('No lighting on Mill Road')).toBeVisible();
  await checkPhone(phone, 'board, adding notes');
  await expectAccessible(screen, 'screen: board with notes');
  await expectAccessible(console, 'console: board with notes');

  await console.locator('li.note').filter({ hasText: 'No lighting on Mill Road' }).getByRole('button', { name: 'Group…' }).click();
  const dialog = console.getByRole('dialog', { name: 'Group or move this note' });
  await expect(dialog).toBeVisible();
  await expectAccessible(console, 'console: the Group… dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await seed.send('activity:setState', { id: board.id, state: 'locked' });
  await expect(phone.getByRole('heading', { name: 'Place your dots' })).toBeVisible();
  await checkPhone(phone, 'board, dot voting');
  await phone.getByRole('button', { name: 'Add a dot to “No lighting on Mill Road”' }).click();
  await expect(phone.getByText('2 dots left')).toBeVisible();
  await others[0]!.send('board:vote', { boardId: board.id, ballot: { dots: { [first!.noteId as string]: 2 } } });
  await others[1]!.send('board:vote', { boardId: board.id, ballot: { dots: { [second!.noteId as string]: 1 } } });
  await expect(console.getByRole('region', { name: 'Priorities' }).getByRole('listitem')).toHaveCount(3);
  await expectAccessible(console, 'console: board priorities');

  await seed.send('activity:setResultsVisible', { id: board.id, visible: true });
  await expect(phone.getByRole('region', { name: 'Priorities' }).getByRole('listitem')).toHaveCount(3);
  await expect(screen.getByRole('region', { name: 'Priorities' }).getByRole('listitem')).toHaveCount(3);
  await checkPhone(phone, 'board results');
  await expectAccessible(screen, 'screen: board results');
  for (const c of [seed, ...others]) c.close();
});

test('polls of every type pass axe on the phone, and their revealed results on every screen', async ({ browser, request }) => {
  test.setTimeout(45_000);
  const created = await createWorkshop(request, { title: 'Town hall', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  const options = ['More lighting', 'Youth centre', 'Foot patrols'];
  const polls = {
    single: { type: 'single', options },
    multiple: { type: 'multiple', options, maxSelections: 2 },
    scale: { type: 'scale', scale: { kind: 'likert5', low: 'Not at all', high: 'Very' } },
    ranking: { type: 'ranking', options },
    open: { type: 'open' },
  };
  const ids: Record<string, string> = {};
  for (const [type, poll] of Object.entries(polls)) {
    ids[type] = (await seed.send('agenda:add', { activity: { kind: 'poll', title: `A ${type} poll`, question: `What do you think (${type})?`, ...poll } }))
      .id as string;
  }
  const phone = await openPage(browser, created.urls.join, { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true });
  const others = await Promise.all([participantClient(created), participantClient(created)]);
  for (const type of Object.keys(polls)) {
    await seed.send('agenda:goTo', { id: ids[type] });
    await expect(phone.getByRole('heading', { name: `A ${type} poll` })).toBeVisible();
    await expect(phone.getByRole('button', { name: 'I prefer not to answer' })).toBeVisible();
    await checkPhone(phone, `${type} poll`);
  }

  // The open question, answered by three people and revealed, then the single choice poll.
  for (const [i, c] of others.entries()) await c.send('poll:vote', { pollId: ids.open, answer: { text: `Better lighting ${i}` } });
  await phone.getByLabel('Your answer').fill('Better lighting for all');
  await phone.getByRole('button', { name: 'Send my answer' }).click();
  await expect(phone.getByText('Your answer is saved.')).toBeVisible();
  await seed.send('activity:setState', { id: ids.open, state: 'closed' });
  await seed.send('activity:setResultsVisible', { id: ids.open, visible: true });
  await expect(phone.getByRole('list', { name: 'Words used most' })).toBeVisible();
  await checkPhone(phone, 'open question results');

  await seed.send('agenda:goTo', { id: ids.single });
  const [console, screen] = await Promise.all([
    openPage(browser, created.urls.facilitate),
    openPage(browser, created.urls.screen, { viewport: { width: 1280, height: 720 } }),
  ]);
  await phone.getByRole('radio', { name: 'Youth centre' }).check();
  await phone.getByRole('button', { name: 'Send my answer' }).click();
  await expect(phone.getByText('Your answer is saved.')).toBeVisible();
  const lighting = await phone.getByRole('radio', { name: 'More lighting' }).getAttribute('value');
  for (const c of others) await c.send('poll:vote', { pollId: ids.single, answer: { choice: lighting } });
  await seed.send('activity:setState', { id: ids.single, state: 'closed' });
  await expect(console.getByRole('table', { name: 'What do you think (single)?' })).toBeAttached();
  await expectAccessible(console, 'console: poll results');
  await seed.send('activity:setResultsVisible', { id: ids.single, visible: true });
  for (const page of [phone, screen]) await expect(page.getByRole('table', { name: 'What do you think (single)?' })).toBeAttached();
  await checkPhone(phone, 'poll results');
  await expectAccessible(screen, 'screen: poll results');
  for (const c of [seed, ...others]) c.close();
});

test('statements pass axe on the phone card, the console’s queue and table, and the projector’s result', async ({ browser, request }) => {
  test.setTimeout(60_000);
  const created = await createWorkshop(request, { title: 'Dialogue', anonymityThreshold: 3, groups: ['Residents', 'Police'] });
  const seed = await facilitatorClient(created);
  const activity = { kind: 'statements', title: 'Where do we agree?', seeds: ['Officers at youth evenings', 'Stop and search as it is'], moderated: true };
  const id = (await seed.send('agenda:add', { activity })).id as string;
  await seed.send('agenda:goTo', { id });
  const phone = await openPage(browser, created.urls.join, { viewport: { width: 393, height: 851 }, isMobile: true, hasTouch: true });
  await phone.getByRole('radio', { name: 'Police' }).check();
  await phone.getByRole('button', { name: 'Continue' }).click();
  await expect(phone.getByRole('region', { name: 'Statement' })).toBeVisible();
  await checkPhone(phone, 'statement card');
  await phone.getByLabel('Add a statement').fill('Foot patrols in the market');
  await phone.getByRole('button', { name: 'Send my statement' }).click();
  const console = await openPage(browser, created.urls.facilitate, { viewport: { width: 1366, height: 768 } });
  await expect(console.getByRole('button', { name: 'Approve' })).toBeVisible();
  await expectAccessible(console, 'console: statements queue');

  const residents = await Promise.all([1, 2, 3].map(() => participantClient(created)));
  const police = await Promise.all([1, 2].map(() => participantClient(created)));
  for (const c of residents) await c.send('participant:setGroup', { groupId: 'residents' });
  for (const c of police) await c.send('participant:setGroup', { groupId: 'police' });
  for (const [i, c] of [...residents, ...police].entries()) {
    await c.send('statements:vote', { activityId: id, statementId: 'seed-1', vote: 'agree' });
    await c.send('statements:vote', { activityId: id, statementId: 'seed-2', vote: i < 3 ? 'agree' : 'disagree' });
  }
  for (const name of ['Agree', 'Disagree']) await phone.getByRole('region', { name: 'Statement' }).getByRole('button', { name, exact: true }).click();
  await expect(phone.getByText('You have answered every statement.')).toBeFocused();
  await checkPhone(phone, 'statements answered');
  await seed.send('activity:setState', { id, state: 'closed' });
  await expect(console.getByRole('table', { name: 'Every statement' })).toBeAttached();
  await expectAccessible(console, 'console: statements result');
  await seed.send('activity:setResultsVisible', { id, visible: true });
  const screen = await openPage(browser, created.urls.screen, { viewport: { width: 1920, height: 1080 } });
  await expect(screen.getByRole('region', { name: 'Where we differ' })).toContainText('Stop and search as it is');
  await expectAccessible(screen, 'screen: statements result');
  await checkPhone(phone, 'statements result');
  for (const c of [seed, ...residents, ...police]) c.close();
});

test('the action plan passes axe for a participant who drafts, the facilitator, the export panel and the screen', async ({ browser, request }) => {
  test.setTimeout(40_000);
  const created = await createWorkshop(request, { title: 'Ward 4 plan', anonymityThreshold: 3, groups: [] });
  const seed = await facilitatorClient(created);
  const plan = await seed.send('agenda:add', { activity: { kind: 'plan', title: 'Local action plan' } });
  await seed.send('agenda:goTo', { id: plan.id });
  const [console, screen, phone] = await Promise.all([
    openPage(browser, created.urls.facilitate),
    openPage(browser, created.urls.screen, { viewport: { width: 1280, height: 720 } }),
    openPage(browser, created.urls.join, { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true }),
  ]);
  await expect(phone.getByRole('button', { name: 'Ask to help write' })).toBeVisible();
  await checkPhone(phone, 'plan, before asking to help');
  await phone.getByLabel('Your name (optional)').fill('Amina');
  await phone.getByRole('button', { name: 'Ask to help write' }).click();
  await console.getByRole('button', { name: 'Allow' }).click();
  await expect(phone.getByText('You are helping write the plan.')).toBeVisible();
  await console.getByRole('button', { name: 'Add an action to Prevention' }).click();
  await console.getByLabel('Action', { exact: true }).fill('Light the underpass');
  await phone.getByLabel('Vision').fill('Opportunities for at-risk youth in every street.');
  await expect(phone.getByRole('button', { name: 'Use “young people facing risk factors”' })).toBeVisible();
  await checkPhone(phone, 'plan, drafting');
  await console.getByRole('button', { name: 'Check the wording' }).click();
  await expect(console.getByRole('region', { name: 'Take the plan home' }).getByRole('status')).toContainText('1 term to review');
  await expectAccessible(console, 'console: plan and export panel');
  await expect(screen.getByText('Light the underpass')).toBeVisible();
  await expectAccessible(screen, 'screen: plan');
  seed.close();
});
