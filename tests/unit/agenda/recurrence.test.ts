/**
 * Occurrences of agenda events over IANA time zones (docs/agenda.md "Recurrence"): a weekly series keeps its local
 * time across the March and October summer-time changes (so its UTC instant moves by an hour), every N weeks, until a
 * date (included), a non-existent local time pushed forward, one occurrence moved (shown where it now falls, even
 * from outside the range) or cancelled.
 */
import { describe, expect, it } from 'vitest';
import { dayRangeMillis, expand, isOccurrenceOf, scheduleBounds, type Schedule } from '../../../main/services/agenda/recurrence';

const PARIS = 'Europe/Paris';
const range = (from: string, to: string) => dayRangeMillis(from, to, PARIS);
const weekly = (over: Partial<Schedule> = {}): Schedule => ({ start: '2026-03-19T14:00', minutes: 60, timeZone: PARIS, recurrence: { everyWeeks: 1, until: null }, exceptions: [], ...over });

describe('weekly recurrence in Europe/Paris', () => {
  it('keeps 14:00 local across the March change: 13:00Z in winter, 12:00Z in summer', () => {
    const { fromMs, toMs } = range('2026-03-19', '2026-04-02');
    const got = expand(weekly(), fromMs, toMs);
    expect(got.map((o) => o.startLocal)).toEqual(['2026-03-19T14:00', '2026-03-26T14:00', '2026-04-02T14:00']);
    expect(got.map((o) => o.start)).toEqual(['2026-03-19T13:00:00.000Z', '2026-03-26T13:00:00.000Z', '2026-04-02T12:00:00.000Z']);
    expect(got[2]!.end).toBe('2026-04-02T13:00:00.000Z');
  });

  it('keeps 14:00 local across the October change: 12:00Z then 13:00Z', () => {
    const { fromMs, toMs } = range('2026-10-22', '2026-10-29');
    const got = expand(weekly({ start: '2026-10-01T14:00' }), fromMs, toMs);
    expect(got.map((o) => o.start)).toEqual(['2026-10-22T12:00:00.000Z', '2026-10-29T13:00:00.000Z']);
  });

  it('an event running through the night of the change lasts its minutes of real time', () => {
    const { fromMs, toMs } = range('2026-03-28', '2026-03-29');
    const [o] = expand({ start: '2026-03-28T23:00', minutes: 240, timeZone: PARIS, recurrence: null, exceptions: [] }, fromMs, toMs);
    expect(o).toMatchObject({ start: '2026-03-28T22:00:00.000Z', end: '2026-03-29T02:00:00.000Z' });
  });

  it('pushes a local time that does not exist (02:30 on the last Sunday of March) forward by the gap', () => {
    const { fromMs, toMs } = range('2026-03-22', '2026-04-05');
    const got = expand(weekly({ start: '2026-03-22T02:30' }), fromMs, toMs);
    expect(got.map((o) => o.start)).toEqual(['2026-03-22T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-04-05T00:30:00.000Z']);
    expect(got[1]!.startLocal).toBe('2026-03-29T03:30');
  });

  it('every N weeks, until a date included, and only inside the range', () => {
    const s = weekly({ start: '2026-01-05T09:00', recurrence: { everyWeeks: 3, until: '2026-03-16' } });
    const { fromMs, toMs } = range('2026-01-01', '2026-12-31');
    expect(expand(s, fromMs, toMs).map((o) => o.startLocal)).toEqual(['2026-01-05T09:00', '2026-01-26T09:00', '2026-02-16T09:00', '2026-03-09T09:00']);
    const feb = range('2026-02-01', '2026-02-28');
    expect(expand(s, feb.fromMs, feb.toMs).map((o) => o.startLocal)).toEqual(['2026-02-16T09:00']);
    expect(scheduleBounds(s)).toEqual({ startsAt: '2026-01-05T08:00:00.000Z', endsOn: '2026-03-16' });
  });

  it('finds the occurrences of a long series far from its start without walking from the beginning', () => {
    const { fromMs, toMs } = range('2046-07-01', '2046-07-31');
    const got = expand(weekly({ start: '2026-01-01T10:00' }), fromMs, toMs);
    expect(got.map((o) => o.startLocal)).toEqual(['2046-07-05T10:00', '2046-07-12T10:00', '2046-07-19T10:00', '2046-07-26T10:00']);
    expect(got[0]!.start).toBe('2046-07-05T08:00:00.000Z');
  });

  it('leaves a cancelled occurrence out and shows a moved one where it now falls, even into another range', () => {
    const s = weekly({
      exceptions: [
        { occurrence: '2026-03-26T14:00', cancelled: true, start: null, minutes: null },
        { occurrence: '2026-04-02T14:00', cancelled: false, start: '2026-04-10T09:30', minutes: 30 },
      ],
    });
    const march = range('2026-03-19', '2026-04-05');
    expect(expand(s, march.fromMs, march.toMs).map((o) => o.startLocal)).toEqual(['2026-03-19T14:00']);
    const later = range('2026-04-06', '2026-04-12');
    const got = expand(s, later.fromMs, later.toMs);
    expect(got.map((o) => [o.occurrence, o.startLocal, o.moved])).toEqual([
      ['2026-04-09T14:00', '2026-04-09T14:00', false],
      ['2026-04-02T14:00', '2026-04-10T09:30', true],
    ]);
    expect(got[1]).toMatchObject({ start: '2026-04-10T07:30:00.000Z', end: '2026-04-10T08:00:00.000Z' });
  });

  it('knows which local starts belong to a series', () => {
    const s = weekly({ recurrence: { everyWeeks: 2, until: '2026-05-01' } });
    expect(isOccurrenceOf(s, '2026-04-02T14:00')).toBe(true);
    expect(isOccurrenceOf(s, '2026-03-26T14:00')).toBe(false);
    expect(isOccurrenceOf(s, '2026-04-02T15:00')).toBe(false);
    expect(isOccurrenceOf(s, '2026-05-14T14:00')).toBe(false);
  });

  it('uses the event own zone (Cayenne has no summer time)', () => {
    const { fromMs, toMs } = range('2026-03-19', '2026-04-02');
    const got = expand(weekly({ timeZone: 'America/Cayenne' }), fromMs, toMs);
    expect(got.map((o) => o.start)).toEqual(['2026-03-19T17:00:00.000Z', '2026-03-26T17:00:00.000Z', '2026-04-02T17:00:00.000Z']);
  });
});
