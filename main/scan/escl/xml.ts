/**
 * eSCL XML (Mopria "eSCL Technical Specification" 2.x, as HP, Canon, Brother, Epson… printers speak it; read the same way
 * sane-airscan's airscan-escl.c and NAPS2's EsclClient do): ScannerCapabilities and ScannerStatus parsed with
 * fast-xml-parser (namespace prefixes dropped), ScanSettings written for `POST ScanJobs`. See docs/scanning.md "eSCL".
 */
import { XMLParser } from 'fast-xml-parser';
import type { ColorMode, ScannerCapabilities, ScanSource } from '../../../shared/domain/scan';
import type { ScanOptions } from '../types';

const ALWAYS_LIST = new Set(['ColorMode', 'DiscreteResolution', 'SettingProfile', 'DocumentFormat', 'DocumentFormatExt', 'JobInfo', 'JobStateReason', 'AdfState']);
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: true,
  isArray: (name) => ALWAYS_LIST.has(name),
});

type Node = Record<string, unknown>;
const obj = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
const int = (v: unknown): number | null => {
  const n = Number.parseInt(text(v), 10);
  return Number.isFinite(n) && n > 0 ? n : null;
};

/** Parses an XML body; throws an Error naming `what` when it is not XML holding `root`. */
function parseRoot(xml: string, root: string, what: string): Node {
  let doc: Node;
  try {
    doc = obj(parser.parse(xml, true));
  } catch {
    throw new Error(`${what}: XML illisible`);
  }
  if (!(root in doc)) throw new Error(`${what}: élément ${root} absent`);
  return obj(doc[root]);
}

/** eSCL colour modes and ours. `BlackAndWhite1` is 1 bit per pixel; `Grayscale8` and `RGB24` 8 bits per channel. */
const MODE_OF: Record<string, ColorMode> = { RGB24: 'color', RGB48: 'color', Grayscale8: 'gray', Grayscale16: 'gray', BlackAndWhite1: 'bw' };
export const ESCL_MODE: Record<ColorMode, string> = { color: 'RGB24', gray: 'Grayscale8', bw: 'BlackAndWhite1' };

interface InputCaps {
  modes: Set<ColorMode>;
  resolutions: Set<number>;
  formats: Set<string>;
  maxWidth: number | null;
  maxHeight: number | null;
}

function readInputCaps(node: unknown): InputCaps | null {
  const caps = obj(node);
  if (Object.keys(caps).length === 0) return null;
  const out: InputCaps = { modes: new Set(), resolutions: new Set(), formats: new Set(), maxWidth: int(caps.MaxWidth), maxHeight: int(caps.MaxHeight) };
  for (const profile of list(obj(caps.SettingProfiles).SettingProfile)) {
    const p = obj(profile);
    for (const m of list(obj(p.ColorModes).ColorMode)) {
      const mode = MODE_OF[text(m)];
      if (mode) out.modes.add(mode);
    }
    const res = obj(p.SupportedResolutions);
    for (const d of list(obj(res.DiscreteResolutions).DiscreteResolution)) {
      const x = int(obj(d).XResolution);
      const y = int(obj(d).YResolution);
      if (x && (!y || y === x)) out.resolutions.add(x);
    }
    const range = obj(res.ResolutionRange);
    const xr = obj(range.XResolutionRange);
    const min = int(xr.Min);
    const max = int(xr.Max);
    if (min && max) {
      for (const common of [75, 100, 150, 200, 300, 400, 600, 1200]) if (common >= min && common <= max) out.resolutions.add(common);
    }
    for (const f of [...list(obj(p.DocumentFormats).DocumentFormat), ...list(obj(p.DocumentFormats).DocumentFormatExt)]) out.formats.add(text(f));
  }
  return out;
}

/** What a scanner offers, with the extras the client needs to build a job. */
export interface EsclCapabilities extends ScannerCapabilities {
  makeAndModel: string;
  /** MIME types per input (`platen`, `feeder`). */
  formats: Set<string>;
  /** Largest area per input, in 1/300 inch (eSCL's unit). */
  maxArea: Partial<Record<'platen' | 'feeder', { width: number; height: number }>>;
}

/** Parses a `GET ScannerCapabilities` answer. Throws an Error (not French: logged, then turned into `other`) when malformed. */
export function parseCapabilities(xml: string): EsclCapabilities {
  const root = parseRoot(xml, 'ScannerCapabilities', 'ScannerCapabilities');
  const platen = readInputCaps(obj(root.Platen).PlatenInputCaps);
  const adf = obj(root.Adf);
  const simplex = readInputCaps(adf.AdfSimplexInputCaps);
  const duplex = readInputCaps(adf.AdfDuplexInputCaps);
  const sources: ScanSource[] = [];
  if (platen) sources.push('platen');
  if (simplex || duplex) sources.push('feeder');
  // Duplex is offered when the feeder says so: AdfDuplexInputCaps, or "Duplex" among its FeederCapacity/AdfOptions.
  const adfOptions = list(obj(adf.AdfOptions).AdfOption).map(text);
  if (duplex || adfOptions.includes('Duplex')) sources.push('duplex');
  const all = [platen, simplex, duplex].filter((c): c is InputCaps => c !== null);
  const modes = (['color', 'gray', 'bw'] as const).filter((m) => all.some((c) => c.modes.has(m)));
  const resolutions = [...new Set(all.flatMap((c) => [...c.resolutions]))].sort((a, b) => a - b);
  const formats = new Set(all.flatMap((c) => [...c.formats]));
  const area = (c: InputCaps | null) => (c?.maxWidth && c.maxHeight ? { width: c.maxWidth, height: c.maxHeight } : undefined);
  const maxArea: EsclCapabilities['maxArea'] = {};
  if (area(platen)) maxArea.platen = area(platen);
  if (area(simplex ?? duplex)) maxArea.feeder = area(simplex ?? duplex);
  return { sources, modes, resolutions, formats, maxArea, makeAndModel: text(root.MakeAndModel) };
}

/** The scanner's state (`Idle`, `Processing`, `Testing`, `Stopped`, `Down`), its feeder's, and its jobs' (newest first as sent). */
export interface EsclStatus {
  state: string;
  adfState: string | null;
  jobs: { uri: string; state: string; reasons: string[] }[];
}

export function parseStatus(xml: string): EsclStatus {
  const root = parseRoot(xml, 'ScannerStatus', 'ScannerStatus');
  const adf = list(root.AdfState).map(text);
  const jobs = list(obj(root.Jobs).JobInfo).map((j) => {
    const info = obj(j);
    return { uri: text(info.JobUri), state: text(info.JobState), reasons: list(obj(info.JobStateReasons).JobStateReason).map(text) };
  });
  return { state: text(root.State), adfState: adf[0] ?? null, jobs };
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The `POST ScanJobs` body: the whole page area the input offers (A4 when unknown: 2480 × 3508 at 300 dpi, in 1/300
 * inch), `Platen` or `Feeder`, `Duplex` for a feeder, the colour mode, both resolutions, and the format asked both as
 * `pwg:DocumentFormat` (eSCL 1.x) and `scan:DocumentFormatExt` (2.x), as sane-airscan sends them.
 */
export function buildScanSettings(options: ScanOptions, format: string, area?: { width: number; height: number }): string {
  const feeder = options.source !== 'platen';
  const { width, height } = area ?? { width: 2480, height: 3508 };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<scan:ScanSettings xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">',
    '  <pwg:Version>2.0</pwg:Version>',
    '  <scan:Intent>Document</scan:Intent>',
    '  <pwg:ScanRegions>',
    '    <pwg:ScanRegion>',
    `      <pwg:Height>${height}</pwg:Height>`,
    `      <pwg:Width>${width}</pwg:Width>`,
    '      <pwg:XOffset>0</pwg:XOffset>',
    '      <pwg:YOffset>0</pwg:YOffset>',
    '      <pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>',
    '    </pwg:ScanRegion>',
    '  </pwg:ScanRegions>',
    `  <pwg:InputSource>${feeder ? 'Feeder' : 'Platen'}</pwg:InputSource>`,
    ...(feeder ? [`  <scan:Duplex>${options.duplex ? 'true' : 'false'}</scan:Duplex>`] : []),
    `  <scan:ColorMode>${ESCL_MODE[options.mode]}</scan:ColorMode>`,
    `  <scan:XResolution>${options.dpi}</scan:XResolution>`,
    `  <scan:YResolution>${options.dpi}</scan:YResolution>`,
    `  <pwg:DocumentFormat>${escapeXml(format)}</pwg:DocumentFormat>`,
    `  <scan:DocumentFormatExt>${escapeXml(format)}</scan:DocumentFormatExt>`,
    '</scan:ScanSettings>',
    '',
  ].join('\n');
}

/** Parses a ScanSettings body (the test server reads what clients send). */
export function parseScanSettings(xml: string): { source: string; duplex: boolean; mode: string; xResolution: number | null; format: string } {
  const root = parseRoot(xml, 'ScanSettings', 'ScanSettings');
  return {
    source: text(root.InputSource) || 'Platen',
    duplex: text(root.Duplex) === 'true',
    mode: text(list(root.ColorMode)[0]),
    xResolution: int(root.XResolution),
    format: text(list(root.DocumentFormatExt)[0]) || text(list(root.DocumentFormat)[0]),
  };
}
