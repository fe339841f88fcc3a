/**
 * The sync hub (DESIGN.md "The hub"; protocol in shared/sync/protocol.ts): a stateless Fastify service over knex.
 * It stores envelopes (ciphertext and routing metadata) and encrypted blobs, authenticates devices by signature,
 * numbers pushes per association, serves paged pulls, and never sees a key or a clear byte.
 *
 * Stateless: any number of processes may serve one PostgreSQL database (and one shared blob folder); nothing kept
 * in memory matters for correctness (only parsed public keys are cached).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { API } from '../shared/sync/protocol';
import { authenticate, authenticateSigner } from './auth';
import { BlobStore } from './blobs';
import type { HubContext } from './context';
import { installGate } from './gate';
import { installHttp } from './http';
import { DEFAULT_BODY_BYTES, DEFAULT_LIMITS, httpServerOptions, type HubLimits } from './limits';
import { auditRoutes } from './routes/audit';
import { blobRoutes } from './routes/blobs';
import { deviceRoutes } from './routes/devices';
import { inviteRoutes } from './routes/invites';
import { syncRoutes } from './routes/sync';
import { ChangeLog } from './storage/changeLog';
import { openHubDatabase } from './storage/database';
import { Registry } from './storage/registry';
import { sweep, type SweepResult } from './sweep';

export interface HubOptions {
  /** Folder for `hub.sqlite` (SQLite) and `blobs/`; created if missing. */
  dataDir: string;
  /** `postgres://user@host:port/db[?schema=NAME]` for PostgreSQL; absent: SQLite in dataDir. */
  databaseUrl?: string;
  /** The hub's clock in ms since the epoch (tests move it). Default Date.now. */
  now?: () => number;
  /** Structured request log on stdout (method, path, status, duration, device; never bodies). Default false. */
  logger?: boolean;
  /** PostgreSQL connections per process (default 10). */
  poolSize?: number;
  /** Timeouts, connections, quotas (hub/limits.ts); each one missing takes its default. */
  limits?: Partial<HubLimits>;
  /**
   * When set, a new association is registered only by a request carrying this secret (REGISTRATION_SECRET_HEADER):
   * the operator hands it to the associations it serves. Devices of registered associations do not need it.
   */
  registrationSecret?: string;
}

export interface Hub {
  app: FastifyInstance;
  /** "SQLite" or "PostgreSQL". */
  storage: string;
  /** Listens on `host` (default 127.0.0.1); port 0 picks a free one. Resolves to the base URL, e.g. http://127.0.0.1:8080. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting requests, lets running ones end, closes the database. */
  close(): Promise<void>;
  /** Runs the housekeeping now (it also runs at start and every `sweepEveryMs`). */
  sweep(): Promise<SweepResult>;
}

/** Opens the storage (running migrations) and builds the Fastify app with every `/v1` route. */
export async function createHub(options: HubOptions): Promise<Hub> {
  const now = options.now ?? Date.now;
  mkdirSync(join(options.dataDir, 'blobs'), { recursive: true });
  const limits: HubLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const db = await openHubDatabase(options.dataDir, options.databaseUrl, options.poolSize);
  const app = Fastify({
    // Routes that take more say so (hub/limits.ts BODY_LIMITS).
    bodyLimit: DEFAULT_BODY_BYTES,
    exposeHeadRoutes: false,
    // One line per answered request from the onResponse hook below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    logger: options.logger ? { level: 'info', redact: ['req.headers', 'req.body'] } : false,
    http: httpServerOptions(limits),
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
  });
  app.server.maxConnections = limits.maxConnections;
  const registry = new Registry(db.knex, db.dialect);
  const ctx: HubContext = {
    knex: db.knex,
    registry,
    changeLog: new ChangeLog(db.knex, db.dialect, registry),
    blobs: new BlobStore(join(options.dataDir, 'blobs'), registry, limits),
    now,
    registrationSecret: options.registrationSecret,
    auth: async (req) => {
      req.device = await authenticate(req, registry, now());
    },
    authWithHead: async (req) => {
      req.device = await authenticate(req, registry, now(), true);
    },
    signer: (req) => authenticateSigner(req, registry, now(), db.dialect === 'pg'),
  };
  installHttp(app, now);
  installGate(app, registry, now, options.registrationSecret);
  if (options.logger) {
    app.addHook('onResponse', async (req, reply) => {
      req.log.info({ method: req.method, path: req.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime), device: req.device?.deviceId }, 'requête');
    });
  }
  await app.register(
    async (v1) => {
      v1.get('/health', { config: { public: true } }, async () => ({ ok: true, protocol: 1, serverTime: now() }));
      deviceRoutes(v1, ctx);
      inviteRoutes(v1, ctx);
      syncRoutes(v1, ctx);
      blobRoutes(v1, ctx);
      auditRoutes(v1, ctx);
    },
    { prefix: API },
  );
  const housekeeping = () => sweep(ctx, now());
  try {
    await sweep(ctx, now(), true);
  } catch (e) {
    await db.knex.destroy();
    throw e;
  }
  const timer = setInterval(() => {
    housekeeping().catch((err: unknown) => app.log.error({ err }, 'nettoyage du hub en échec'));
  }, limits.sweepEveryMs);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await db.knex.destroy();
  });
  let closed: Promise<void> | null = null;
  return {
    app,
    storage: db.label,
    async listen(port, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      return `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
    },
    close() {
      return (closed ??= app.close());
    },
    sweep: housekeeping,
  };
}
