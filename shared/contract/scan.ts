/**
 * Channels of scanning (docs/scanning.md): scanners (eSCL found by mDNS or typed by hand, SANE, WIA), their
 * capabilities, and scan sessions whose pages live in the core's memory only until they are committed to the vault
 * as one paper. Pages and job states arrive as the `scan:page` and `scan:job` events (shared/contract/events.ts).
 */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id } from '../domain/common';
import { documentMeta } from '../domain/document';
import { colorMode, MAX_SCAN_PAGE_BYTES, MAX_SESSION_PAGES, pageRotation, SCAN_DPI_MAX, SCAN_DPI_MIN, scanner, scannerCapabilities, scannerId, scanPage, scanSource } from '../domain/scan';

const sessionId = id;

export const scanChannels = channels({
  /** Scanners found on the network (mDNS), remembered on this PC, and SANE/WIA devices. `refresh` browses again. */
  'scan:listScanners': { request: z.object({ refresh: z.boolean().optional() }), response: z.object({ items: z.array(scanner) }) },
  /** An eSCL address typed by hand (`192.168.1.20`, `http://…/eSCL`): checked by reading its capabilities, remembered on this PC. */
  'scan:addScanner': { request: z.object({ address: z.string().trim().min(1, "saisissez l'adresse du scanner").max(2000) }), response: scanner },
  'scan:forgetScanner': { request: z.object({ id: scannerId }), response: z.object({ id: scannerId }) },
  'scan:capabilities': { request: z.object({ scannerId }), response: scannerCapabilities },
  /** A new session: pages in memory only, at most 500, dropped at lock. */
  'scan:openSession': { request: z.object({}).strict(), response: z.object({ sessionId }) },
  /** Starts a scan job; returns at once; pages arrive as `scan:page` events, the end as a `scan:job` event. */
  'scan:start': {
    request: z.object({
      sessionId,
      scannerId,
      source: scanSource,
      duplex: z.boolean().optional(),
      dpi: z.number().int().min(SCAN_DPI_MIN).max(SCAN_DPI_MAX).optional(),
      mode: colorMode.optional(),
    }),
    response: z.object({ jobId: id }),
  },
  /** Cancels the running job; the pages already received stay. */
  'scan:cancel': { request: z.object({ sessionId }), response: z.object({}) },
  /** A page from the camera or a file (JPEG or PNG bytes). */
  'scan:addPage': {
    request: z.object({
      sessionId,
      name: z.string().min(1).max(255),
      bytes: bytes.refine((b) => b.byteLength <= MAX_SCAN_PAGE_BYTES, 'image trop volumineuse (50 Mo au plus)'),
    }),
    response: scanPage,
  },
  /** A page at screen size (JPEG, at most 1600 px on its long side), for the big preview. */
  'scan:pageImage': { request: z.object({ sessionId, pageId: id }), response: z.object({ bytes, mime: z.string() }) },
  /** The chosen pages, in this order and rotated, stored as one paper (same rights as `vault:addDocument`); closes the session. */
  'scan:commit': {
    request: z.object({
      sessionId,
      personId: id,
      meta: documentMeta,
      pages: z.array(z.object({ pageId: id, rotation: pageRotation.default(0) })).min(1, 'gardez au moins une page').max(MAX_SESSION_PAGES),
      operationId: z.string().max(64).optional(),
    }),
    response: z.object({ id, pages: z.number().int(), sha256: z.string() }),
  },
  'scan:closeSession': { request: z.object({ sessionId }), response: z.object({}) },
});
