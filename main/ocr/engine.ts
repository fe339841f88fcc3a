/**
 * The OCR engine: Tesseract 5 (LSTM) compiled to WebAssembly by tesseract.js, with its French and English models
 * from the npm data packages `@tesseract.js-data/fra` and `@tesseract.js-data/eng` (docs/ocr.md "Engine").
 *
 * Nothing is downloaded, ever: the models are read from the installed packages (`langPath` names the package's
 * folder, `gzip: true` because they ship `*.traineddata.gz`), the cache is off (`cacheMethod: 'none'`, so nothing is
 * read from or written to a cache folder either) and the WebAssembly core is `tesseract.js-core` from node_modules.
 * tests/unit/ocr/engine.test.ts runs a recognition inside a network namespace with no network at all.
 *
 * Where it runs: tesseract.js's Node worker is a `worker_threads` Worker; recognition (image decoding by Leptonica,
 * layout, LSTM) happens there, off the core's thread. The core's thread only posts the image bytes and receives the
 * result, so a request (a search, opening a person) is never queued behind a page being recognised. One worker per
 * process, started on first use and kept; pages are recognised one at a time (`recognizePage` calls are chained).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../shared/domain/errors';

const require = createRequire(import.meta.url);

/** One recognised word: its text, its box in the image's pixels (x0,y0 top-left, x1,y1 bottom-right), 0–100. */
export interface OcrWord {
  text: string;
  bbox: { x0: number; y0: number; x1: number; y1: number };
  confidence: number;
}

/** What `recognizePage` returns: the page's text (lines separated by `\n`), mean confidence 0–100, its words. */
export interface OcrPage {
  text: string;
  confidence: number;
  words: OcrWord[];
}

/** Options of one recognition. */
export interface RecognizeOptions {
  /** One Tesseract language code among OCR_LANGUAGES (default `fra`). */
  lang?: string;
  /** Only these characters may be recognised (Tesseract's `tessedit_char_whitelist`), e.g. an MRZ's `A-Z0-9<`. */
  whitelist?: string;
  /** Tesseract page segmentation mode 0–13 (default 3, automatic; 6: one block; 7: one line). */
  psm?: number;
  /** The image's resolution when known (dots per inch, 70–2400): spares Tesseract estimating it from glyph sizes. */
  dpi?: number;
}

/** The languages whose models ship with the app, with the npm package holding each. */
export const OCR_LANGUAGES = { fra: '@tesseract.js-data/fra', eng: '@tesseract.js-data/eng' } as const;
type OcrLanguage = keyof typeof OCR_LANGUAGES;

/**
 * The model flavour read from the data packages: `4.0.0_best_int` (tessdata_best converted to integers, LSTM only,
 * 0.7 MB for French) rather than `4.0.0` (tessdata with the legacy engine, 6 MB): the LSTM-only core never needs
 * the legacy model, and the CER measured is as good (docs/ocr.md "Measured").
 */
const MODEL_FOLDER = '4.0.0_best_int';

/** Largest image accepted (bytes of an encoded PNG/JPEG/TIFF/BMP page). A 300-dpi A4 colour PNG is ~25 MB at most. */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

/** The folder holding `<lang>.traineddata.gz` in the installed data package of `lang`. */
export function modelFolder(lang: OcrLanguage): string {
  return join(dirname(require.resolve(`${OCR_LANGUAGES[lang]}/package.json`)), MODEL_FOLDER);
}

/**
 * A path inside the packaged app's `app.asar` → its copy in `app.asar.unpacked` (electron-builder.yml `asarUnpack`
 * lists the OCR packages): a worker thread, a WebAssembly file and the models are read by plain Node file access,
 * which does not look inside an asar archive. Unchanged elsewhere.
 */
export function unpacked(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/** The worker thread's entry: the bundled copy beside the running bundle, else the source file (tesseractWorker.cjs). */
function workerEntry(): string {
  const here = import.meta.url;
  return unpacked(fileURLToPath(new URL(here.endsWith('.ts') ? './tesseractWorker.cjs' : './ocr-worker.cjs', here)));
}

/**
 * Worker options for `lang`: its data package's folder as `langPath`, gzip models, no cache, local worker and core
 * (exported for the tests). `cachePath` names a folder that does not exist: with `cacheMethod: 'none'` nothing is read
 * from or written there, and tesseract.js's clean-up after a failed initialisation deletes nothing real.
 */
export function workerOptions(lang: OcrLanguage): { langPath: string; cachePath: string; cacheMethod: 'none'; gzip: true; workerPath: string; corePath: string } {
  return {
    langPath: unpacked(modelFolder(lang)),
    cachePath: join(unpacked(modelFolder(lang)), 'no-cache'),
    cacheMethod: 'none',
    gzip: true,
    workerPath: workerEntry(),
    corePath: unpacked(dirname(require.resolve('tesseract.js-core/package.json'))),
  };
}

interface TesseractWord { text: string; confidence: number; bbox: { x0: number; y0: number; x1: number; y1: number } }
interface TesseractBlock { paragraphs: { lines: { words: TesseractWord[] }[] }[] }
interface TesseractWorker {
  setParameters(params: Record<string, string>): Promise<unknown>;
  recognize(image: Buffer, options: object, output: { text: boolean; blocks: boolean }): Promise<{ data: { text: string; confidence: number; blocks: TesseractBlock[] | null } }>;
  terminate(): Promise<unknown>;
}
interface TesseractModule {
  createWorker(langs: string, oem: number, options: object): Promise<TesseractWorker>;
}

/**
 * The one worker thread of this process: the language it was started with, and `stopped`, a promise rejected when
 * `stopOcrEngine` ends it. tesseract.js never settles a job whose worker was terminated, so every wait on the worker
 * races `stopped`; otherwise a page being recognised at lock would hang its caller and every later page behind it.
 */
interface EngineWorker {
  instance: Promise<TesseractWorker>;
  lang: OcrLanguage;
  stopped: Promise<never>;
  stop: (error: AppError) => void;
  ended: boolean;
}
let worker: EngineWorker | null = null;
let chain: Promise<unknown> = Promise.resolve();
/** Counts `stopOcrEngine` calls: a page asked for before a stop is abandoned even if its turn comes after it. */
let generation = 0;

function interrupted(): AppError {
  return new AppError('INTERNAL', 'Reconnaissance du texte interrompue : le moteur a été arrêté (verrouillage ou fin de commande).');
}

function parseLanguage(lang: string): OcrLanguage {
  if (!Object.hasOwn(OCR_LANGUAGES, lang)) throw new AppError('VALIDATION', `Langue de reconnaissance inconnue : « ${lang} » (une seule parmi : ${Object.keys(OCR_LANGUAGES).join(', ')}).`, { field: 'lang' });
  return lang as OcrLanguage;
}

/**
 * The worker for `lang`, started if needed. tesseract.js takes one `langPath` per worker and each language has its
 * own data package, so a worker holds one language; asking for the other one restarts it (rare: the MRZ reader).
 */
async function workerFor(lang: OcrLanguage): Promise<EngineWorker> {
  if (worker && worker.lang === lang) return worker;
  await endWorker();
  const tesseract = require('tesseract.js') as TesseractModule;
  // OEM 1: LSTM only (the core without the legacy engine, matching the best_int models).
  const instance = tesseract.createWorker(lang, 1, { ...workerOptions(lang), errorHandler: () => undefined });
  let stop: (error: AppError) => void = () => undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    stop = reject;
  });
  stopped.catch(() => undefined);
  const current: EngineWorker = { instance, lang, stopped, stop, ended: false };
  worker = current;
  instance.catch(() => {
    if (worker === current) worker = null;
  });
  return current;
}

/**
 * Runs one call on the worker thread of `entry`, unless it was stopped: tesseract.js posts to a terminated worker from
 * an async function whose rejection nobody can catch, so no call may start once `entry.ended` is set.
 * @throws AppError INTERNAL 'Reconnaissance du texte interrompue…' when the engine is stopped before or during the call.
 */
async function onWorker<T>(entry: EngineWorker, asked: number, call: (instance: TesseractWorker) => Promise<T>): Promise<T> {
  const instance = await Promise.race([entry.instance, entry.stopped]);
  if (entry.ended || asked !== generation) throw interrupted();
  return Promise.race([call(instance), entry.stopped]);
}

function checkImage(image: Uint8Array): void {
  if (!(image instanceof Uint8Array) || image.byteLength === 0) throw new AppError('VALIDATION', 'Image à reconnaître vide.', { field: 'image' });
  if (image.byteLength > MAX_IMAGE_BYTES) throw new AppError('VALIDATION', `Image à reconnaître trop grande : ${Math.round(image.byteLength / 1048576)} Mo (maximum ${MAX_IMAGE_BYTES / 1048576} Mo).`, { field: 'image' });
  const b = image;
  const png = b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
  const jpeg = b[0] === 0xff && b[1] === 0xd8;
  const tiff = (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a);
  const bmp = b[0] === 0x42 && b[1] === 0x4d;
  const pnm = b[0] === 0x50 && b[1] !== undefined && b[1] >= 0x31 && b[1] <= 0x36;
  if (!(png || jpeg || tiff || bmp || pnm)) throw new AppError('VALIDATION', 'Image à reconnaître illisible : ni PNG, ni JPEG, ni TIFF, ni BMP, ni PNM.', { field: 'image' });
}

/**
 * Recognises the text of one page image (PNG, JPEG, TIFF, BMP or PNM bytes), in the OCR worker thread.
 * Calls are chained: one page at a time per process.
 * @returns the text (lines joined by `\n`), the mean confidence (0–100) and each word with its box in pixels.
 * @throws AppError VALIDATION for an empty, oversized or unrecognised image, an unknown language, a psm outside
 *   0–13 or a dpi outside 70–2400; AppError INTERNAL 'Reconnaissance du texte impossible : …' when Tesseract fails on the image.
 */
export function recognizePage(image: Uint8Array, opts: RecognizeOptions = {}): Promise<OcrPage> {
  const asked = generation;
  const run = chain.then(() => recognizeNow(image, opts, asked));
  chain = run.catch(() => undefined);
  return run;
}

async function recognizeNow(image: Uint8Array, opts: RecognizeOptions, asked: number): Promise<OcrPage> {
  checkImage(image);
  const psm = opts.psm ?? 3;
  if (!Number.isInteger(psm) || psm < 0 || psm > 13) throw new AppError('VALIDATION', `Mode de segmentation inconnu : ${psm} (0 à 13).`, { field: 'psm' });
  const dpi = opts.dpi;
  if (dpi !== undefined && (!Number.isInteger(dpi) || dpi < 70 || dpi > 2400)) throw new AppError('VALIDATION', `Résolution invalide : ${dpi} ppp (70 à 2400).`, { field: 'dpi' });
  const lang = parseLanguage(opts.lang ?? 'fra');
  if (asked !== generation) throw interrupted();
  const entry = await workerFor(lang);
  let data;
  try {
    await onWorker(entry, asked, (instance) => instance.setParameters({ tessedit_pageseg_mode: String(psm), tessedit_char_whitelist: opts.whitelist ?? '', user_defined_dpi: dpi === undefined ? '' : String(dpi) }));
    ({ data } = await onWorker(entry, asked, (instance) => instance.recognize(Buffer.from(image.buffer, image.byteOffset, image.byteLength), {}, { text: true, blocks: true })));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('INTERNAL', `Reconnaissance du texte impossible : ${String(error instanceof Error ? error.message : error).slice(0, 200)}.`);
  }
  const words: OcrWord[] = [];
  for (const block of data.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        for (const word of line.words) words.push({ text: word.text, confidence: word.confidence, bbox: { ...word.bbox } });
      }
    }
  }
  return { text: data.text, confidence: data.confidence, words };
}

/**
 * Stops the OCR worker thread (lock, end of a CLI command, tests); the next `recognizePage` starts a new one. The
 * page being recognised and the pages waiting their turn are abandoned: their `recognizePage` rejects with AppError INTERNAL 'Reconnaissance du texte
 * interrompue…'. The thread is terminated one event-loop turn later, once a call already under way (tesseract.js
 * reads the image in a promise before posting it) has posted to the still-living thread.
 */
export async function stopOcrEngine(): Promise<void> {
  generation += 1;
  await endWorker();
}

/** Ends the current worker thread, if any: its waiting calls reject at once, the thread one event-loop turn later. */
async function endWorker(): Promise<void> {
  const current = worker;
  worker = null;
  if (!current) return;
  current.ended = true;
  current.stop(interrupted());
  await new Promise((resolve) => setImmediate(resolve));
  await (await current.instance.catch(() => null))?.terminate();
}
