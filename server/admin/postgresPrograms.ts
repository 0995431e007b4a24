/**
 * Where PostgreSQL's programs (pg_dump; for the tests initdb, pg_ctl, pg_restore) may be, in the order they are
 * tried: Debian's and Ubuntu's versioned folders, Homebrew's postgresql@NN kegs (newest first), then PATH.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Versioned folders (`/usr/lib/postgresql/15`, `/opt/homebrew/opt/postgresql@15`), newest first. */
function versioned(parent: string, prefix: string): string[] {
  if (!existsSync(parent)) return [];
  const version = (name: string) => Number(name.slice(prefix.length)) || 0;
  return readdirSync(parent)
    .filter((name) => name.startsWith(prefix))
    .sort((a, b) => version(b) - version(a))
    .map((name) => join(parent, name, 'bin'));
}

export function postgresBinDirs(): string[] {
  return [
    ...versioned('/usr/lib/postgresql', ''),
    ...versioned('/opt/homebrew/opt', 'postgresql@'),
    ...versioned('/usr/local/opt', 'postgresql@'),
    ...(process.env.PATH ?? '').split(':').filter(Boolean),
  ];
}

/** The first of `programs`' folders that holds them all. */
export const postgresBinDir = (...programs: string[]): string | undefined =>
  postgresBinDirs().find((dir) => programs.every((program) => existsSync(join(dir, program))));
