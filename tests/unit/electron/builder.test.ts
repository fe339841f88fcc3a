/** electron-builder.yml: the fuses of the security baseline, and the whole file valid for electron-builder 26. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repo = path.resolve(__dirname, '../../..');
const config = parse(readFileSync(path.join(repo, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const require = createRequire(import.meta.url);

describe('electron-builder.yml', () => {
  it('sets every fuse of the baseline', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('names the app and packs only the build output, with every native binary unpacked', async () => {
    expect(config.appId).toBe('org.solidariciel.app');
    expect(config.productName).toBe('Solidariciel');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json']));
    expect(config.asar).not.toBe(false);
    // Every native binary, sharp's platform packages (its addon loads libvips from beside it, docs/file-kinds.md),
    // and the OCR engine: its worker entry and the packages it reads by plain file access (docs/ocr.md "Packaging"),
    // each of them external to the bundles.
    const unpack = config.asarUnpack as string[];
    expect(unpack[0]).toBe('**/*.node');
    expect(unpack).toContain('dist/main/ocr-worker.cjs');
    const ocr = unpack.find((p) => p.startsWith('node_modules/{'));
    for (const name of ['tesseract.js', 'tesseract.js-core', '@tesseract.js-data']) expect(ocr).toContain(name);
    expect(unpack).toContain('**/node_modules/@img/**');
    expect(unpack).toHaveLength(4);
    // The native modules are named once, in scripts/native-modules.mjs, and kept out of the bundles.
    const natives = (await import(pathToFileURL(path.join(repo, 'scripts/native-modules.mjs')).href)) as { NATIVE_MODULES: string[] };
    const build = (await import(pathToFileURL(path.join(repo, 'scripts/build-main.mjs')).href)) as { EXTERNALS: string[] };
    expect(natives.NATIVE_MODULES.length).toBeGreaterThan(0);
    expect(build.EXTERNALS).toEqual(expect.arrayContaining(natives.NATIVE_MODULES));
  });

  it('targets AppImage+deb, nsis and dmg', () => {
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.win as { target: string[] }).target).toEqual(['nsis']);
    expect((config.mac as { target: string[] }).target).toEqual(['dmg']);
  });

  it("matches package.json's main entry", () => {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main/index.cjs');
  });

  it("passes electron-builder's own schema validation (and a typo would not)", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
    const typo = structuredClone(config) as { electronFuses: Record<string, boolean> };
    typo.electronFuses.runAsNod = false;
    await expect(validateConfiguration(typo, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });
});
