/**
 * The native addons the packaged app loads at run time: the one place that names them (docs/electron.md, "Package").
 *
 * - scripts/build-main.mjs keeps them external to the bundles (a `.node` binary cannot be bundled);
 * - electron-builder.yml unpacks every `*.node` file from the asar (`asarUnpack`), whatever package holds it;
 * - scripts/package-check.mjs checks that each one's binary sits in `app.asar.unpacked` for the target platform, and
 *   that no other package of the app ships a `.node` binary (a new native dependency must be added here, knowingly).
 *
 * Switching the SQLCipher binding changes this one line.
 */
export const NATIVE_MODULES = ['better-sqlite3-multiple-ciphers'];
