/** The names of a paper: the viewer's person name and the exported file name, safe on Windows (shared/domain/paperName.ts). */
import { describe, expect, it } from 'vitest';
import { windowsNameProblem } from '../../../main/fs/folderName';
import { MAX_PAPER_FILE_NAME, localDayOf, paperFileName, personPaperName } from '../../../shared/domain/paperName';

describe('paper names', () => {
  it('names the person as papers do: LAST NAME then first name', () => {
    expect(personPaperName({ firstName: 'Marie', lastName: 'Dupont' })).toBe('DUPONT Marie');
    expect(personPaperName({ firstName: ' Zoé ', lastName: 'Lefèvre-Éluard' })).toBe('LEFÈVRE-ÉLUARD Zoé');
  });

  it('builds LASTNAME_Firstname_type_date.pdf from the type id and an ISO date or instant', () => {
    expect(paperFileName({ firstName: 'Marie', lastName: 'Dupont' }, 'carte_identite', '2026-12-06')).toBe('DUPONT_Marie_carte-identite_2026-12-06.pdf');
    expect(paperFileName({ firstName: 'Ibrahima', lastName: 'Diallo' }, 'attestation_caf', '2026-11-21T08:32:00.000Z')).toBe('DIALLO_Ibrahima_attestation-caf_2026-11-21.pdf');
  });

  it('keeps accents, turns spaces and characters Windows refuses into dashes, never ends a part with a dot', () => {
    expect(paperFileName({ firstName: 'Jean Pierre', lastName: 'de la Tour' }, 'passeport', '2026-12-06')).toBe('DE-LA-TOUR_Jean-Pierre_passeport_2026-12-06.pdf');
    const odd = paperFileName({ firstName: 'A<b>c:"d|e?*', lastName: 'X/Y\\Z.' }, 'autre', '2026-12-06');
    expect(odd).toBe('X-Y-Z_A-b-c-d-e_autre_2026-12-06.pdf');
    expect(paperFileName({ firstName: 'Éloïse', lastName: 'Müller' }, 'autre', '2026-12-06')).toBe('MÜLLER_Éloïse_autre_2026-12-06.pdf');
  });

  it('is a valid Windows name even for reserved words, control characters, empty or very long names', () => {
    const cases = [
      { firstName: 'Nul', lastName: 'Con' },
      { firstName: 'a\u0000b\u001fc', lastName: '...' },
      { firstName: '', lastName: '' },
      { firstName: 'Marie-'.repeat(40), lastName: 'Dupont'.repeat(40) },
    ];
    for (const person of cases) {
      const name = paperFileName(person, 'titre_sejour', '2026-12-06');
      expect(windowsNameProblem(name), name).toBeNull();
      expect(name.length).toBeLessThanOrEqual(MAX_PAPER_FILE_NAME);
      expect(name.endsWith('_titre-sejour_2026-12-06.pdf')).toBe(true);
    }
    expect(paperFileName({ firstName: '', lastName: '' }, 'autre', '2026-12-06')).toBe('piece_autre_2026-12-06.pdf');
  });
});

describe('the day a paper is named by', () => {
  it('is the local calendar day of the instant', () => {
    const at = new Date(2026, 11, 6, 0, 30); // 6 December 2026, 00:30 on this computer
    expect(localDayOf(at.toISOString())).toBe('2026-12-06');
    expect(localDayOf('not a date')).toBe('not a date');
  });
});
