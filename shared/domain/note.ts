/**
 * Case notes (notes de suivi) on a person's page: dated, authored, append-only. Editing a note adds a revision that
 * keeps the old text; each note has a visibility chosen by its writer (shared/domain/access.ts).
 */
import { z } from 'zod';
import { id, instant } from './common';
import { visibility } from './access';

export const noteText = z.string().trim().min(1).max(20_000);

/** The latest revision of a note, as its reader sees it. */
export const caseNote = z.object({
  /** The note's id (its first revision's id); revisions keep it. */
  id,
  personId: id,
  text: z.string(),
  authorId: id,
  authorName: z.string(),
  visibility,
  createdAt: instant,
  /** When the latest revision was written, and by whom (null when never revised). */
  revisedAt: instant.nullable(),
  revisedBy: z.string().nullable(),
  revisions: z.number().int().min(1),
});
export type CaseNote = z.infer<typeof caseNote>;

export const noteRevision = z.object({ id, text: z.string(), authorName: z.string(), createdAt: instant });
export type NoteRevision = z.infer<typeof noteRevision>;
