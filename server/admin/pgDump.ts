/**
 * `npm run admin -- backup` on PostgreSQL: pg_dump's custom format, which pg_restore reads. The connection goes
 * to pg_dump in libpq's environment variables, never on its command line, where `ps` would show the password.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { postgresBinDir } from './postgresPrograms.js';

/** The query parameters of a postgres:// URL that libpq also reads from an environment variable. */
const PARAMETERS: Record<string, string> = {
  host: 'PGHOST',
  port: 'PGPORT',
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  connect_timeout: 'PGCONNECT_TIMEOUT',
};

/** libpq's environment for a `postgres://user:password@host:port/database?sslmode=…` URL. */
export function libpqEnvironment(databaseUrl: string): Record<string, string> {
  const url = new URL(databaseUrl);
  const env: Record<string, string> = {};
  const set = (name: string, value: string) => value && (env[name] = decodeURIComponent(value));
  set('PGHOST', url.hostname.replace(/^\[(.*)\]$/, '$1')); // an IPv6 address without its URL brackets
  set('PGPORT', url.port);
  set('PGUSER', url.username);
  set('PGPASSWORD', url.password);
  set('PGDATABASE', url.pathname.replace(/^\//, ''));
  for (const [key, value] of url.searchParams) if (PARAMETERS[key]) env[PARAMETERS[key]] = value;
  return env;
}

export async function pgDump(databaseUrl: string, file: string): Promise<void> {
  const dir = postgresBinDir('pg_dump');
  const binary = dir && join(dir, 'pg_dump');
  if (!binary) throw new Error('pg_dump is not installed: install PostgreSQL’s client tools (Debian: postgresql-client)');
  const child = spawn(binary, ['--format=custom', `--file=${file}`, '--no-password'], {
    env: { ...process.env, ...libpqEnvironment(databaseUrl) },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
  if (code !== 0) throw new Error(`pg_dump failed: ${errors.trim() || `exit code ${code}`}`);
}
