import { expect, test, type Browser, type CDPSession, type Page } from '@playwright/test';
import { facilitatorSocket, phone } from './helpers';

/** The slow network the issue names: about 400 kbit/s each way and 400 ms of latency (a crowded 3G cell). */
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: (400 * 1024) / 8, uploadThroughput: (400 * 1024) / 8 };
const BUDGET = 100 * 1024;

/** A workshop whose current activity is an open single-choice poll, driven by a facilitator over the protocol. */
async function workshopWithOpenPoll(request: import('@playwright/test').APIRequestContext) {
  const created = await (await request.post('/api/workshops', { data: { title: 'Ward 4 dialogue', groups: [] } })).json();
  const facilitator = await facilitatorSocket(created);
  const poll = await facilitator.timeout(5000).emitWithAck('agenda:add', {
    activity: { kind: 'poll', title: 'Street lighting', question: 'Should the council fix the lights first?', type: 'single', options: ['Yes', 'No'] },
  });
  await facilitator.timeout(5000).emitWithAck('agenda:goTo', { id: poll.id });
  await facilitator.timeout(5000).emitWithAck('activity:setState', { id: poll.id, state: 'open' });
  return { created, facilitator, pollId: poll.id as string };
}

/** Bytes that crossed the network (compressed, headers aside) per URL, as the browser's network stack counts them. */
async function countTransfer(page: Page): Promise<{ cdp: CDPSession; bytes: Map<string, number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, string>();
  const bytes = new Map<string, number>();
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId);
    if (url) bytes.set(url, e.encodedDataLength);
  });
  return { cdp, bytes };
}

async function newPhone(browser: Browser): Promise<Page> {
  return (await browser.newContext(phone)).newPage();
}

test('a phone joining by QR code downloads at most 100 KB before it shows the poll, compressed', async ({ browser, request }) => {
  const { created, facilitator } = await workshopWithOpenPoll(request);
  const page = await newPhone(browser);
  const { bytes } = await countTransfer(page);
  await page.goto(created.urls.join);
  await expect(page.getByRole('radio', { name: 'Yes' })).toBeVisible();
  await page.waitForLoadState('networkidle');

  const scripts = [...bytes.keys()].filter((url) => /\.(js|css)$/.test(url));
  expect(scripts.length).toBeGreaterThan(2);
  const total = [...bytes.values()].reduce((sum, n) => sum + n, 0);
  test.info().annotations.push({ type: 'first load (poll on screen)', description: `${(total / 1024).toFixed(1)} KB over ${bytes.size} requests` });
  console.log(`participant first load with a poll on screen: ${(total / 1024).toFixed(1)} KB over ${bytes.size} requests`);
  expect(total).toBeLessThanOrEqual(BUDGET);
  facilitator.disconnect();
});

test('on a slow 3G link a participant joins, sees the current activity, and sees their vote confirmed', async ({ browser, request }) => {
  const { created, facilitator } = await workshopWithOpenPoll(request);
  const page = await newPhone(browser);
  const { cdp } = await countTransfer(page);
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);

  const started = Date.now();
  await page.goto(created.urls.join);
  await expect(page.getByRole('heading', { name: 'Street lighting' })).toBeVisible({ timeout: 20_000 });
  const joined = Date.now() - started;
  await page.getByRole('radio', { name: 'Yes' }).check();
  const sent = Date.now();
  await page.getByRole('button', { name: 'Send my answer' }).click();
  await expect(page.getByText('Your answer is saved.')).toBeVisible({ timeout: 10_000 });
  const acknowledged = Date.now() - sent;
  // Timings are reported, not asserted (shared CI machines are noisy); the target is 5 s to join.
  test.info().annotations.push({ type: 'slow 3G', description: `joined in ${joined} ms; vote confirmed in ${acknowledged} ms` });
  console.log(`slow 3G (400 kbit/s, 400 ms): joined and showing the poll in ${joined} ms; vote confirmed in ${acknowledged} ms`);
  facilitator.disconnect();
});

test('a vote and a note made offline wait as pending and are delivered once when the phone is back', async ({ browser, request }) => {
  const { created, facilitator, pollId } = await workshopWithOpenPoll(request);
  const board = await facilitator.timeout(5000).emitWithAck('agenda:add', {
    activity: { kind: 'board', title: 'Ideas', prompt: 'What would help?', columns: ['Ideas'] },
  });
  const page = await newPhone(browser);
  await page.goto(created.urls.join);
  await expect(page.getByRole('radio', { name: 'Yes' })).toBeVisible();

  await page.context().setOffline(true);
  await expect(page.getByText('Connection lost — reconnecting…')).toBeVisible({ timeout: 15_000 });
  await page.getByRole('radio', { name: 'Yes' }).check();
  await page.getByRole('button', { name: 'Send my answer' }).click();
  await expect(page.getByText('your answer will be sent as soon as you are back online')).toBeVisible();
  await page.context().setOffline(false);
  await expect(page.getByText('Your answer is saved.')).toBeVisible({ timeout: 15_000 });
  await facilitator.timeout(5000).emitWithAck('activity:setState', { id: pollId, state: 'closed' });
  const results = await facilitator.timeout(5000).emitWithAck('poll:results', { pollId });
  expect(results.results.respondents).toBe(1);

  await facilitator.timeout(5000).emitWithAck('agenda:goTo', { id: board.id });
  await facilitator.timeout(5000).emitWithAck('activity:setState', { id: board.id, state: 'open' });
  // The board's title, not its column of the same name.
  await expect(page.getByRole('heading', { name: 'Ideas', level: 2 })).toBeVisible();
  await page.context().setOffline(true);
  await expect(page.getByText('Connection lost — reconnecting…')).toBeVisible({ timeout: 15_000 });
  await page.getByLabel('Your note').fill('Benches by the bus stop');
  await page.getByRole('button', { name: 'Add note' }).click();
  const waiting = page.getByRole('list', { name: 'Waiting to send' });
  await expect(waiting.getByText('Benches by the bus stop')).toBeVisible();
  await expect(page.getByLabel('Your note')).toHaveValue(''); // free for the next one
  await page.context().setOffline(false);
  await expect(waiting).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByText('Benches by the bus stop')).toHaveCount(1);
  facilitator.disconnect();
});

test('statements answered offline move on to the next card, wait as pending, and count once the phone is back', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'Dialogue', anonymityThreshold: 3, groups: [] } })).json();
  const facilitator = await facilitatorSocket(created);
  const seeds = ['Officers at youth evenings', 'Street lighting first'];
  const { id } = await facilitator.timeout(5000).emitWithAck('agenda:add', { activity: { kind: 'statements', title: 'Common ground', seeds } });
  await facilitator.timeout(5000).emitWithAck('agenda:goTo', { id });
  const page = await newPhone(browser);
  await page.goto(created.urls.join);
  const card = page.getByRole('region', { name: 'Statement' });
  await expect(card).toBeVisible();

  await page.context().setOffline(true);
  await expect(page.getByText('Connection lost — reconnecting…')).toBeVisible({ timeout: 15_000 });
  await card.getByRole('button', { name: 'Agree', exact: true }).click();
  await expect(page.getByText('1 statement left')).toBeVisible();
  await card.getByRole('button', { name: 'Disagree', exact: true }).click();
  await expect(page.getByText('You have answered every statement.')).toBeVisible();
  await expect(page.getByText('Not sent yet — waiting for the connection.')).toBeVisible();
  await page.context().setOffline(false);
  await expect(page.getByText('Not sent yet — waiting for the connection.')).toHaveCount(0, { timeout: 15_000 });
  await expect
    .poll(async () => (await facilitator.timeout(5000).emitWithAck('statements:results', { activityId: id })).results, { timeout: 10_000 })
    .toMatchObject({ statements: 2, votes: 2, voters: 1 });
  facilitator.disconnect();
});
