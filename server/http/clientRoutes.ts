import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Serves the built client. Vite names assets by content hash, so they may be cached for a year;
 * index.html must be revalidated so a new build reaches phones at once.
 */
export function clientRoutes(clientDir: string): Router {
  const router = Router();
  const indexHtml = join(clientDir, 'index.html');
  router.use(
    '/assets',
    express.static(join(clientDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
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
