/**
 * Layer rules (DESIGN.md "Processes"): core code never imports `electron`; the preload imports only `electron`,
 * shared/ and its own folder. Static scan of the sources (import/require/export-from, dynamic import()).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  for (const name of entries) {
    if (name === 'node_modules') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(sourceFiles(full));
    else if (/\.(c|m)?[jt]sx?$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Every module specifier of a source file. */
function specifiers(code: string): string[] {
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"`])([^'"`]+)\1/gm;
  return [...code.matchAll(re)].map((m) => m[2]!);
}

const CORE_DIRS = ['main/services', 'main/db', 'main/crypto', 'main/vault', 'main/core', 'main/cli', 'main/host', 'main/fs', 'main/sync', 'shared'];

describe('layers', () => {
  it('the scanner sees every kind of import', () => {
    const sample = `import a from 'electron';\nimport type { B } from "electron/main";\nexport * from 'x';\nconst c = require('electron');\nawait import('electron/common');\nimport 'side';`;
    expect(specifiers(sample)).toEqual(['electron', 'electron/main', 'x', 'electron', 'electron/common', 'side']);
  });

  it('no core, CLI, host or shared file imports electron', () => {
    const offenders: string[] = [];
    let scanned = 0;
    for (const dir of CORE_DIRS) {
      for (const file of sourceFiles(path.join(repo, dir))) {
        scanned++;
        const bad = specifiers(readFileSync(file, 'utf8')).filter((s) => s === 'electron' || s.startsWith('electron/'));
        if (bad.length) offenders.push(path.relative(repo, file));
      }
    }
    expect(scanned).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });

  it('the preload imports only electron, shared/ and its own folder', () => {
    const dir = path.join(repo, 'main/preload');
    const files = sourceFiles(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (spec === 'electron') continue;
        expect(spec.startsWith('.'), `${path.relative(repo, file)} imports ${spec}`).toBe(true);
        const target = path.resolve(path.dirname(file), spec);
        const inShared = target.startsWith(path.join(repo, 'shared') + path.sep);
        const inPreload = target.startsWith(dir + path.sep);
        expect(inShared || inPreload, `${path.relative(repo, file)} imports ${spec}`).toBe(true);
      }
    }
  });

  it('only the composition root and the preload import electron at run time', () => {
    const runtime: string[] = [];
    for (const file of sourceFiles(path.join(repo, 'main'))) {
      const code = readFileSync(file, 'utf8');
      const valueImports = [...code.matchAll(/^\s*import\s+(?!type\b)[^;]*?from\s+['"](electron(?:\/[^'"]*)?)['"]/gm)];
      const requires = [...code.matchAll(/\brequire\s*\(\s*['"]electron['"]\s*\)|\bimport\s*\(\s*['"]electron['"]\s*\)/g)];
      if (valueImports.length || requires.length) runtime.push(path.relative(repo, file).split(path.sep).join('/'));
    }
    expect(runtime.sort()).toEqual(['main/index.ts', 'main/preload/index.ts']);
  });
});
