import { describe, expect, it } from 'vitest';
import { amountInWords } from '../../../shared/domain/amountWords';

describe('amountInWords (CERFA 11580*05 « en toutes lettres »)', () => {
  it.each([
    [7100, 'soixante et onze euros'],
    [8000, 'quatre-vingts euros'],
    [8100, 'quatre-vingt-un euros'],
    [20000, 'deux cents euros'],
    [20500, 'deux cent cinq euros'],
    [28000, 'deux cent quatre-vingts euros'],
    [28050, 'deux cent quatre-vingts euros et cinquante centimes'],
    [100, 'un euro'],
    [101, 'un euro et un centime'],
    [1, 'un centime'],
    [99, 'quatre-vingt-dix-neuf centimes'],
    [0, 'zéro euro'],
    [100000, 'mille euros'],
    [200000, 'deux mille euros'],
    [100_000_000, "un million d'euros"],
    [300_000_000, "trois millions d'euros"],
    [100_020_000, 'un million deux cents euros'],
    [100_000_075, "un million d'euros et soixante-quinze centimes"],
  ])('%d cents → %s', (cents, words) => {
    expect(amountInWords(cents)).toBe(words);
  });

  it('refuses floats and negatives', () => {
    expect(() => amountInWords(12.5)).toThrow(RangeError);
    expect(() => amountInWords(-100)).toThrow(/invalide/);
  });
});
