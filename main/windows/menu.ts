/**
 * The application menu as pure data (docs/ui.md « Session and locking »). Electron's default menu reloads the window
 * with Ctrl+R / F5 and opens the developer tools: neither is offered here. Only editing (copy, paste…), the window
 * and, on macOS, the application menu remain. No runtime `electron` import here (types only); tested in
 * tests/unit/electron/menu.test.ts.
 */
import type { MenuItemConstructorOptions } from 'electron';

/** Roles that would reload the page or expose its internals: never in the menu. */
export const FORBIDDEN_MENU_ROLES = ['reload', 'forceReload', 'toggleDevTools'] as const;

/** The menu template for `platform` (`process.platform`). */
export function applicationMenuTemplate(platform: string): MenuItemConstructorOptions[] {
  const edit: MenuItemConstructorOptions = {
    label: 'Édition',
    submenu: [
      { role: 'undo', label: 'Annuler' },
      { role: 'redo', label: 'Rétablir' },
      { type: 'separator' },
      { role: 'cut', label: 'Couper' },
      { role: 'copy', label: 'Copier' },
      { role: 'paste', label: 'Coller' },
      { role: 'selectAll', label: 'Tout sélectionner' },
    ],
  };
  const window: MenuItemConstructorOptions = {
    label: 'Fenêtre',
    submenu: [
      { role: 'minimize', label: 'Réduire' },
      { role: 'togglefullscreen', label: 'Plein écran' },
      platform === 'darwin' ? { role: 'close', label: 'Fermer' } : { role: 'quit', label: 'Quitter' },
    ],
  };
  if (platform !== 'darwin') return [edit, window];
  return [{ label: 'Solidariciel', submenu: [{ role: 'hide', label: 'Masquer' }, { type: 'separator' }, { role: 'quit', label: 'Quitter' }] }, edit, window];
}

/** Every role named in a template, submenus included (for the tests). */
export function menuRoles(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? menuRoles(item.submenu) : []),
  ]);
}
