/**
 * Pure rules of `npm run package:check` (scripts/package-check.mjs), unit-tested in
 * tests/unit/electron/packageRules.test.ts. Every function takes plain data (asar listings, file bytes, the lock
 * file) and returns findings; nothing here builds or reads the package itself. docs/electron.md, "Package".
 */
import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Files the asar must hold: the three main-side bundles, the renderer's page and the manifest. */
export const REQUIRED_ENTRIES = ['/package.json', '/dist/main/index.cjs', '/dist/main/preload.cjs', '/dist/main/core.cjs', '/dist/main/vault-worker.cjs', '/dist/main/kdf-worker.cjs', '/dist/main/ocr-worker.cjs', '/dist/renderer/index.html'];

/** Top-level folders and files of the repository that must never be packaged (tests, benchmarks, sources, tooling). */
const FORBIDDEN_TOP = ['tests', 'bench', 'main', 'renderer', 'shared', 'hub', 'scripts', 'docs', '.ci', 'test-results', 'release', 'build'];
const FORBIDDEN_TOP_FILES = /^\/(tsconfig[^/]*\.json|vitest\.config\.ts|electron-builder\.yml|package-lock\.json|README\.md|\.git[^/]*)$/;

/**
 * Paths of `entries` (asar listing, `/`-separated, leading `/`) that are tests, benchmarks, sources, source maps or
 * tooling rather than the build output. Files inside node_modules are judged by `devOnlyPackages`, not here.
 * @returns the offending paths, sorted.
 */
export function forbiddenEntries(entries) {
  const bad = [];
  for (const entry of entries) {
    if (entry.startsWith('/node_modules/')) continue;
    const top = entry.split('/')[1] ?? '';
    if (FORBIDDEN_TOP.includes(top) || FORBIDDEN_TOP_FILES.test(entry)) bad.push(entry);
    else if (/\.(ts|tsx|mts|cts|map)$/.test(entry) && !entry.endsWith('.d.ts')) bad.push(entry);
  }
  return bad.filter((e) => !bad.some((parent) => parent !== e && e.startsWith(`${parent}/`))).sort();
}

/** `/node_modules/a/node_modules/@s/b/x.js` → `node_modules/a/node_modules/@s/b` (the lock file's key), else null. */
export function packageKeyOf(entry) {
  const m = /^\/((?:node_modules\/(?:@[^/]+\/)?[^/]+\/?)+)/.exec(entry);
  if (!m) return null;
  const parts = m[1].replace(/\/$/, '').split('/');
  // The match may swallow a plain folder after the last package (`…/pkg/lib`): keep only node_modules/<name> pairs.
  const key = [];
  for (let i = 0; i < parts.length; ) {
    if (parts[i] !== 'node_modules' || i + 1 >= parts.length) break;
    const scoped = parts[i + 1].startsWith('@');
    if (scoped && i + 2 >= parts.length) break;
    key.push('node_modules', ...(scoped ? [parts[i + 1], parts[i + 2]] : [parts[i + 1]]));
    i += scoped ? 3 : 2;
  }
  return key.length ? key.join('/') : null;
}

/** The package name of a lock key (`node_modules/a/node_modules/@s/b` → `@s/b`). */
export function packageNameOf(key) {
  const i = key.lastIndexOf('node_modules/');
  return key.slice(i + 'node_modules/'.length);
}

/**
 * Packages in `entries` that package-lock.json marks `"dev": true` (needed only by devDependencies).
 * @param lock parsed package-lock.json (lockfileVersion ≥ 2, with `packages`).
 * @returns sorted lock keys.
 */
export function devOnlyPackages(entries, lock) {
  const keys = new Set();
  for (const entry of entries) {
    const key = packageKeyOf(entry);
    if (key && lock.packages?.[key]?.dev === true) keys.add(key);
  }
  return [...keys].sort();
}

/**
 * Target platform of a native binary from its header: `linux-x64`, `linux-arm64`, `win32-x64`, `win32-arm64`,
 * `win32-ia32`, `darwin-x64`, `darwin-arm64`, `darwin-universal`, or `unknown`.
 * ELF: e_machine at 18 (0x3e x86-64, 0xb7 AArch64); PE: `MZ`, the PE header offset at 0x3c, machine after `PE\0\0`
 * (0x8664, 0xaa64, 0x14c); Mach-O: magic 0xfeedfacf (LE) with cputype 0x01000007 / 0x0100000c, fat 0xcafebabe.
 */
export function binaryPlatform(bytes) {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 20 && b.readUInt32BE(0) === 0x7f454c46) {
    const machine = b[5] === 2 ? b.readUInt16BE(18) : b.readUInt16LE(18);
    return machine === 0x3e ? 'linux-x64' : machine === 0xb7 ? 'linux-arm64' : 'unknown';
  }
  if (b.length >= 0x40 && b.toString('latin1', 0, 2) === 'MZ') {
    const pe = b.readUInt32LE(0x3c);
    if (pe + 6 > b.length || b.toString('latin1', pe, pe + 4) !== 'PE\0\0') return 'unknown';
    const machine = b.readUInt16LE(pe + 4);
    return machine === 0x8664 ? 'win32-x64' : machine === 0xaa64 ? 'win32-arm64' : machine === 0x14c ? 'win32-ia32' : 'unknown';
  }
  if (b.length >= 8 && b.readUInt32BE(0) === 0xcafebabe) return 'darwin-universal';
  if (b.length >= 8 && b.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = b.readUInt32LE(4);
    return cpu === 0x01000007 ? 'darwin-x64' : cpu === 0x0100000c ? 'darwin-arm64' : 'unknown';
  }
  return 'unknown';
}

/**
 * `.node` binaries in `entries` grouped by the package holding them, and those whose package is not in `natives`
 * (a native dependency added without being declared in scripts/native-modules.mjs). A name in `natives` ending with
 * `*` declares every package whose name starts with what precedes it (`@img/sharp-*`).
 */
export function nativeBinaries(entries, natives) {
  /** @type {Map<string, string[]>} */
  const byPackage = new Map();
  for (const entry of entries) {
    if (!entry.endsWith('.node')) continue;
    const key = packageKeyOf(entry);
    const name = key ? packageNameOf(key) : '(hors node_modules)';
    byPackage.set(name, [...(byPackage.get(name) ?? []), entry]);
  }
  const declared = (name) => natives.some((n) => (n.endsWith('*') ? name.startsWith(n.slice(0, -1)) : n === name));
  const undeclared = [...byPackage.keys()].filter((name) => !declared(name)).sort();
  return { byPackage, undeclared };
}

const REQUIRE_CALL = /(?:(?<![.\w$])(?:__)?require\d*|\bcreateRequire\)?\([^()]*\))\(\s*(["'])([^"'`$\\\n]+)\1\s*\)/g;

/**
 * Module specifiers a bundle requires with a string literal (`require("x")`, `require2("x")`, `createRequire(…)("x")`);
 * method calls such as `access.require("x")` are not module loads.
 */
export function requiredSpecifiers(source) {
  const found = new Set();
  for (const m of source.matchAll(REQUIRE_CALL)) found.add(m[2]);
  return [...found].sort();
}

/** True for `fs`, `node:fs`, `fs/promises` and the like. */
export function isBuiltin(specifier) {
  return specifier.startsWith('node:') || builtinModules.includes(specifier);
}

/** `@s/b/x` → `@s/b`, `a/x` → `a`. */
export function bareName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The folder of package `name` as Node would find it from `fromDir`, searching `node_modules` folders upwards but
 * never above `root`; null when absent.
 */
export function findPackageDir(fromDir, name, root) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || !dir.startsWith(root) || path.dirname(dir) === dir) return null;
  }
}

/**
 * Production dependencies (`dependencies`, not optional or peer ones) of the package in `pkgDir` and, recursively,
 * of theirs, that cannot be found inside `root`. Each entry reads `needer → missing`.
 */
export function missingDependencies(pkgDir, root, seen = new Set()) {
  if (seen.has(pkgDir)) return [];
  seen.add(pkgDir);
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const optional = new Set(Object.keys(manifest.optionalDependencies ?? {}));
  const missing = [];
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    if (optional.has(dep)) continue;
    const found = findPackageDir(pkgDir, dep, root);
    if (found) missing.push(...missingDependencies(found, root, seen));
    else missing.push(`${manifest.name} → ${dep}`);
  }
  return missing;
}
