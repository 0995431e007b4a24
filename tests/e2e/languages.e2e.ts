import { expect, test } from '@playwright/test';
import { phone } from './helpers';

test('a mixed room: each person reads their own language, default group names included', async ({ browser }) => {
  const organiser = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
  await organiser.goto('/new');
  await expect(organiser.getByRole('heading', { name: 'Lancer un atelier' })).toBeVisible();
  // The workshop's language starts as the organiser's, and the default groups are named in it…
  await expect(organiser.getByLabel('Langue de l’atelier')).toHaveValue('fr');
  await expect(organiser.getByText('Société civile', { exact: true })).toBeVisible();
  // …and follow it when it changes, since everyone in the room sees the group names.
  await organiser.getByLabel('Langue de l’atelier').selectOption('ar');
  await expect(organiser.getByText('الشرطة', { exact: true })).toBeVisible();
  await organiser.getByLabel('Titre de l’atelier').fill('حوار الحي');
  await organiser.getByRole('button', { name: 'Créer l’atelier' }).click();
  const code = (await organiser.getByTestId('join-code').textContent())!.trim();
  expect(await organiser.evaluate(() => document.documentElement.lang)).toBe('fr'); // the console stays French

  const swahili = await (await browser.newContext({ ...phone, locale: 'sw-KE' })).newPage();
  await swahili.goto(`/j/${code}`);
  await expect(swahili.getByRole('heading', { name: 'Wewe ni sehemu ya kundi gani?' })).toBeVisible();
  // The groups were created as Arabic defaults: a Swahili phone reads them in Swahili.
  await expect(swahili.getByRole('radio', { name: 'Polisi' })).toBeVisible();
  await swahili.getByRole('radio', { name: 'Polisi' }).check();
  await swahili.getByRole('button', { name: 'Endelea' }).click();
  await expect(swahili.getByText('Karibu. Mwezeshaji ataanza hivi karibuni')).toBeVisible();

  // A browser in a language we do not have reads the workshop's language; then picks another, remembered.
  const german = await (await browser.newContext({ ...phone, locale: 'de-DE' })).newPage();
  await german.goto(`/j/${code}`);
  await expect(german.getByRole('heading', { name: 'إلى أي فئة تنتمي؟' })).toBeVisible();
  expect(await german.evaluate(() => document.documentElement.dir)).toBe('rtl');
  await german.getByRole('combobox').first().selectOption('en');
  await expect(german.getByRole('heading', { name: 'Which group are you part of?' })).toBeVisible();
  expect(await german.evaluate(() => document.documentElement.dir)).toBe('ltr');
  await german.reload();
  await expect(german.getByRole('heading', { name: 'Which group are you part of?' })).toBeVisible();
});
