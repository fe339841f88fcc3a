/**
 * `npm run bench:sync`: sync figures (issue 4 §9), written to bench/results/sync.json. Not a test: it measures.
 * - syncSeconds: 10,000 changes (single-field edits, each its own transaction, as at a desk) from device A through a
 *   hub on loopback (SQLite) to device B: A's « Synchroniser maintenant » (capture, seal, sign, push) then B's (pull,
 *   verify, decrypt, merge). Target ≤ 5 s. Also the same for 10,000 people imported in one transaction.
 * - bytesPerChange: bytes of the pushed envelopes (JSON as sent: header, ciphertext, signature) per changed cell.
 * - hubPushesPerSec / pushP95Ms: 200 simulated devices pushing to a hub on PostgreSQL (bench/syncHub.ts).
 * Both devices are real cores (dispatch → handlers → services → SQLCipher), as the window would call them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHub } from '../hub/index';
import { createCore, type Core } from '../main/core';
import { dispatch, noEvents } from '../main/core/dispatch';
import { MemoryPreferences } from '../main/core/filePreferences';
import type { Channel, RequestOf, ResponseOf } from '../shared/contract';

const CHANGES = Number(process.env['BENCH_SYNC_CHANGES'] ?? 10_000);
const PASSWORD = 'correct horse battery staple 2026';
const KDF = { opslimit: 2, memlimit: 8 * 1024 * 1024 }; // unlock cost is not what this bench measures
const here = dirname(fileURLToPath(import.meta.url));
const log = (s: string) => process.stderr.write(`[bench:sync] ${s}\n`);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

type Call = <C extends Exclude<Channel, `os:${string}`>>(channel: C, request: RequestOf<C>) => Promise<ResponseOf<C>>;

function device(): { core: Core; call: Call } {
  const core = createCore({ prefs: new MemoryPreferences(), kdfCost: KDF });
  const call: Call = async (channel, request) => {
    const env = await dispatch(core.handlers, channel, request, noEvents);
    if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message}`);
    return env.value as never;
  };
  return { core, call };
}

/** Bytes of the envelopes A pushed since `fromSeq` (as JSON on the wire) and their cells. */
async function pushedBytes(core: Core, fromSeq: number): Promise<{ bytes: number; cells: number; envelopes: number; lastSeq: number }> {
  const rows = (await core.session()!.ctx.db('sync_outbox').where('device_seq', '>', fromSeq).select('device_seq', 'header', 'ciphertext', 'signature', 'changes')) as { device_seq: number; header: string; ciphertext: string; signature: string; changes: number }[];
  let bytes = 0;
  let cells = 0;
  for (const r of rows) {
    bytes += JSON.stringify({ header: r.header, ciphertext: r.ciphertext, signature: r.signature }).length + 1;
    cells += r.changes;
  }
  return { bytes, cells, envelopes: rows.length, lastSeq: rows.reduce((m, r) => Math.max(m, r.device_seq), fromSeq) };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'bench-sync-'));
  const hub = await createHub({ dataDir: join(root, 'hub') });
  const url = await hub.listen(0);
  const a = device();
  const b = device();
  try {
    await a.call('association:create', { dir: join(root, 'A'), name: 'Banc de synchronisation', adminName: 'admin', password: PASSWORD });
    const people = Array.from({ length: CHANGES }, (_, i) => ({ first_name: `Prénom${i}`, last_name: `Nom${i}`, kinds: '["member"]', search_text: `prenom${i} nom${i}`, phone: `06${String(i).padStart(8, '0')}` }));
    const ctxA = a.core.session()!.ctx;
    const ids = await ctxA.mutator.insert('people', people);
    await a.call('sync:joinHub', { hubUrl: url, deviceName: 'A' });
    await a.call('sync:now', {});
    const { code } = await a.call('devices:invite', { name: 'B' });
    await b.call('devices:join', { dir: join(root, 'B'), hubUrl: url, code });
    await b.call('session:unlock', { dir: join(root, 'B'), userName: 'admin', password: PASSWORD });
    await b.call('sync:now', {});
    const before = await pushedBytes(a.core, 0);

    // 10,000 single-field edits of 10,000 people, each in its own transaction (one change_log entry, one envelope each).
    log(`${CHANGES} edits on A…`);
    for (let i = 0; i < CHANGES; i++) {
      await ctxA.mutator.update('people', ids[i % ids.length]!, { phone: `07${String(i).padStart(8, '0')}` });
    }
    let t0 = performance.now();
    const pushed = await a.call('sync:now', {});
    const tPush = performance.now() - t0;
    const pulled = await b.call('sync:now', {});
    const syncSeconds = (performance.now() - t0) / 1000;
    const wire = await pushedBytes(a.core, before.lastSeq);
    log(`edits: ${round(syncSeconds)} s (push ${round(tPush / 1000)} s), ${pushed.pushed} cells pushed, ${pulled.pulled} pulled, ${wire.envelopes} envelopes`);

    // 10,000 people in one transaction (an import).
    const bulk = Array.from({ length: CHANGES }, (_, i) => ({ first_name: `Import${i}`, last_name: `Bulk${i}`, kinds: '["member"]', search_text: `import${i} bulk${i}`, email: `import${i}@example.org` }));
    await ctxA.mutator.insert('people', bulk);
    t0 = performance.now();
    await a.call('sync:now', {});
    const bulkPulled = await b.call('sync:now', {});
    const importSyncSeconds = (performance.now() - t0) / 1000;
    const bulkWire = await pushedBytes(a.core, wire.lastSeq);
    log(`import: ${round(importSyncSeconds)} s, ${bulkPulled.pulled} cells pulled`);

    log('hub pushes with 200 devices on PostgreSQL…');
    const hubBench = process.env['BENCH_SYNC_HUB'] === '0' ? { hubPushes: 'skipped (BENCH_SYNC_HUB=0)' } : await import('./syncHub').then((m) => m.benchHubPushes({ devices: 200 })).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
    const result = {
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', load: loadavg().map((x) => round(x)) },
      changes: CHANGES,
      syncSeconds: round(syncSeconds),
      syncSecondsTarget: 5,
      pushSeconds: round(tPush / 1000),
      envelopes: wire.envelopes,
      bytesPerChange: round(wire.bytes / Math.max(1, wire.cells), 1),
      bytesPerEdit: round(wire.bytes / CHANGES, 1),
      importSyncSeconds: round(importSyncSeconds),
      importBytesPerChange: round(bulkWire.bytes / Math.max(1, bulkWire.cells), 1),
      importBytesPerPerson: round(bulkWire.bytes / CHANGES, 1),
      ...hubBench,
      hubPushesPerSecTarget: 1000,
    };
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'sync.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await a.core.close();
    await b.core.close();
    await hub.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
