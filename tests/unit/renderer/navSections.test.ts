/**
 * The header's navigation (renderer/features/shell/sections.ts, docs/ui.md « Header »): one order for every role, an
 * item the role cannot use left out without reshuffling the others, « Conflits » only once the association syncs.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../../../shared/domain/access';
import { navSectionOf, navSections, SECTIONS, volunteeringSections } from '../../../renderer/features/shell/sections';

describe('navigation sections', () => {
  it('keeps one order for every role: each role sees a subsequence of the same list, Paramètres last', () => {
    for (const role of DEFAULT_ROLES) {
      const shown = navSections(role.permissions, true);
      expect(shown, role.id).toEqual(SECTIONS.filter((s) => shown.includes(s)));
      expect(shown.at(-1), role.id).toBe('settings');
      if (shown.includes('people')) expect(shown[0], role.id).toBe('people');
    }
  });

  it('shows « Conflits » only once the association syncs', () => {
    const admin = DEFAULT_ROLES.find((r) => r.id === 'admin')!;
    expect(navSections(admin.permissions, false)).not.toContain('conflicts');
    expect(navSections(admin.permissions, true)).toContain('conflicts');
  });

  it('groups « Visites », « Bénévoles », « Cercles » and « Mon engagement » under one item « Bénévolat »', () => {
    const role = (id: string) => DEFAULT_ROLES.find((r) => r.id === id)!.permissions;
    for (const s of ['visits', 'volunteers', 'circles', 'engagement'] as const) {
      expect(navSectionOf(s)).toBe('volunteering');
      for (const r of DEFAULT_ROLES) expect(navSections(r.permissions, true), r.id).not.toContain(s);
    }
    expect(navSectionOf('people')).toBe('people');
    expect(navSections(role('volunteer'), false)).toContain('volunteering');
    expect(volunteeringSections(role('volunteer'))).toEqual(['visits', 'volunteers', 'circles', 'engagement']);
    expect(volunteeringSections(role('social_worker'))).toEqual(['visits', 'volunteers', 'circles']);
    expect(navSections(role('treasurer'), false)).not.toContain('volunteering');
    expect(volunteeringSections(role('treasurer'))).toEqual([]);
  });
});
