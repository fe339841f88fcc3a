/**
 * Blobs of one association (encrypted vault pieces), addressed by the hex SHA-256 of their bytes: resumable chunked
 * upload (HEAD tells how far this device got), a check of the hash on completion, and ranged download. A device
 * only ever reaches its own association's blobs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BLOB_NAME } from '../../shared/sync/protocol';
import type { HubContext } from '../context';
import { HubError } from '../errors';
import { deviceOf, parse } from '../http';
import { BODY_LIMITS } from '../limits';

const nameParam = z.object({ name: z.string().regex(BLOB_NAME, 'empreinte SHA-256 hexadécimale attendue') });
const offsetQuery = z.object({ offset: z.coerce.number().int().nonnegative() });
const RANGE = /^bytes=(\d+)-(\d*)$/;

const blobName = (req: FastifyRequest) => parse(nameParam, req.params, 'pièce').name;

export function blobRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.head('/blobs/:name', { preHandler: ctx.auth }, async (req, reply) => {
    const me = deviceOf(req);
    const status = await ctx.blobs.status(me.associationId, me.deviceId, blobName(req));
    if (status.stored) return reply.code(200).header('x-blob-size', String(status.size)).send();
    return reply.code(404).header('x-uploaded-bytes', String(status.uploaded)).send();
  });

  app.put('/blobs/:name', { preHandler: ctx.auth, bodyLimit: BODY_LIMITS.blobChunk }, async (req) => {
    const me = deviceOf(req);
    const name = blobName(req);
    const { offset } = parse(offsetQuery, req.query, 'morceau');
    if (!Buffer.isBuffer(req.body)) throw new HubError(415, 'BAD_REQUEST', 'Un morceau de pièce est envoyé en application/octet-stream.');
    const status = await ctx.blobs.status(me.associationId, me.deviceId, name);
    if (status.stored) return { uploaded: status.size, stored: true, serverTime: ctx.now() };
    const uploaded = await ctx.blobs.append(me.associationId, me.deviceId, name, offset, req.body);
    return { uploaded, stored: false, serverTime: ctx.now() };
  });

  app.post('/blobs/:name/complete', { preHandler: ctx.auth }, async (req) => {
    const me = deviceOf(req);
    const size = await ctx.blobs.complete(me.associationId, me.deviceId, blobName(req));
    return { size, serverTime: ctx.now() };
  });

  // An erased paper (docs/erasure.md): any certified device of the association may delete its blob, as it may push
  // the erasure itself. 404 when nothing of it was here (already deleted by another device).
  app.delete('/blobs/:name', { preHandler: ctx.auth }, async (req, reply) => {
    const me = deviceOf(req);
    const removed = await ctx.blobs.remove(me.associationId, blobName(req));
    if (!removed) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'Pièce absente du hub.' } });
    return { deleted: true, serverTime: ctx.now() };
  });

  app.get('/blobs/:name', { preHandler: ctx.auth }, async (req, reply) => {
    const me = deviceOf(req);
    const name = blobName(req);
    const rangeHeader = req.headers.range;
    const m = typeof rangeHeader === 'string' ? RANGE.exec(rangeHeader) : null;
    if (rangeHeader !== undefined && !m) throw new HubError(416, 'BAD_REQUEST', 'En-tête Range non pris en charge (attendu : bytes=N- ou bytes=N-M).');
    const from = m ? Number(m[1]) : 0;
    const size = await ctx.blobs.size(me.associationId, name);
    if (size === null) throw new HubError(404, 'NOT_FOUND', 'Pièce absente du hub.');
    const last = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    if (m && (from >= size || last < from)) {
      throw new HubError(416, 'BAD_REQUEST', `Plage hors de la pièce (${size} octets).`, { 'content-range': `bytes */${size}` });
    }
    void reply.header('content-type', 'application/octet-stream').header('accept-ranges', 'bytes');
    if (m) void reply.code(206).header('content-range', `bytes ${from}-${last}/${size}`);
    void reply.header('content-length', String(Math.max(0, last - from + 1)));
    if (size === 0) return reply.send(Buffer.alloc(0));
    return reply.send(ctx.blobs.stream(me.associationId, name, from, last));
  });
}
