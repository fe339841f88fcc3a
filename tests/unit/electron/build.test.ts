/**
 * scripts/build-main.mjs: the three bundles build; the core bundle loads in plain Node (every top-level require
 * resolves; it stops only because there is no utilityProcess parent port); and `import.meta.url` works in a CommonJS
 * bundle with the script's real options (main/crypto/sodium.ts relies on createRequire(import.meta.url)).
 */
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '../../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'solidariciel-build-'));
// A private output folder inside the repo (node_modules must resolve from it); dist/main may be in use elsewhere.
const outdir = path.join(repo, 'dist', `.test-build-${process.pid}`);
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(outdir, { recursive: true, force: true });
});

interface BuildModule {
  COMMON_OPTIONS: Record<string, unknown>;
  EXTERNALS: string[];
  entries(outdir?: string): Array<{ outfile: string }>;
}

describe('build-main', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(repo, 'scripts/build-main.mjs'), '--outdir', outdir], { cwd: repo, stdio: 'pipe' });
  }, 120_000);

  it('writes index.cjs, preload.cjs, core.cjs, vault-worker.cjs, kdf-worker.cjs and ocr-worker.cjs', async () => {
    const mod = (await import(pathToFileURL(path.join(repo, 'scripts/build-main.mjs')).href)) as BuildModule;
    const names = ['index.cjs', 'preload.cjs', 'core.cjs', 'vault-worker.cjs', 'kdf-worker.cjs', 'ocr-worker.cjs'];
    expect(mod.entries().map((e) => path.relative(repo, e.outfile))).toEqual(names.map((n) => path.join('dist', 'main', n)));
    for (const name of names) expect(existsSync(path.join(outdir, name)), name).toBe(true);
    expect(mod.EXTERNALS).toEqual(expect.arrayContaining(['electron', 'better-sqlite3-multiple-ciphers', 'pg', 'mysql', 'mysql2', 'oracledb', 'tedious', 'better-sqlite3', 'sqlite3', 'pg-query-stream']));
  });

  it('core.cjs loads in plain Node and refuses to run outside a utilityProcess', () => {
    const r = spawnSync(process.execPath, [path.join(outdir, 'core.cjs')], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toContain('must be started by Electron utilityProcess.fork');
    expect(r.status).toBe(2);
  });

  it('core.cjs serves the real core over a parentPort: create an association, prefs mirrored back, clean close', async () => {
    // Electron's utilityProcess gives the child `process.parentPort`; emulate it over a Node IPC channel.
    const shim = path.join(tmp, 'parent-port-shim.cjs');
    writeFileSync(
      shim,
      `const { EventEmitter } = require('node:events');
       const port = new EventEmitter();
       port.postMessage = (m) => process.send(m);
       process.on('message', (m) => port.emit('message', { data: m }));
       process.parentPort = port;`,
    );
    const child = fork(path.join(outdir, 'core.cjs'), [], { execArgv: ['-r', shim], serialization: 'advanced', stdio: 'pipe' });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += String(d)));
    const inbox: Array<Record<string, unknown>> = [];
    const waiters: Array<() => void> = [];
    child.on('message', (m) => {
      inbox.push(m as Record<string, unknown>);
      waiters.splice(0).forEach((w) => w());
    });
    const waitFor = async (pred: (m: Record<string, unknown>) => boolean, ms = 60_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = inbox.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`timeout; got ${JSON.stringify(inbox)}; stderr ${stderr}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    };
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      child.send({ type: 'init', prefs: {} });
      await waitFor((m) => m.type === 'ready');
      const dir = path.join(tmp, 'Entraide.solidariciel');
      child.send({ type: 'request', id: 1, channel: 'association:create', payload: { dir, name: 'Entraide', adminName: 'admin', password: 'correct horse battery' } });
      const created = await waitFor((m) => m.type === 'response' && m.id === 1);
      expect(created.envelope, stderr).toMatchObject({ ok: true });
      child.send({ type: 'request', id: 2, channel: 'people:search', payload: { query: { $ne: 1 }, limit: 1e9 } });
      child.send({ type: 'request', id: 3, channel: 'not:aChannel', payload: {} });
      expect((await waitFor((m) => m.type === 'response' && m.id === 2)).envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect((await waitFor((m) => m.type === 'response' && m.id === 3)).envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      // SQLCipher (external to the bundle) really encrypted the database: no plaintext SQLite header.
      const header = readFileSync(path.join(dir, 'association.db')).subarray(0, 16).toString('latin1');
      expect(header).not.toBe('SQLite format 3\u0000');
      expect(inbox.some((m) => m.type === 'prefs:set')).toBe(true);
      child.send({ type: 'close', id: 4 });
      await waitFor((m) => m.type === 'closed' && m.id === 4);
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill();
    }
  }, 120_000);

  it('a bundle assembles papers in vault-worker.cjs beside it: a PNG page, a hostile PNG refused, nothing printed', async () => {
    const { build } = await import('esbuild');
    const mod = (await import(pathToFileURL(path.join(repo, 'scripts/build-main.mjs')).href)) as BuildModule;
    const entry = path.join(tmp, 'assemble-probe.ts');
    const png = path.join(repo, '../shared/fixtures/scans/carte-identite-specimen.png');
    writeFileSync(
      entry,
      `import { readFileSync } from 'node:fs';\n` +
        `import { assemblePdf } from ${JSON.stringify(path.join(repo, 'main/vault/assemble.ts'))};\n` +
        `import { pngDeclaring, pdfRepeatingNode } from ${JSON.stringify(path.join(repo, 'tests/helpers/hostileFiles.ts'))};\n` +
        `(async () => {\n` +
        `  const ok = await assemblePdf([{ name: 'carte.png', bytes: new Uint8Array(readFileSync(${JSON.stringify(png)})) }]);\n` +
        `  const bad = await assemblePdf([{ name: 'affiche.png', bytes: pngDeclaring(30000, 30000) }]).catch((e) => e.message);\n` +
        `  const tree = await assemblePdf([{ name: 'arbre.pdf', bytes: pdfRepeatingNode(10, 5, true) }]).catch((e) => e.message);\n` +
        `  process.stdout.write(JSON.stringify({ pages: ok.pages, bad, tree }));\n` +
        `})();\n`,
    );
    const outfile = path.join(outdir, 'assemble-probe.cjs'); // beside vault-worker.cjs, as index.cjs and core.cjs are
    await build({ ...mod.COMMON_OPTIONS, entryPoints: [entry], outfile, sourcemap: false });
    try {
      const r = spawnSync(process.execPath, [outfile], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { pages: number; bad: string; tree: string };
      expect(out.pages).toBe(1);
      expect(out.bad).toMatch(/^« affiche\.png » : image trop grande/);
      expect(out.tree).toMatch(/^« arbre\.pdf » : fichier PDF invalide/);
    } finally {
      rmSync(outfile, { force: true });
    }
  }, 60_000);

  it('a bundle derives Argon2id keys in kdf-worker.cjs beside it when the runtime has no crypto.argon2', async () => {
    const { build } = await import('esbuild');
    const mod = (await import(pathToFileURL(path.join(repo, 'scripts/build-main.mjs')).href)) as BuildModule;
    const entry = path.join(tmp, 'kdf-probe.ts');
    writeFileSync(
      entry,
      `import { argon2idInWorker, argon2idNative, runtimeArgon2 } from ${JSON.stringify(path.join(repo, 'main/crypto/kdf.ts'))};\n` +
        `const job = { password: new TextEncoder().encode('mot de passe'), salt: new Uint8Array(16).fill(3), opslimit: 2, memlimit: 8 << 20, length: 32 };\n` +
        `(async () => {\n` +
        `  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');\n` +
        `  process.stdout.write(JSON.stringify({ worker: hex(await argon2idInWorker(job)), native: hex(await argon2idNative(runtimeArgon2!, job)) }));\n` +
        `})();\n`,
    );
    const outfile = path.join(outdir, 'kdf-probe.cjs'); // beside kdf-worker.cjs, as core.cjs is
    await build({ ...mod.COMMON_OPTIONS, entryPoints: [entry], outfile, sourcemap: false });
    try {
      const r = spawnSync(process.execPath, [outfile], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { worker: string; native: string };
      expect(out.worker).toMatch(/^[0-9a-f]{64}$/);
      expect(out.worker).toBe(out.native);
    } finally {
      rmSync(outfile, { force: true });
    }
  }, 60_000);

  it('a bundle recognises a page through ocr-worker.cjs beside it, with nothing printed (docs/ocr.md)', async () => {
    const { build } = await import('esbuild');
    const { renderPage } = await import('../../helpers/ocrPages');
    const mod = (await import(pathToFileURL(path.join(repo, 'scripts/build-main.mjs')).href)) as BuildModule;
    const image = path.join(tmp, 'ocr-page.png');
    writeFileSync(image, renderPage(['Attestation de domicile'], { height: 700 }));
    const entry = path.join(tmp, 'ocr-probe.ts');
    writeFileSync(
      entry,
      `import { readFileSync } from 'node:fs';\n` +
        `import { recognizePage, stopOcrEngine } from ${JSON.stringify(path.join(repo, 'main/ocr/engine.ts'))};\n` +
        `(async () => {\n` +
        `  const page = await recognizePage(new Uint8Array(readFileSync(${JSON.stringify(image)})));\n` +
        `  await stopOcrEngine();\n` +
        `  process.stdout.write(JSON.stringify({ text: page.text.trim() }));\n` +
        `})();\n`,
    );
    const outfile = path.join(outdir, 'ocr-probe.cjs'); // beside ocr-worker.cjs, as core.cjs is
    await build({ ...mod.COMMON_OPTIONS, entryPoints: [entry], outfile, sourcemap: false });
    try {
      const r = spawnSync(process.execPath, [outfile], { encoding: 'utf8', timeout: 90_000 });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ text: 'Attestation de domicile' });
    } finally {
      rmSync(outfile, { force: true });
    }
  }, 120_000);

  it('import.meta.url and createRequire work in a CommonJS bundle (libsodium loads)', async () => {
    const { build } = await import('esbuild');
    const mod = (await import(pathToFileURL(path.join(repo, 'scripts/build-main.mjs')).href)) as BuildModule;
    const entry = path.join(tmp, 'entry.ts');
    writeFileSync(
      entry,
      `import { getSodium } from ${JSON.stringify(path.join(repo, 'main/crypto/sodium.ts'))};\n` +
        `getSodium().then((s) => { console.log('url=' + import.meta.url); console.log('sodium=' + typeof s.crypto_pwhash); });\n`,
    );
    const outfile = path.join(outdir, 'probe', 'probe.cjs'); // inside the repo so node_modules resolves
    await build({ ...mod.COMMON_OPTIONS, entryPoints: [entry], outfile, sourcemap: false });
    try {
      const r = spawnSync(process.execPath, [outfile], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`url=${pathToFileURL(outfile).href}`);
      expect(r.stdout).toContain('sodium=function');
    } finally {
      rmSync(path.dirname(outfile), { recursive: true, force: true });
    }
  }, 60_000);
});
