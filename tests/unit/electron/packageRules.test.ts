/**
 * scripts/package-rules.mjs: the rules `npm run package:check` applies to a packaged app (docs/electron.md,
 * "Package"), on small hand-made listings and binary headers.
 */
import path from 'node:path';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

interface Lock {
  packages: Record<string, { dev?: boolean }>;
}
interface Rules {
  forbiddenEntries(entries: string[]): string[];
  packageKeyOf(entry: string): string | null;
  devOnlyPackages(entries: string[], lock: Lock): string[];
  binaryPlatform(bytes: Uint8Array): string;
  nativeBinaries(entries: string[], natives: string[]): { byPackage: Map<string, string[]>; undeclared: string[] };
  requiredSpecifiers(source: string): string[];
  isBuiltin(specifier: string): boolean;
  missingDependencies(pkgDir: string, root: string): string[];
}

const repo = path.resolve(__dirname, '../../..');
const rules = (await import(pathToFileURL(path.join(repo, 'scripts/package-rules.mjs')).href)) as Rules;
const tmp = mkdtempSync(path.join(tmpdir(), 'solidariciel-rules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An ELF header with e_machine `machine` (little-endian). */
function elf(machine: number): Uint8Array {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[5] = 1;
  b.writeUInt16LE(machine, 18);
  return b;
}

/** A PE header with machine `machine`. */
function pe(machine: number): Uint8Array {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(machine, 0x84);
  return b;
}

describe('package rules', () => {
  it('refuses tests, bench, sources, maps and tooling outside node_modules', () => {
    const entries = [
      '/package.json',
      '/dist/main/index.cjs',
      '/dist/main/index.cjs.map',
      '/tests',
      '/tests/unit/a.test.ts',
      '/bench/run.ts',
      '/main/index.ts',
      '/tsconfig.base.json',
      '/dist/renderer/index.html',
      '/node_modules/knex/types/index.d.ts',
      '/node_modules/x/src/index.ts',
    ];
    expect(rules.forbiddenEntries(entries)).toEqual(['/bench/run.ts', '/dist/main/index.cjs.map', '/main/index.ts', '/tests', '/tsconfig.base.json']);
    expect(rules.forbiddenEntries(['/package.json', '/dist/main/core.cjs'])).toEqual([]);
  });

  it('finds the lock key of nested and scoped packages, and the dev-only ones', () => {
    expect(rules.packageKeyOf('/node_modules/a/lib/x.js')).toBe('node_modules/a');
    expect(rules.packageKeyOf('/node_modules/@s/b/node_modules/c/index.js')).toBe('node_modules/@s/b/node_modules/c');
    expect(rules.packageKeyOf('/dist/main/core.cjs')).toBeNull();
    const lock: Lock = { packages: { 'node_modules/a': {}, 'node_modules/vitest': { dev: true }, 'node_modules/@s/b/node_modules/c': { dev: true } } };
    const entries = ['/node_modules/a/index.js', '/node_modules/vitest/index.js', '/node_modules/@s/b/node_modules/c/x.js'];
    expect(rules.devOnlyPackages(entries, lock)).toEqual(['node_modules/@s/b/node_modules/c', 'node_modules/vitest']);
  });

  it('reads the target platform of ELF, PE and Mach-O binaries', () => {
    expect(rules.binaryPlatform(elf(0x3e))).toBe('linux-x64');
    expect(rules.binaryPlatform(elf(0xb7))).toBe('linux-arm64');
    expect(rules.binaryPlatform(pe(0x8664))).toBe('win32-x64');
    expect(rules.binaryPlatform(pe(0x14c))).toBe('win32-ia32');
    const macho = Buffer.alloc(16);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(0x0100000c, 4);
    expect(rules.binaryPlatform(macho)).toBe('darwin-arm64');
    expect(rules.binaryPlatform(Buffer.from('not a binary at all, really'))).toBe('unknown');
  });

  it('groups .node binaries by package and names the undeclared ones', () => {
    const entries = ['/node_modules/@journeyapps/sqlcipher/build/Release/node_sqlite3.node', '/node_modules/@napi-rs/canvas-linux-x64-gnu/skia.node', '/node_modules/a/index.js'];
    const { byPackage, undeclared } = rules.nativeBinaries(entries, ['@journeyapps/sqlcipher']);
    expect([...byPackage.keys()].sort()).toEqual(['@journeyapps/sqlcipher', '@napi-rs/canvas-linux-x64-gnu']);
    expect(undeclared).toEqual(['@napi-rs/canvas-linux-x64-gnu']);
    // A prefix declares a family of platform packages (sharp's binaries live in @img/sharp-<os>-<cpu>).
    const sharp = rules.nativeBinaries(['/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node', '/node_modules/@img2/sharp/x.node'], ['@img/sharp-*']);
    expect(sharp.undeclared).toEqual(['@img2/sharp']);
  });

  it('lists the modules a bundle requires, not method calls named require', () => {
    const source = [
      'const a = require("knex/lib/x.js"); var b = require2("libsodium-wrappers-sumo");',
      'var c = (0, import_node_module.createRequire)(__import_meta_url)("jpeg-js");',
      'this.ctx.access.require("audit.read"); __require("fs"); require(`tpl${x}`); require(name);',
    ].join('\n');
    expect(rules.requiredSpecifiers(source)).toEqual(['fs', 'jpeg-js', 'knex/lib/x.js', 'libsodium-wrappers-sumo']);
    expect(rules.isBuiltin('node:fs')).toBe(true);
    expect(rules.isBuiltin('fs/promises')).toBe(true);
    expect(rules.isBuiltin('knex')).toBe(false);
  });

  it('names the dependencies of a loaded package that are missing from the package', () => {
    const write = (dir: string, manifest: object): void => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
    };
    const nm = path.join(tmp, 'node_modules');
    write(path.join(nm, 'top'), { name: 'top', dependencies: { mid: '1', gone: '1', opt: '1' }, optionalDependencies: { opt: '1' } });
    write(path.join(nm, 'mid'), { name: 'mid', dependencies: { leaf: '1' } });
    write(path.join(nm, 'top', 'node_modules', 'leaf'), { name: 'leaf' });
    // `leaf` is nested under top, so mid cannot see it: Node would fail there too.
    expect(rules.missingDependencies(path.join(nm, 'top'), tmp).sort()).toEqual(['mid → leaf', 'top → gone']);
  });
});
