/**
 * SANE through the whole core (registry, scan session, vault): `scan:listScanners` lists SANE's `test` backend
 * (private SANE_CONFIG_DIR), a feeder scan of its 10 sheets arrives as `scan:page` events and is committed as one
 * 10-page paper; a jammed feeder ends the job `failed` with the French message and the `jam` code.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { SaneDriver } from '../../main/scan/sane/driver';
import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from '../../shared/contract';
import { PASSWORD, TEST_KDF, tempDir } from '../helpers/core';

type Ev = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];
const events: Ev[] = [];
let core: Core;
let cfg: string;
let jammed: string;
let personId: string;

function saneConfig(extra: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'sane-cfg-'));
  writeFileSync(join(dir, 'dll.conf'), 'test\n');
  writeFileSync(join(dir, 'test.conf'), ['number_of_devices 1', ...extra].join('\n') + '\n');
  return dir;
}

const call = async <C extends Exclude<Channel, `os:${string}`>>(c: C, r: RequestOf<C>): Promise<ResponseOf<C>> => {
  const env = await dispatch(core.handlers, c, r, noEvents);
  if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`);
  return env.value as ResponseOf<C>;
};

async function ended(jobId: string): Promise<EventPayload<'scan:job'>> {
  for (let i = 0; i < 1200; i++) {
    const e = events.find((x): x is Extract<Ev, { event: 'scan:job' }> => x.event === 'scan:job' && x.payload.jobId === jobId && x.payload.state !== 'scanning');
    if (e) return e.payload;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('job never ended');
}

beforeAll(async () => {
  cfg = saneConfig([]);
  jammed = saneConfig(['read-status-code "SANE_STATUS_JAMMED"']);
  core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF, scanDrivers: [new SaneDriver({ env: { SANE_CONFIG_DIR: cfg } })], onEvent: (event, payload) => events.push({ event, payload } as Ev) });
  await call('association:create', { dir: join(tempDir(), 'Entraide.solidariciel'), name: 'Entraide', adminName: 'admin', password: PASSWORD });
  personId = (await call('people:create', { person: { firstName: 'Lucie', lastName: 'Martin' } })).id;
});
afterAll(async () => {
  await core.close();
  rmSync(cfg, { recursive: true, force: true });
  rmSync(jammed, { recursive: true, force: true });
});

describe('SANE through the core', () => {
  it('lists the test device and commits its 10 feeder sheets as one paper', async () => {
    const { items } = await call('scan:listScanners', {});
    expect(items).toEqual([{ id: 'sane:test:0', name: 'Noname frontend-tester virtual device', kind: 'sane', sources: ['platen', 'feeder'] }]);
    expect((await call('scan:capabilities', { scannerId: 'sane:test:0' })).modes).toEqual(['color', 'gray']);
    const { sessionId } = await call('scan:openSession', {});
    const { jobId } = await call('scan:start', { sessionId, scannerId: 'sane:test:0', source: 'feeder', dpi: 75, mode: 'gray' });
    expect(await ended(jobId)).toMatchObject({ state: 'done', pages: 10 });
    const pages = events.flatMap((e) => (e.event === 'scan:page' && e.payload.jobId === jobId ? [e.payload.page] : []));
    expect(pages).toHaveLength(10);
    const stored = await call('scan:commit', { sessionId, personId, meta: { type: 'autre' }, pages: pages.map((p) => ({ pageId: p.pageId, rotation: 0 })) });
    expect(stored.pages).toBe(10);
    expect((await call('vault:listDocuments', { personId })).items.map((d) => d.id)).toEqual([stored.id]);
  });

  it('reports a jammed feeder as a failed job with the French message', async () => {
    const jamCore = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF, scanDrivers: [new SaneDriver({ env: { SANE_CONFIG_DIR: jammed } })], onEvent: (event, payload) => events.push({ event, payload } as Ev) });
    const c = async <C extends Exclude<Channel, `os:${string}`>>(ch: C, r: RequestOf<C>): Promise<ResponseOf<C>> => {
      const env = await dispatch(jamCore.handlers, ch, r, noEvents);
      if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`);
      return env.value as ResponseOf<C>;
    };
    try {
      await c('association:create', { dir: join(tempDir(), 'Jam.solidariciel'), name: 'Jam', adminName: 'admin', password: PASSWORD });
      const { sessionId } = await c('scan:openSession', {});
      const { jobId } = await c('scan:start', { sessionId, scannerId: 'sane:test:0', source: 'feeder', dpi: 75, mode: 'gray' });
      const end = await ended(jobId);
      expect(end).toMatchObject({ state: 'failed', pages: 0, code: 'jam' });
      expect(end.message).toMatch(/coincée/);
    } finally {
      await jamCore.close();
    }
  });
});
