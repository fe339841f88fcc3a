/**
 * A hostile or broken hub (issue 4 §8): envelopes tampered with (ciphertext, header, signature), truncated,
 * replayed, sent by a device the association root never certified, or from another association. Each is refused
 * and recorded in sync_rejected with a French reason, nothing of it is applied, the other envelopes of the page
 * are, and the cursor moves past it. A replay is recognised and changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { deviceCertMessage, type EnvelopeHeader, type PulledEnvelope } from '../../shared/sync/protocol';
import { sealEnvelope, syncKeyOf } from '../../main/sync/envelope';
import { b64u, fromB64u, signDetached } from '../../main/sync/ed25519';
import { formatHlc } from '../../main/sync/hlc';
import { newSignKeyPair } from '../../main/crypto/identity';
import { MemoryHub } from '../helpers/memoryHub';
import { makeReplicas, tableState, type Replica, type ReplicaSet } from '../helpers/replicas';

let set: ReplicaSet | null = null;
afterEach(async () => {
  await set?.cleanup();
  set = null;
});

async function two(): Promise<[Replica, Replica, ReplicaSet]> {
  set = await makeReplicas(new MemoryHub(), 2);
  return [set.replicas[0]!, set.replicas[1]!, set];
}

const HOUSEHOLD_COLS = ['name', 'notes', 'deleted_at', 'created_at', 'updated_at', 'scope_id'];

/** What a device signs (main/sync/envelope.ts): lets a test re-sign a damaged envelope with the sender's real key. */
const signedText = (header: string, ciphertext: string) => `solidariciel-envelope-v1\n${header}\n${ciphertext}`;

function resign(e: PulledEnvelope, secretKey: Uint8Array): PulledEnvelope {
  return { ...e, signature: b64u(signDetached(secretKey, signedText(e.header, e.ciphertext))) };
}

function flipByte(b64: string, at: (length: number) => number): string {
  const bytes = fromB64u(b64);
  const i = at(bytes.length);
  bytes[i] = bytes[i]! ^ 0x01;
  return b64u(bytes);
}

/** An envelope sealed and signed by `signer`, inserting one household named `name`. */
async function forged(s: ReplicaSet, signer: { deviceId: string; secretKey: Uint8Array }, name: string, over: Partial<EnvelopeHeader> = {}, syncKey = s.syncKey) {
  const hlc = formatHlc({ millis: Date.now(), counter: 0 }, signer.deviceId);
  const id = uuidv7();
  const at = new Date().toISOString();
  const header: EnvelopeHeader = { v: 1, associationId: s.associationId, scope: 'association', audience: [], keyEpoch: 1, deviceId: signer.deviceId, deviceSeq: 1, hlc, schema: 3, changes: 5, ...over };
  const env = await sealEnvelope(header, { c: [{ t: 'households', o: 'i', h: hlc, r: [[id, { id, name, created_at: at, updated_at: at, scope_id: 'association' }]] }] }, syncKey, signer.secretKey);
  return { id, env };
}

function serve(s: ReplicaSet, env: { header: string; ciphertext: string; signature: string }): number {
  const serverSeq = s.hub.log.length + 1;
  s.hub.log.push({ ...env, serverSeq });
  return serverSeq;
}

async function rejected(r: Replica): Promise<{ server_seq: number; reason: string; device_id: string | null }[]> {
  return (await r.db('sync_rejected').orderBy('server_seq').select('server_seq', 'reason', 'device_id')) as never;
}

async function names(r: Replica): Promise<string[]> {
  return ((await r.db('households').orderBy('name').select('name')) as { name: string }[]).map((h) => h.name);
}

describe('tampered and truncated envelopes', () => {
  it('are refused one by one with a French reason, while the rest of the page is applied and the cursor moves on', async () => {
    const [a, b, s] = await two();
    const secret = a.device.signSecretKey;
    const cases: { label: string; damage: (e: PulledEnvelope, page: PulledEnvelope[]) => PulledEnvelope; reason: RegExp }[] = [
      { label: 'octet du chiffré inversé', damage: (e) => ({ ...e, ciphertext: flipByte(e.ciphertext, (n) => n >> 1) }), reason: /^signature du poste invalide/ },
      { label: 'en-tête modifié', damage: (e) => ({ ...e, header: e.header.replace(/"changes":(\d+)/, (_, n: string) => `"changes":${Number(n) + 1}`) }), reason: /^signature du poste invalide/ },
      { label: 'en-tête illisible', damage: (e) => ({ ...e, header: e.header.slice(0, -1) }), reason: /^en-tête illisible/ },
      { label: 'signature échangée', damage: (e, page) => ({ ...e, signature: page[0]!.signature }), reason: /^signature du poste invalide/ },
      { label: 'chiffré tronqué', damage: (e) => ({ ...e, ciphertext: e.ciphertext.slice(0, e.ciphertext.length >> 1) }), reason: /^signature du poste invalide/ },
      // The same damage re-signed by the sender's own key: the authenticated encryption still catches it.
      { label: 'chiffré altéré, re-signé', damage: (e) => resign({ ...e, ciphertext: flipByte(e.ciphertext, (n) => n - 3) }, secret), reason: /^contenu indéchiffrable/ },
      { label: 'nonce altéré, re-signé', damage: (e) => resign({ ...e, ciphertext: flipByte(e.ciphertext, () => 2) }, secret), reason: /^contenu indéchiffrable/ },
      { label: 'chiffré tronqué, re-signé', damage: (e) => resign({ ...e, ciphertext: e.ciphertext.slice(0, -8) }, secret), reason: /^contenu indéchiffrable/ },
      { label: 'chiffré réduit au nonce, re-signé', damage: (e) => resign({ ...e, ciphertext: e.ciphertext.slice(0, 40) }, secret), reason: /^contenu tronqué/ },
    ];
    // One household per transaction: envelope k (serverSeq k) carries 'Foyer k'. The first and the last stay intact.
    const total = cases.length + 2;
    for (let k = 1; k <= total; k++) await a.mutator.insert('households', [{ name: `Foyer ${String(k).padStart(2, '0')}` }]);
    await a.engine.sync();
    expect(s.hub.log.length).toBe(total);
    b.faults.page = (page) => page.map((e) => (e.serverSeq > 1 && e.serverSeq < total ? cases[e.serverSeq - 2]!.damage(e, page) : e));

    const result = await b.engine.sync();
    expect(result.rejected).toBe(cases.length);
    expect(await names(b)).toEqual(['Foyer 01', `Foyer ${String(total).padStart(2, '0')}`]);
    const refused = await rejected(b);
    expect(refused.map((r) => r.server_seq)).toEqual(cases.map((_, i) => i + 2));
    refused.forEach((r, i) => expect(r.reason, cases[i]!.label).toMatch(cases[i]!.reason));
    expect(refused.every((r, i) => r.device_id === (cases[i]!.label === 'en-tête illisible' ? null : a.deviceId))).toBe(true);
    expect(await b.db('sync_state').where({ key: 'pull_cursor' }).first('value')).toEqual({ value: String(total) });
    // Refused envelopes are not counted as received, and the next run does not fetch them again.
    expect(((await b.db('sync_received').select('server_seq')) as { server_seq: number }[]).map((r) => r.server_seq).sort((x, y) => x - y)).toEqual([1, total]);
    const again = await b.engine.sync();
    expect(again.rejected).toBe(0);
    expect(await rejected(b)).toHaveLength(cases.length);
  });
});

describe('a replayed envelope', () => {
  it('served again under a new serverSeq is recognised and changes nothing', async () => {
    const [a, b, s] = await two();
    const [id] = await a.mutator.insert('households', [{ name: 'Foyer Diallo', notes: 'v1' }]);
    await a.engine.sync();
    await b.engine.sync();
    b.skew.ms = 1000;
    await b.mutator.update('households', id!, { notes: 'v2' }); // B's later write
    await b.engine.sync();
    await a.engine.sync();
    const snapshot = async (r: Replica) => ({
      rows: await tableState(r.db, 'households', HOUSEHOLD_COLS),
      history: await r.db('sync_history').select('*'),
      versions: await r.db('sync_versions').orderBy('row_id').select('*'),
      received: await r.db('sync_received').count({ n: '*' }),
    });
    const before = await snapshot(b);
    expect(before.rows[0]?.['notes']).toBe('v2');

    const replayed = serve(s, s.hub.log[0]!); // A's insert, v1, again
    const result = await b.engine.sync();
    expect(result.pulled).toBe(0);
    expect(result.rejected).toBe(0);
    expect(await snapshot(b)).toEqual(before);
    expect(await b.db('sync_state').where({ key: 'pull_cursor' }).first('value')).toEqual({ value: String(replayed) });
    // A's own envelope echoed back to it: skipped too.
    const beforeA = await snapshot(a);
    await a.engine.sync();
    expect(await snapshot(a)).toEqual(beforeA);
  });

  it('renumbered (another deviceSeq in its header, so not recognised) fails its signature', async () => {
    const [a, b, s] = await two();
    await a.mutator.insert('households', [{ name: 'Foyer Martin' }]);
    await a.engine.sync();
    await b.engine.sync();
    const original = s.hub.log[0]!;
    serve(s, { ...original, header: original.header.replace(/"deviceSeq":1/, '"deviceSeq":99') });
    const result = await b.engine.sync();
    expect(result.rejected).toBe(1);
    expect((await rejected(b))[0]?.reason).toMatch(/signature du poste invalide \(envoi altéré ou rejoué/);
    expect(await b.db('households').count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});

describe('envelopes from outside the association', () => {
  it('refuses a device whose certificate is not by the association root, or that the hub does not list', async () => {
    const [, b, s] = await two();
    const rogue = { deviceId: uuidv7(), ...(await newSignKeyPair()) };
    const otherRoot = await newSignKeyPair();
    const publicKey = b64u(rogue.publicKey);
    s.hub.devices.set(rogue.deviceId, { publicKey, cert: b64u(signDetached(otherRoot.secretKey, deviceCertMessage(s.associationId, rogue.deviceId, publicKey))), audience: [] });
    const unlisted = { deviceId: uuidv7(), secretKey: (await newSignKeyPair()).secretKey };
    // A certificate by the right root, but for another device id: not valid for this one.
    const borrowed = { deviceId: uuidv7(), ...(await newSignKeyPair()) };
    const [firstId] = s.hub.devices.keys();
    s.hub.devices.set(borrowed.deviceId, { publicKey: b64u(borrowed.publicKey), cert: s.hub.devices.get(firstId!)!.cert, audience: [] });
    for (const signer of [rogue, unlisted, borrowed]) serve(s, (await forged(s, signer, `Intrus ${signer.deviceId.slice(-4)}`)).env);

    const result = await b.engine.sync();
    expect(result.rejected).toBe(3);
    expect(await names(b)).toEqual([]);
    const refused = await rejected(b);
    expect(refused.map((r) => r.device_id)).toEqual([rogue.deviceId, unlisted.deviceId, borrowed.deviceId]);
    for (const r of refused) expect(r.reason).toMatch(/^poste inconnu ou non certifié par l'association/);
  });

  it("refuses an envelope of another association, even well signed and sealed with this association's key", async () => {
    const [a, b, s] = await two();
    const signer = { deviceId: a.deviceId, secretKey: a.device.signSecretKey };
    serve(s, (await forged(s, signer, 'Autre association', { associationId: uuidv7(), deviceSeq: 500 })).env);
    // And one sealed with another association's key under this association's id: it cannot be opened.
    serve(s, (await forged(s, signer, 'Autre clé', { deviceSeq: 501 }, await syncKeyOf(new Uint8Array(randomBytes(32))))).env);
    const ok = await forged(s, signer, 'Légitime', { deviceSeq: 502 });
    serve(s, ok.env);

    const result = await b.engine.sync();
    expect(result.rejected).toBe(2);
    expect(await names(b)).toEqual(['Légitime']);
    expect((await rejected(b)).map((r) => r.reason)).toEqual([expect.stringMatching(/^envoi d'une autre association/), expect.stringMatching(/^contenu indéchiffrable/)]);
  });
});
