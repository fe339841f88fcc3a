/**
 * Header synonyms per import field, already in `normalizeHeader` form (lower-case, no accents, single spaces).
 * A header matches a synonym exactly, or contains it as whole words (`date de naissance complete` ⊃
 * `date de naissance`); the longest contained synonym wins, so `adresse e mail` goes to e-mail, not address.
 */
import type { ImportField } from '../../../shared/domain/imports';

export const FIELD_SYNONYMS: Readonly<Record<ImportField, readonly string[]>> = {
  civility: ['civilite', 'titre', 'genre', 'titre adh'],
  fullNameLastFirst: ['nom prenom', 'nom et prenom', 'nom prenoms'],
  lastName: ['nom', 'nom de famille', 'nom d usage', 'last name', 'lastname', 'surname', 'family name'],
  firstName: ['prenom', 'prenoms', 'first name', 'firstname', 'given name'],
  birthDate: [
    'date de naissance',
    'date naissance',
    'naissance',
    'ne le',
    'nee le',
    'ne e le',
    'ddn',
    'birth date',
    'birthdate',
    'date of birth',
  ],
  email: ['email', 'e mail', 'mail', 'courriel', 'mel', 'adresse e mail', 'adresse mail', 'adresse electronique'],
  phone: [
    'tel',
    'telephone',
    'portable',
    'mobile',
    'gsm',
    'phone',
    'numero de telephone',
    'numero de portable',
    'tel portable',
    'telephone portable',
  ],
  phone2: ['tel 2', 'telephone 2', 'autre telephone', 'telephone fixe', 'tel fixe', 'fixe'],
  addressLine: ['adresse', 'adresse postale', 'adresse 1', 'rue', 'voie', 'address'],
  postalCode: ['cp', 'code postal', 'postal', 'zip', 'zip code'],
  city: ['ville', 'commune', 'localite', 'city'],
  country: ['pays', 'country'],
  memberNumber: [
    'numero de membre',
    'numero membre',
    'numero adherent',
    'numero d adherent',
    'no adherent',
    'num adherent',
    'num adh',
    'matricule',
    'numero de carte',
  ],
  membershipStart: [
    'date d inscription',
    'date inscription',
    'inscrit le',
    'date d adhesion',
    'date adhesion',
    'debut d adhesion',
    'date crea',
    'date de creation',
  ],
  membershipEnd: ['date de fin', 'fin d adhesion', 'date d echeance', 'echeance', 'date d expiration', 'expiration'],
  notes: ['commentaire', 'commentaires', 'observation', 'observations', 'remarque', 'remarques', 'notes', 'note', 'info adh'],
  amount: ['cotisation', 'montant', 'montant total', 'montant paye', 'somme versee'],
  paymentDate: [
    'date du paiement',
    'date de paiement',
    'date paiement',
    'paye le',
    'date de cotisation',
    'date cotisation',
    'date du reglement',
    'date de reglement',
    'date du versement',
  ],
};

/** Headers containing one of these words describe the order or the campaign, never the person: left unmapped. */
export const NON_PERSON_WORDS: readonly string[] = [
  'campagne',
  'formulaire',
  'commande',
  'organisme',
  'association',
  'structure',
  'statut',
  'moyen',
  'reference',
];
