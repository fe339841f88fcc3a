/** Events pushed from the core to the renderer (past tense or progress). */
import { z } from 'zod';
import { scanFailureCode, scanJobState, scanPage } from '../domain/scan';

export const progress = z.object({
  operationId: z.string().optional(),
  done: z.number().nonnegative(),
  total: z.number().nonnegative(),
  stage: z.string().optional(),
});

export const events = {
  'imports:progress': progress,
  'vault:progress': progress,
  'sync:progress': progress,
  /** Background OCR (docs/ocr.md): pages settled / pages queued; `operationId` is the paper just worked on. */
  'ocr:progress': progress,
  'session:locked': z.object({ reason: z.enum(['user', 'idle']) }),
  /** A page of a scan job arrived in a scan session (docs/scanning.md). */
  'scan:page': z.object({ sessionId: z.string(), jobId: z.string(), page: scanPage }),
  /** A scan job changed state; `message` (French) says what to do when it failed. */
  'scan:job': z.object({
    sessionId: z.string(),
    jobId: z.string(),
    state: scanJobState,
    pages: z.number().int().nonnegative(),
    message: z.string().optional(),
    code: scanFailureCode.optional(),
  }),
  /** The scan folder's inbox « À classer » changed (a file finished arriving, was filed or put aside). */
  'inbox:changed': z.object({ count: z.number().int().nonnegative() }),
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
