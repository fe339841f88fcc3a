/**
 * The PowerShell scripts of the WIA driver (pure builders; docs/scanning.md « WIA »). Each script is sent on stdin to
 * `powershell.exe -NoProfile -NonInteractive -Command -` and answers JSON lines on stdout (main/scan/wia/answers.ts).
 * It drives WIA 2.0's scripting objects (COM `WIA.DeviceManager`, wiaaut.dll, present on every Windows since Vista):
 * - device properties: WIA_DIP_DEV_NAME 7, WIA_DPS_DOCUMENT_HANDLING_CAPABILITIES 3086 and _SELECT 3088 (FEEDER 0x1,
 *   FLATBED 0x2, DUPLEX 0x4), WIA_DPS_PAGES 3096;
 * - item properties: WIA_IPS_CUR_INTENT 6146 (colour 1, grey 2, text 4), WIA_IPS_XRES 6147, WIA_IPS_YRES 6148;
 * - `Item.Transfer(wiaFormatPNG)`, repeated for the feeder until WIA_ERROR_PAPER_EMPTY (0x80210003).
 * Reference: Microsoft Learn, « WIA Device Property Constants », « WIA Item Property Constants », « WIA Error Codes »,
 * and the WIA Automation Layer's `Item.Transfer`. Every value placed in a script is checked or quoted here: the device id
 * must match WIA's own form, numbers are integers, strings are single-quoted PowerShell literals.
 */
import { SCAN_DPI_MAX, SCAN_DPI_MIN, type ColorMode } from '../../../shared/domain/scan';
import { ScanFailure, type ScanOptions } from '../types';

/** WIA's image format GUID for PNG (wiaFormatPNG). */
export const WIA_FORMAT_PNG = '{B96B3CAF-0728-11D3-9D7B-0000F81EF32E}';

/** A WIA device id, e.g. `{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\0001`: braces, hex, dashes, backslash, digits. */
const DEVICE_ID = /^\{[0-9A-Fa-f-]{36}\}\\\d{1,6}$/;

/** A PowerShell single-quoted literal (`'` doubled: about_Quoting_Rules). */
export function psQuote(text: string): string {
  return `'${text.replace(/['‘’‚‛]/g, "''")}'`;
}

/** Checks a WIA device id (after `wia:`); throws ScanFailure('unreachable') in French when it is not one. */
export function checkDeviceId(deviceId: string): string {
  if (!DEVICE_ID.test(deviceId)) throw new ScanFailure('unreachable', `Identifiant de scanner WIA invalide : « ${deviceId.slice(0, 80)} » (attendu : wia:{GUID}\\NNNN).`);
  return deviceId;
}

/** Shared head: strict errors, UTF-8 output, one compact JSON object per line, the HRESULT of a COM failure. */
const PRELUDE = `$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
function Out-Json($o) { [Console]::Out.WriteLine(($o | ConvertTo-Json -Compress -Depth 5)); [Console]::Out.Flush() }
function Get-HResult($e) { $x = $e.Exception; while ($x.InnerException) { $x = $x.InnerException }; '0x{0:X8}' -f $x.HResult }
function Get-Prop($props, $id) { foreach ($p in $props) { if ($p.PropertyID -eq $id) { return $p } }; return $null }
function Set-Prop($props, $id, $value) { $p = Get-Prop $props $id; if ($p) { $p.Value = $value } }
function Get-Sources($dev) {
  $caps = Get-Prop $dev.Properties 3086
  if (-not $caps) { return @('platen') }
  $s = @(); if ($caps.Value -band 2) { $s += 'platen' }; if ($caps.Value -band 1) { $s += 'feeder' }; if ($caps.Value -band 4) { $s += 'duplex' }
  if ($s.Count -eq 0) { $s = @('platen') }; return $s
}
function Find-Device($id) {
  $dm = New-Object -ComObject WIA.DeviceManager
  foreach ($i in $dm.DeviceInfos) { if ($i.DeviceID -eq $id) { return $i } }
  Out-Json @{ type = 'error'; hresult = '0x80210015'; message = 'device not found' }; exit 0
}
`;

/** Lists the scanners (DeviceInfo.Type 1) with their name and sources; a device that cannot be opened is a platen. */
export function listScript(): string {
  return `${PRELUDE}try {
  $dm = New-Object -ComObject WIA.DeviceManager
  foreach ($i in $dm.DeviceInfos) {
    if ($i.Type -ne 1) { continue }
    $name = (Get-Prop $i.Properties 7).Value
    $sources = @('platen')
    try { $sources = Get-Sources ($i.Connect()) } catch { }
    Out-Json @{ type = 'device'; id = $i.DeviceID; name = "$name"; sources = $sources }
  }
  Out-Json @{ type = 'end'; pages = 0 }
} catch { Out-Json @{ type = 'error'; hresult = (Get-HResult $_); message = $_.Exception.Message } }
`;
}

/** Reads a device's sources, intents and resolutions (XRES: a range with min/max/step, or a list). */
export function capabilitiesScript(deviceId: string): string {
  return `${PRELUDE}$id = ${psQuote(checkDeviceId(deviceId))}
try {
  $dev = (Find-Device $id).Connect()
  $item = $dev.Items.Item(1)
  $x = Get-Prop $item.Properties 6147
  $res = @()
  if ($x -and $x.SubType -eq 2) { foreach ($v in $x.SubTypeValues) { $res += [int]$v } }
  elseif ($x -and $x.SubType -eq 1) { $res = @([int]$x.SubTypeMin, [int]$x.SubTypeMax, [int]$x.SubTypeStep) }
  $modes = @('color', 'gray', 'bw')
  Out-Json @{ type = 'capabilities'; sources = (Get-Sources $dev); modes = $modes; resolutions = $res; range = ($x -and $x.SubType -eq 1) }
} catch { Out-Json @{ type = 'error'; hresult = (Get-HResult $_); message = $_.Exception.Message } }
`;
}

const INTENT: Record<ColorMode, number> = { color: 1, gray: 2, bw: 4 };

/**
 * Scans: selects the source (3088: platen 2, feeder 1, feeder + duplex 5), one page per transfer (3096 = 1), the
 * intent and resolution, then transfers PNG pages — once for the platen, until the feeder is empty otherwise (an
 * empty feeder before the first page is an error: WIA_ERROR_PAPER_EMPTY). Each page is one line
 * `{type:'page', index, mime, base64}`: never a file on disk.
 */
export function scanScript(deviceId: string, options: ScanOptions): string {
  const id = checkDeviceId(deviceId);
  const feeder = options.source !== 'platen';
  const handling = options.source === 'platen' ? 2 : options.source === 'duplex' || options.duplex ? 5 : 1;
  const dpi = options.dpi;
  if (!Number.isInteger(dpi) || dpi < SCAN_DPI_MIN || dpi > SCAN_DPI_MAX) throw new ScanFailure('other', `Résolution refusée : ${dpi} ppp (entre ${SCAN_DPI_MIN} et ${SCAN_DPI_MAX}).`);
  const intent = INTENT[options.mode];
  return `${PRELUDE}$id = ${psQuote(id)}
$handling = ${handling}
$feeder = ${feeder ? '$true' : '$false'}
$dpi = ${dpi}
$intent = ${intent}
try {
  $dev = (Find-Device $id).Connect()
  Set-Prop $dev.Properties 3088 $handling
  Set-Prop $dev.Properties 3096 1
  $item = $dev.Items.Item(1)
  Set-Prop $item.Properties 6146 $intent
  Set-Prop $item.Properties 6147 $dpi
  Set-Prop $item.Properties 6148 $dpi
  $n = 0
  while ($true) {
    try { $img = $item.Transfer('${WIA_FORMAT_PNG}') }
    catch { if ($feeder -and $n -gt 0 -and (Get-HResult $_) -eq '0x80210003') { break }; throw }
    $n++
    Out-Json @{ type = 'page'; index = $n; mime = 'image/png'; base64 = [Convert]::ToBase64String($img.FileData.BinaryData) }
    if (-not $feeder) { break }
  }
  Out-Json @{ type = 'end'; pages = $n }
} catch { Out-Json @{ type = 'error'; hresult = (Get-HResult $_); message = $_.Exception.Message } }
`;
}
