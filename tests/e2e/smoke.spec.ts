/**
 * Smoke test of the real UI through the browser host: the app loads under the strict CSP, shows the
 * unlock / create screen, passes axe; the token is obtained only by exchanging the printed URL's one-time code, once,
 * and the API refuses calls without it.
 */
import { test, expect, screenshot, expectNoSeriousA11yViolations } from './fixtures';

test.describe('démarrage', () => {
  test("affiche l'écran de déverrouillage / création", async ({ page }) => {
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(page).toHaveTitle(/Solidariciel/);

    // The unlock screen (renderer/features/session/UnlockScreen.tsx): a level-1 heading, a mode switch
    // (unlock / create) and the unlock form with a password field.
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const modes = page.getByRole('group').filter({ has: page.getByRole('button') }).first();
    await expect(modes.getByRole('button')).toHaveCount(2);
    const form = page.getByRole('form');
    await expect(form).toBeVisible();
    await expect(form.locator('input[type="password"]')).toBeVisible();
    // What an association folder is and where to put it (never a synced cloud folder, a USB stick for backups only).
    const explained = page.locator('.folder-explained');
    await expect(explained).toContainText('un dossier de cet ordinateur');
    await expect(explained).toContainText('jamais dans un dossier synchronisé comme OneDrive');
    await expect(explained).toContainText('une clé USB ne sert qu’aux sauvegardes');

    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'smoke-unlock');

    // The create mode shows another form, with its own heading.
    const before = await page.getByRole('heading', { level: 1 }).textContent();
    await modes.getByRole('button').nth(1).click();
    await expect(modes.getByRole('button').nth(1)).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(before ?? '');
    await expect(page.getByRole('form')).toBeVisible();
    await expect(explained).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'smoke-create');

    expect(cspErrors, 'violations de CSP').toEqual([]);
    expect(pageErrors, 'erreurs JavaScript').toEqual([]);
  });

  test("le jeton ne s'obtient qu'avec le code de l'adresse affichée, une seule fois ; l'API refuse un appel sans lui", async ({ page, hostProcess, request, browser }) => {
    // The fixture opened the printed URL: the page exchanged its one-time code and holds the token.
    const token = await page.evaluate(() => window.sessionStorage.getItem('solidariciel-host-token'));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const code = new URLSearchParams(new URL(hostProcess.launchUrl).hash.slice(1)).get('code') ?? '';

    // What any local process reads on 127.0.0.1:PORT holds no token (docs/threat-model.md).
    for (const path of ['/', '/index.html', '/personnes']) {
      const served = await request.get(path);
      expect(served.status()).toBe(200);
      expect(await served.text()).not.toContain(token ?? '');
    }
    // The code is dead once used: another browser opening the same printed URL gets no token.
    const other = await browser.newContext({ baseURL: hostProcess.url });
    try {
      const late = await other.newPage();
      const refused = late.waitForResponse((r) => r.url().endsWith('/api/session/claim'));
      await late.goto(hostProcess.launchUrl);
      expect((await refused).status()).toBe(401);
      expect(await late.evaluate(() => window.sessionStorage.getItem('solidariciel-host-token'))).toBeNull();
    } finally {
      await other.close();
    }
    const again = await request.post('/api/session/claim', { headers: { 'x-solidariciel-launch-code': code } });
    expect(again.status()).toBe(401);
    expect(await again.text()).not.toContain(token ?? '');

    const without = await request.post('/api/invoke/session:current', { data: {} });
    expect(without.status()).toBe(401);
    const withToken = await request.post('/api/invoke/session:current', {
      data: {},
      headers: { 'x-solidariciel-token': token ?? '' },
    });
    expect(withToken.status()).toBe(200);
    const envelope = (await withToken.json()) as { ok: boolean; value?: unknown };
    expect(envelope).toEqual({ ok: true, value: null });
  });
});
