/**
 * Entry of the worker thread that derives Argon2id keys with libsodium for kdf.ts (`argon2idInWorker`). libsodium
 * grows its WebAssembly memory to the derivation's memory cost (256 MiB at the MODERATE class) and never gives it
 * back; in a worker that memory goes with the thread, which kdf.ts ends once no derivation has come for a moment.
 * Bundled as dist/main/kdf-worker.cjs (scripts/build-main.mjs), loaded from source through tsx otherwise.
 * Messages: in, Argon2idJob; out, one Argon2idResult per job, in order.
 */
import { parentPort } from 'node:worker_threads';
import type { Argon2idJob, Argon2idResult } from './kdfProtocol';
import { getSodium } from './sodium';

const port = parentPort;
if (!port) throw new Error('kdfWorker.ts must run in a worker thread');

port.on('message', (job: Argon2idJob) => {
  void (async () => {
    let result: Argon2idResult;
    try {
      const s = await getSodium();
      result = { ok: true, key: s.crypto_pwhash(job.length, job.password, job.salt, job.opslimit, job.memlimit, s.crypto_pwhash_ALG_ARGON2ID13) };
    } catch (e) {
      result = { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(result);
  })();
});
