/**
 * Association offices mostly run Windows: a native dependency that has no prebuilt binary for Windows x64 cannot be
 * installed there without a compiler, nor packaged by the NSIS target. This test fails when one is added
 * (docs/architecture.md "SQLCipher engine"):
 * - a package of the installed tree holding `binding.gyp`, `"gypfile": true` or `*.node` files must either be on
 *   NATIVE_ALLOWED with the paths of its binaries for Windows x64, macOS and Linux inside its own npm package
 *   (checked: present, and PE / Mach-O / ELF as they should be), or be a platform package (`os`/`cpu` in its
 *   package.json) whose parent also depends, optionally, on a `win32-x64` sibling recorded in package-lock.json;
 * - a package with an install script (package-lock.json `hasInstallScript`) must be on INSTALL_SCRIPTS_ALLOWED with
 *   what the script does, be a development dependency only, and have its decision (true or false) in package.json
 *   `allowScripts` — except an allowed native package, whose only script is npm's implicit `node-gyp rebuild` (it has
 *   a binding.gyp), which must be denied in `allowScripts` — or a runtime dependency on RUNTIME_SCRIPTS_DENIED, whose
 *   script nothing needs, denied in `allowScripts`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksLikeBinaryFor, nativePackages, type InstalledPackage, type Target } from '../helpers/nativeDeps';
import { tempDir } from '../helpers/core';

/** Native packages shipped with their binaries inside the npm package, and where those binaries are. */
const NATIVE_ALLOWED: Record<string, { why: string; binaries: Record<Target, string> }> = {
  'better-sqlite3-multiple-ciphers': {
    why: 'the SQLCipher engine of association.db: N-API prebuilds in the npm package, loaded by lib/binding.js, no install script',
    binaries: {
      'win32-x64': 'prebuilds/win32-x64.node',
      'darwin-x64': 'prebuilds/darwin-x64.node',
      'darwin-arm64': 'prebuilds/darwin-arm64.node',
      'linux-x64': 'prebuilds/linux-x64.node',
    },
  },
};

/** Packages whose install script runs, and what it does. None may be a runtime dependency. */
const INSTALL_SCRIPTS_ALLOWED: Record<string, string> = {
  electron: "downloads Electron's binary for the platform; denied in allowScripts (its failure rolled the whole install back): our postinstall, scripts/electron-binary.mjs, runs the same download and only reports a failure",
  'electron-winstaller': 'copies its vendored Windows tools (Squirrel.Windows); electron-builder only',
  esbuild: 'checks that its platform package (@esbuild/<platform>-<arch>) is installed',
  node: 'installs node-<platform>-<arch> from the npm registry: the Node runtime of the npm scripts (docs/testing.md)',
};

/** Runtime dependencies whose install script nothing needs: each denied in allowScripts, and why it can be. */
const RUNTIME_SCRIPTS_DENIED: Record<string, string> = {
  'tesseract.js': 'prints a funding message (`opencollective-postinstall || true`); the OCR engine needs nothing installed (docs/ocr.md)',
};

interface LockEntry {
  version?: string;
  dev?: boolean;
  hasInstallScript?: boolean;
  optionalDependencies?: Record<string, string>;
}

const root = resolve('.');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };

/** Why `pkg` is fine on Windows x64, or null when nothing shows that it is. */
function windowsEvidence(pkg: InstalledPackage, packages: Record<string, LockEntry>): string | null {
  const allowed = NATIVE_ALLOWED[pkg.name];
  if (allowed) {
    for (const [target, file] of Object.entries(allowed.binaries) as [Target, string][]) {
      if (!pkg.addons.includes(file)) return null;
      if (!looksLikeBinaryFor(join(pkg.dir, file), target)) return null;
    }
    return `prebuilt binaries in the package: ${Object.values(allowed.binaries).join(', ')}`;
  }
  if (pkg.os && pkg.cpu) {
    // A platform package: its parent lists one per platform among its optional dependencies.
    for (const [path, entry] of Object.entries(packages)) {
      const optional = Object.keys(entry.optionalDependencies ?? {});
      if (!optional.includes(pkg.name)) continue;
      const windows = optional.find((n) => /win32-x64/.test(n));
      if (windows && (packages[`node_modules/${windows}`] || Object.keys(packages).some((p) => p.endsWith(`/node_modules/${windows}`)))) {
        return `platform package of ${path || 'the project'}, whose Windows x64 sibling is ${windows}`;
      }
    }
  }
  return null;
}

describe('native dependencies ship binaries for Windows', () => {
  const natives = nativePackages(root);

  it('finds the SQLCipher engine among the native packages (the scan sees what it must)', () => {
    expect(natives.map((p) => p.name)).toContain('better-sqlite3-multiple-ciphers');
  });

  it('every native package has prebuilt binaries for Windows x64 (or a Windows sibling package)', () => {
    const missing = natives.filter((p) => windowsEvidence(p, lock.packages) === null).map((p) => `${p.path} (${p.reasons.join(', ')})`);
    expect(missing, 'native packages without a Windows x64 binary: add their evidence to NATIVE_ALLOWED or drop them').toEqual([]);
  });

  it('the allowed native packages carry every listed binary, each in the right format', () => {
    for (const [name, { binaries }] of Object.entries(NATIVE_ALLOWED)) {
      const pkg = natives.find((p) => p.name === name);
      expect(pkg, name).toBeDefined();
      for (const [target, file] of Object.entries(binaries) as [Target, string][]) {
        expect(looksLikeBinaryFor(join(pkg!.dir, file), target), `${name}/${file}`).toBe(true);
      }
    }
  });

  it('install scripts: only the allowed ones, development dependencies only, each decided in allowScripts', () => {
    // The project's own entry ("") is our postinstall (scripts/electron-binary.mjs, docs/electron.md "First start").
    const withScripts = Object.entries(lock.packages).filter(([path, e]) => path !== '' && e.hasInstallScript);
    expect(withScripts.length).toBeGreaterThan(0);
    for (const [path, entry] of withScripts) {
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      if (NATIVE_ALLOWED[name]) {
        // npm marks a package with a binding.gyp as having the implicit `node-gyp rebuild` install script (npm docs,
        // "scripts": default values). Ours ship prebuilt binaries and never build: that script must be denied.
        const own = JSON.parse(readFileSync(join(root, path, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
        expect(['preinstall', 'install', 'postinstall'].filter((k) => own.scripts?.[k]), `${path}: no install script of its own`).toEqual([]);
        expect(manifest.allowScripts?.[name], `${name}: the implicit node-gyp build denied in allowScripts`).toBe(false);
        continue;
      }
      if (RUNTIME_SCRIPTS_DENIED[name]) {
        expect(manifest.allowScripts?.[name], `${name}: its unneeded install script denied in allowScripts`).toBe(false);
        continue;
      }
      expect(INSTALL_SCRIPTS_ALLOWED[name], `${path} has an install script: say what it does in INSTALL_SCRIPTS_ALLOWED`).toBeDefined();
      expect(entry.dev, `${path}: a runtime dependency must not need an install script`).toBe(true);
      expect(typeof manifest.allowScripts?.[name], `${name}: its script allowed or denied in package.json allowScripts`).toBe('boolean');
    }
    // No native package builds from source at install: its allowScripts decision, if any, is a denial.
    for (const name of Object.keys(NATIVE_ALLOWED)) expect(manifest.allowScripts?.[name]).not.toBe(true);
  });
});

describe('the native package scan', () => {
  it('reports a package with binding.gyp and no Windows binary, and accepts one with its prebuilds', () => {
    const dir = tempDir('native-scan-');
    try {
      const add = (name: string, files: Record<string, string | Buffer>, extra: object = {}) => {
        const pkgDir = join(dir, 'node_modules', name);
        mkdirSync(pkgDir, { recursive: true });
        writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...extra }));
        for (const [file, body] of Object.entries(files)) {
          mkdirSync(join(pkgDir, file, '..'), { recursive: true });
          writeFileSync(join(pkgDir, file), body);
        }
      };
      add('from-source-only', { 'binding.gyp': '{}', 'src/addon.cc': '' });
      add('plain-js', { 'index.js': '' });
      add('with-linux-addon-only', { 'build/Release/addon.node': Buffer.from('\x7fELF....', 'latin1') }, { gypfile: true });
      const found = nativePackages(dir);
      expect(found.map((p) => p.name).sort()).toEqual(['from-source-only', 'with-linux-addon-only']);
      for (const p of found) expect(windowsEvidence(p, {})).toBeNull();

      const pe = Buffer.from('MZ\x90\x00', 'latin1');
      const macho = Buffer.from([0xcf, 0xfa, 0xed, 0xfe]);
      const elf = Buffer.from('\x7fELF', 'latin1');
      add('better-sqlite3-multiple-ciphers', {
        'binding.gyp': '{}',
        'prebuilds/win32-x64.node': pe,
        'prebuilds/darwin-x64.node': macho,
        'prebuilds/darwin-arm64.node': macho,
        'prebuilds/linux-x64.node': elf,
      });
      const ok = nativePackages(dir).find((p) => p.name === 'better-sqlite3-multiple-ciphers')!;
      expect(windowsEvidence(ok, {})).toMatch(/prebuilt binaries/);
      // A Windows binary that is not one (e.g. a Linux build copied under the Windows name) is refused.
      writeFileSync(join(dir, 'node_modules/better-sqlite3-multiple-ciphers/prebuilds/win32-x64.node'), elf);
      expect(windowsEvidence(ok, {})).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
