/**
 * What the test eSCL server says and sends (tests/helpers/esclServer.ts): real eSCL XML (Mopria eSCL 2.x, shaped like
 * an HP LaserJet MFP's answers, the form sane-airscan and NAPS2 read) and A4 pages rendered with sharp from SVG, with
 * known text, at the resolution and colour mode a job asks.
 */
import sharp from 'sharp';

const NS = 'xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"';
const RESOLUTIONS = [75, 100, 150, 200, 300, 600];

/** A page in the test scanner: lines of text (French welcome), an SVG of an A4 page (viewBox 0 0 210 297, mm), or both. */
export interface PageSpec {
  /** Lines written from the top of the page, 7 mm apart, 5 mm high. */
  text?: string[];
  /** A whole SVG document drawn instead of the text page. */
  svg?: string;
  /** Background colour (a coloured sheet: a CAF letter is often tinted). Default white. */
  background?: string;
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The SVG of a text page (A4, millimetres). */
export function pageSvg(page: PageSpec): string {
  if (page.svg) return page.svg;
  const lines = (page.text ?? []).map((line, i) => `<text x="20" y="${30 + i * 9}" font-family="DejaVu Sans, sans-serif" font-size="5" fill="black">${escapeXml(line)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 210 297"><rect width="210" height="297" fill="${escapeXml(page.background ?? 'white')}"/><rect x="150" y="10" width="40" height="12" fill="#1f5fa8"/>${lines.join('')}</svg>`;
}

/** A4 in pixels at `dpi` (8.27 × 11.69 inches). */
export function a4Pixels(dpi: number): { width: number; height: number } {
  return { width: Math.round((210 / 25.4) * dpi), height: Math.round((297 / 25.4) * dpi) };
}

/**
 * Renders `page` at `dpi` in `mode` (`RGB24`, `Grayscale8`, `BlackAndWhite1`) as `format` (`image/jpeg` or
 * `image/png`). A grey page is a one-channel JPEG; black and white is thresholded (1-bit PNG when PNG is asked).
 */
export async function renderPage(page: PageSpec, dpi: number, mode: string, format: string): Promise<Uint8Array> {
  const { width, height } = a4Pixels(dpi);
  const svg = pageSvg(page).replace('<svg ', `<svg width="${width}" height="${height}" preserveAspectRatio="none" `);
  let img = sharp(Buffer.from(svg)).flatten({ background: '#ffffff' });
  if (mode === 'Grayscale8') img = img.toColourspace('b-w');
  if (mode === 'BlackAndWhite1') img = img.threshold(160).toColourspace('b-w');
  const out = format === 'image/png' ? await img.png(mode === 'BlackAndWhite1' ? { palette: true, colours: 2 } : {}).toBuffer() : await img.jpeg({ quality: 85 }).toBuffer();
  return new Uint8Array(out);
}

function inputCaps(tag: string, maxWidth: number, maxHeight: number): string {
  const modes = ['RGB24', 'Grayscale8', 'BlackAndWhite1'].map((m) => `<scan:ColorMode>${m}</scan:ColorMode>`).join('');
  const res = RESOLUTIONS.map((r) => `<scan:DiscreteResolution><scan:XResolution>${r}</scan:XResolution><scan:YResolution>${r}</scan:YResolution></scan:DiscreteResolution>`).join('');
  const formats = ['image/jpeg', 'image/png'].map((f) => `<pwg:DocumentFormat>${f}</pwg:DocumentFormat><scan:DocumentFormatExt>${f}</scan:DocumentFormatExt>`).join('');
  return `<scan:${tag}>
      <scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>${maxWidth}</scan:MaxWidth>
      <scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>${maxHeight}</scan:MaxHeight>
      <scan:MaxScanRegions>1</scan:MaxScanRegions>
      <scan:SettingProfiles><scan:SettingProfile>
        <scan:ColorModes>${modes}</scan:ColorModes>
        <scan:ContentTypes><pwg:ContentType>Photo</pwg:ContentType><pwg:ContentType>Text</pwg:ContentType><pwg:ContentType>TextAndPhoto</pwg:ContentType></scan:ContentTypes>
        <scan:DocumentFormats>${formats}</scan:DocumentFormats>
        <scan:SupportedResolutions><scan:DiscreteResolutions>${res}</scan:DiscreteResolutions></scan:SupportedResolutions>
        <scan:ColorSpaces><scan:ColorSpace>sRGB</scan:ColorSpace></scan:ColorSpaces>
      </scan:SettingProfile></scan:SettingProfiles>
      <scan:SupportedIntents><scan:Intent>Document</scan:Intent><scan:Intent>TextAndGraphic</scan:Intent><scan:Intent>Photo</scan:Intent><scan:Intent>Preview</scan:Intent></scan:SupportedIntents>
      <scan:MaxOpticalXResolution>600</scan:MaxOpticalXResolution><scan:MaxOpticalYResolution>600</scan:MaxOpticalYResolution>
      <scan:RiskyLeftMargin>0</scan:RiskyLeftMargin><scan:RiskyRightMargin>0</scan:RiskyRightMargin>
      <scan:RiskyTopMargin>0</scan:RiskyTopMargin><scan:RiskyBottomMargin>0</scan:RiskyBottomMargin>
    </scan:${tag}>`;
}

/** `GET ScannerCapabilities`: platen (A4/Letter glass), and a feeder (simplex, and duplex when `duplex`). */
export function capabilitiesXml(o: { makeAndModel: string; uuid: string; platen: boolean; feeder: boolean; duplex: boolean }): string {
  const platen = o.platen ? `<scan:Platen>${inputCaps('PlatenInputCaps', 2550, 3508)}</scan:Platen>` : '';
  const adf = o.feeder
    ? `<scan:Adf>${inputCaps('AdfSimplexInputCaps', 2550, 4200)}${o.duplex ? inputCaps('AdfDuplexInputCaps', 2550, 4200) : ''}
    <scan:FeederCapacity>50</scan:FeederCapacity>
    <scan:AdfOptions><scan:AdfOption>DetectPaperLoaded</scan:AdfOption>${o.duplex ? '<scan:AdfOption>Duplex</scan:AdfOption>' : ''}</scan:AdfOptions>
  </scan:Adf>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities ${NS}>
  <pwg:Version>2.63</pwg:Version>
  <pwg:MakeAndModel>${escapeXml(o.makeAndModel)}</pwg:MakeAndModel>
  <pwg:SerialNumber>SOLI0001</pwg:SerialNumber>
  <scan:UUID>${o.uuid}</scan:UUID>
  <scan:AdminURI>http://127.0.0.1/</scan:AdminURI>
  ${platen}
  ${adf}
  <scan:BrightnessSupport><scan:Min>0</scan:Min><scan:Max>200</scan:Max><scan:Normal>100</scan:Normal><scan:Step>1</scan:Step></scan:BrightnessSupport>
</scan:ScannerCapabilities>
`;
}

export interface StatusJob {
  uri: string;
  uuid: string;
  state: 'Pending' | 'Processing' | 'Completed' | 'Canceled' | 'Aborted';
  reasons: string[];
  completed: number;
  age: number;
}

/** `GET ScannerStatus`: scanner state, feeder state (ScannerAdfLoaded, ScannerAdfEmpty, ScannerAdfJam, ScannerAdfDoorOpen), jobs newest first. */
export function statusXml(state: 'Idle' | 'Processing' | 'Stopped', adfState: string | null, jobs: StatusJob[]): string {
  const infos = jobs
    .map(
      (j) => `<scan:JobInfo><pwg:JobUri>${j.uri}</pwg:JobUri><pwg:JobUuid>${j.uuid}</pwg:JobUuid><scan:Age>${j.age}</scan:Age><pwg:ImagesCompleted>${j.completed}</pwg:ImagesCompleted><pwg:ImagesToTransfer>0</pwg:ImagesToTransfer><pwg:JobState>${j.state}</pwg:JobState><pwg:JobStateReasons>${j.reasons.map((r) => `<pwg:JobStateReason>${r}</pwg:JobStateReason>`).join('')}</pwg:JobStateReasons></scan:JobInfo>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerStatus ${NS}>
  <pwg:Version>2.63</pwg:Version>
  <pwg:State>${state}</pwg:State>
  ${adfState ? `<scan:AdfState>${adfState}</scan:AdfState>` : ''}
  <scan:Jobs>${infos}</scan:Jobs>
</scan:ScannerStatus>
`;
}
