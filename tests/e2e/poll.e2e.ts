import { expect, test, type Page } from '@playwright/test';
import { facilitatorSocket, joinPhone } from './helpers';

test('six people answer a scale poll and an open question; results appear only at k, after a change of mind', async ({ browser, request }) => {
  test.setTimeout(90_000); // eight browsers on a two-core machine
  const created = await (await request.post('/api/workshops', { data: { title: 'Town hall', anonymityThreshold: 5 } })).json();
  const seed = await facilitatorSocket(created);
  const scale = await seed.timeout(5000).emitWithAck('agenda:add', {
    activity: {
      kind: 'poll',
      title: 'Safety',
      question: 'How safe do you feel at night?',
      type: 'scale',
      scale: { kind: 'likert5', low: 'Not at all', high: 'Very' },
      liveResults: true,
    },
  });
  const open = await seed.timeout(5000).emitWithAck('agenda:add', {
    activity: { kind: 'poll', title: 'One word', question: 'One word for what would help most', type: 'open' },
  });
  await seed.timeout(5000).emitWithAck('agenda:goTo', { id: scale.id });
  await seed.timeout(5000).emitWithAck('activity:setState', { id: scale.id, state: 'open' });

  const facilitator = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await facilitator.goto(created.urls.facilitate);
  const screen = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await screen.goto(created.urls.screen);
  const phones = await Promise.all(Array.from({ length: 6 }, () => joinPhone(browser, created.urls.join)));

  const answer = async (page: Page, value: string) => {
    // Values at the ends carry their label too ("5 Very").
    await page.getByRole('radio', { name: new RegExp(`^${value}( |$)`) }).check();
    await page.getByRole('button', { name: /Send my answer|Change my answer/ }).click();
    await expect(page.getByText('Your answer is saved.')).toBeVisible();
  };
  for (const [i, value] of ['2', '2', '3', '4'].entries()) await answer(phones[i]!, value);
  const results = facilitator.getByRole('region', { name: 'Results, round 1' });
  await expect(results.getByText('Results appear once 5 people have answered.')).toBeVisible();
  await expect(results.getByRole('table')).toHaveCount(0);

  await answer(phones[4]!, '5');
  await expect(results.getByText('5 answers')).toBeVisible();
  const live = results.getByRole('table', { name: 'How safe do you feel at night?' });
  await expect(live.getByRole('row', { name: /^2 / })).toContainText(/2 people \(\d+%\)/); // each count with its share
  // The scale's ends are named on the chart, not only in the question.
  await expect(live.getByRole('rowheader')).toHaveText(['1 (Not at all)', '2', '3', '4', '5 (Very)']);

  await answer(phones[5]!, '1');
  await answer(phones[0]!, '4'); // a change of mind: the last answer counts
  await expect(screen.getByRole('figure')).toHaveCount(0); // not revealed to the room yet
  await facilitator.getByLabel('Show results to the room').check();
  await expect(screen.getByRole('table', { name: 'How safe do you feel at night?' })).toBeAttached();
  await facilitator.getByRole('button', { name: 'Close the poll' }).click();
  await expect(facilitator.getByRole('button', { name: 'Open again as a new round' })).toBeVisible();
  // Two changes since the live count at 5 are fewer than k: closing keeps that count as the final result
  // (the release rule, docs/ANONYMITY.md) — the sixth answer and the change of mind are stored, not shown.
  await expect(results.getByText('5 answers')).toBeVisible();
  const table = screen.getByRole('table', { name: 'How safe do you feel at night?' });
  await expect(table.getByRole('row', { name: /^2 / })).toContainText('2 people');
  await expect(table.getByRole('row', { name: /^4 / })).toContainText('1 person');
  await expect(screen.locator('.chart .bar')).toHaveCount(5);

  await facilitator.getByRole('button', { name: 'Next' }).click();
  await seed.timeout(5000).emitWithAck('activity:setState', { id: open.id, state: 'open' });
  const words = ['lighting', 'Lighting', 'youth centre', 'patrols', 'lighting please'];
  for (const [i, text] of words.entries()) {
    await phones[i]!.getByLabel('Your answer').fill(text);
    await phones[i]!.getByRole('button', { name: 'Send my answer' }).click();
    await expect(phones[i]!.getByText('Your answer is saved.')).toBeVisible();
  }
  const openResults = facilitator.getByRole('region', { name: 'Results, round 1' });
  await expect(openResults.getByText('Results appear when the poll closes.')).toBeVisible(); // not live
  await facilitator.getByRole('button', { name: 'Close the poll' }).click();
  await expect(openResults.getByRole('list', { name: 'Words used most' }).getByRole('listitem').first()).toContainText('lighting');
  await expect(openResults.getByText('youth centre')).toBeVisible();
  seed.disconnect();
});
