/**
 * What one client may cost the hub: HTTP timeouts and connection count, body sizes per route, and per-association
 * storage quotas (docs/hub-scaling.md "Limits"). Every figure has a default an operator may change through
 * `createHub({ limits })` or `hub start`.
 */
import type { ServerOptions } from 'node:http';
import { BLOB_CHUNK_BYTES, MAX_BODY_BYTES } from '../shared/sync/protocol';

export interface HubLimits {
  /** Time to receive a request's headers, ms (Node `headersTimeout`; slowloris on the headers). */
  headersTimeoutMs: number;
  /**
   * Time to receive a whole request, headers and body, ms (Node `requestTimeout`). A 16 MB push at 1 Mbit/s takes
   * about 2 minutes: the default leaves that room, and cuts a client trickling a byte now and then.
   */
  requestTimeoutMs: number;
  /** A connection on which nothing arrives for this long is closed, ms (socket inactivity, Fastify `connectionTimeout`). */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is kept this long after an answer, ms (above a load balancer's 60 s). */
  keepAliveTimeoutMs: number;
  /** Open connections per hub process; more are refused at accept (Node `maxConnections`). */
  maxConnections: number;
  /** Bytes of blobs (complete and partial) one association may hold on the hub. */
  blobBytesPerAssociation: number;
  /** Blob uploads one association may have started and not completed at once. */
  partialUploadsPerAssociation: number;
  /** A partial upload that received no chunk for this long is removed by the sweep, ms. */
  partialUploadTtlMs: number;
  /** Period of the sweep (expired partial uploads, dead invitations' payloads), ms. */
  sweepEveryMs: number;
}

export const GIB = 1024 ** 3;

/** Defaults, sized for offices on ADSL links and a hub serving many associations (docs/hub-scaling.md "Limits"). */
export const DEFAULT_LIMITS: HubLimits = {
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 180_000,
  idleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  maxConnections: 2_000,
  blobBytesPerAssociation: 50 * GIB,
  partialUploadsPerAssociation: 32,
  partialUploadTtlMs: 24 * 3600_000,
  sweepEveryMs: 3600_000,
};

/**
 * The largest body each route reads (Fastify `bodyLimit`); a larger declared Content-Length is refused with 413
 * before any byte of it is read. Routes not listed take `DEFAULT_BODY_BYTES`.
 */
export const BODY_LIMITS = {
  /** Envelopes: a device sends at most 8 MB per request (main/sync/engine.ts), base64 included. */
  push: MAX_BODY_BYTES,
  blobChunk: BLOB_CHUNK_BYTES,
  /** Sealed keys of a new device: the keyring grows with the users' slots. */
  invite: 4 * 1024 * 1024,
  audience: 1024 * 1024,
} as const;
export const DEFAULT_BODY_BYTES = 64 * 1024;

/** The Node http server options that carry the limits (Fastify passes them to `http.createServer`). */
export function httpServerOptions(limits: HubLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often Node looks for requests past their headers or request timeout (default 30 s: too coarse for short limits).
    connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 3))),
  };
}
