/** Reading back the `visibility` column of notes, tasks and papers (JSON of shared/domain/access.ts `visibility`). */
import { visibility as visibilitySchema, type Visibility } from '../../../shared/domain/access';

/** Parses a stored visibility; an unreadable one counts as the narrowest ("me"): never widen by accident. */
export function parseStoredVisibility(json: string | null | undefined): Visibility {
  try {
    const r = visibilitySchema.safeParse(JSON.parse(json ?? ''));
    if (r.success) return r.data;
  } catch {
    // fall through
  }
  return { kind: 'me' };
}
