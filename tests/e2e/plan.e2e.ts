import { expect, test, type APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { addNote } from '../helpers/boardSession';
import { ok, send } from '../helpers/clients';
import { addActivity, session } from '../helpers/session';
import { facilitatorSocket, phone } from './helpers';

/** A workshop on its plan activity, and the facilitator's socket that set it up. */
async function planWorkshop(request: APIRequestContext) {
  const created = await (await request.post('/api/workshops', { data: { title: 'Ward 4 plan', anonymityThreshold: 3 } })).json();
  const seed = await facilitatorSocket(created);
  const plan = await seed.timeout(5000).emitWithAck('agenda:add', { activity: { kind: 'plan', title: 'Local action plan' } });
  await seed.timeout(5000).emitWithAck('agenda:goTo', { id: plan.id });
  return { created, seed };
}

test('two people write the same action at once and both edits survive; a stigmatising term is flagged and replaced', async ({ browser, request }) => {
  test.setTimeout(60_000);
  const { created, seed } = await planWorkshop(request);

  const facilitator = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await facilitator.goto(created.urls.facilitate);
  const resident = await (await browser.newContext(phone)).newPage();
  await resident.goto(created.urls.join);
  await resident.getByRole('button', { name: 'Continue' }).click();

  // The resident asks to help; the facilitator allows.
  await resident.getByLabel('Your name (optional)').fill('Amina');
  await resident.getByRole('button', { name: 'Ask to help write' }).click();
  await facilitator.getByRole('button', { name: 'Allow' }).click();
  await expect(resident.getByText('You are helping write the plan.')).toBeVisible();
  await expect(facilitator.getByText('Amina is writing')).toBeVisible();

  await facilitator.getByRole('button', { name: 'Add an action to Prevention' }).click();
  const facilitatorTitle = facilitator.getByLabel('Action', { exact: true });
  const residentTitle = resident.getByLabel('Action', { exact: true });
  await expect(residentTitle).toBeVisible();
  await facilitatorTitle.fill('Light the underpass');
  await expect(residentTitle).toHaveValue('Light the underpass');

  // Both type into the same field at the same time: one at the start, one at the end.
  await residentTitle.focus();
  await residentTitle.press('Home');
  await facilitatorTitle.focus();
  await facilitatorTitle.press('End');
  await Promise.all([residentTitle.pressSequentially('Urgent: ', { delay: 30 }), facilitatorTitle.pressSequentially(' by March', { delay: 30 })]);
  for (const field of [facilitatorTitle, residentTitle]) await expect(field).toHaveValue('Urgent: Light the underpass by March');
  await expect(facilitator.getByText('Amina —')).toBeVisible(); // who is editing where

  // Both type at the same spot, keystroke by keystroke, each waiting to see the other's letter: each
  // caret stays with its own text, so the two words come out whole, not merged letter by letter.
  for (const field of [residentTitle, facilitatorTitle]) await field.evaluate((input: HTMLInputElement) => input.setSelectionRange(8, 8));
  const words = { resident: 'east ', facilitator: 'ouest ' };
  let length = 'Urgent: Light the underpass by March'.length;
  for (let i = 0; i < words.facilitator.length; i++) {
    for (const [who, field, other] of [
      ['resident', residentTitle, facilitatorTitle],
      ['facilitator', facilitatorTitle, residentTitle],
    ] as const) {
      const letter = words[who][i];
      if (!letter) continue;
      await field.press(letter === ' ' ? 'Space' : letter);
      length += 1;
      await expect.poll(async () => (await other.inputValue()).length).toBe(length);
    }
  }
  await expect(residentTitle).toHaveValue(await facilitatorTitle.inputValue());
  for (const field of [facilitatorTitle, residentTitle]) {
    await expect(field).toHaveValue(/^Urgent: .*Light the underpass by March$/);
    await expect(field).toHaveValue(/east /);
    await expect(field).toHaveValue(/ouest /);
  }

  // A stigmatising term is underlined as it is typed, with the suggestion one click away.
  const vision = resident.getByLabel('Vision');
  await vision.fill('Opportunities for at-risk youth in every street.');
  await expect(resident.locator('.mirror mark')).toHaveText('at-risk youth');
  await resident.getByRole('button', { name: 'Use “young people facing risk factors”' }).click();
  await expect(vision).toHaveValue('Opportunities for young people facing risk factors in every street.');
  await expect(facilitator.getByLabel('Vision')).toHaveValue('Opportunities for young people facing risk factors in every street.');
  await expect(resident.locator('.mirror mark')).toHaveCount(0);

  // Before taking the plan home: the wording check, then a Word file.
  await resident.getByLabel('Context').fill('Radicals recruit here.');
  await facilitator.getByRole('button', { name: 'Check the wording' }).click();
  const exportPanel = facilitator.getByRole('region', { name: 'Take the plan home' });
  await expect(exportPanel.getByRole('status')).toHaveText('1 term to review before export:');
  await expect(facilitator.getByText('“Radicals” → “people who support violence”')).toBeVisible();
  const download = facilitator.waitForEvent('download');
  await facilitator.getByRole('button', { name: 'Word (DOCX)' }).click();
  expect((await download).suggestedFilename()).toBe('ward-4-plan.docx');
  // The report's language and place are chosen at export time: a French PDF, its cover naming the venue.
  await exportPanel.getByLabel('Language of the report').selectOption('fr');
  await exportPanel.getByLabel('Place, for the cover').fill('Salle des fêtes, quartier 4');
  const pdf = facilitator.waitForEvent('download');
  await facilitator.getByRole('button', { name: 'PDF' }).click();
  const cover = execFileSync('pdftotext', ['-f', '1', '-l', '1', (await (await pdf).path())!, '-']).toString('utf8');
  expect(cover).toContain('Date de l’atelier');
  expect(cover).toContain('Salle des fêtes, quartier 4');
  seed.disconnect();
});

test('the projector shows a long plan in large type with its timer, and never needs scrolling', async ({ browser, request }) => {
  test.setTimeout(60_000);
  const { created, seed } = await planWorkshop(request);
  await seed.timeout(5000).emitWithAck('timer:start', { seconds: 600 });

  const facilitator = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await facilitator.goto(created.urls.facilitate);
  const screen = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await screen.goto(created.urls.screen);
  const titles = Array.from({ length: 12 }, (_, i) => `Action ${i + 1}: more foot patrols in the evenings near the station`);
  for (const title of titles) {
    await facilitator.getByRole('button', { name: 'Add an action to Prevention' }).click();
    await facilitator.getByLabel('Action', { exact: true }).last().fill(title);
  }
  // The newest action is on the projector, large; the ones that do not fit are counted, not scrolled to.
  await expect(screen.getByText(titles.at(-1)!)).toBeVisible();
  const more = screen.getByText(/more actions? in the plan$/);
  await expect(more).toBeVisible();
  const hidden = Number(/^(\d+)/.exec((await more.textContent())!)![1]);
  await expect(screen.locator('.screen-plan li')).toHaveCount(titles.length - hidden);
  expect(await screen.evaluate(() => document.documentElement.scrollHeight <= innerHeight)).toBe(true);
  const size = await screen.getByText(titles.at(-1)!).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(28);
  const timer = await screen.getByRole('timer').boundingBox();
  expect(timer!.y + timer!.height).toBeLessThanOrEqual(1080);
  seed.disconnect();
});

test('a priority becomes one action that names it; removing an action asks first', async ({ browser }) => {
  test.setTimeout(60_000);
  const url = test.info().project.use.baseURL!;
  const {
    created,
    facilitator,
    phones,
    activityId: boardId,
  } = await session(url, {
    workshop: { anonymityThreshold: 3 },
    activity: { kind: 'board', title: 'Safety', columns: [], prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 } },
    phones: 3,
  });
  const lights = await addNote(phones[0]!, boardId, 'أضواء في النفق Underpass lights');
  await addNote(phones[1]!, boardId, 'Benches');
  await ok(send(facilitator, 'activity:setState', { id: boardId, state: 'locked' }));
  for (const phone of phones) await ok(send(phone, 'board:vote', { boardId, ballot: { dots: { [lights]: 2 } } }));
  await ok(send(facilitator, 'activity:setState', { id: boardId, state: 'closed' }));
  await addActivity(facilitator, { kind: 'plan', title: 'Local action plan' });

  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await page.goto(created.urls.facilitate);
  await page.getByRole('button', { name: 'Turn priorities and common ground into actions' }).click();
  const priority = page.locator('ul.priorities li').first();
  // The rank and count read in the page's direction; the Arabic-and-English label is one isolate between them.
  await expect(priority.locator('bdi')).toHaveText('أضواء في النفق Underpass lights');
  await expect(priority).toContainText('1.');
  await priority.getByRole('button', { name: 'Turn into action' }).click();
  await expect(priority.getByRole('button', { name: 'Turn into action' })).toHaveCount(0);
  await expect(priority).toContainText('Already an action');
  const actions = page.locator('article.action');
  await expect(actions).toHaveCount(1);
  // The evidence is named even once the list is closed again.
  await page.getByRole('button', { name: 'Turn priorities and common ground into actions' }).click();
  await expect(actions.first()).toContainText('Motivated by: أضواء في النفق Underpass lights');

  // Removing asks, names the action, and keeps it when the facilitator says no.
  const asked: string[] = [];
  page.once('dialog', (dialog) => {
    asked.push(dialog.message());
    void dialog.dismiss();
  });
  await actions.first().getByRole('button', { name: 'Remove this action' }).click();
  await expect.poll(() => asked).toEqual(['Remove the action “أضواء في النفق Underpass lights” from the plan? Its text is lost for everyone.']);
  await expect(actions).toHaveCount(1);
  page.once('dialog', (dialog) => void dialog.accept());
  await actions.first().getByRole('button', { name: 'Remove this action' }).click();
  await expect(actions).toHaveCount(0);
  await page.context().close();
  for (const socket of [facilitator, ...phones]) socket.disconnect();
});
