import { expect, test, type Browser, type Page } from '@playwright/test';
import { facilitatorSocket } from './helpers';

/** A phone of the size of a common Android handset, joined in a stakeholder group. */
async function joinIn(browser: Browser, joinUrl: string, group: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 393, height: 851 }, isMobile: true, hasTouch: true })).newPage();
  await page.goto(joinUrl);
  await page.getByRole('radio', { name: group }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  return page;
}

/** Answers the card on screen, checking it is the statement expected. */
async function answer(page: Page, choice: 'Agree' | 'Disagree' | 'Pass / unsure', statement: RegExp) {
  const card = page.getByRole('region', { name: 'Statement' });
  await expect(card.getByRole('group')).toHaveAccessibleName(statement);
  await card.getByRole('button', { name: choice, exact: true }).click();
}

test('six phones in two groups find their common ground; the room sees it only once closed and shown', async ({ browser, request }) => {
  test.setTimeout(120_000); // eight browsers on a two-core machine
  const created = await (
    await request.post('/api/workshops', { data: { title: 'Community and police', anonymityThreshold: 3, groups: ['Residents', 'Police'] } })
  ).json();
  const seed = await facilitatorSocket(created);
  const seeds = ['Officers should attend youth club evenings', 'Stop and search should stay as it is', 'Street lighting comes first'];
  const added = await seed.timeout(5000).emitWithAck('agenda:add', { activity: { kind: 'statements', title: 'Where do we agree?', seeds, moderated: true } });
  await seed.timeout(5000).emitWithAck('agenda:goTo', { id: added.id });

  const facilitator = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await facilitator.goto(created.urls.facilitate);
  const screen = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await screen.goto(created.urls.screen);
  const groups = ['Residents', 'Residents', 'Residents', 'Police', 'Police', 'Police'];
  const phones: Page[] = [];
  for (const group of groups) phones.push(await joinIn(browser, created.urls.join, group));

  // A resident's own statement waits for the facilitator, who sees its text and nothing of who sent it.
  await phones[0]!.getByLabel('Add a statement').fill('Monthly open meetings at the library');
  await phones[0]!.getByRole('button', { name: 'Send my statement' }).click();
  await expect(phones[0]!.getByText('Your statement reaches the room once a facilitator approves it.')).toBeVisible();
  const queue = facilitator.getByRole('listitem').filter({ hasText: 'Monthly open meetings at the library' });
  await queue.getByRole('button', { name: 'Approve' }).click();
  await expect(phones[5]!.getByText('4 statements left')).toBeVisible();

  const mine = (i: number) => (groups[i] === 'Residents' ? ['Agree', 'Agree', 'Agree', 'Agree'] : ['Agree', 'Disagree', 'Pass / unsure', 'Agree']);
  const texts = [...seeds, 'Monthly open meetings at the library'];
  for (const [i, page] of phones.entries()) {
    // The cards come in the server's order (fewest votes first): answer whichever is shown.
    for (let n = 0; n < 4; n++) {
      const shown = await page.getByRole('region', { name: 'Statement' }).locator('.text').innerText();
      const at = texts.indexOf(shown);
      expect(at).toBeGreaterThanOrEqual(0);
      if (i === 3 && n === 0) {
        // One officer answers with the keyboard alone.
        await page
          .getByRole('button', { name: mine(i)[at]! as string })
          .first()
          .focus();
        await page.keyboard.press('Enter');
      } else await answer(page, mine(i)[at] as 'Agree', new RegExp(shown));
      const left = 3 - n;
      await expect(page.getByText(left ? `${left} statement${left === 1 ? '' : 's'} left` : 'You have answered every statement.')).toBeVisible();
    }
  }
  // A change of mind under "Your answers": the last answer counts.
  await phones[5]!.getByText('Your answers (4)').click();
  const lighting = phones[5]!.getByRole('group', { name: 'Street lighting comes first' });
  await lighting.getByRole('button', { name: 'Agree', exact: true }).click();
  await expect(lighting.getByRole('button', { name: 'Agree', exact: true })).toHaveAttribute('aria-pressed', 'true');

  // While open, the projector shows how far the room got, nothing per group.
  await expect(screen.getByText('4 statements · 24 votes · 6 people have voted')).toBeVisible();
  await expect(screen.getByRole('heading', { name: 'What we agree on' })).toHaveCount(0);

  await facilitator.getByRole('button', { name: 'Close and analyse' }).click();
  const table = facilitator.getByRole('table', { name: 'Every statement' });
  await expect(table.getByRole('row', { name: /Officers should attend youth club evenings/ })).toContainText('Common ground');
  await expect(table.getByRole('row', { name: /Stop and search/ })).toContainText('Divides the groups');
  // Street lighting: residents 3 of 3 agree, police 1 (the change of mind) of 3: no clear majority there.
  await expect(table.getByRole('row', { name: /Street lighting/ })).toContainText('Mixed');
  await expect(table.getByRole('row', { name: /Street lighting/ })).toContainText('1 agree, 0 disagree, 2 pass');
  await expect(screen.getByRole('heading', { name: 'What we agree on' })).toHaveCount(0); // not shown yet

  await facilitator.getByLabel('Show results to the room').check();
  const agreed = screen.getByRole('region', { name: 'What we agree on' });
  await expect(agreed.getByRole('listitem').first()).toContainText('Officers should attend youth club evenings');
  await expect(agreed.getByText('3 agree, 0 disagree, 0 pass').first()).toBeVisible();
  const differ = screen.getByRole('region', { name: 'Where we differ' });
  await expect(differ.getByRole('listitem')).toHaveCount(1);
  await expect(differ.getByRole('listitem')).toContainText('Stop and search should stay as it is');
  await expect(differ.getByText('0 agree, 3 disagree, 0 pass')).toBeVisible();
  // Readable from the back and never scrolled: the page fits the projector.
  await expect.poll(() => screen.evaluate(() => document.documentElement.scrollHeight <= innerHeight)).toBe(true);
  await expect(phones[0]!.getByRole('region', { name: 'What we agree on' })).toBeVisible();
  await expect(phones[0]!.getByText('This round is closed. Thank you.')).toBeVisible();

  // The plan: common ground becomes an action that names it as its evidence.
  const plan = await seed.timeout(5000).emitWithAck('agenda:add', { activity: { kind: 'plan', title: 'Local action plan' } });
  await seed.timeout(5000).emitWithAck('agenda:goTo', { id: plan.id });
  await facilitator.getByRole('button', { name: 'Turn priorities and common ground into actions' }).click();
  const common = facilitator.locator('ul.priorities li').filter({ hasText: 'Officers should attend youth club evenings' });
  await common.getByRole('button', { name: 'Turn into action' }).click();
  await expect(common).toContainText('Already an action');
  await expect(facilitator.locator('article.action').first()).toContainText('Motivated by: Officers should attend youth club evenings');
  seed.disconnect();
});
