/** What every route module gets: storage, the clock and the authentication pre-handler. */
import type { FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import type { Signer } from './auth';
import type { BlobStore } from './blobs';
import type { ChangeLog } from './storage/changeLog';
import type { Registry } from './storage/registry';

export interface HubContext {
  knex: Knex;
  registry: Registry;
  changeLog: ChangeLog;
  blobs: BlobStore;
  now: () => number;
  /** The operator's secret for registering a new association, if any (hub/gate.ts). */
  registrationSecret: string | undefined;
  /** Fastify preHandler: authenticates the device and sets `req.device` (shared/sync/protocol.ts "Authentication"). */
  auth: (req: FastifyRequest) => Promise<void>;
  /** The same, reading the association's head along (`req.device.headSeq`), for pulls. */
  authWithHead: (req: FastifyRequest) => Promise<void>;
  /** Authenticates a push; may leave the device's "active" check to the push statement (PostgreSQL). */
  signer: (req: FastifyRequest) => Promise<Signer>;
}
