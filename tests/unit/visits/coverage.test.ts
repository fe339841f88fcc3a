/**
 * The coverage rule and recurrence on hand-written rotas (docs/volunteers.md "Gaps"): elapsed hours across the
 * summer-time changes of Europe/Paris (28/03/2027 02:00 → 03:00, 31/10/2027 03:00 → 02:00), cancelled and missed
 * visits not counting, weekly series keeping their wall-clock time, and matching (availability, absences, skills,
 * area, load).
 */
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { coverageGaps } from '../../../main/services/visits/coverage';
import { weeklyOccurrences } from '../../../main/services/visits/recurrence';
import { firstFit, propose, type Candidate } from '../../../main/services/visits/matching';
import { instantOf, localIso } from '../../../main/services/visits/time';

const Z = 'Europe/Paris';
const at = (s: string) => instantOf(s, Z);
const shown = (g: { from: DateTime; to: DateTime; hours: number }) => ({ from: localIso(g.from, Z), to: localIso(g.to, Z), hours: g.hours });

describe('coverage gaps', () => {
  it('counts the March night as 23 hours: Saturday 10:00 → Monday 10:00 is 47 h, within a 48-hour rule', () => {
    const starts = [at('2027-03-27T10:00'), at('2027-03-29T10:00')];
    expect(coverageGaps(at('2027-03-26T12:00'), at('2027-03-30T12:00'), starts, 48)).toEqual([]);
    // Under a 46-hour rule that same stretch is a gap of 47 h, shown with each end's own offset.
    expect(coverageGaps(at('2027-03-26T12:00'), at('2027-03-30T12:00'), starts, 46).map(shown)).toEqual([{ from: '2027-03-27T10:00+01:00', to: '2027-03-29T10:00+02:00', hours: 47 }]);
  });

  it('counts the October night as 25 hours: Saturday 10:00 → Monday 10:00 is 49 h, a gap under a 48-hour rule', () => {
    const starts = [at('2027-10-30T10:00'), at('2027-11-01T10:00')];
    expect(coverageGaps(at('2027-10-29T12:00'), at('2027-11-02T12:00'), starts, 48).map(shown)).toEqual([{ from: '2027-10-30T10:00+02:00', to: '2027-11-01T10:00+01:00', hours: 49 }]);
  });

  it('measures from the window start and to the window end, ignores visits outside, and a stretch equal to the rule is no gap', () => {
    const starts = [at('2027-01-01T08:00'), at('2027-01-06T10:00'), at('2027-01-04T10:00'), at('2027-02-01T10:00')];
    expect(coverageGaps(at('2027-01-02T10:00'), at('2027-01-08T10:00'), starts, 48).map(shown)).toEqual([]);
    expect(coverageGaps(at('2027-01-02T09:00'), at('2027-01-08T11:00'), starts, 48).map(shown)).toEqual([
      { from: '2027-01-02T09:00+01:00', to: '2027-01-04T10:00+01:00', hours: 49 },
      { from: '2027-01-06T10:00+01:00', to: '2027-01-08T11:00+01:00', hours: 49 },
    ]);
    expect(coverageGaps(at('2027-01-02T09:00'), at('2027-01-02T09:00'), [], 48)).toEqual([]);
  });
});

describe('weekly series', () => {
  it('keeps 10:00 local across the March change (UTC moves from 09:00 to 08:00)', () => {
    const s = weeklyOccurrences(at('2027-03-22T10:00'), 1, '2027-04-05');
    expect(s.map((d) => d.toUTC().toISO())).toEqual(['2027-03-22T09:00:00.000Z', '2027-03-29T08:00:00.000Z', '2027-04-05T08:00:00.000Z']);
  });

  it('every two weeks until a date (inclusive), and refuses an end before the start', () => {
    const s = weeklyOccurrences(at('2027-10-18T18:30'), 2, '2027-11-15');
    expect(s.map((d) => localIso(d, Z))).toEqual(['2027-10-18T18:30+02:00', '2027-11-01T18:30+01:00', '2027-11-15T18:30+01:00']);
    expect(() => weeklyOccurrences(at('2027-10-18T18:30'), 1, '2027-10-17')).toThrow(/précède/);
  });
});

describe('matching', () => {
  const base: Omit<Candidate, 'personId' | 'name'> = {
    skills: ['Courses'],
    area: 'Paris 11',
    availability: [{ weekday: 2, start: '14:00', end: '18:00' }],
    absences: [],
    hoursPerMonth: 10,
    plannedMinutes: 0,
    busy: [],
  };
  const need = { earliest: at('2027-03-09T10:00'), latest: at('2027-03-10T10:00'), minutes: 60, skills: ['courses'], area: 'paris 11', zone: Z };

  it('proposes those available then, with the skill, from the area, not absent, least loaded first', () => {
    const people: Candidate[] = [
      { ...base, personId: 'a', name: 'Anne' },
      { ...base, personId: 'b', name: 'Bruno', absences: [{ from: '2027-03-08', to: '2027-03-09' }] },
      { ...base, personId: 'c', name: 'Chloé', skills: ['Informatique'] },
      { ...base, personId: 'd', name: 'Driss', area: 'Paris 20' },
      { ...base, personId: 'e', name: 'Élise', plannedMinutes: 300 },
      { ...base, personId: 'f', name: 'Farid', availability: [{ weekday: 3, start: '14:00', end: '18:00' }] },
      { ...base, personId: 'g', name: 'Gaëlle', busy: [{ start: at('2027-03-09T13:30'), minutes: 270 }] },
    ];
    const out = propose(people, need);
    expect(out.map((p) => [p.candidate.name, localIso(p.at, Z)])).toEqual([
      ['Anne', '2027-03-09T14:00+01:00'],
      ['Élise', '2027-03-09T14:00+01:00'],
    ]);
  });

  it('starts inside a slot when the stretch opens during it, and refuses a slot too short for the visit', () => {
    const c: Candidate = { ...base, personId: 'a', name: 'Anne' };
    expect(localIso(firstFit(c, { ...need, earliest: at('2027-03-09T15:10') })!, Z)).toBe('2027-03-09T15:10+01:00');
    expect(firstFit(c, { ...need, earliest: at('2027-03-09T17:30') })).toBeNull();
  });
});
