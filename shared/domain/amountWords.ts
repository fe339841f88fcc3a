/**
 * An amount of euros written in French words, as a tax receipt asks for it (CERFA n° 11580*05, « Montant en toutes
 * lettres »). The words of each number come from `n2words` (fr-FR: « soixante et onze », « quatre-vingts »,
 * « deux cents », « deux cent quatre-vingts »); this module only assembles euros and centimes:
 * - euros and centimes are read from integer cents (never a float);
 * - « un euro », « deux euros »; « un centime », « cinquante centimes »; « et » between the two parts;
 * - « d'euros » after a round million or milliard (« un million d'euros », « deux milliards d'euros »), but
 *   « un million deux cents euros » (grammar: « de » after a noun of quantity, Académie française);
 * - 0 → « zéro euro ».
 */
import { toCardinal } from 'n2words/fr-FR';

/** Throws RangeError for anything but a non-negative safe integer number of cents. */
export function amountInWords(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`montant en centimes invalide : ${cents}`);
  const euros = Math.floor(cents / 100);
  const rest = cents % 100;
  const parts: string[] = [];
  if (euros > 0 || rest === 0) {
    const words = toCardinal(BigInt(euros));
    const unit = euros <= 1 ? 'euro' : /(millions?|milliards?)$/.test(words) ? "d'euros" : 'euros';
    parts.push(`${words} ${unit}`);
  }
  if (rest > 0) parts.push(`${toCardinal(BigInt(rest))} ${rest === 1 ? 'centime' : 'centimes'}`);
  return parts.join(' et ');
}
