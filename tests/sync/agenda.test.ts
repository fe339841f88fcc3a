/**
 * The agenda through a real hub (SQLite storage; docs/agenda.md): a series with one occurrence moved and one
 * cancelled, a narrow event and a person's link travel to a second device, which lays them out the same; a move made
 * on the second device comes back; the hub's storage holds none of the titles or places, in clear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../hub/helpers';
import { pairThroughHub, newTestCore, type TestCore } from '../helpers/core';
import { leaks } from '../helpers/files';

const SECRET = ['Permanence juridique', 'Maison des associations', 'Rendez-vous au Planning familial', 'Aminata'];
const week = (t: TestCore) => t.call('agenda:list', { from: '2026-03-16', to: '2026-04-12' }).then((r) => r.items.map((o) => [o.title, o.startLocal, o.moved, o.people.map((p) => p.name)]));

describe('agenda through a real hub', () => {
  let hub: TestHub;
  let a: TestCore;
  let b: TestCore;
  let series: string;

  beforeAll(async () => {
    hub = await startHub('sqlite');
    a = await newTestCore();
    const aminata = (await a.call('people:create', { person: { firstName: 'Aminata', lastName: 'Keita' } })).id;
    series = (await a.call('agenda:create', { event: { kind: 'permanence', title: 'Permanence juridique', place: 'Maison des associations', start: '2026-03-19T14:00', minutes: 120, recurrence: { everyWeeks: 1, until: '2026-04-09' }, personIds: [aminata] } })).id;
    await a.call('agenda:moveOccurrence', { id: series, occurrence: '2026-03-26T14:00', start: '2026-03-27T09:30' });
    await a.call('agenda:cancelOccurrence', { id: series, occurrence: '2026-04-02T14:00' });
    await a.call('agenda:create', { event: { kind: 'appointment', title: 'Rendez-vous au Planning familial', start: '2026-03-20T11:00', minutes: 30, visibility: { kind: 'me' } } });
    b = await pairThroughHub(hub.url, a);
  }, 120_000);
  afterAll(async () => {
    await b?.cleanup();
    await a?.cleanup();
    await hub?.close();
  });

  it('the second device lays out the same occurrences, the moved one and the narrow event included', async () => {
    const expected = [
      ['Permanence juridique', '2026-03-19T14:00', false, ['Aminata Keita']],
      ['Rendez-vous au Planning familial', '2026-03-20T11:00', false, []],
      ['Permanence juridique', '2026-03-27T09:30', true, ['Aminata Keita']],
      ['Permanence juridique', '2026-04-09T14:00', false, ['Aminata Keita']],
    ];
    expect(await week(a)).toEqual(expected);
    expect(await week(b)).toEqual(expected);
  });

  it('a move made on the second device replaces the first one everywhere, and the hub holds no title in clear', async () => {
    await b.call('agenda:moveOccurrence', { id: series, occurrence: '2026-03-26T14:00', start: '2026-03-26T16:00' });
    await b.call('sync:now', {});
    await a.call('sync:now', {});
    const moved = (await a.call('agenda:get', { id: series })).exceptions;
    expect(moved).toEqual([
      { occurrence: '2026-03-26T14:00', cancelled: false, start: '2026-03-26T16:00', minutes: null },
      { occurrence: '2026-04-02T14:00', cancelled: true, start: null, minutes: null },
    ]);
    expect(await week(a)).toEqual(await week(b));
    expect(leaks(hub.dataDir, SECRET)).toEqual([]);
  });
});
