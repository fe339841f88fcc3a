/**
 * Gifts (dons) and tax receipts (reçus fiscaux): the vocabulary of CERFA n° 11580*05 « Reçu au titre des dons à
 * certains organismes d'intérêt général » (art. 200, 238 bis and 978 CGI), in English in code and French on the
 * form. The keys are the CLI's values (`--form`, `--nature`, `--method`); docs/treasury.md lists the rules.
 */
import { z } from 'zod';
import { calendarDate, id } from './common';
import { cents } from './money';

/** « Forme du don ». */
export const GIFT_FORMS = ['notarial', 'private_deed', 'manual', 'other'] as const;
export type GiftForm = (typeof GIFT_FORMS)[number];
export const GIFT_FORM_LABELS_FR: Record<GiftForm, string> = {
  notarial: 'Acte authentique',
  private_deed: 'Acte sous seing privé',
  manual: 'Déclaration de don manuel',
  other: 'Autres',
};

/** « Nature du don » (the form's « Autres » split into the cases its notice names). */
export const GIFT_NATURES = ['cash', 'securities', 'waived_income', 'volunteer_expenses', 'other'] as const;
export type GiftNature = (typeof GIFT_NATURES)[number];
export const GIFT_NATURE_LABELS_FR: Record<GiftNature, string> = {
  cash: 'Numéraire',
  securities: 'Titres de sociétés cotés',
  waived_income: 'Abandon de revenus ou de produits',
  volunteer_expenses: 'Frais des bénévoles (abandon de remboursement)',
  other: 'Autres',
};

/** How the money was paid; the form's three « mode de versement » boxes group them (`paymentBox`). */
export const GIFT_METHODS = ['cash', 'cheque', 'transfer', 'card', 'direct_debit'] as const;
export type GiftMethod = (typeof GIFT_METHODS)[number];
export const GIFT_METHOD_LABELS_FR: Record<GiftMethod, string> = {
  cash: 'Espèces',
  cheque: 'Chèque',
  transfer: 'Virement',
  card: 'Carte bancaire',
  direct_debit: 'Prélèvement',
};

/** The form's « mode de versement » boxes. */
export const PAYMENT_BOXES = ['cash', 'cheque', 'transfer_debit_card'] as const;
export type PaymentBox = (typeof PAYMENT_BOXES)[number];
export const PAYMENT_BOX_LABELS_FR: Record<PaymentBox, string> = {
  cash: "Remise d'espèces",
  cheque: 'Chèque',
  transfer_debit_card: 'Virement, prélèvement, carte bancaire',
};
/** The box a payment method ticks. */
export function paymentBox(m: GiftMethod): PaymentBox {
  return m === 'cash' ? 'cash' : m === 'cheque' ? 'cheque' : 'transfer_debit_card';
}

/** The form's kinds of beneficiary organisation (one box, chosen by the treasurer in the receipt settings). */
export const ORG_KINDS = [
  'rup',
  'university_foundation',
  'corporate_foundation',
  'general_interest',
  'museum',
  'higher_education',
  'business_creation',
  'alsace_moselle_worship',
  'festivals',
  'food_care_housing_aid',
  'heritage_foundation',
  'research',
  'integration_company',
  'intermediate_association',
  'integration_workshop',
  'adapted_company',
  'anr',
  'approved_research',
  'other',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
export const ORG_KIND_LABELS_FR: Record<OrgKind, string> = {
  rup: "Association ou fondation reconnue d'utilité publique",
  university_foundation: 'Fondation universitaire ou fondation partenariale (art. L. 719-12 et L. 719-13 du code de l\'éducation)',
  corporate_foundation: "Fondation d'entreprise",
  general_interest: "Œuvre ou organisme d'intérêt général",
  museum: 'Musée de France',
  higher_education: "Établissement d'enseignement supérieur ou d'enseignement artistique, d'intérêt général, à but non lucratif",
  business_creation: "Organisme ayant pour objectif exclusif de participer financièrement à la création d'entreprises",
  alsace_moselle_worship: "Association cultuelle ou de bienfaisance et établissement public des cultes reconnus d'Alsace-Moselle",
  festivals: "Organisme ayant pour activité principale l'organisation de festivals",
  food_care_housing_aid: 'Association fournissant gratuitement une aide alimentaire ou des soins médicaux à des personnes en difficulté ou favorisant leur logement',
  heritage_foundation: 'Fondation du patrimoine, ou fondation ou association qui affecte irrévocablement les dons à la Fondation du patrimoine',
  research: "Établissement de recherche public ou privé, d'intérêt général, à but non lucratif",
  integration_company: "Entreprise d'insertion ou entreprise de travail temporaire d'insertion",
  intermediate_association: 'Association intermédiaire',
  integration_workshop: "Atelier et chantier d'insertion",
  adapted_company: 'Entreprise adaptée',
  anr: 'Agence nationale de la recherche (ANR)',
  approved_research: 'Société ou organisme agréé de recherche scientifique ou technique',
  other: 'Autre organisme',
};

/** The articles of the CGI a receipt certifies (« ouvrent droit à la réduction d'impôt prévue à l'article »). */
export const CGI_ARTICLES = ['200', '238 bis', '978'] as const;
export type CgiArticle = (typeof CGI_ARTICLES)[number];

// ---- Schemas (the contract's shapes; amounts in integer cents, days ISO `YYYY-MM-DD`) ----

export const giftInput = z.object({
  personId: id,
  amountCents: cents.refine((c) => c > 0, 'Montant : un don est supérieur à zéro.'),
  givenOn: calendarDate('Date du don'),
  form: z.enum(GIFT_FORMS).default('manual'),
  nature: z.enum(GIFT_NATURES).default('cash'),
  method: z.enum(GIFT_METHODS),
  note: z.string().trim().max(500).default(''),
});
export type GiftInput = z.input<typeof giftInput>;

export const gift = z.object({
  id,
  personId: id,
  personName: z.string(),
  givenOn: z.string(),
  /** Null when the current user holds no treasury key. */
  amountCents: z.number().int().nullable(),
  form: z.enum(GIFT_FORMS).nullable(),
  nature: z.enum(GIFT_NATURES).nullable(),
  method: z.enum(GIFT_METHODS).nullable(),
  /** The receipt it is on (its number), or null. */
  receiptNumber: z.string().nullable(),
  /** A tax receipt was issued elsewhere (HelloAsso): never receipted here. */
  externalReceipt: z.boolean(),
  /** This PC may put it on a receipt (recorded here, or on a revoked PC). */
  receiptableHere: z.boolean(),
});
export type Gift = z.infer<typeof gift>;

export const RECEIPT_STATUSES = ['issued', 'cancelled'] as const;
export const taxReceipt = z.object({
  id,
  number: z.string(),
  personId: id,
  personName: z.string(),
  kind: z.enum(['gift', 'yearly']),
  year: z.number().int(),
  issuedOn: z.string(),
  status: z.enum(RECEIPT_STATUSES),
  cancelledOn: z.string().nullable(),
  /** Null when the current user holds no treasury key. */
  amountCents: z.number().int().nullable(),
});
export type TaxReceipt = z.infer<typeof taxReceipt>;

/** Art. 222 bis CGI: receipts issued in a year and their total, cancelled ones excluded. */
export const receiptSummary = z.object({ year: z.number().int(), count: z.number().int().nonnegative(), totalCents: z.number().int().nonnegative() });
export type ReceiptSummary = z.infer<typeof receiptSummary>;

const line = (max: number) => z.string().trim().max(max);
export const receiptSettings = z.object({
  name: line(200),
  sirenOrRna: z
    .string()
    .trim()
    .toUpperCase()
    .refine((s) => s === '' || /^\d{9}$/.test(s.replace(/\s/g, '')) || /^W\d{9}$/.test(s), 'SIREN ou RNA : 9 chiffres (SIREN) ou W suivi de 9 chiffres (RNA).'),
  address: line(300),
  postalCode: line(20),
  city: line(120),
  object: line(600),
  orgKind: z.enum(ORG_KINDS),
  orgKindDetail: line(300),
  articles: z.array(z.enum(CGI_ARTICLES)).min(1, "Cochez au moins un article du CGI."),
  signatoryName: line(200),
  signatoryTitle: line(120),
  place: line(120),
});
export type ReceiptSettings = z.infer<typeof receiptSettings>;
