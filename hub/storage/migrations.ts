/**
 * The hub's schema, as a knex migration source written in code (no files to ship next to the bundle). One migration
 * per step, numbered in tens; each knows both dialects. On PostgreSQL the change log (`envelopes`) and its routing
 * table (`envelope_audience`) are partitioned by HASH (association_id) into `PARTITIONS` tables, so one association's
 * rows live together and the indexes stay small (docs/hub-scaling.md).
 */
import type { Knex } from 'knex';
import { INVITE_MAX_ATTEMPTS } from '../../shared/sync/protocol';
import type { Dialect } from './database';

export const PARTITIONS = 16;

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

async function init(knex: Knex, dialect: Dialect): Promise<void> {
  await knex.schema.createTable('associations', (t) => {
    t.string('id', 64).primary();
    t.text('root_public_key').notNullable();
    t.bigInteger('head_seq').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('devices', (t) => {
    t.string('id', 64).primary();
    t.string('association_id', 64).notNullable().index();
    t.text('public_key').notNullable();
    t.text('cert').notNullable();
    t.text('name').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('revoked_at').nullable();
    t.bigInteger('last_seen_at').nullable();
    /** JSON array of group / user ids this device's user belongs to (PUT /audience). */
    t.text('audience').notNullable().defaultTo('[]');
    /** Invited, pairing code not redeemed yet: refused like an unknown device. */
    t.boolean('pending').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('invites', (t) => {
    t.string('invite_id', 64).primary();
    t.string('association_id', 64).notNullable().index();
    t.string('verifier', 64).notNullable();
    t.text('payload').notNullable();
    t.string('device_id', 64).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('used_at').nullable();
  });
  if (dialect === 'pg') {
    await knex.raw(`CREATE TABLE envelopes (
      association_id varchar(64) NOT NULL,
      server_seq bigint NOT NULL,
      device_id varchar(64) NOT NULL,
      device_seq bigint NOT NULL,
      scope text NOT NULL,
      key_epoch integer NOT NULL,
      hlc varchar(100) NOT NULL,
      header text NOT NULL,
      ciphertext bytea NOT NULL,
      signature text NOT NULL,
      received_at bigint NOT NULL,
      PRIMARY KEY (association_id, server_seq),
      UNIQUE (association_id, device_id, device_seq)
    ) PARTITION BY HASH (association_id)`);
    await knex.raw(`CREATE TABLE envelope_audience (
      association_id varchar(64) NOT NULL,
      server_seq bigint NOT NULL,
      audience_id varchar(64) NOT NULL,
      PRIMARY KEY (association_id, server_seq, audience_id)
    ) PARTITION BY HASH (association_id)`);
    for (let i = 0; i < PARTITIONS; i++) {
      const bound = `FOR VALUES WITH (MODULUS ${PARTITIONS}, REMAINDER ${i})`;
      await knex.raw(`CREATE TABLE envelopes_p${i} PARTITION OF envelopes ${bound}`);
      await knex.raw(`CREATE TABLE envelope_audience_p${i} PARTITION OF envelope_audience ${bound}`);
    }
    return;
  }
  await knex.schema.createTable('envelopes', (t) => {
    t.string('association_id', 64).notNullable();
    t.bigInteger('server_seq').notNullable();
    t.string('device_id', 64).notNullable();
    t.bigInteger('device_seq').notNullable();
    t.text('scope').notNullable();
    t.integer('key_epoch').notNullable();
    t.string('hlc', 100).notNullable();
    t.text('header').notNullable();
    t.binary('ciphertext').notNullable();
    t.text('signature').notNullable();
    t.bigInteger('received_at').notNullable();
    t.primary(['association_id', 'server_seq']);
    t.unique(['association_id', 'device_id', 'device_seq']);
  });
  await knex.schema.createTable('envelope_audience', (t) => {
    t.string('association_id', 64).notNullable();
    t.bigInteger('server_seq').notNullable();
    t.string('audience_id', 64).notNullable();
    t.primary(['association_id', 'server_seq', 'audience_id']);
  });
}

/**
 * An invitation's sealed payload opens, with the pairing code, to the database key, the scope keys, the new device's
 * signing key and every key slot: the hub keeps it only while it can still be redeemed. The column becomes nullable
 * and the payloads of invitations used, burnt or expired are erased (docs/sync.md "Pairing").
 */
async function invitePayloadPurge(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invites', (t) => {
    t.setNullable('payload');
  });
  await purgeInvitePayloads(knex, Date.now());
}

/**
 * Erases the sealed payload of every invitation that can no longer be redeemed: used, burnt by wrong codes, or past
 * its expiry at `now` (ms). Returns how many were erased. Run by the migration, the sweep and the redeem route.
 */
export async function purgeInvitePayloads(knex: Knex, now: number, maxAttempts = INVITE_MAX_ATTEMPTS): Promise<number> {
  return knex('invites')
    .whereNotNull('payload')
    .andWhere((w) => {
      void w.whereNotNull('used_at').orWhere('expires_at', '<', now).orWhere('attempts', '>=', maxAttempts);
    })
    .update({ payload: null });
}

/** Per-association storage accounting: bytes of blobs held (complete and partial), for the quota (docs/hub-scaling.md). */
async function blobQuota(knex: Knex): Promise<void> {
  await knex.schema.alterTable('associations', (t) => {
    t.bigInteger('blob_bytes').notNullable().defaultTo(0);
  });
}

/** The head of each device's audit chain, signed by the device (docs/sync.md "Audit anchor"). */
async function auditAnchors(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_anchors', (t) => {
    t.string('device_id', 64).primary();
    t.string('association_id', 64).notNullable().index();
    t.bigInteger('seq').notNullable();
    t.string('hash', 64).notNullable();
    t.text('signature').notNullable();
    t.bigInteger('received_at').notNullable();
  });
}

function all(dialect: Dialect): Record<string, Migration> {
  return {
    '0010_init': {
      up: (knex) => init(knex, dialect),
      async down(knex) {
        for (const table of ['envelope_audience', 'envelopes', 'invites', 'devices', 'associations']) await knex.schema.dropTableIfExists(table);
      },
    },
    '0020_invite_payload_purge': {
      up: invitePayloadPurge,
      // Erased payloads cannot come back; the column stays nullable.
      down: async () => undefined,
    },
    '0030_blob_quota': {
      up: blobQuota,
      async down(knex) {
        await knex.schema.alterTable('associations', (t) => {
          t.dropColumn('blob_bytes');
        });
      },
    },
    '0040_audit_anchors': {
      up: auditAnchors,
      async down(knex) {
        await knex.schema.dropTableIfExists('audit_anchors');
      },
    },
  };
}

/**
 * The knex migration source for one dialect (`knex.migrate.latest({ migrationSource })`). knex refuses a database
 * that ran a migration this list lacks (written by a newer hub).
 */
export function migrationSource(dialect: Dialect, until?: string): Knex.MigrationSource<string> {
  const migrations = all(dialect);
  return {
    // `until` (tests of one migration): the list stops at that name, included.
    getMigrations: async () => Object.keys(migrations).sort().filter((name) => until === undefined || name <= until),
    getMigrationName: (name) => name,
    getMigration: async (name) => {
      const m = migrations[name];
      if (!m) throw new Error(`migration inconnue : ${name}`);
      return m;
    },
  };
}

