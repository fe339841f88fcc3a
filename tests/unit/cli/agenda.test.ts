/**
 * `agenda export` and `engagement hours` (docs/agenda.md; README « The CLI »): the iCalendar file of a user's agenda
 * or of a circle's plan, read back by ical.js; the CSV of the hours given; usage errors (exit 2, French, before
 * unlocking) and failures (exit 1: an existing file is never overwritten, an unknown circle). In-process
 * (tests/helpers/cliAccess.ts), events made through the same core with the contract.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { failed, ok, runAs, runInProcess } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';

const PW = 'mot de passe de test';
const as = (args: string[]) => runAs('marie', PW, args);

describe('solidariciel CLI: agenda export, engagement hours', () => {
  let root: string;
  let dir: string;
  let circle: string;

  beforeAll(async () => {
    root = tempDir('solidariciel-cli-agenda-');
    dir = join(root, 'A.solidariciel');
    ok(await as(['init', dir, '--name', 'Entraide A', '--admin', 'marie', '--json']));
    const odile = ok<{ id: string }>(await as(['members', 'add', dir, '--first-name', 'Odile', '--last-name', 'Bernard', '--json'])).id;
    const vera = ok<{ id: string }>(await as(['members', 'add', dir, '--first-name', 'Véra', '--last-name', 'Lopez', '--json'])).id;
    ok(await as(['volunteers', 'set', dir, '--member', vera, '--json']));
    circle = ok<{ id: string }>(await as(['circles', 'add', dir, '--name', 'Galaxie Odile', '--member', odile, '--json'])).id;
    const plan = ok<{ ids: string[] }>(await as(['visits', 'plan', dir, '--member', odile, '--volunteer', vera, '--at', '2027-03-22T10:00', '--every', 'week', '--until', '2027-04-05', '--json']));
    ok(await as(['visits', 'done', dir, '--visit', plan.ids[0]!, '--minutes', '75', '--json']));
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('agenda export --circle writes an iCalendar file with the circle visits at their instants', async () => {
    const out = join(root, 'cercle.ics');
    expect(ok(await as(['agenda', 'export', dir, '--circle', circle, '--out', out, '--json']))).toEqual({ path: out, events: 3 });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const events = new ICAL.Component(ICAL.parse(readFileSync(out, 'utf8'))).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    // 22/03 and 29/03 at 10:00 Paris: the summer-time change lies between them.
    expect(events.map((e) => e.startDate.toJSDate().toISOString())).toEqual(['2027-03-22T09:00:00.000Z', '2027-03-29T08:00:00.000Z', '2027-04-05T08:00:00.000Z']);
    expect(events[0]!.summary).toBe('Visite — Odile Bernard (Véra Lopez)');
    // Never overwritten: exit 1 naming the file, the file unchanged.
    const before = readFileSync(out, 'utf8');
    expect(failed(await as(['agenda', 'export', dir, '--circle', circle, '--out', out]), 1)).toContain(`Le fichier ${out} existe déjà`);
    expect(readFileSync(out, 'utf8')).toBe(before);
  });

  it('agenda export --user writes that user agenda; an unknown circle is exit 1', async () => {
    const out = join(root, 'marie.ics');
    expect(ok(await as(['agenda', 'export', dir, '--out', out, '--json']))).toEqual({ path: out, events: 0 });
    expect(readFileSync(out, 'utf8')).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
    const missing = join(root, 'absent.ics');
    expect(failed(await as(['agenda', 'export', dir, '--circle', '0190c0de-0000-7000-8000-00000000dead', '--out', missing]), 1).trim()).toBe('Cercle introuvable.');
    expect(existsSync(missing)).toBe(false);
  });

  it('usage errors: neither --user nor --circle, a malformed circle id, --out missing, a bad year', async () => {
    const nowhere = join(root, 'pas-ici');
    const cases: [string[], RegExp][] = [
      [['agenda', 'export', nowhere, '--out', 'x.ics'], /^Précisez --user UTILISATEUR \(son agenda\) ou --circle ID/],
      [['agenda', 'export', nowhere, '--circle', '42', '--out', 'x.ics'], /^Option --circle : identifiant attendu/],
      [['agenda', 'export', nowhere, '--circle', circle], /^Option --out obligatoire\./],
      [['engagement', 'hours', nowhere, '--year', '27'], /^Option --year : année sur quatre chiffres attendue/],
    ];
    for (const [args, message] of cases) expect(failed(await runInProcess(args, { SOLIDARICIEL_PASSWORD: PW }), 2)).toMatch(message);
  });

  it('engagement hours: JSON per volunteer, and the CSV file', async () => {
    expect(ok(await as(['engagement', 'hours', dir, '--year', '2027', '--json']))).toEqual([{ personId: expect.any(String), name: 'Véra Lopez', visits: 1, minutes: 75 }]);
    const out = join(root, 'heures.csv');
    ok(await as(['engagement', 'hours', dir, '--year', '2027', '--out', out, '--json']));
    expect(readFileSync(out, 'utf8')).toBe('\uFEFFBénévole;Visites faites;Heures données;Minutes\r\nVéra Lopez;1;1,25;75\r\nTotal;1;1,25;75\r\n');
  });
});
