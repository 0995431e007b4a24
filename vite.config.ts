/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { firstLoadReport } from './client/vite/firstLoadReport.js';
import { precompress } from './client/vite/precompress.js';

const serverUrl = process.env.ROUNDTABLE_DEV_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  root: 'client',
  // The client imports the code it shares with the server as `$shared/…`, wherever it sits in client/src.
  resolve: { alias: { $shared: fileURLToPath(new URL('./shared', import.meta.url)) } },
  plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) }), precompress(), firstLoadReport()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2020',
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev` serves the client with hot reload and forwards the realtime endpoints to a running server.
    proxy: {
      '/api': serverUrl,
      '/healthz': serverUrl,
      '/socket.io': { target: serverUrl, ws: true },
      '/yjs': { target: serverUrl, ws: true },
    },
  },
  test: {
    root: '.',
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
