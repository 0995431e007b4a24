import { expect, test } from '@playwright/test';
import { phone } from './helpers';

test('the lead facilitator deletes the workshop after typing its join code; phones are told, the browser forgets the key', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'Ward 4 dialogue' } })).json();
  const facilitatorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const facilitator = await facilitatorContext.newPage();
  await facilitator.goto(created.urls.facilitate);
  await expect(facilitator.getByRole('heading', { name: 'Ward 4 dialogue' })).toBeVisible();
  const resident = await (await browser.newContext(phone)).newPage();
  await resident.goto(created.urls.join);
  await resident.getByRole('button', { name: 'Continue' }).click();
  await expect(facilitator.getByText('1 participant connected').first()).toBeVisible();

  // Opening the confirmation moves focus into it; Escape backs out and returns focus to the button.
  const start = facilitator.getByRole('button', { name: 'Delete this workshop…' });
  await start.click();
  const confirmation = facilitator.getByLabel(`To confirm, type the join code ${created.joinCode}`);
  await expect(confirmation).toBeFocused();
  await expect(confirmation).toHaveAccessibleDescription(/This cannot be undone/);
  await facilitator.keyboard.press('Escape');
  await expect(start).toBeFocused();

  // Keyboard only: open, type a wrong code, submit with Enter — refused, nothing deleted.
  await facilitator.keyboard.press('Enter');
  await expect(confirmation).toBeFocused();
  await facilitator.keyboard.type('ZZZZZZ');
  await facilitator.keyboard.press('Enter');
  await expect(facilitator.getByRole('alert').filter({ hasText: 'That is not the join code.' })).toBeVisible();
  await expect(confirmation).toHaveAttribute('aria-invalid', 'true');
  const auth = { authorization: `Bearer ${created.facilitatorKey}` };
  expect((await request.get(`/api/workshops/${created.id}/export.json`, { headers: auth })).status()).toBe(200);

  // The right code, typed as people copy it off a screen.
  await confirmation.fill(`${created.joinCode.slice(0, 3)}-${created.joinCode.slice(3)}`.toLowerCase());
  await facilitator.getByRole('button', { name: 'Delete for good' }).click();
  await expect(facilitator.getByRole('heading', { name: 'This workshop has been deleted' })).toBeFocused();
  await expect(facilitator.getByText('Ward 4 dialogue')).toHaveCount(0);
  expect(await facilitator.evaluate((id) => Object.keys(localStorage).filter((k) => k.includes(id)), created.id)).toEqual([]);
  expect((await request.get(`/api/workshops/${created.id}/export.json`, { headers: auth })).status()).toBe(401);
  expect((await request.delete(`/api/workshops/${created.id}`, { headers: auth })).status()).toBe(404);

  // The phone in the room is told at once that the workshop is gone.
  await expect(resident.getByRole('alert')).toContainText(`No workshop has the code ${created.joinCode}`);

  // Back at the console address without the link: no key is left to open it with.
  await facilitator.goto(`/facilitate/${created.id}`);
  await expect(facilitator.getByRole('alert')).toContainText('This facilitator link has no key');
});

test('a co-facilitator is not offered the deletion', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'Shared console' } })).json();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(created.urls.coFacilitate);
  await expect(page.getByRole('heading', { name: 'Shared console' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Take the plan home' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete this workshop…' })).toHaveCount(0);
});
