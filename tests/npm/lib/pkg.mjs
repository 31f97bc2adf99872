// The built package under test (wasm-pkg/build.sh output), or SCIM_PKG_DIR when set.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

export const pkgDir =
  process.env.SCIM_PKG_DIR ?? fileURLToPath(new URL('../../../wasm-pkg/dist/pkg', import.meta.url));

export const scim = await import(pathToFileURL(join(pkgDir, 'node.js')).href);
