/** The application menu never reloads the window nor opens the developer tools (docs/ui.md « Session and locking »). */
import { describe, expect, it } from 'vitest';
import { applicationMenuTemplate, FORBIDDEN_MENU_ROLES, menuRoles } from '../../../main/windows/menu';

describe('application menu', () => {
  for (const platform of ['linux', 'win32', 'darwin']) {
    it(`${platform}: editing kept, no reload, no developer tools, no accelerator of its own`, () => {
      const template = applicationMenuTemplate(platform);
      const roles = menuRoles(template);
      expect(roles).toEqual(expect.arrayContaining(['copy', 'paste', 'quit']));
      for (const role of FORBIDDEN_MENU_ROLES) expect(roles).not.toContain(role);
      expect(JSON.stringify(template)).not.toMatch(/accelerator|CmdOrCtrl\+R|F5/i);
    });
  }
});
