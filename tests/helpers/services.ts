/**
 * The programs some suites need besides Node — PostgreSQL, Redis, nginx, and the document tools that read
 * exports (pdftotext, LibreOffice, unzip) — found where Debian, other Linux distributions and Homebrew put them.
 * On Debian as root, tests/ensure-test-tools.sh installs what is missing. Elsewhere a suite whose program is
 * missing says so in one line and skips itself (tests/helpers/suiteNeeds.ts) — except in CI, where it fails
 * instead: CI must run everything. No Vitest here: the benchmarks use these too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { postgresBinDir as postgresDirHolding } from '../../server/admin/postgresPrograms.js';
import { join } from 'node:path';

/** `name` on PATH, or undefined. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/** The folder holding PostgreSQL's server programs (initdb, pg_ctl, pg_dump…), if installed. */
export const postgresBinDir = (): string | undefined => postgresDirHolding('initdb', 'pg_ctl', 'pg_restore');

export const redisServerBinary = (): string | undefined =>
  onPath('redis-server') ?? ['/opt/homebrew/bin/redis-server', '/usr/local/bin/redis-server'].find(existsSync);

export const nginxBinary = (): string | undefined =>
  ['/usr/sbin/nginx', '/usr/bin/nginx'].find(existsSync) ?? onPath('nginx') ?? ['/opt/homebrew/bin/nginx'].find(existsSync);

/** LibreOffice's converter: on PATH (Linux) or inside the macOS application. */
export const sofficeBinary = (): string | undefined => onPath('soffice') ?? ['/Applications/LibreOffice.app/Contents/MacOS/soffice'].find(existsSync);

const DOCUMENT_TOOLS = ['pdftotext', 'pdfinfo', 'pdffonts', 'unzip'];

export type Service = { name: string; find: () => string | undefined; install: string };

export const SERVICES = {
  postgres: { name: 'PostgreSQL', find: postgresBinDir, install: 'apt-get install postgresql · brew install postgresql@15' },
  redis: { name: 'Redis', find: redisServerBinary, install: 'apt-get install redis-server · brew install redis' },
  nginx: { name: 'nginx', find: nginxBinary, install: 'apt-get install nginx · brew install nginx' },
  documentTools: {
    name: 'the document tools (pdftotext, pdfinfo, pdffonts, unzip, LibreOffice)',
    find: () => (DOCUMENT_TOOLS.every((tool) => onPath(tool)) ? sofficeBinary() : undefined),
    install: 'apt-get install poppler-utils unzip libreoffice-writer-nogui · brew install poppler && brew install --cask libreoffice',
  },
} satisfies Record<string, Service>;

/** Finds a service, after letting the test-tools script install it (it does so on Debian as root). */
export function findOrInstall(service: Service): string | undefined {
  const found = service.find();
  if (found) return found;
  try {
    execFileSync('bash', ['tests/ensure-test-tools.sh'], { stdio: 'inherit' });
  } catch {
    // It said what is missing; what to do about that is decided below.
  }
  return service.find();
}
