/**
 * Reading a paper's machine-readable zone (MRZ) to prefill the add-paper form: docs/mrz.md.
 *
 * Each image of the files (mrzImages.ts) is recognised by the OCR engine with the MRZ alphabet only (`A–Z 0–9 <`):
 * with the French model (its LSTM reads OCR-B fillers `<` where the English one reads `K` and `L`: docs/mrz.md),
 * first its bottom band (where the MRZ sits), then the whole image (a card scanned on an A4 platen sits anywhere),
 * until one reading has valid check digits (shared/domain/mrz.ts). Recognition runs in the OCR worker thread, never
 * on the core's thread. Data minimisation: the reading's meaning goes back to the form, which keeps only type and
 * expiry; nothing read (lines, document number, names) is stored, logged or audited.
 */
import { readMrz, type MrzReading } from '../../../shared/domain/mrz';
import { compareWithRecord, type MrzMismatch } from '../../../shared/domain/mrzDates';
import { today, type ServiceContext } from '../context';
import type { PeopleService } from '../people/peopleService';
import type { VaultService } from '../vault/vaultService';
import { bottomBand, imagesOf } from './mrzImages';

/** The OCR engine as this service uses it (main/ocr/engine.ts `recognizePage`). */
export type RecognizeMrz = (image: Uint8Array, opts: { lang: string; whitelist: string; psm: number }) => Promise<{ text: string }>;

/** ICAO Doc 9303 part 3 §4.3: the MRZ's character set. */
export const MRZ_WHITELIST = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

export interface MrzResult {
  reading: MrzReading | null;
  mismatches: MrzMismatch[];
}

/**
 * Reads the first MRZ with valid check digits in `images` (bytes of JPEG, PNG, TIFF or PDF files, in order); when none
 * is valid, the last invalid reading found (for the form to say the MRZ was refused), or null. `day` is today (ISO).
 * OCR failures on one image are skipped (another image may be read).
 */
export async function readMrzIn(files: readonly Uint8Array[], ocr: RecognizeMrz, day: string): Promise<MrzReading | null> {
  let invalid: MrzReading | null = null;
  for (const file of files) {
    for (const image of await imagesOf(file)) {
      const band = await bottomBand(image);
      for (const candidate of band ? [band, image] : [image]) {
        const text = await ocr(candidate, { lang: 'fra', whitelist: MRZ_WHITELIST, psm: 6 }).then((p) => p.text, () => '');
        const reading = readMrz(text, day);
        if (reading?.valid) return reading;
        if (reading) invalid = reading;
      }
    }
  }
  return invalid;
}

/** The MRZ service of a session: reads files being added or a stored paper, and compares with the person's record. */
export class MrzService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly vault: VaultService,
    private readonly people: PeopleService,
    private readonly ocr: RecognizeMrz,
  ) {}

  /** Files about to be added for `personId` (`documents.add`; the person must be readable). Throws FORBIDDEN, NOT_FOUND. */
  async readFiles(personId: string, files: readonly { bytes: Uint8Array }[]): Promise<MrzResult> {
    this.ctx.access.require('documents.add');
    const { person } = await this.people.get(personId);
    const reading = await readMrzIn(files.map((f) => f.bytes), this.ocr, today(this.ctx.clock));
    return { reading, mismatches: mismatchesOf(reading, person) };
  }

  /** A stored paper (`documents.read`; audited as a view by `VaultService.read`). Throws FORBIDDEN, NOT_FOUND, VAULT_CORRUPT. */
  async readDocument(documentId: string): Promise<MrzResult> {
    const { bytes, document } = await this.vault.read(documentId);
    const reading = await readMrzIn([bytes], this.ocr, today(this.ctx.clock));
    const { person } = await this.people.get(document.personId);
    return { reading, mismatches: mismatchesOf(reading, person) };
  }
}

function mismatchesOf(reading: MrzReading | null, person: { lastName: string; firstName: string; birthDate?: string | null }): MrzMismatch[] {
  if (!reading?.valid) return [];
  return compareWithRecord(reading, { lastName: person.lastName, firstName: person.firstName, birthDate: person.birthDate ?? null });
}
