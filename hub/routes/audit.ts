/**
 * Audit anchors: each device sends the head of its audit chain (last entry's number and hash) signed by its key; the
 * hub keeps the highest per device and gives it back, so a device whose chain was cut at its tail (by someone holding
 * the database key) finds the anchor past its end (docs/sync.md "Audit anchor"). The hub cannot forge an anchor (the
 * device's signature) — only hold back a newer one.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { auditAnchorMessage, auditAnchorRequest } from '../../shared/sync/protocol';
import { verifyEd25519 } from '../auth';
import type { HubContext } from '../context';
import { forbidden } from '../errors';
import { deviceOf, parse } from '../http';
import { num } from '../storage/registry';

async function anchorOf(knex: Knex, deviceId: string) {
  const row = (await knex('audit_anchors').where({ device_id: deviceId }).first()) as Record<string, unknown> | undefined;
  return row ? { seq: num(row['seq']), hash: String(row['hash']), signature: String(row['signature']), receivedAt: num(row['received_at']) } : null;
}

export function auditRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.put('/audit-anchor', { preHandler: ctx.auth }, async (req) => {
    const me = deviceOf(req);
    const body = parse(auditAnchorRequest, req.body, "ancre du journal");
    if (!verifyEd25519(me.publicKey, auditAnchorMessage(me.associationId, me.deviceId, body.seq, body.hash), body.signature)) {
      throw forbidden("Ancre du journal refusée : elle n'est pas signée par la clé de ce poste.");
    }
    const row = { device_id: me.deviceId, association_id: me.associationId, seq: body.seq, hash: body.hash, signature: body.signature, received_at: ctx.now() };
    // Only forward: a lower anchor (a chain cut, or replayed) never replaces a higher one.
    await ctx.knex('audit_anchors').insert(row).onConflict('device_id').merge(['seq', 'hash', 'signature', 'received_at']).where('audit_anchors.seq', '<', body.seq);
    return { anchor: await anchorOf(ctx.knex, me.deviceId), serverTime: ctx.now() };
  });

  app.get('/audit-anchor', { preHandler: ctx.auth }, async (req) => {
    return { anchor: await anchorOf(ctx.knex, deviceOf(req).deviceId), serverTime: ctx.now() };
  });
}
