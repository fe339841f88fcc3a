/**
 * The WIA driver (Windows): each call runs `powershell.exe -NoProfile -NonInteractive -Command -` with a script from
 * main/scan/wia/script.ts on stdin and reads its JSON lines (main/scan/wia/answers.ts) as they come: a feeder's pages
 * are given one by one while the next is scanned. Ids are `wia:{GUID}\NNNN` (WIA's DeviceID). Cancel kills the child
 * (WIA then ends the transfer); the iteration ends quietly and the pages already given stay. Offered only on Windows.
 * It has been tested only against a fake `powershell` replaying recorded answers, never on a real Windows PC
 * (docs/scanning.md « WIA »).
 */
import { spawn } from 'node:child_process';
import type { Scanner, ScannerCapabilities } from '../../../shared/domain/scan';
import { ScanFailure, type ScannedImage, type ScannerDriver, type ScanOptions } from '../types';
import { asArray, parseAnswer, wiaError, wiaResolutions, type WiaAnswer } from './answers';
import { capabilitiesScript, listScript, scanScript } from './script';

export interface WiaDriverOptions {
  /** The PowerShell program (default `powershell.exe`, Windows PowerShell 5.1 shipped with Windows 10 and 11). */
  command?: string;
  /** Environment of the child (tests: a PATH where a fake `powershell.exe` answers). */
  env?: NodeJS.ProcessEnv;
  /** Platform, for tests (default process.platform). */
  platform?: NodeJS.Platform;
  /** Time limit of listing and capabilities (ms, default 30 s). */
  queryTimeoutMs?: number;
}

/** Strips `wia:`; throws ScanFailure('unreachable') for another kind of id. */
export function wiaDevice(id: string): string {
  if (!id.startsWith('wia:')) throw new ScanFailure('unreachable', `Identifiant de scanner WIA invalide : « ${id.slice(0, 80)} » (attendu : wia:{GUID}\\NNNN).`);
  return id.slice(4);
}

export class WiaDriver implements ScannerDriver {
  readonly kind = 'wia' as const;
  private readonly command: string;

  constructor(private readonly options: WiaDriverOptions = {}) {
    this.command = options.command ?? 'powershell.exe';
  }

  /** True on Windows only. */
  available(): boolean {
    return (this.options.platform ?? process.platform) === 'win32';
  }

  /**
   * Runs `script` and yields its answers line by line; an `error` answer throws its ScanFailure, a child that dies
   * without `end` throws ScanFailure('other'). Aborting kills the child and ends the iteration without error.
   */
  private async *answers(script: string, signal: AbortSignal | null, timeoutMs: number | null): AsyncGenerator<WiaAnswer> {
    const child = spawn(this.command, ['-NoProfile', '-NonInteractive', '-Command', '-'], { env: this.options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const lines: string[] = [];
    let pending = '';
    let closed = false;
    let failure: Error | null = null;
    let wake: (() => void) | null = null;
    const notify = () => {
      wake?.();
      wake = null;
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      pending += d;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      lines.push(...parts);
      notify();
    });
    child.stderr.resume();
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure = new ScanFailure('unreachable', `Impossible de lancer PowerShell (${e.code ?? 'erreur'}) : la numérisation WIA demande Windows PowerShell.`);
    });
    child.on('close', () => {
      if (pending) lines.push(pending);
      closed = true;
      notify();
    });
    child.stdin.on('error', () => undefined); // a child that died early: reported by 'close'
    child.stdin.end(script, 'utf8');
    const kill = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', kill, { once: true });
    const timer = timeoutMs ? setTimeout(kill, timeoutMs) : null;
    let ended = false;
    try {
      for (;;) {
        const next = lines.shift();
        if (next !== undefined) {
          if (signal?.aborted) continue;
          const answer = parseAnswer(next);
          if (!answer) continue;
          if (answer.type === 'error') throw wiaError(answer.hresult);
          if (answer.type === 'end') ended = true;
          yield answer;
          continue;
        }
        if (closed) break;
        await new Promise<void>((r) => (wake = r));
      }
      if (signal?.aborted) return;
      if (failure) throw failure;
      if (!ended) throw new ScanFailure('other', 'PowerShell s’est arrêté avant la fin de la numérisation WIA : relancez ; si cela se répète, redémarrez le poste.');
    } finally {
      signal?.removeEventListener('abort', kill);
      if (timer) clearTimeout(timer);
      if (!closed) kill();
    }
  }

  async list(): Promise<Scanner[]> {
    if (!this.available()) return [];
    const found: Scanner[] = [];
    for await (const a of this.answers(listScript(), null, this.options.queryTimeoutMs ?? 30_000)) {
      if (a.type === 'device') found.push({ id: `wia:${a.id}`, name: a.name || a.id, kind: 'wia', sources: asArray(a.sources) });
    }
    return found;
  }

  async capabilities(id: string): Promise<ScannerCapabilities> {
    for await (const a of this.answers(capabilitiesScript(wiaDevice(id)), null, this.options.queryTimeoutMs ?? 30_000)) {
      if (a.type === 'capabilities') return { sources: asArray(a.sources), modes: a.modes, resolutions: wiaResolutions(asArray(a.resolutions), a.range) };
    }
    throw new ScanFailure('other', 'Le scanner WIA n’a pas donné ses possibilités : relancez.');
  }

  async *scan(id: string, options: ScanOptions, signal: AbortSignal): AsyncGenerator<ScannedImage> {
    const script = scanScript(wiaDevice(id), options);
    for await (const a of this.answers(script, signal, null)) {
      if (a.type === 'page') yield { bytes: new Uint8Array(Buffer.from(a.base64, 'base64')), mime: a.mime };
    }
  }
}
