/**
 * A scanner for the tests: an eSCL server (Mopria eSCL 2.x over HTTP) on 127.0.0.1 with a platen, a feeder and duplex,
 * real eSCL XML (tests/helpers/esclPages.ts) and pages rendered with known text. Its script makes it busy (503), empty
 * its feeder, jam or open its cover; it records every request, the ScanSettings received and the jobs deleted. Checked
 * once against sane-airscan (tests/unit/scan/airscan.test.ts), so that it speaks eSCL and not a private dialect.
 *
 * Standalone, for the e2e suite and by hand (prints `{"url": "http://127.0.0.1:N/eSCL"}` then serves until killed):
 *   npx tsx tests/helpers/esclServer.ts --port 8090 --pages 3 [--page "Ligne 1|Ligne 2"]… [--no-duplex] [--no-refill]
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseScanSettings } from '../../main/scan/escl/xml';
import { capabilitiesXml, renderPage, statusXml, type PageSpec, type StatusJob } from './esclPages';

export type { PageSpec } from './esclPages';

export interface EsclServerOptions {
  port?: number;
  host?: string;
  makeAndModel?: string;
  platen?: boolean;
  feeder?: boolean;
  duplex?: boolean;
  /** Pages in the feeder, one face per `NextDocument` (default: 3 French text pages). The platen shows `platenPage`. */
  pages?: PageSpec[];
  platenPage?: PageSpec;
  /** After each feeder job, the feeder is loaded again with `pages` (a tireless stack: e2e, bench). Default false. */
  refill?: boolean;
  /** Wait before each page is sent (ms): a slow scanner, to cancel in the middle. */
  pageDelayMs?: number;
  /** The job's Location is relative (`/eSCL/ScanJobs/…`) instead of absolute, as some scanners send it. */
  relativeLocation?: boolean;
}

/** What a test can make the scanner do next. */
export interface EsclScript {
  /** The next `n` `POST ScanJobs` answer 503 (busy). */
  busyJobs(n: number): void;
  /** The next `n` `NextDocument` answer 503 (page not ready yet). */
  busyPages(n: number): void;
  /** Loads these pages in the feeder (replacing what was there). */
  load(pages: PageSpec[]): void;
  /** Empties the feeder. */
  empty(): void;
  /** The feeder jams after sending `n` more pages (the job aborts, the status says ScannerAdfJam). */
  jamAfter(n: number): void;
  /** Opens or closes the feeder's cover. */
  coverOpen(open: boolean): void;
  /** Clears a jam (someone pulled the sheet out). */
  clearJam(): void;
}

export interface EsclServer {
  /** The eSCL root, e.g. `http://127.0.0.1:41234/eSCL`. */
  url: string;
  port: number;
  script: EsclScript;
  /** Every request received, in order (`GET /eSCL/ScannerStatus`). */
  requests: string[];
  /** Every ScanSettings body received, parsed. */
  settings: ReturnType<typeof parseScanSettings>[];
  /** Job URIs deleted by the client. */
  deleted: string[];
  close(): Promise<void>;
}

interface Job extends StatusJob {
  mode: string;
  dpi: number;
  format: string;
  remaining: PageSpec[];
  feeder: boolean;
  created: number;
}

/** Three French pages: what the OCR and e2e tests look for. */
export const DEFAULT_PAGES: PageSpec[] = [
  { text: ['ATTESTATION DE DOMICILIATION', 'Page 1 sur 3', 'Association Entraide Paris 11', 'Madame Lucie Martin est domiciliée'] },
  { text: ['Page 2 sur 3', 'Cette attestation est valable un an', 'à compter de sa date de délivrance.', 'Mot repère : tournesol'] },
  { text: ['Page 3 sur 3', 'Fait à Paris, le 2 mars 2026', 'Signature et cachet'], background: '#fdf6e3' },
];

const XML = 'text/xml; charset=utf-8';

/** Starts the server; resolves once it listens. */
export async function startEsclServer(options: EsclServerOptions = {}): Promise<EsclServer> {
  const o = { platen: true, feeder: true, duplex: true, makeAndModel: 'Solidariciel Test MFP 1000', host: '127.0.0.1', ...options };
  const pages = o.pages ?? DEFAULT_PAGES;
  const uuid = randomUUID();
  let feeder: PageSpec[] = o.feeder ? [...pages] : [];
  let busyJobs = 0;
  let busyPages = 0;
  let jamIn: number | null = null;
  let jammed = false;
  let cover = false;
  const jobs: Job[] = [];
  const requests: string[] = [];
  const settings: EsclServer['settings'] = [];
  const deleted: string[] = [];
  const renders = new WeakMap<PageSpec, Map<string, Promise<Uint8Array>>>();
  let base = '';

  const render = (page: PageSpec, dpi: number, mode: string, format: string) => {
    let byPage = renders.get(page);
    if (!byPage) renders.set(page, (byPage = new Map()));
    const key = `${dpi}|${mode}|${format}`;
    let r = byPage.get(key);
    if (!r) byPage.set(key, (r = renderPage(page, dpi, mode, format)));
    return r;
  };
  const adfState = () => (!o.feeder ? null : jammed ? 'ScannerAdfJam' : cover ? 'ScannerAdfDoorOpen' : feeder.length > 0 ? 'ScannerAdfLoaded' : 'ScannerAdfEmpty');
  const send = (res: ServerResponse, status: number, type?: string, body?: string | Uint8Array, headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...(type ? { 'content-type': type } : {}), ...headers });
    res.end(body);
  };
  const finish = (job: Job, state: Job['state'], reasons: string[]) => {
    job.state = state;
    job.reasons = reasons;
    if (job.feeder && o.refill && state !== 'Processing') feeder = [...pages];
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/\/+$/, '');
    requests.push(`${req.method} ${path}`);
    if (req.method === 'GET' && path === '/eSCL/ScannerCapabilities') return send(res, 200, XML, capabilitiesXml({ makeAndModel: o.makeAndModel, uuid, platen: o.platen, feeder: o.feeder, duplex: o.duplex }));
    if (req.method === 'GET' && path === '/eSCL/ScannerStatus') {
      const now = Date.now();
      const list = jobs
        .slice()
        .reverse()
        .map((j) => ({ ...j, age: Math.round((now - j.created) / 1000) }));
      return send(res, 200, XML, statusXml(jobs.some((j) => j.state === 'Processing') ? 'Processing' : 'Idle', adfState(), list));
    }
    if (req.method === 'POST' && path === '/eSCL/ScanJobs') {
      const body = await readBody(req);
      let s: ReturnType<typeof parseScanSettings>;
      try {
        s = parseScanSettings(body);
      } catch {
        return send(res, 400, 'text/plain', 'bad ScanSettings');
      }
      settings.push(s);
      if (busyJobs > 0) return (busyJobs--, send(res, 503, 'text/plain', 'busy'));
      if (jobs.some((j) => j.state === 'Processing')) return send(res, 503, 'text/plain', 'busy');
      const fromFeeder = s.source === 'Feeder';
      if (fromFeeder ? !o.feeder : !o.platen) return send(res, 409, 'text/plain', 'no such input');
      if (s.duplex && !o.duplex) return send(res, 409, 'text/plain', 'no duplex');
      if (!['RGB24', 'Grayscale8', 'BlackAndWhite1'].includes(s.mode) || !s.xResolution || ![75, 100, 150, 200, 300, 600].includes(s.xResolution)) return send(res, 409, 'text/plain', 'unsupported settings');
      if (!['image/jpeg', 'image/png'].includes(s.format)) return send(res, 409, 'text/plain', 'unsupported format');
      if (fromFeeder && (jammed || cover || feeder.length === 0)) return send(res, 409, 'text/plain', 'feeder not ready');
      const id = randomUUID();
      const uri = `/eSCL/ScanJobs/${id}`;
      const job: Job = { uri, uuid: id, state: 'Processing', reasons: ['JobScanning'], completed: 0, age: 0, mode: s.mode, dpi: s.xResolution, format: s.format, feeder: fromFeeder, created: Date.now(), remaining: fromFeeder ? feeder.splice(0) : [o.platenPage ?? pages[0] ?? {}] };
      jobs.push(job);
      return send(res, 201, undefined, undefined, { location: o.relativeLocation ? uri : `${base.replace(/\/eSCL$/, '')}${uri}` });
    }
    const m = /^\/eSCL\/ScanJobs\/([0-9a-f-]+)(\/NextDocument)?$/.exec(path);
    const job = m ? jobs.find((j) => j.uuid === m[1]) : undefined;
    if (m && req.method === 'DELETE') {
      if (!job) return send(res, 404);
      deleted.push(job.uri);
      if (job.state === 'Processing') {
        if (job.feeder && !o.refill) feeder = [...job.remaining, ...feeder];
        finish(job, 'Canceled', ['JobCanceledByUser']);
      }
      return send(res, 200);
    }
    if (m?.[2] && req.method === 'GET') {
      if (!job || job.state !== 'Processing') return send(res, 404);
      if (busyPages > 0) return (busyPages--, send(res, 503, 'text/plain', 'busy'));
      if (o.pageDelayMs) await new Promise((r) => setTimeout(r, o.pageDelayMs));
      if (job.state !== 'Processing') return send(res, 404);
      if (jamIn === 0) {
        jamIn = null;
        jammed = true;
        finish(job, 'Aborted', ['AdfJam', 'JobCanceledByDevice']);
        return send(res, 404);
      }
      const page = job.remaining.shift();
      if (!page) {
        finish(job, 'Completed', ['JobCompletedSuccessfully']);
        return send(res, 404);
      }
      if (jamIn !== null) jamIn--;
      const bytes = await render(page, job.dpi, job.mode, job.format);
      job.completed++;
      return send(res, 200, job.format, bytes);
    }
    return send(res, 404, 'text/plain', 'not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}/eSCL`;
  return {
    url: base,
    port,
    requests,
    settings,
    deleted,
    script: {
      busyJobs: (n) => void (busyJobs = n),
      busyPages: (n) => void (busyPages = n),
      load: (p) => void (feeder = [...p]),
      empty: () => void (feeder = []),
      jamAfter: (n) => void (jamIn = n),
      coverOpen: (open) => void (cover = open),
      clearJam: () => void (jammed = false),
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `--pages N --page "a|b" --port N --host H --no-duplex --no-refill --delay MS`. */
function parseCli(argv: string[]): EsclServerOptions {
  const options: EsclServerOptions = { refill: true, port: 8090 };
  const custom: PageSpec[] = [];
  let count: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i] ?? '';
    if (a === '--port') options.port = Number(next());
    else if (a === '--host') options.host = next();
    else if (a === '--pages') count = Number(next());
    else if (a === '--page') custom.push({ text: next().split('|') });
    else if (a === '--delay') options.pageDelayMs = Number(next());
    else if (a === '--no-duplex') options.duplex = false;
    else if (a === '--no-refill') options.refill = false;
    else throw new Error(`option inconnue : ${a}`);
  }
  if (custom.length > 0) options.pages = custom;
  else if (count !== null) options.pages = Array.from({ length: count }, (_, i) => DEFAULT_PAGES[i] ?? { text: [`Page ${i + 1} sur ${count}`, 'Document de test Solidariciel'] });
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startEsclServer(parseCli(process.argv.slice(2))).then(
    (s) => {
      process.stdout.write(`${JSON.stringify({ url: s.url })}\n`);
      const stop = () => void s.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
