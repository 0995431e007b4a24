import { expect, test, type Page } from '@playwright/test';
import { facilitatorSocket, phone } from './helpers';

/** Every request and WebSocket a page opens, to check that none leaves for a third party. */
function recordTraffic(page: Page, seen: string[]) {
  page.on('request', (request) => seen.push(request.url()));
  page.on('websocket', (socket) => seen.push(socket.url()));
}

test('no request leaves the server’s origin: console, phone (board and poll) and projector', async ({ browser, request, baseURL }) => {
  test.setTimeout(60_000);
  const seen: string[] = [];
  const created = await (await request.post('/api/workshops', { data: { title: 'Same origin', groups: [] } })).json();
  const seed = await facilitatorSocket(created);
  const board = await seed.timeout(5000).emitWithAck('agenda:add', { activity: { kind: 'board', title: 'Ideas' } });
  const poll = await seed.timeout(5000).emitWithAck('agenda:add', { activity: { kind: 'poll', title: 'Choose', type: 'single', options: ['A', 'B'] } });

  const console = await (await browser.newContext()).newPage();
  recordTraffic(console, seen);
  await console.goto(created.urls.facilitate);
  await expect(console.getByRole('heading', { name: 'Same origin' })).toBeVisible();
  const mobile = await (await browser.newContext(phone)).newPage();
  recordTraffic(mobile, seen);
  await mobile.goto(created.urls.join);
  const screen = await (await browser.newContext()).newPage();
  recordTraffic(screen, seen);
  await screen.goto(created.urls.screen);

  await seed.timeout(5000).emitWithAck('agenda:goTo', { id: board.id });
  await mobile.getByLabel('Your note').fill('Lights');
  await mobile.getByRole('button', { name: 'Add note' }).click();
  await expect(screen.getByText('Lights')).toBeVisible();
  await seed.timeout(5000).emitWithAck('agenda:goTo', { id: poll.id });
  await seed.timeout(5000).emitWithAck('activity:setState', { id: poll.id, state: 'open' });
  await mobile.getByRole('radio', { name: 'A' }).check();
  await mobile.getByRole('button', { name: 'Send my answer' }).click();
  await expect(mobile.getByText('Your answer is saved.')).toBeVisible();

  const origin = new URL(baseURL!);
  const foreign = seen.filter((url) => {
    const parsed = new URL(url);
    if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'about:') return false;
    return parsed.host !== origin.host;
  });
  expect(seen.length).toBeGreaterThan(10);
  expect(seen.some((url) => url.startsWith('ws://'))).toBe(true); // Socket.IO and Yjs were recorded too
  expect(foreign).toEqual([]);
  seed.disconnect();
});

test('a closed-door session: the facilitator sets a passphrase and locks the room; phones are asked, then turned away', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'Closed door', groups: [] } })).json();
  const console = await (await browser.newContext()).newPage();
  await console.goto(created.urls.facilitate);
  await console.getByLabel('Passphrase for newcomers and the screen').fill('Blue River');
  await console.getByRole('button', { name: 'Set the passphrase' }).click();
  await expect(console.getByText('A passphrase is set.')).toBeVisible();

  const mobile = await (await browser.newContext(phone)).newPage();
  await mobile.goto(created.urls.join);
  await expect(mobile.getByText('This workshop asks for a passphrase.')).toBeVisible();
  await mobile.getByLabel('Passphrase').fill('green river');
  await mobile.getByRole('button', { name: 'Join' }).click();
  await expect(mobile.getByText('That is not the passphrase.')).toBeVisible();
  await mobile.getByLabel('Passphrase').fill('blue river');
  await mobile.getByRole('button', { name: 'Join' }).click();
  await expect(mobile.getByText('The facilitator will start soon')).toBeVisible();

  await console.getByLabel(/Lock the room/).check();
  const late = await (await browser.newContext(phone)).newPage();
  await late.goto(created.urls.join);
  await expect(late.getByText('The facilitator has closed this workshop to new participants.')).toBeVisible();
  // Someone already in comes back after a reload, passphrase or not.
  await mobile.reload();
  await expect(mobile.getByText('The facilitator will start soon')).toBeVisible();
});
