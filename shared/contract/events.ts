/** Events pushed from the core to the renderer (past tense or progress). */
import { z } from 'zod';

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
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
