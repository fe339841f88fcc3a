/**
 * 0040 — signed access decisions (docs/access.md "Signed access decisions"): `access_rev` (the HLC of the decision)
 * and `access_sig` (the association root key's signature, main/crypto/accessRecords.ts) on the rows that decide where
 * keys go — users (role, status), roles (permissions), group memberships — and `device_revocations`, the signed
 * revocation of a sync device with its cutoff (docs/sync.md "Devices"). Additive: existing rows keep NULL until the
 * first unlock of a root holder signs them after checking them (`adoptUnsigned`).
 */
import type { Migration } from './types';

export const m0040: Migration = {
  name: '0040_signed_access',
  async up(knex) {
    for (const table of ['users', 'roles', 'group_members']) {
      await knex.schema.alterTable(table, (t) => {
        t.text('access_rev');
        t.text('access_sig');
      });
    }
    await knex.schema.createTable('device_revocations', (t) => {
      t.text('id').primary(); // the revoked device's id: one revocation per device
      t.text('created_at').notNullable();
      t.text('updated_at').notNullable();
      t.text('deleted_at'); // never honoured: a revocation does not end
      t.text('scope_id').notNullable().defaultTo('association');
      t.text('cutoff').notNullable(); // Unix ms: envelopes sealed after it are refused
      t.text('signature').notNullable(); // base64 Ed25519 by the root key over revocationMessage
    });
  },
};
