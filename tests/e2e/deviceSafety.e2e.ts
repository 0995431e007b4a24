import { expect, test } from '@playwright/test';
import { facilitatorSocket, phone } from './helpers';

test('"Leave quickly" blanks the page and leaves no workshop in the back button’s history', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'Closed-door dialogue', groups: [] } })).json();
  const facilitator = await facilitatorSocket(created);
  const info = await facilitator
    .timeout(5000)
    .emitWithAck('agenda:add', { activity: { kind: 'info', title: 'Ground rules', body: 'What is said here stays here.' } });
  await facilitator.timeout(5000).emitWithAck('agenda:goTo', { id: info.id });

  const page = await (await browser.newContext(phone)).newPage();
  await page.goto('/');
  await page.getByLabel('Workshop code').fill(created.joinCode);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('heading', { name: 'Ground rules' })).toBeVisible();

  await page.getByRole('button', { name: 'Leave quickly' }).click();
  await page.waitForURL('about:blank');
  expect(await page.content()).not.toContain('Ground rules');
  // Walk the whole back history: no entry is the workshop.
  for (let step = 0; step < 5; step++) {
    if (!(await page.goBack())) break;
    expect(page.url()).not.toContain(created.joinCode);
    const html = await page.content();
    expect(html).not.toContain('Closed-door dialogue');
    expect(html).not.toContain('Ground rules');
  }
  facilitator.disconnect();
});

test('nothing a participant answered stays on the phone once the poll has closed, only their random token', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'Town hall', groups: [] } })).json();
  const facilitator = await facilitatorSocket(created);
  const poll = await facilitator.timeout(5000).emitWithAck('agenda:add', {
    activity: { kind: 'poll', title: 'In one word', question: 'What worries you most?', type: 'open' },
  });
  await facilitator.timeout(5000).emitWithAck('agenda:goTo', { id: poll.id });
  await facilitator.timeout(5000).emitWithAck('activity:setState', { id: poll.id, state: 'open' });

  const page = await (await browser.newContext(phone)).newPage();
  await page.goto(created.urls.join);
  const marker = 'quiet-harbour-4721';
  await page.getByLabel('Your answer').fill(marker);
  await page.getByRole('button', { name: 'Send my answer' }).click();
  await expect(page.getByText('Your answer is saved.')).toBeVisible();
  // Everyone sees how many are here and how many answered, so invented participants can be noticed.
  await expect(page.getByText('1 participant connected · 1 answer')).toBeVisible();
  await facilitator.timeout(5000).emitWithAck('activity:setState', { id: poll.id, state: 'closed' });
  await expect(page.getByText('This poll is closed.')).toBeVisible();

  const stored = await page.evaluate(() => {
    const dump = (storage: Storage) =>
      Object.fromEntries(Array.from({ length: storage.length }, (_, i) => storage.key(i)!).map((k) => [k, storage.getItem(k)]));
    return { local: dump(localStorage), session: dump(sessionStorage) };
  });
  expect(JSON.stringify(stored)).not.toContain(marker);
  expect(Object.keys(stored.local).filter((k) => k.startsWith('roundtable:participant:'))).toEqual([`roundtable:participant:${created.joinCode}`]);
  expect(stored.session).toEqual({});
  expect(await page.content()).not.toContain(marker);
  facilitator.disconnect();
});
