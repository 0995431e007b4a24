import express, { Router, type RequestHandler } from 'express';
import { existsSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';

/** Encodings the build writes beside each asset (client/vite/precompress.ts), best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/**
 * Sends the Brotli or gzip copy of a built asset when the browser accepts it: a phone on 3G gets a third of the
 * bytes, and the server never compresses on a request.
 */
function precompressedAssets(assetsDir: string): RequestHandler {
  const files = new Set(existsSync(assetsDir) ? readdirSync(assetsDir) : []);
  return (req, res, next) => {
    const name = req.path.slice(1);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !files.has(name)) return next();
    const accepted = String(req.headers['accept-encoding'] ?? '');
    const encoding = ENCODINGS.find((e) => files.has(name + e.suffix) && new RegExp(`\\b${e.name}\\b`).test(accepted));
    res.vary('Accept-Encoding');
    if (!encoding) return next();
    res.setHeader('Content-Encoding', encoding.name);
    res.type(extname(name));
    res.sendFile(join(assetsDir, name + encoding.suffix), { immutable: true, maxAge: '365d' }, (error) => error && next(error));
  };
}

/**
 * Serves the built client. Vite names assets by content hash, so they may be cached for a year;
 * index.html must be revalidated so a new build reaches phones at once.
 */
export function clientRoutes(clientDir: string): Router {
  const router = Router();
  const indexHtml = join(clientDir, 'index.html');
  const assetsDir = join(clientDir, 'assets');
  router.use('/assets', precompressedAssets(assetsDir));
  router.use('/assets', express.static(assetsDir, { immutable: true, maxAge: '365d', fallthrough: false }));
  router.use(express.static(clientDir, { index: false, maxAge: 0 }));
  // Every other GET is a client route (/j/CODE, /screen/CODE, /facilitate/ID): the app decides what to show.
  router.get('/{*splat}', (_req, res) => {
    if (!existsSync(indexHtml)) {
      res.status(503).type('text').send('The client is not built yet: run `npm run build` (npm start does it for you).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
