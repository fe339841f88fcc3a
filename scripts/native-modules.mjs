/**
 * The native addons the packaged app loads at run time: the one place that names them (docs/electron.md, "Package").
 *
 * - scripts/build-main.mjs keeps them external to the bundles (a `.node` binary cannot be bundled);
 * - electron-builder.yml unpacks every `*.node` file from the asar (`asarUnpack`), whatever package holds it;
 * - scripts/package-check.mjs checks that each one's binary sits in `app.asar.unpacked` for the target platform, and
 *   that no other package of the app ships a `.node` binary (a new native dependency must be added here, knowingly).
 *
 * Switching the SQLCipher binding changes this one line. sharp (libvips, docs/file-kinds.md) is a Node-API addon: no
 * Electron rebuild; its `.node` binary and libvips' shared library live in the platform's own `@img/sharp-<os>-<cpu>`
 * and `@img/sharp-libvips-<os>-<cpu>` packages (npm installs the running platform's).
 */
export const NATIVE_MODULES = ['better-sqlite3-multiple-ciphers', 'sharp'];

/**
 * The packages holding each native module's `.node` binary (a trailing `*` matches a prefix), as package:check
 * looks for them in app.asar.unpacked.
 */
export const NATIVE_BINARY_PACKAGES = {
  'better-sqlite3-multiple-ciphers': ['better-sqlite3-multiple-ciphers'],
  sharp: ['@img/sharp-*'],
};
