/**
 * The volunteers, visits and circles commands (docs/volunteers.md; README « The CLI »): their exact JSON, usage errors
 * (exit 2, French, before unlocking) for a malformed availability or time, and failures (exit 1) for a bad request.
 * In-process (`main(argv)` with a cheap key cost, tests/helpers/cliAccess.ts); one child process checks the same shape
 * through `npm run -s cli`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { failed, ok, runAs } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';

const PW = 'mot de passe de test';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const as = (args: string[]) => runAs('marie', PW, args);

describe('solidariciel CLI: volunteers, visits, circles', () => {
  let root: string;
  let dir: string;
  let odile: string;
  let vera: string;
  let ids: string[] = [];

  beforeAll(async () => {
    root = tempDir('solidariciel-cli-visits-');
    dir = join(root, 'A.solidariciel');
    ok(await as(['init', dir, '--name', 'Entraide A', '--admin', 'marie', '--json']));
    odile = ok<{ id: string }>(await as(['members', 'add', dir, '--first-name', 'Odile', '--last-name', 'Bernard', '--json'])).id;
    vera = ok<{ id: string }>(await as(['members', 'add', dir, '--first-name', 'Véra', '--last-name', 'Lopez', '--json'])).id;
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('volunteers set, then find by skill, time and area', async () => {
    const set = ok(await as(['volunteers', 'set', dir, '--member', vera, '--skills', 'Courses,Espagnol', '--availability', 'mon 14:00-18:00,thu 09:00-12:00', '--area', 'Paris 11', '--json']));
    expect(set).toEqual({
      personId: vera,
      skills: ['Courses', 'Espagnol'],
      availability: [
        { weekday: 1, start: '14:00', end: '18:00' },
        { weekday: 4, start: '09:00', end: '12:00' },
      ],
      area: 'Paris 11',
      hoursPerMonth: null,
    });
    // Options left out keep their values.
    expect(ok<{ skills: string[]; area: string }>(await as(['volunteers', 'set', dir, '--member', vera, '--hours', '6', '--json']))).toMatchObject({ skills: ['Courses', 'Espagnol'], area: 'Paris 11', hoursPerMonth: 6 });
    expect(ok(await as(['volunteers', 'find', dir, '--skill', 'courses', '--at', '2027-03-08T15:00', '--area', 'Paris 11', '--json']))).toEqual([{ personId: vera, skills: ['Courses', 'Espagnol'], area: 'Paris 11' }]);
    expect(ok(await as(['volunteers', 'find', dir, '--skill', 'courses', '--at', '2027-03-08T19:00', '--json']))).toEqual([]);
  });

  it('visits rule, plan (weekly until a date), gaps, done, cancel', async () => {
    expect(ok(await as(['visits', 'rule', dir, '--member', odile, '--max-gap-hours', '48', '--json']))).toEqual({ personId: odile, maxGapHours: 48, skills: [], area: null });
    const plan = ok<{ ids: string[] }>(await as(['visits', 'plan', dir, '--member', odile, '--volunteer', vera, '--at', '2027-03-22T10:00', '--every', 'week', '--until', '2027-04-05', '--json']));
    expect(plan.ids).toHaveLength(3);
    expect(plan.ids.every((id) => UUID.test(id))).toBe(true);
    ids = plan.ids;
    const gaps = ok(await as(['visits', 'gaps', dir, '--member', odile, '--from', '2027-03-22T09:00', '--to', '2027-03-30T09:00', '--json']));
    // Monday 22/03 10:00 (+01:00) → Monday 29/03 10:00 (+02:00): 167 h, the week of the March change.
    expect(gaps).toEqual([{ from: '2027-03-22T10:00+01:00', to: '2027-03-29T10:00+02:00', hours: 167 }]);
    expect(ok(await as(['visits', 'done', dir, '--visit', ids[0]!, '--minutes', '75', '--note', 'Bonne visite', '--json']))).toEqual({ id: ids[0] });
    expect(ok(await as(['visits', 'cancel', dir, '--visit', ids[1]!, '--json']))).toEqual({ id: ids[1] });
    const after = ok(await as(['visits', 'gaps', dir, '--member', odile, '--from', '2027-03-22T09:00', '--to', '2027-04-06T09:00', '--json']));
    expect(after).toEqual([{ from: '2027-03-22T10:00+01:00', to: '2027-04-05T10:00+02:00', hours: 335 }]);
  });

  it('circles add with a coordinator', async () => {
    const r = ok<{ id: string }>(await as(['circles', 'add', dir, '--name', 'Galaxie Odile', '--member', odile, '--coordinator', 'marie', '--json']));
    expect(r).toEqual({ id: expect.stringMatching(UUID) });
  });

  it('usage errors exit 2 in French before unlocking; bad requests exit 1', async () => {
    const nowhere = join(root, 'nothing-here');
    expect(failed(await as(['volunteers', 'set', nowhere, '--member', vera, '--availability', 'lun 14:00-18:00']), 2)).toMatch(/^Option --availability : « lun 14:00-18:00 » n’est pas un créneau/);
    expect(failed(await as(['volunteers', 'set', nowhere, '--member', vera, '--availability', 'mon 18:00-14:00']), 2)).toContain('la fin après le début');
    expect(failed(await as(['visits', 'plan', nowhere, '--member', odile, '--volunteer', vera, '--at', '22/03/2027 10:00']), 2)).toContain('Option --at : date et heure attendues au format AAAA-MM-JJTHH:MM');
    expect(failed(await as(['visits', 'plan', nowhere, '--member', odile, '--volunteer', vera, '--at', '2027-03-22T10:00', '--every', 'month']), 2)).toContain('Option --every');
    expect(failed(await as(['visits', 'rule', nowhere, '--member', odile, '--max-gap-hours', '0']), 2)).toContain('--max-gap-hours');
    expect(failed(await as(['visits', 'gaps', nowhere, '--member', 'Odile', '--from', '2027-03-22T09:00', '--to', '2027-03-30T09:00']), 2)).toContain('Option --member : identifiant attendu');
    // A day that does not exist, an end before the start: refused by the core, nothing saved.
    expect(failed(await as(['visits', 'plan', dir, '--member', odile, '--volunteer', vera, '--at', '2027-02-30T10:00']), 1)).toContain('2027-02-30T10:00');
    expect(failed(await as(['visits', 'gaps', dir, '--member', odile, '--from', '2027-03-30T09:00', '--to', '2027-03-22T09:00']), 1)).toContain('Fin');
    expect(failed(await as(['visits', 'plan', dir, '--member', odile, '--volunteer', odile, '--at', '2027-03-23T10:00']), 1)).toContain('Bénévole introuvable');
  });

  it('a child process through npm prints the same single JSON document', async () => {
    const run = await runCli(['visits', 'gaps', dir, '--member', odile, '--from', '2027-03-22T09:00', '--to', '2027-03-30T09:00', '--user', 'marie', '--json'], { password: PW, viaNpm: true });
    expect(run.code).toBe(0);
    // The visit of 29/03 was cancelled above: the window ends the stretch.
    expect({ stderr: run.stderr, out: JSON.parse(run.stdout) as unknown }).toEqual({ stderr: '', out: [{ from: '2027-03-22T10:00+01:00', to: '2027-03-30T09:00+02:00', hours: 190 }] });
  }, 60_000);
});
