/** Papers (pièces) kept in the vault (coffre-fort numérique): one PDF per document, encrypted on disk. */
import { z } from 'zod';
import { id, isoDate, instant, optionalText } from './common';
import { visibility } from './access';

/** Document types; ids are stable (CLI, imports), French labels live in the renderer's i18n files. */
export const DOCUMENT_TYPES = [
  'carte_identite',
  'passeport',
  'titre_sejour',
  'attestation_domiciliation',
  'attestation_caf',
  'carte_vitale',
  'avis_imposition',
  'justificatif_domicile',
  'bulletin_salaire',
  'autre',
] as const;
export const documentType = z.enum(DOCUMENT_TYPES);

/** French names of the types, for messages written by the core (the renderer has its own i18n files). */
export const DOCUMENT_TYPE_LABELS_FR: Record<(typeof DOCUMENT_TYPES)[number], string> = {
  carte_identite: "carte d'identité",
  passeport: 'passeport',
  titre_sejour: 'titre de séjour',
  attestation_domiciliation: 'attestation de domiciliation',
  attestation_caf: 'attestation CAF',
  carte_vitale: 'carte Vitale',
  avis_imposition: "avis d'imposition",
  justificatif_domicile: 'justificatif de domicile',
  bulletin_salaire: 'bulletin de salaire',
  autre: 'autre pièce',
};
export type DocumentType = z.infer<typeof documentType>;

export const documentMeta = z.object({
  type: documentType,
  title: optionalText(200),
  issuedOn: isoDate.nullable().optional().transform((v) => v ?? null),
  expiresOn: isoDate.nullable().optional().transform((v) => v ?? null),
  note: optionalText(2000),
  /** Who may see the paper (default: the whole association); narrower papers have their file key sealed to the scope. */
  visibility: visibility.default({ kind: 'everyone' }),
});
export type DocumentMeta = z.output<typeof documentMeta>;

export const vaultDocument = documentMeta.extend({
  id,
  personId: id,
  pages: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  createdAt: instant,
  createdBy: z.string().nullable(),
});
export type VaultDocument = z.infer<typeof vaultDocument>;

export const verifyReport = z.object({
  checked: z.number().int().nonnegative(),
  failed: z.array(z.object({ id, title: z.string(), error: z.string() })),
});
export type VerifyReport = z.infer<typeof verifyReport>;
