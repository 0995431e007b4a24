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
    const bodies: Promise<number>[] = [];
    page.on('response', (r) =>
      bodies.push(
        r.body().then(
          (body) => body.length,
          () => 0,
        ),
      ),
    );
    await page.goto(publicUrl, { waitUntil: 'networkidle' });
    await expect(page.getByRole('heading', { level: 1, name: 'Ward 4 dialogue' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Lessons learned' })).toBeVisible();
    expect(scripts).toEqual([]);
    // The participant view's first-load budget (docs/PHONES.md), with everything the page loads, uncompressed.
    const bytes = (await Promise.all(bodies)).reduce((a, b) => a + b, 0);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(100_000);
    console.log(`public follow-up page, first load: ${bytes} bytes (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(393);
    await page.getByRole('link', { name: 'العربية' }).click();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { name: 'الدروس المستفادة' })).toBeVisible();
    if (javaScriptEnabled) await expectAccessible(page, 'the public follow-up page');
    await context.close();
  }
});

const action = (title: string, lead: string, end: string) => ({
  title,
  description: '',
  lead,
  partners: '',
  resources: '',
  risks: '',
  pillar: null,
  status: 'planned',
  start: '',
  end,
  indicators: [{ text: 'Lamps working', target: '40' }],
  links: [],
});

test('the lead facilitator ends the workshop from the console, hands an owner a link, and the owner’s update reaches the public page', async ({
  browser,
  request,
}) => {
  const imported = await request.post('/api/workshops/import', {
    data: {
      schema: 'roundtable.workshop/2',
      workshop: { title: 'Market Road safety', language: 'en', anonymityThreshold: 3, groups: [] },
      activities: [{ kind: 'plan', title: 'Our plan', template: 'blank' }],
      plan: {
        template: 'blank',
        title: 'Plan',
        sections: { worked: 'The school hall' },
        actions: [action('Repair street lights', 'City council', '2027-03-31')],
        glossary: {},
      },
    },
  });
  expect(imported.status()).toBe(201);
  const created = await imported.json();
  const console = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await console.goto(created.urls.facilitate);
  await expect(console.getByRole('heading', { name: 'Market Road safety' })).toBeVisible();

  // Confirmed by typing the join code, with the record's retention.
  await console.getByRole('button', { name: 'End the workshop…' }).click();
  await console.getByLabel('Keep the follow-up record for (days)').fill('365');
  await console.getByLabel(`To confirm, type the join code ${created.joinCode}`).fill(created.joinCode);
  await console.getByRole('button', { name: 'End for good' }).click();
  await expect(console.getByRole('heading', { name: 'Public follow-up page' })).toBeVisible();
  await expect(console.getByRole('img', { name: 'QR code of the public follow-up page' })).toBeVisible();
  const publicUrl = await console.getByLabel('Public page').inputValue();

  // An update link for the council: made, copied, opened in the owner's own browser.
  await console.getByRole('button', { name: 'Make an update link' }).click();
  const field = console.getByLabel('Update link for City council');
  await console.getByRole('button', { name: 'Show' }).first().click();
  const ownerLink = await field.inputValue();
  expect(ownerLink).toContain(`/update/${created.id}#key=`);
  await expectAccessible(console, 'the follow-up console');

  const owner = await (await browser.newContext({ viewport: { width: 393, height: 851 }, isMobile: true, hasTouch: true })).newPage();
  await owner.goto(ownerLink);
  await expect(owner.getByRole('heading', { name: 'Update your commitments' })).toBeVisible();
  await expect(owner).toHaveURL(new RegExp(`/update/${created.id}$`)); // the key leaves the address bar
  await owner.getByLabel('Status').selectOption('in_progress');
  await owner.getByLabel('What happened').fill('Contractor started on the north side');
  await owner.getByLabel('Indicator').selectOption('0');
  await owner.getByLabel('Value').fill('12');
  await owner.getByLabel('Evidence (a web address, optional)').fill('https://city.example.org/works');
  await owner.getByRole('button', { name: 'Post the update' }).click();
  await expect(owner.getByRole('status').filter({ hasText: 'Posted' })).toBeVisible();
  await expectAccessible(owner, 'the owner update page');

  const reader = await (await browser.newContext({ ...weakPhone, javaScriptEnabled: false })).newPage();
  await reader.goto(publicUrl);
  await expect(reader.getByText('Contractor started on the north side')).toBeVisible();
  await expect(reader.getByText('In progress').first()).toBeVisible();
  await expect(reader.getByRole('img', { name: /Chart of 1 measured value, latest 12, target 40/ })).toBeVisible();
  await expect(reader.locator('a[href*="city.example.org"]')).toHaveCount(0);

  // A new link: the owner's old one no longer opens anything.
  await console.getByRole('button', { name: 'Make a new update link (the old one stops working)' }).click();
  const stale = await (await browser.newContext()).newPage();
  await stale.goto(ownerLink);
  await expect(stale.getByRole('alert')).toContainText('not valid');
});
