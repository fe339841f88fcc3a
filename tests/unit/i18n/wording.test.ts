/**
 * Wording of the interface (docs/ui.md « Wording »): one apostrophe style (’) in French, the same keys in English,
 * one word for pairing (« invitation »), sizes in French units (ko, Mo).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSize } from '../../../renderer/app/format';
import { PERMISSIONS } from '../../../shared/domain/access';
import { AUDIT_ACTIONS } from '../../../shared/domain/audit';
import fr from '../../../renderer/i18n/fr.json';
import en from '../../../renderer/i18n/en.json';

type Tree = { [key: string]: string | Tree };

function entries(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : entries(v, `${prefix}${k}.`)));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe('French wording', () => {
  it('uses the typographic apostrophe (’) in every French string', () => {
    const straight = entries(fr as Tree).filter(([, v]) => v.includes("'"));
    expect(straight.map(([k]) => k)).toEqual([]);
  });

  it('has the same keys in English', () => {
    expect(entries(en as Tree).map(([k]) => k).sort()).toEqual(entries(fr as Tree).map(([k]) => k).sort());
  });

  it('calls pairing « invitation » everywhere a user can read it (interface, core, hub, CLI)', () => {
    const words = /appairage|jumelage|appariement/i;
    expect(entries(fr as Tree).filter(([, v]) => words.test(v))).toEqual([]);
    const offending = ['main', 'hub', 'shared'].flatMap((d) => sources(d)).filter((f) => words.test(readFileSync(f, 'utf8')));
    expect(offending).toEqual([]);
    expect((fr as Tree & { devices: Tree }).devices.inviteIntro).toMatch(/sur le nouveau poste/);
  });

  it('says sizes in French units', () => {
    expect(formatSize(1.5 * 1024 * 1024, 'fr')).toBe('1,5 Mo');
    expect(formatSize(820 * 1024, 'fr')).toBe('820 ko');
    expect(formatSize(200 * 1024 * 1024, 'fr')).toBe('200 Mo');
    expect(formatSize(1.5 * 1024 * 1024, 'en')).toBe('1.5 MB');
  });

  it('names every permission and every audit action on the screens, in both languages (renderer/features/access/permissionLabel.ts)', () => {
    for (const [lang, tree] of [['fr', fr], ['en', en]] as const) {
      const permissions = (tree as { permissions: Record<string, string> }).permissions;
      const actions = (tree as { auditActions: Record<string, string> }).auditActions;
      expect(PERMISSIONS.filter((p) => !permissions[p.replace('.', '_')]), lang).toEqual([]);
      // Rows of the Roles matrix: each starts with a capital, as a table row does.
      expect(Object.values(permissions).filter((label) => label[0] !== label[0]!.toUpperCase()), lang).toEqual([]);
      expect(AUDIT_ACTIONS.filter((a) => !actions[a.replace('.', '_')]), lang).toEqual([]);
    }
  });
});
