/**
 * The SANE driver: scanners reached through `scanimage` (Debian `sane-utils`, macOS Homebrew `sane-backends`), as a
 * child process — never linked to libsane. Ids are `sane:DEVICE` (`sane:test:0`, `sane:airscan:e0:Brother…`).
 * - `list()`: `scanimage -L`, then `-A` per device for its sources (a device whose options cannot be read is offered
 *   as a platen);
 * - `capabilities(id)`: `scanimage -d DEV -A` (main/scan/sane/parse.ts);
 * - `scan()`: the platen gives one page on stdout; the feeder runs `--batch` into a private temporary folder (0700,
 *   removed at the end) with `--batch-print`, each page being read and deleted as soon as its name is printed;
 * - cancel (the AbortSignal): SIGINT (scanimage then calls `sane_cancel`), SIGKILL 3 s later; the iteration ends
 *   quietly, the pages already given stay with the caller.
 * Failures throw ScanFailure with the code and French message of `describeFailure`. Offered only on Linux and macOS when
 * `scanimage` is found on the PATH (docs/scanning.md « SANE »).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Scanner, ScannerCapabilities } from '../../../shared/domain/scan';
import { ScanFailure, type ScannedImage, type ScannerDriver, type ScanOptions } from '../types';
import { buildScanArgs, type SaneFormat } from './command';
import { describeFailure, parseDeviceList, parseOptions, type SaneOptions } from './parse';

export interface SaneDriverOptions {
  /** The scanimage program (default: `scanimage` found on the PATH). */
  command?: string;
  /** Extra environment (tests: `SANE_CONFIG_DIR` naming a `dll.conf` with the `test` backend). */
  env?: Record<string, string>;
  /** Page format asked of scanimage (default png; tiff for old scanimage builds without png). */
  format?: SaneFormat;
  /** Time limit of `-L` and `-A` (ms, default 20 s: network backends probe the LAN). */
  queryTimeoutMs?: number;
  /** Platform, for tests (default process.platform). */
  platform?: NodeJS.Platform;
}

const MIME: Record<SaneFormat, string> = { png: 'image/png', tiff: 'image/tiff', pnm: 'image/x-portable-anymap' };

/** Finds `name` as an executable file in one of the PATH's folders; null when absent. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Strips the `sane:` prefix; throws ScanFailure('unreachable') for another kind of id. */
export function saneDevice(id: string): string {
  if (!id.startsWith('sane:') || id.length <= 5) throw new ScanFailure('unreachable', `Identifiant de scanner SANE invalide : « ${id.slice(0, 80)} » (attendu : sane:APPAREIL).`);
  return id.slice(5);
}

interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export class SaneDriver implements ScannerDriver {
  readonly kind = 'sane' as const;
  private readonly command: string | null;
  private readonly format: SaneFormat;

  constructor(private readonly options: SaneDriverOptions = {}) {
    const platform = options.platform ?? process.platform;
    this.command = platform === 'linux' || platform === 'darwin' ? (options.command ?? findOnPath('scanimage')) : null;
    this.format = options.format ?? 'png';
  }

  /** True when scanimage can be run here (Linux or macOS, program found). */
  available(): boolean {
    return this.command !== null;
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, ...this.options.env, LC_ALL: 'C', LANG: 'C' };
  }

  /** Runs scanimage to completion with a time limit; never throws for a non-zero exit (the caller reads it). */
  private run(args: string[]): Promise<RunResult> {
    const command = this.command;
    if (!command) return Promise.reject(new ScanFailure('unreachable', 'SANE (scanimage) n’est pas installé sur ce poste.'));
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let err = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), this.options.queryTimeoutMs ?? 20_000);
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new ScanFailure('unreachable', `Impossible de lancer scanimage (${(e as NodeJS.ErrnoException).code ?? 'erreur'}) : vérifiez l’installation de SANE.`));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout: Buffer.concat(out), stderr: err });
      });
    });
  }

  async list(): Promise<Scanner[]> {
    if (!this.available()) return [];
    const r = await this.run(['-L']);
    if (r.code !== 0) return [];
    const found: Scanner[] = [];
    for (const d of parseDeviceList(r.stdout.toString('utf8'))) {
      let sources: Scanner['sources'] = ['platen'];
      try {
        sources = (await this.saneOptions(d.device)).sources;
      } catch {
        // options unreadable now (busy): offered as a platen, capabilities are read again before a scan
      }
      found.push({ id: `sane:${d.device}`, name: d.name, kind: 'sane', sources });
    }
    return found;
  }

  private async saneOptions(device: string): Promise<SaneOptions> {
    const r = await this.run(['-d', device, '-A']);
    if (r.code !== 0) {
      const f = describeFailure(r.code, r.stderr);
      throw new ScanFailure(f.code, f.message);
    }
    return parseOptions(r.stdout.toString('utf8'));
  }

  async capabilities(id: string): Promise<ScannerCapabilities> {
    const o = await this.saneOptions(saneDevice(id));
    return { sources: o.sources, modes: o.modes, resolutions: o.resolutions };
  }

  async *scan(id: string, request: ScanOptions, signal: AbortSignal): AsyncGenerator<ScannedImage> {
    const device = saneDevice(id);
    const options = await this.saneOptions(device);
    const feeder = request.source !== 'platen';
    const dir = feeder ? await mkdtemp(join(tmpdir(), 'solidariciel-sane-')) : null;
    const args = buildScanArgs(device, options, request, this.format, dir);
    const mime = MIME[this.format];
    const child = spawn(this.command!, args, { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const queue: Array<string | Buffer> = [];
    let stderr = '';
    let finished = false;
    let exit: number | null = null;
    let wake: (() => void) | null = null;
    const notify = () => {
      wake?.();
      wake = null;
    };
    const out: Buffer[] = [];
    let pending = '';
    child.stdout.on('data', (d: Buffer) => {
      if (!feeder) return void out.push(d);
      pending += d.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) queue.push(line.trim());
      notify();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-32_768);
    });
    let spawnError: Error | null = null;
    child.on('error', (e) => (spawnError = e));
    child.on('close', (code) => {
      exit = code;
      if (!feeder) queue.push(Buffer.concat(out));
      finished = true;
      notify();
    });
    let killTimer: NodeJS.Timeout | null = null;
    const onAbort = () => {
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 3000);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    let pages = 0;
    try {
      for (;;) {
        const next = queue.shift();
        if (next !== undefined) {
          if (signal.aborted) continue;
          if (typeof next === 'string') {
            // --batch-print names each finished page; only files inside our own folder are read.
            if (!dir || !next.startsWith(dir + '/')) continue;
            const bytes = await readFile(next);
            await unlink(next);
            pages++;
            yield { bytes: new Uint8Array(bytes), mime };
          } else if (exit === 0 && next.byteLength > 0) {
            pages++;
            yield { bytes: new Uint8Array(next), mime };
          }
          continue;
        }
        if (finished) break;
        await new Promise<void>((r) => (wake = r));
      }
      if (signal.aborted) return;
      if (spawnError) throw new ScanFailure('unreachable', 'Impossible de lancer scanimage : vérifiez l’installation de SANE.');
      // A batch ends normally with « out of documents » once the feeder is empty; with no page at all, it was empty.
      if (exit !== 0 || pages === 0) {
        const f = describeFailure(exit === 0 && feeder ? 7 : exit, stderr);
        throw new ScanFailure(f.code, f.message);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (!finished) {
        child.kill('SIGINT');
        killTimer ??= setTimeout(() => child.kill('SIGKILL'), 3000);
        await new Promise<void>((r) => (finished ? r() : child.once('close', () => r())));
      }
      if (killTimer) clearTimeout(killTimer);
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }
}
