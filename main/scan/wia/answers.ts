/**
 * Reads the JSON lines the WIA scripts print (main/scan/wia/script.ts), each checked with zod, and turns WIA's
 * HRESULTs into the contract's error codes with a French message (Microsoft Learn « WIA Error Codes »:
 * WIA_ERROR_PAPER_JAM 0x80210002, _PAPER_EMPTY 0x80210003, _PAPER_PROBLEM 0x80210004, _OFFLINE 0x80210005,
 * _BUSY 0x80210006, _DEVICE_COMMUNICATION 0x8021000A, WIA_S_NO_DEVICE_AVAILABLE 0x80210015, _COVER_OPEN 0x80210016;
 * E_ABORT / user cancel 0x80210064 WIA_ERROR_CANCELLED... none of the others has a specific message).
 */
import { z } from 'zod';
import type { ScanFailureCode } from '../../../shared/domain/scan';
import { ScanFailure } from '../types';

const source = z.enum(['platen', 'feeder', 'duplex']);
const line = z.discriminatedUnion('type', [
  z.object({ type: z.literal('device'), id: z.string().min(1).max(200), name: z.string().max(200), sources: z.union([z.array(source), source]) }),
  z.object({ type: z.literal('capabilities'), sources: z.union([z.array(source), source]), modes: z.array(z.enum(['color', 'gray', 'bw'])), resolutions: z.union([z.array(z.number().int()), z.number().int()]), range: z.boolean() }),
  z.object({ type: z.literal('page'), index: z.number().int().min(1), mime: z.literal('image/png'), base64: z.string().max(400 * 1024 * 1024) }),
  z.object({ type: z.literal('error'), hresult: z.string().regex(/^0x[0-9A-F]{8}$/i), message: z.string().max(2000).optional() }),
  z.object({ type: z.literal('end'), pages: z.number().int().min(0) }),
]);
export type WiaAnswer = z.infer<typeof line>;

/** ConvertTo-Json prints a one-element array as a bare value: always an array back. */
export const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/**
 * Parses one stdout line. Blank lines give null; anything else that is not a known answer throws
 * ScanFailure('other') (the script was not ours, or PowerShell printed an error in its place).
 */
export function parseAnswer(text: string): WiaAnswer | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new ScanFailure('other', 'Réponse illisible de PowerShell pendant la numérisation WIA : vérifiez que PowerShell fonctionne sur ce poste.');
  }
  const parsed = line.safeParse(json);
  if (!parsed.success) throw new ScanFailure('other', 'Réponse inattendue du script WIA : la numérisation est arrêtée.');
  return parsed.data;
}

const MESSAGES: Record<string, [ScanFailureCode, string]> = {
  '0x80210003': ['feederEmpty', 'Le chargeur du scanner est vide : posez les feuilles dans le chargeur, puis relancez la numérisation.'],
  '0x80210002': ['jam', 'Une feuille est coincée dans le scanner : retirez-la, remettez les pages non numérisées, puis relancez.'],
  '0x80210004': ['jam', 'Problème de papier dans le chargeur : vérifiez les feuilles (pliées, agrafées), puis relancez.'],
  '0x80210016': ['coverOpen', 'Le capot du scanner est ouvert : fermez-le, puis relancez la numérisation.'],
  '0x80210006': ['busy', 'Le scanner est occupé (une autre numérisation ou une copie en cours) : attendez qu’il soit libre, puis relancez.'],
  '0x80210005': ['unreachable', 'Le scanner est hors ligne : vérifiez qu’il est allumé et relié au poste, puis relancez.'],
  '0x8021000A': ['unreachable', 'Le poste ne communique plus avec le scanner : vérifiez le câble ou le réseau, puis relancez.'],
  '0x80210015': ['unreachable', 'Scanner introuvable : vérifiez qu’il est allumé et branché, puis actualisez la liste des scanners.'],
};

/** The ScanFailure of a WIA HRESULT (French, says what to do); unknown codes are named in the message. */
export function wiaError(hresult: string): ScanFailure {
  const known = MESSAGES[hresult.toUpperCase().replace(/^0X/, '0x')];
  if (known) return new ScanFailure(known[0], known[1]);
  return new ScanFailure('other', `La numérisation WIA a échoué (code ${hresult.toUpperCase().replace(/^0X/, '0x')}) : vérifiez le scanner, puis relancez.`);
}

/** Expands a resolution range [min, max, step] to the usual values inside it (or keeps a list), ascending. */
export function wiaResolutions(values: number[], range: boolean): number[] {
  const usual = [75, 100, 150, 200, 240, 300, 400, 600, 1200];
  if (range && values.length >= 2) {
    const [min, max, step = 1] = values as [number, number, number?];
    const got = usual.filter((d) => d >= min && d <= max && (step <= 1 || (d - min) % step === 0));
    return got.length ? got : [300];
  }
  const list = [...new Set(values.filter((v) => v > 0))].sort((a, b) => a - b);
  return list.length ? list : [300];
}
