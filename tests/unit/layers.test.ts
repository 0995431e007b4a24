/**
 * The server's layers, checked on its import statements: domain/ is pure (no store, no transport), http/ knows
 * nothing of Socket.IO, rooms/ talks to ports (rooms/ports.ts), not to Socket.IO, and yjs/ declares what it
 * needs of other nodes (DocPeers) rather than reaching into scale/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER = resolve(import.meta.dirname, '../../server');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** What a file imports: `server/…` paths for the server's modules, package names otherwise. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specifiers.map((specifier) => (specifier.startsWith('.') ? `server/${relative(SERVER, resolve(file, '..', specifier))}` : specifier));
}

/** The files under `layer` that import from any of `forbidden` (folders of server/ as `server/store`, or packages). */
function offenders(layer: string, forbidden: string[]): string[] {
  return sources(join(SERVER, layer))
    .filter((file) => importsOf(file).some((target) => forbidden.some((f) => target === f || target.startsWith(`${f}/`))))
    .map((file) => relative(SERVER, file))
    .sort();
}

describe('server layers', () => {
  it('reads imports the way the layers are written', () => {
    expect(importsOf(join(SERVER, 'rooms/WorkshopRoom.ts'))).toContain('server/store/Store.js');
  });

  it('keeps domain/ free of stores, transports and rooms', () => {
    expect(
      offenders('domain', ['server/store', 'server/realtime', 'server/rooms', 'server/http', 'server/scale', 'server/yjs', 'socket.io', 'express']),
    ).toEqual([]);
  });

  it('keeps http/ free of realtime/ and Socket.IO', () => {
    expect(offenders('http', ['server/realtime', 'server/scale', 'socket.io'])).toEqual([]);
  });

  it('keeps the rate limits free of any transport', () => {
    expect(offenders('limits', ['server/realtime', 'server/http', 'socket.io', 'express'])).toEqual([]);
  });

  it('keeps rooms/ free of realtime/, scale/ and Socket.IO: rooms see only their ports', () => {
    expect(offenders('rooms', ['server/realtime', 'server/scale', 'socket.io'])).toEqual([]);
  });

  it('keeps yjs/ free of realtime/, scale/ and the rooms', () => {
    expect(offenders('yjs', ['server/realtime', 'server/scale', 'server/rooms', 'socket.io'])).toEqual([]);
  });
});
