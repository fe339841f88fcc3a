/**
 * Deterministic, seeded generator of realistic French people for the benchmark (bench/run.ts): names with accents
 * and compound names, e-mails, mobile and landline phones in the formats found in real exports, birth dates,
 * member numbers, addresses. Same seed → same people, byte for byte.
 */
import { foldDiacritics } from '../shared/domain/text';

/** mulberry32: small, fast, good enough for test data. Returns floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FIRST_NAMES = [
  'Marie', 'Jean', 'Pierre', 'Camille', 'Lucas', 'Nathan', 'Manon', 'Sarah', 'Mohamed', 'Fatima', 'Youssef', 'Aïcha',
  'Karim', 'Nadia', 'Thomas', 'Nicolas', 'Julien', 'Laura', 'Emma', 'Louise', 'Raphaël', 'Benoît', 'Inès', 'Hélène',
  'Chloé', 'Zoé', 'Noël', 'Léa', 'Anaïs', 'Jérôme', 'François', 'Cécile', 'Élodie', 'Maëlle', 'Gaëlle', 'Loïc', 'Joël',
  'Agnès', 'Célia', 'Timothée', 'Aurélien', 'Clémence', 'Solène', 'Théo', 'Mathéo', 'Léon', 'Amélie', 'Émilie',
  'Andrée', 'Renée', 'Geneviève', 'Ségolène', 'Hervé', 'René', 'Stéphane', 'Frédéric', 'Sébastien', 'Jérémy',
  'Grégoire', 'Jean-Noël', 'Marie-Thérèse', 'Anne-Sophie', 'Jean-François', 'Côme', 'Björn', 'Zoë', 'Noémie', 'Océane',
  'Maïwenn', 'Ophélie', 'Mélanie', 'Valérie', 'Sylvie', 'Isabelle', 'Nathalie', 'Christophe', 'Philippe', 'Michel',
  'Alain', 'Patrick', 'Bernard', 'Daniel', 'Gérard', 'Jacques', 'Françoise', 'Monique', 'Catherine', 'Martine',
  'Nicole', 'Christine', 'Brigitte', 'Denise', 'Paulette', 'Lucienne', 'Yvette', 'Odette', 'Adèle', 'Capucine',
  'Héloïse', 'Eugénie', 'Gabriel', 'Arthur', 'Hugo', 'Jules', 'Louis', 'Adam', 'Rayan', 'Ibrahim', 'Moussa', 'Awa',
  'Aminata', 'Mariam', 'Khadija', 'Samir', 'Bilal', 'Yasmine', 'Lina', 'Sofia', 'Mehdi', 'Ilyès', 'Wassim', 'Nour',
  'Quentin', 'Maxime', 'Antoine', 'Alexandre', 'Romain', 'Kévin', 'Mégane', 'Océane', 'Perrine', 'Bérénice',
] as const;

export const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
  'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard',
  'André', 'Lefebvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand', 'Garnier',
  'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu',
  'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin', 'Masson', 'Sanchez', 'Gérard', 'Nguyen',
  'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier', 'Roger', 'Roche', 'Roy', 'Noël', 'Meyer', 'Lucas',
  'Meunier', 'Jean', 'Pérez', 'Marchand', 'Dufour', 'Blanchard', 'Marie', 'Barbier', 'Brun', 'Dumas', 'Brunet',
  'Schmitt', 'Leroux', 'Colin', 'Fernandez', 'Pierre', 'Renard', 'Arnaud', 'Rolland', 'Caron', 'Aubert', 'Giraud',
  'Leclerc', 'Vidal', 'Bourgeois', 'Renaud', 'Lemoine', 'Picard', 'Gaillard', 'Philippe', 'Leclercq', 'Lacroix',
  'Fabre', 'Dupuis', 'Olivier', 'Rodriguez', 'Da Silva', 'Hubert', 'Louis', 'Charles', 'Guillot', 'Rivière',
  'Le Gall', 'Le Goff', 'Ben Salah', 'Benoît', 'Müller', 'Côté', 'Lévêque', 'Bénard', 'Thébault', 'Prévost', 'Hébert',
  'Besnard', 'Pelletier', 'Lefèvre-Dupré', "N'Diaye", 'Diallo', 'Traoré', 'Haddad', 'Carré', 'Benali', 'Bouchard',
  'Cissé', 'Coulibaly', 'Kone', 'Mendy', 'Sylla', 'Camara', 'Saïdi', 'Belkacem', 'Ferreira', 'Pereira', 'Dos Santos',
  'Gonçalves', 'Rémy', 'Collet', 'Hamon', 'Jégou', 'Kerjean', 'Le Bihan', 'Quéré', 'Derrien', 'Pétillon', 'Ménard',
  "D'Almeida", 'De La Fontaine', 'Sénéchal', 'Étienne', 'Évrard', 'Œuvrard', 'Lætitia-Bréant', 'Wagner', 'Koch',
] as const;

const STREETS = ['rue de la République', 'avenue Jean-Jaurès', 'place du Marché', 'chemin des Écoliers', 'rue Victor-Hugo', 'boulevard Gambetta', 'allée des Tilleuls', 'impasse du Moulin', 'rue de l’Église', 'quai de la Loire'];
const CITIES: ReadonlyArray<[string, string]> = [
  ['75011', 'Paris'], ['75020', 'Paris'], ['93100', 'Montreuil'], ['69003', 'Lyon'], ['13001', 'Marseille'], ['31000', 'Toulouse'],
  ['44000', 'Nantes'], ['35000', 'Rennes'], ['59000', 'Lille'], ['67000', 'Strasbourg'], ['33000', 'Bordeaux'], ['29200', 'Brest'],
  ['78200', 'Mantes-la-Jolie'], ['97400', 'Saint-Denis'], ['06000', 'Nice'], ['63000', 'Clermont-Ferrand'], ['21000', 'Dijon'],
];
const DOMAINS = ['gmail.com', 'orange.fr', 'free.fr', 'laposte.net', 'hotmail.fr', 'yahoo.fr', 'sfr.fr', 'wanadoo.fr', 'outlook.fr', 'icloud.com'];

export interface GeneratedPerson {
  index: number;
  civility: 'M.' | 'Mme' | '';
  firstName: string;
  lastName: string;
  /** DD/MM/YYYY as in French exports, or '' (unknown). */
  birthDate: string;
  email: string;
  /** As typed in the source: `06 12 34 56 78`, `0612345678`, `06.12.34.56.78`, `+33 6 12 34 56 78`, or ''. */
  phone: string;
  /** `ADH-` + 6 digits. */
  memberNumber: string;
  address: string;
  postalCode: string;
  city: string;
  /** Payment of the HelloAsso order: `DD/MM/YYYY HH:MM:SS` and `"15,00"`. */
  paidAt: string;
  amount: string;
}

/** Lower-case ASCII for e-mail local parts: `Lefèvre-Dupré` → `lefevre-dupre`, `N'Diaye` → `ndiaye`. */
export function asciiLocal(s: string): string {
  return foldDiacritics(s).replace(/[^a-z0-9-]+/g, '');
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `count` people; index `i` always gives the same person for the same seed. */
export function generatePeople(count: number, seed = 20261121): GeneratedPerson[] {
  const r = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  const out: GeneratedPerson[] = [];
  for (let i = 0; i < count; i++) {
    const firstName = pick(FIRST_NAMES);
    let lastName: string = pick(LAST_NAMES);
    if (r() < 0.03) lastName = `${lastName}-${pick(LAST_NAMES)}`; // compound surnames
    const allCaps = r() < 0.1; // some forms are typed in capitals
    const year = 1930 + Math.floor(r() * 80);
    const month = 1 + Math.floor(r() * 12);
    const day = 1 + Math.floor(r() * 28);
    const hasBirth = r() < 0.92;
    const hasEmail = r() < 0.9;
    const sep = pick(['.', '_', '', '-']);
    const email = hasEmail ? `${asciiLocal(firstName)}${sep}${asciiLocal(lastName)}${i}@${pick(DOMAINS)}` : '';
    const mobile = r() < 0.75;
    const digits = `0${mobile ? pick(['6', '7']) : pick(['1', '2', '3', '4', '5', '9'])}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
    const style = Math.floor(r() * 5);
    const grouped = digits.replace(/(\d\d)(?=\d)/g, '$1 ');
    const phone =
      r() < 0.12 ? '' : style === 0 ? grouped : style === 1 ? digits : style === 2 ? grouped.replace(/ /g, '.') : style === 3 ? `+33 ${grouped.slice(1)}` : grouped.replace(/ /g, '-');
    const [postalCode, city] = pick(CITIES);
    const paidMonth = 1 + Math.floor(r() * 11);
    const amount = pick(['"10,00"', '"15,00"', '"5,50"', '"20,00"', '"30,00"']);
    out.push({
      index: i,
      civility: r() < 0.2 ? '' : firstName.endsWith('e') ? 'Mme' : 'M.',
      firstName: allCaps ? firstName.toUpperCase() : firstName,
      lastName: allCaps ? lastName.toUpperCase() : lastName,
      birthDate: hasBirth ? `${pad(day)}/${pad(month)}/${year}` : '',
      email,
      phone,
      memberNumber: `ADH-${pad(i + 1, 6)}`,
      address: `${1 + Math.floor(r() * 180)} ${pick(STREETS)}`,
      postalCode,
      city,
      paidAt: `${pad(1 + Math.floor(r() * 28))}/${pad(paidMonth)}/2026 ${pad(8 + Math.floor(r() * 12))}:${pad(Math.floor(r() * 60))}:${pad(Math.floor(r() * 60))}`,
      amount,
    });
  }
  return out;
}

export const HELLOASSO_HEADERS = [
  'Référence commande', 'Date du paiement', 'Montant total', 'Statut du paiement', 'Civilité', 'Nom payeur', 'Prénom payeur',
  'Email payeur', 'Date de naissance', 'Téléphone', 'Numéro d’adhérent', 'Adresse payeur', 'Code Postal payeur',
  'Ville payeur', 'Pays payeur', 'Campagne', 'Type', 'Montant du tarif', 'Moyen de paiement', 'Commentaire',
] as const;

const csvCell = (v: string) => (/[";\n\r]/.test(v) && !/^"[^"]*"$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * A HelloAsso-like export: `;` separated, UTF-8 with BOM, CRLF, payer columns, a custom phone and member-number
 * field, amounts as `"15,00"`, and an occasional quoted comment holding a `;`.
 */
export function helloAssoCsv(people: readonly GeneratedPerson[]): Uint8Array {
  const lines: string[] = [HELLOASSO_HEADERS.join(';')];
  for (const p of people) {
    const comment = p.index % 97 === 0 ? 'Famille de 4 ; garde alternée' : '';
    lines.push(
      [
        String(100000 + p.index), p.paidAt, p.amount, 'Payé', p.civility, p.lastName, p.firstName, p.email, p.birthDate, p.phone,
        p.memberNumber, p.address, p.postalCode, p.city, 'France', 'Adhésion 2026', 'Adhésion', p.amount, 'Carte bancaire', comment,
      ]
        .map(csvCell)
        .join(';'),
    );
  }
  const body = Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
  return new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]));
}
