/**
 * Where the browser host keeps its preferences by default: a per-user configuration folder, never the shared
 * temporary folder, where another local user could plant the folder or links in it (docs/threat-model.md).
 */
import { posix, win32 } from 'node:path';

/**
 * `<config>/solidariciel/host/preferences.json`, where `<config>` is:
 * - Linux and other Unix: `$XDG_CONFIG_HOME` when it is an absolute path (XDG Base Directory Specification,
 *   https://specifications.freedesktop.org/basedir-spec/latest/), else `~/.config`;
 * - macOS: `~/Library/Application Support`;
 * - Windows: `%APPDATA%`, else `~\AppData\Roaming`.
 * Pure: the caller passes the environment, the home folder and the platform (`os.homedir()`, `process.platform`).
 */
export function defaultHostPrefsFile(env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    const appData = env['APPDATA'] && win32.isAbsolute(env['APPDATA']) ? env['APPDATA'] : win32.join(home, 'AppData', 'Roaming');
    return win32.join(appData, 'solidariciel', 'host', 'preferences.json');
  }
  const xdg = env['XDG_CONFIG_HOME'];
  const config =
    platform === 'darwin' ? posix.join(home, 'Library', 'Application Support') : xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.config');
  return posix.join(config, 'solidariciel', 'host', 'preferences.json');
}
