/** electron-builder.yml: the fuses of the security baseline, and the whole file valid for electron-builder 26. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
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

  it('names the app and packs only the build output, with the SQLCipher engine unpacked', () => {
    expect(config.appId).toBe('org.solidariciel.app');
    expect(config.productName).toBe('Solidariciel');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json']));
    expect(config.asar).not.toBe(false);
    expect(config.asarUnpack).toEqual(['node_modules/better-sqlite3-multiple-ciphers/prebuilds/**']);
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
