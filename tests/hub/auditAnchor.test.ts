/** Audit anchors at the hub (docs/sync.md "Audit anchor"): signed by the device, only forward, per device; SQLite and PostgreSQL. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDetached } from '../../main/sync/ed25519';
import { auditAnchorMessage } from '../../shared/sync/protocol';
import { BACKENDS, failure, newAssociation, registeredDevice, skipBackend, startHub, type TestAssociation, type TestDevice, type TestHub } from './helpers';

const hash = () => randomBytes(32).toString('hex');
const anchor = (a: TestAssociation, d: TestDevice, seq: number, h: string, key = d.secretKey) => ({
  seq,
  hash: h,
  signature: Buffer.from(signDetached(key, auditAnchorMessage(a.associationId, d.deviceId, seq, h))).toString('base64url'),
});

describe.each(BACKENDS)('hub audit anchors (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startHub(backend);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('keeps the highest anchor of each device: a lower one (a cut chain) never replaces it', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const other = await registeredDevice(t, a);
      expect((await d.client.getAuditAnchor()).anchor).toBeNull();
      const h20 = hash();
      expect((await d.client.putAuditAnchor(anchor(a, d, 20, h20))).anchor).toMatchObject({ seq: 20, hash: h20 });
      const back = await d.client.putAuditAnchor(anchor(a, d, 15, hash()));
      expect(back.anchor).toMatchObject({ seq: 20, hash: h20 });
      const h25 = hash();
      await d.client.putAuditAnchor(anchor(a, d, 25, h25));
      expect((await d.client.getAuditAnchor()).anchor).toMatchObject({ seq: 25, hash: h25 });
      // Each device has its own chain (audit_log is not synced): another device's anchor is its own.
      expect((await other.client.getAuditAnchor()).anchor).toBeNull();
    });

    it('refuses an anchor not signed by the device', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const other = await registeredDevice(t, a);
      const e = await failure(d.client.putAuditAnchor(anchor(a, d, 3, hash(), other.secretKey)));
      expect(e?.details).toMatchObject({ status: 403, hubCode: 'FORBIDDEN' });
      expect((await d.client.getAuditAnchor()).anchor).toBeNull();
    });
  });
});
