/**
 * Channels answered by the host shell itself, not by the core: native dialogs. The browser host answers
 * `UNSUPPORTED`, and the renderer falls back to a typed path or a download.
 */
import { z } from 'zod';
import { channels } from './define';

export const osChannels = channels({
  'os:chooseFolder': {
    request: z.object({ title: z.string().max(200), create: z.boolean().default(false) }),
    response: z.object({ path: z.string().nullable() }),
  },
  'os:chooseSavePath': {
    request: z.object({ defaultName: z.string().max(255) }),
    response: z.object({ path: z.string().nullable() }),
  },
});
