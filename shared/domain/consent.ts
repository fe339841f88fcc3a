/**
 * Consent of a person to the processing of their data (RGPD art. 6-1-a and 7: the controller must be able to show
 * that consent was given, and withdrawing must be as easy as giving). One row per purpose and collection.
 */
import { z } from 'zod';
import { id, instant, isoDate } from './common';

export const consentInput = z.object({
  purpose: z.string().trim().min(1).max(300),
  givenOn: isoDate,
});
export type ConsentInput = z.infer<typeof consentInput>;

export const consent = consentInput.extend({
  id,
  personId: id,
  collectedBy: z.string(),
  withdrawnOn: isoDate.nullable(),
  withdrawnBy: z.string().nullable(),
  createdAt: instant,
});
export type Consent = z.infer<typeof consent>;
