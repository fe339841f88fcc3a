/** shared/domain/searchQuery.ts: dates in a search, one-typo matching and its index pieces, the new person's prefill. */
import { describe, expect, it } from 'vitest';
import { acceptsTypos, dateSearchTerm, prefillFromQuery, termRank, withinOneEdit } from '../../../shared/domain/searchQuery';
import { searchTerms } from '../../../main/services/people/searchText';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Every word one edit away from `w` (one letter wrong, missing, added, or two neighbours swapped). */
function oneEditAway(w: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i <= w.length; i++) {
    for (const c of LETTERS) out.add(w.slice(0, i) + c + w.slice(i));
    if (i < w.length) {
      out.add(w.slice(0, i) + w.slice(i + 1));
      for (const c of LETTERS) out.add(w.slice(0, i) + c + w.slice(i + 1));
    }
    if (i + 1 < w.length) out.add(w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2));
  }
  out.delete(w);
  return out;
}

describe('dateSearchTerm and searchTerms', () => {
  it('turns French and ISO dates into the ISO text of the search column', () => {
    expect(dateSearchTerm('09/12/1944')).toBe('1944-12-09');
    expect(dateSearchTerm('9/12/1944')).toBe('1944-12-09');
    expect(dateSearchTerm('9.1.1944')).toBe('1944-01-09');
    expect(dateSearchTerm('1944-12-09')).toBe('1944-12-09');
    expect(dateSearchTerm('12/1944')).toBe('1944-12');
    expect(dateSearchTerm('09/12')).toBe('-12-09');
    for (const no of ['1944', 'diallo', '06 12 34 56 78', '123/45/6789', '1944/12']) expect(dateSearchTerm(no), no).toBeNull();
  });

  it('keeps dates whole beside words; phones stay one term of digits', () => {
    expect(searchTerms('Diallo 09/12/1944')).toEqual(['diallo', '1944-12-09']);
    expect(searchTerms('1944')).toEqual(['1944']);
    expect(searchTerms('06 12 34 56 78')).toEqual(['0612345678']);
    expect(searchTerms('06-12-34-56-78')).toEqual(['0612345678']);
    expect(searchTerms('Lefèvre-Dupré Hélène')).toEqual(['lefevre-dupre', 'helene']);
  });
});

describe('withinOneEdit', () => {
  it('accepts exactly the words one edit away (checked against every such word of several names)', () => {
    for (const w of ['diallo', 'muller', 'paul', 'ab']) {
      const near = oneEditAway(w);
      for (const v of near) expect(withinOneEdit(w, v), `${w} / ${v}`).toBe(true);
      for (const v of near) expect(withinOneEdit(v, w), `${v} / ${w}`).toBe(true);
      // Two edits away: never.
      const far = new Set([...near].flatMap((v) => [...oneEditAway(v)]).filter((x) => x !== w && !near.has(x)));
      for (const v of far) expect(withinOneEdit(w, v), `${w} / ${v}`).toBe(false);
    }
  });

  it('martin and marie, dialo and diallou are two edits apart', () => {
    expect(withinOneEdit('martin', 'marie')).toBe(false);
    expect(withinOneEdit('dialo', 'diallou')).toBe(false);
    expect(withinOneEdit('mueller', 'muller')).toBe(true);
  });
});

describe('acceptsTypos', () => {
  it('typos only in words of four letters or more, never in numbers or e-mail parts', () => {
    for (const t of ['paul', 'dialo', 'mueller']) expect(acceptsTypos(t), t).toBe(true);
    for (const t of ['jan', 'ab', '1944', 'gmail.com', 'marie@x', 'a-042', 'jean-paul']) expect(acceptsTypos(t), t).toBe(false);
  });
});

describe('termRank', () => {
  it('whole word 0, word start 1, inside 2, absent null', () => {
    const text = ' jean martin jean.martin@free.fr 1944-07-30 ';
    expect(termRank(text, 'martin')).toBe(0);
    expect(termRank(text, 'mart')).toBe(1);
    expect(termRank(text, 'free')).toBe(2);
    expect(termRank(text, '1944')).toBe(1);
    expect(termRank(text, 'marie')).toBeNull();
  });
});

describe('prefillFromQuery', () => {
  it('names to first and last name, a full date to the birth date', () => {
    expect(prefillFromQuery('Awa Diallo')).toEqual({ firstName: 'Awa', lastName: 'Diallo', birthDate: '' });
    expect(prefillFromQuery('DIALLO Awa')).toEqual({ firstName: 'Awa', lastName: 'DIALLO', birthDate: '' });
    expect(prefillFromQuery('LE GALL Marie Anne')).toEqual({ firstName: 'Marie Anne', lastName: 'LE GALL', birthDate: '' });
    expect(prefillFromQuery('Jean Pierre Martin 9/12/1944')).toEqual({ firstName: 'Jean Pierre', lastName: 'Martin', birthDate: '1944-12-09' });
    expect(prefillFromQuery('dialo')).toEqual({ firstName: '', lastName: 'dialo', birthDate: '' });
    expect(prefillFromQuery('1944-12-09')).toEqual({ firstName: '', lastName: '', birthDate: '1944-12-09' });
  });

  it('leaves out what is not a name: phones, e-mails, a year or a partial date', () => {
    expect(prefillFromQuery('06 12 34 56 78')).toEqual({ firstName: '', lastName: '', birthDate: '' });
    expect(prefillFromQuery('awa@exemple.fr Diallo 1944')).toEqual({ firstName: '', lastName: 'Diallo', birthDate: '' });
    expect(prefillFromQuery('Diallo 12/1944')).toEqual({ firstName: '', lastName: 'Diallo', birthDate: '' });
    expect(prefillFromQuery('   ')).toEqual({ firstName: '', lastName: '', birthDate: '' });
  });
});
