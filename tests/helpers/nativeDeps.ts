/**
 * Finds the native packages of an installed `node_modules` tree, for the test that keeps every native dependency
 * shippable on Windows (tests/unit/nativeDependencies.test.ts, docs/architecture.md "SQLCipher engine").
 *
 * A package is native when it holds a `binding.gyp`, says `"gypfile": true`, or ships compiled add-ons (`*.node`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface InstalledPackage {
  name: string;
  /** Folder of the package, relative to the scanned root's parent (e.g. `node_modules/foo`). */
  path: string;
  dir: string;
  os?: string[];
  cpu?: string[];
  /** Why it is native: `binding.gyp`, `gypfile`, or the `*.node` files it ships (relative to its folder). */
  reasons: string[];
  addons: string[];
}

interface PackageJson {
  name?: string;
  gypfile?: boolean;
  os?: string[];
  cpu?: string[];
}

function readJson(file: string): PackageJson | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return null;
  }
}

/** Every `*.node` file under `dir`, not descending into nested `node_modules` (scanned as packages of their own). */
function addonsIn(dir: string, base = dir, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) addonsIn(full, base, out);
    else if (entry.isFile() && entry.name.endsWith('.node')) out.push(relative(base, full).split('\\').join('/'));
  }
  return out;
}

/** Package folders directly in a `node_modules` folder (scoped ones included). */
function packageDirs(nodeModules: string): string[] {
  if (!existsSync(nodeModules)) return [];
  const dirs: string[] = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || !(entry.isDirectory() || entry.isSymbolicLink())) continue;
    const full = join(nodeModules, entry.name);
    if (entry.name.startsWith('@')) {
      for (const scoped of readdirSync(full, { withFileTypes: true })) if (scoped.isDirectory()) dirs.push(join(full, scoped.name));
    } else dirs.push(full);
  }
  return dirs;
}

/** The native packages under `root/node_modules`, nested `node_modules` included. */
export function nativePackages(root: string): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  const visit = (nodeModules: string) => {
    for (const dir of packageDirs(nodeModules)) {
      if (!statSync(dir).isDirectory()) continue;
      const pkg = readJson(join(dir, 'package.json'));
      if (pkg?.name) {
        const reasons: string[] = [];
        if (existsSync(join(dir, 'binding.gyp'))) reasons.push('binding.gyp');
        if (pkg.gypfile === true) reasons.push('gypfile');
        const addons = addonsIn(dir);
        if (addons.length > 0) reasons.push(...addons);
        if (reasons.length > 0) {
          found.push({ name: pkg.name, path: relative(root, dir).split('\\').join('/'), dir, reasons, addons, ...(pkg.os ? { os: pkg.os } : {}), ...(pkg.cpu ? { cpu: pkg.cpu } : {}) });
        }
      }
      visit(join(dir, 'node_modules'));
    }
  };
  visit(join(root, 'node_modules'));
  return found;
}

export type Target = 'win32-x64' | 'darwin-x64' | 'darwin-arm64' | 'linux-x64';

/** Whether `file` starts like a loadable binary of `target`: PE (MZ), Mach-O 64-bit, or ELF 64-bit. */
export function looksLikeBinaryFor(file: string, target: Target): boolean {
  const head = readFileSync(file).subarray(0, 4);
  if (target === 'win32-x64') return head[0] === 0x4d && head[1] === 0x5a;
  if (target.startsWith('darwin')) return head.readUInt32LE(0) === 0xfeedfacf;
  return head[0] === 0x7f && head.subarray(1, 4).toString('latin1') === 'ELF';
}
