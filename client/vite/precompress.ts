/**
 * Writes a Brotli and a gzip copy beside every built script, stylesheet and SVG, so the server sends phones
 * compressed bytes without compressing on every request (server/http/clientRoutes.ts picks the copy).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|css|svg|json|html)$/;

export function precompress(): Plugin {
  return {
    name: 'roundtable:precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const outDir = options.dir!;
      await Promise.all(
        Object.keys(bundle)
          .filter((file) => COMPRESSIBLE.test(file))
          .map(async (file) => {
            const path = join(outDir, file);
            const bytes = await readFile(path);
            await writeFile(`${path}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
            await writeFile(`${path}.gz`, gzipSync(bytes, { level: 9 }));
          }),
      );
    },
  };
}
