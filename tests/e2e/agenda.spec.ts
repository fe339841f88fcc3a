/**
 * The agenda and « Mon engagement » through the real UI and core (browser host; docs/agenda.md). The coordination's
 * set-up (a volunteer user linked to her volunteer profile, a circle, one planned visit) goes through the contract,
 * as the visit rota's own spec covers those screens. Then: the coordinator creates a weekly meeting with the
 * volunteer, moves next week's occurrence, looks at the month, exports « Mon agenda » as iCalendar; the volunteer
 * sees her next visit and the meeting in « Mon agenda » and in « Mon engagement ». Axe on every screen; screenshots in
 * test-results/screenshots/agenda/.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DateTime } from 'luxon';
import { expect, expectNoSeriousA11yViolations, ROOT, test } from './fixtures';
import { createAssociation, PASSWORD } from './flows';

const SHOTS = join(ROOT, 'test-results', 'screenshots', 'agenda');
async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });
const paris = (days: number) => DateTime.now().setZone('Europe/Paris').startOf('day').plus({ days });

/** Calls the contract as the page does (the host's token is in the tab's sessionStorage). */
async function invoke<T>(page: Page, channel: string, body: unknown): Promise<T> {
  const r = await page.evaluate(
    async ([c, b]) => {
      const token = sessionStorage.getItem('solidariciel-host-token') ?? '';
      const res = await fetch(`/api/invoke/${c}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-solidariciel-token': token }, body: JSON.stringify(b) });
      return (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
    },
    [channel, body] as const,
  );
  if (!r.ok) throw new Error(`${channel}: ${r.error?.message}`);
  return r.value as T;
}

async function switchTo(page: Page, user: string): Promise<void> {
  await page.getByRole('button', { name: /Changer d.utilisateur/ }).click();
  await page.getByLabel(/Nom d.utilisateur/).fill(user);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByTestId('association-name')).toBeVisible({ timeout: 30_000 });
}

test('un événement répété, une occurrence déplacée, l’export iCalendar ; la bénévole voit sa prochaine visite', async ({ page, associationDir }) => {
  test.setTimeout(240_000);
  await createAssociation(page, associationDir);

  // The coordination's set-up, through the contract.
  const vera = await invoke<{ id: string }>(page, 'users:add', { name: 'vera', displayName: 'Véra Lopez', password: PASSWORD, roleId: 'volunteer' });
  const odette = await invoke<{ id: string }>(page, 'people:create', { person: { firstName: 'Odette', lastName: 'Martin' } });
  const veraPerson = await invoke<{ id: string }>(page, 'people:create', { person: { firstName: 'Véra', lastName: 'Lopez' } });
  await invoke(page, 'volunteers:save', { personId: veraPerson.id, userId: vera.id });
  const circle = await invoke<{ id: string }>(page, 'circles:create', { name: 'Galaxie Odette', personId: odette.id });
  await invoke(page, 'circles:addMember', { circleId: circle.id, personId: veraPerson.id, role: 'volunteer' });
  const visitDay = paris(2);
  await invoke(page, 'visits:plan', { personId: odette.id, volunteerId: veraPerson.id, at: `${visitDay.toISODate()}T10:00`, minutes: 60 });

  // A weekly meeting from tomorrow 18:00, with Véra.
  await nav(page, 'Agenda').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Agenda' })).toBeVisible();
  await page.getByRole('button', { name: 'Nouvel événement' }).click();
  const form = page.getByRole('form', { name: 'Nouvel événement' });
  await form.getByLabel('Type d’événement').selectOption({ label: 'Réunion' });
  await form.getByLabel('Intitulé').fill('Réunion des bénévoles');
  await form.getByLabel('Lieu').fill('Local, 12 rue Oberkampf');
  const first = paris(1);
  await form.getByLabel('Jour', { exact: true }).fill(first.toFormat('dd/MM/yyyy'));
  await form.getByLabel('Heure', { exact: true }).fill('18:00');
  await form.getByLabel('Répétition').selectOption({ label: 'Chaque semaine' });
  await form.getByRole('checkbox', { name: 'Véra Lopez' }).check();
  await shot(page, '01-new-event');
  await expectNoSeriousA11yViolations(page);
  await form.getByRole('button', { name: 'Créer l’événement' }).click();
  await expect(form).toHaveCount(0);
  const meeting = (when: DateTime) => page.getByRole('article', { name: `18:00–19:00 Réunion · Réunion des bénévoles` }).filter({ has: page.getByRole('button', { name: `Déplacer « Réunion des bénévoles » du ${when.toFormat('dd/MM/yyyy')} 18:00` }) });
  await expect(meeting(first)).toBeVisible();
  await expect(meeting(first).getByText('Lieu : Local, 12 rue Oberkampf')).toBeVisible();
  await shot(page, '02-week');
  await expectNoSeriousA11yViolations(page);

  // Next week's occurrence moved to 19:30 the same day.
  await page.getByRole('button', { name: 'Semaine suivante' }).click();
  const second = first.plus({ weeks: 1 });
  await meeting(second).getByRole('button', { name: /^Déplacer/ }).click();
  const move = page.getByRole('form', { name: `Déplacer « Réunion des bénévoles » du ${second.toFormat('dd/MM/yyyy')} 18:00` });
  await move.getByLabel('Nouvelle heure').fill('19:30');
  await move.getByRole('button', { name: 'Déplacer cette fois' }).click();
  const moved = page.getByRole('article', { name: '19:30–20:30 Réunion · Réunion des bénévoles' });
  await expect(moved).toBeVisible();
  await expect(moved.getByText(`déplacé (prévu le ${second.toFormat('dd/MM/yyyy')} 18:00)`)).toBeVisible();
  await shot(page, '03-occurrence-moved');

  await page.getByRole('button', { name: 'Mois', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Le mois, semaine par semaine' })).toBeVisible();
  await shot(page, '04-month');
  await expectNoSeriousA11yViolations(page);

  // « Mon agenda » as iCalendar: the series with its moved occurrence.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exporter Mon agenda (iCalendar)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('agenda-accueil.ics');
  const ics = (await readFile((await file.path())!, 'utf8')).replace(/\r\n[ \t]/g, '');
  expect(ics).toContain('RRULE:FREQ=WEEKLY;INTERVAL=1');
  expect(ics).toContain(`RECURRENCE-ID;TZID=Europe/Paris:${second.toFormat("yyyyMMdd'T'180000")}`);
  expect(ics).toContain(`DTSTART;TZID=Europe/Paris:${second.toFormat("yyyyMMdd'T'193000")}`);

  // The circle's plan as iCalendar: Odette's visit with its volunteer.
  const circleExport = page.getByRole('form', { name: 'Exporter le planning du cercle (iCalendar)' });
  await circleExport.getByLabel('Cercle').selectOption({ label: 'Galaxie Odette' });
  const circleDownload = page.waitForEvent('download');
  await circleExport.getByRole('button', { name: 'Exporter le planning du cercle (iCalendar)' }).click();
  const circleFile = await circleDownload;
  expect(circleFile.suggestedFilename()).toBe('agenda-cercle-galaxie-odette.ics');
  const circleIcs = (await readFile((await circleFile.path())!, 'utf8')).replace(/\r\n[ \t]/g, '');
  expect(circleIcs).toContain('SUMMARY:Visite — Odette Martin (Véra Lopez)');
  expect(circleIcs).toContain(`DTSTART;TZID=Europe/Paris:${visitDay.toFormat("yyyyMMdd'T'100000")}`);

  // The volunteer: her visit and the meeting in « Mon agenda », her next visit in « Mon engagement ».
  await switchTo(page, 'vera');
  await nav(page, 'Agenda').click();
  await page.getByRole('button', { name: 'Mon agenda', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mon agenda' })).toBeVisible();
  await page.getByRole('button', { name: 'Jour', exact: true }).click();
  await page.getByRole('button', { name: 'Jour suivant' }).click();
  await expect(page.getByRole('article', { name: '18:00–19:00 Réunion · Réunion des bénévoles' })).toBeVisible();
  await page.getByRole('button', { name: 'Jour suivant' }).click();
  await expect(page.getByRole('article', { name: '10:00–11:00 Visite · Visite — Odette Martin' })).toBeVisible();
  await shot(page, '05-mon-agenda-volunteer');
  await expectNoSeriousA11yViolations(page);

  await nav(page, 'Bénévolat').click();
  await nav(page, 'Mon engagement').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mon engagement' })).toBeVisible();
  const next = page.getByRole('region', { name: 'Mes prochaines visites' });
  await expect(next.getByText(`${visitDay.toFormat('dd/MM/yyyy')} 10:00`)).toBeVisible();
  await expect(next.getByText(/Visite chez Odette Martin/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Temps donné' }).getByText('Ce mois-ci')).toBeVisible();
  await shot(page, '06-mon-engagement-volunteer');
  await expectNoSeriousA11yViolations(page);

  // The coordination's view of engagement: Véra has a visit within 30 days, so nobody is idle; her hours by year.
  await switchTo(page, 'accueil');
  await nav(page, 'Bénévolat').click();
  await nav(page, 'Mon engagement').click();
  await expect(page.getByText('Chaque bénévole a une visite prévue dans les 30 jours.')).toBeVisible();
  await expect(page.getByRole('table', { name: /Heures données en/ }).getByRole('rowheader', { name: 'Véra Lopez' })).toBeVisible();
  await shot(page, '07-engagement-coordination');
  await expectNoSeriousA11yViolations(page);

  // The whole series deleted, after a confirmation.
  await nav(page, 'Agenda').click();
  await page.getByRole('button', { name: 'Jour', exact: true }).click();
  await page.getByRole('button', { name: 'Jour suivant' }).click();
  await meeting(first).getByRole('button', { name: 'Supprimer l’événement « Réunion des bénévoles »' }).click();
  const confirm = page.getByRole('dialog', { name: 'Supprimer « Réunion des bénévoles » ?' });
  await expect(confirm.getByText(/Toutes les dates de cette série/)).toBeVisible();
  await shot(page, '08-remove-series');
  await confirm.getByRole('button', { name: 'Supprimer', exact: true }).click();
  await expect(page.getByRole('article', { name: /Réunion des bénévoles/ })).toHaveCount(0);
  await expect(page.getByText('Rien de prévu.')).toBeVisible();
});
