import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { joinPhone } from './helpers';

const weakPhone = { viewport: { width: 393, height: 851 }, isMobile: true, hasTouch: true };

test('ending the workshop tells the phone where to follow up; the public page reads on a phone with and without JavaScript', async ({ browser, request }) => {
  const created = await (await request.post('/api/workshops', { data: { title: 'Ward 4 dialogue', anonymityThreshold: 3 } })).json();
  const resident = await joinPhone(browser, created.urls.join, weakPhone);
  const ended = await request.post(`/api/workshops/${created.id}/end`, { headers: { authorization: `Bearer ${created.facilitatorKey}` }, data: {} });
  expect(ended.status()).toBe(200);
  const { publicUrl } = await ended.json();

  // The phone in the room is disconnected, refused on reconnecting, and shown the follow-up link.
  await expect(resident.getByRole('heading', { name: 'This workshop has ended' })).toBeVisible();
  await expect(resident.getByRole('link', { name: 'Follow what happens next' })).toHaveAttribute('href', publicUrl);
  await expect(resident.locator('body')).not.toContainText('reconnecting', { ignoreCase: true });

  for (const javaScriptEnabled of [false, true]) {
    const context = await browser.newContext({ ...weakPhone, javaScriptEnabled });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    await page.goto(publicUrl);
    await expect(page.getByRole('heading', { level: 1, name: 'Ward 4 dialogue' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Lessons learned' })).toBeVisible();
    expect(scripts).toEqual([]);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(393);
    await page.getByRole('link', { name: 'العربية' }).click();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { name: 'الدروس المستفادة' })).toBeVisible();
    if (javaScriptEnabled) await expectAccessible(page, 'the public follow-up page');
    await context.close();
  }
});
