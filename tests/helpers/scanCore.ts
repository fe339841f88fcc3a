/**
 * A real core for the scan session tests (tests/unit/scan/session*.test.ts): an association created in a temporary
 * folder, the eSCL driver only (no mDNS browse, quick retries), and every spontaneous event (`scan:page`,
 * `scan:job`) recorded, with helpers to wait for a job's end and list its pages.
 */
import { join } from 'node:path';
import { createCore } from '../../main/core';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { EsclDriver } from '../../main/scan/escl/driver';
import type { EventName, EventPayload } from '../../shared/contract';
import type { ScanPage } from '../../shared/domain/scan';
import { PASSWORD, TEST_KDF, tempDir, type TestCore } from './core';

export type CoreEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

export interface ScanCore extends TestCore {
  /** Every spontaneous event, in order. */
  events: CoreEvent[];
  /** Waits (polling, 10 s at most) for the `scan:job` event that ends `jobId`. */
  ended(jobId: string): Promise<EventPayload<'scan:job'>>;
  /** The pages `jobId` sent so far, in order. */
  pagesOf(jobId: string): ScanPage[];
}

/** Creates the association « Entraide » (user `admin`, PASSWORD) and leaves it unlocked. */
export async function newScanCore(): Promise<ScanCore> {
  const prefs = new MemoryPreferences();
  const events: CoreEvent[] = [];
  const core = createCore({
    prefs,
    kdfCost: TEST_KDF,
    scanDrivers: [new EsclDriver({ prefs, discover: async () => [], client: { retryDelaysMs: [10, 20], timeoutMs: 10_000 } })],
    onEvent: (event, payload) => events.push({ event, payload } as CoreEvent),
  });
  const call: TestCore['call'] = async (channel, request) => {
    const env = await dispatch(core.handlers, channel, request, noEvents);
    if (!env.ok) throw Object.assign(new Error(`${env.error.code}: ${env.error.message}`), { code: env.error.code, message: env.error.message });
    return env.value as never;
  };
  const dir = join(tempDir(), 'Entraide.solidariciel');
  await call('association:create', { dir, name: 'Entraide', adminName: 'admin', password: PASSWORD });
  const ended = async (jobId: string): Promise<EventPayload<'scan:job'>> => {
    for (let i = 0; i < 400; i++) {
      const e = events.find((x): x is Extract<CoreEvent, { event: 'scan:job' }> => x.event === 'scan:job' && x.payload.jobId === jobId && x.payload.state !== 'scanning');
      if (e) return e.payload;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('job never ended');
  };
  const pagesOf = (jobId: string) => events.flatMap((e) => (e.event === 'scan:page' && e.payload.jobId === jobId ? [e.payload.page] : []));
  return { core, dir, recoveryCode: '', call, cleanup: () => core.close(), events, ended, pagesOf };
}
