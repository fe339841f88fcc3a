/** Channels for importing people from CSV/XLSX files. Progress arrives as `imports:progress` events. */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id } from '../domain/common';
import { columnMapping, importPreview, importReport } from '../domain/imports';
import { personKind } from '../domain/person';

const file = { fileName: z.string().min(1).max(255), bytes };

export const importChannels = channels({
  'imports:preview': { request: z.object(file), response: importPreview },
  'imports:run': {
    request: z.object({
      ...file,
      columns: columnMapping,
      defaultKinds: z.array(personKind).max(3).default(['member']),
      dryRun: z.boolean().default(false),
      /** People already stored that this import must leave as they are (unticked in the preview). */
      excludePersonIds: z.array(id).max(100_000).default([]),
      operationId: z.string().max(64).optional(),
    }),
    response: importReport,
  },
});
