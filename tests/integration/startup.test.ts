/**
 * A broken data folder at start-up (issue 15): the server stops with one line saying why and what to do, and a
 * non-zero exit code — never a stack trace, never a start without a store to write to.
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite/SqliteStore.js';
import { freePort } from '../helpers/serverProcess.js';

async function start(dataDir: string): Promise<{ status: number | null; lines: string[] }> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, lines: `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.trim() !== '') };
}

const fresh = () => mkdtempSync(join(tmpdir(), 'roundtable-startup-'));

/** A data folder holding a real database, closed. */
async function withDatabase(): Promise<string> {
  const dir = fresh();
  await new SqliteStore(dir).close();
  return dir;
}

describe('starting on a broken data folder', () => {
  it.each([
    [
      'a file instead of a folder',
      async () => {
        const file = join(fresh(), 'data');
        writeFileSync(file, 'not a folder');
        return file;
      },
      /is a file, not a folder/,
    ],
    [
      'a database file that is not one',
      async () => {
        const dir = fresh();
        writeFileSync(join(dir, 'roundtable.sqlite'), 'hello, this is not a database at all, and it is long enough'.repeat(4));
        return dir;
      },
      /is damaged or not a Roundtable database: restore a backup/,
    ],
    [
      'a truncated database',
      async () => {
        const dir = await withDatabase();
        truncateSync(join(dir, 'roundtable.sqlite'), 1000);
        return dir;
      },
      /is damaged or not a Roundtable database/,
    ],
    [
      'a database written by a newer version',
      async () => {
        const dir = await withDatabase();
        const db = new Database(join(dir, 'roundtable.sqlite'));
        db.pragma('user_version = 999');
        db.close();
        return dir;
      },
      /was written by a newer Roundtable \(schema 999; this one knows \d+\): upgrade Roundtable, or restore a backup/,
    ],
  ])('%s: one line with the reason, exit code 1', async (_case, make, reason) => {
    const { status, lines } = await start(await make());
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Roundtable could not start: /);
    expect(lines[0]).toMatch(reason);
  });

  it('a read-only disk: refuses to start rather than start without writing', async () => {
    const mountPoint = fresh();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    } catch {
      console.log('startup.test.ts: the read-only case needs root to mount a tmpfs; skipped');
      return;
    }
    try {
      const dataDir = join(mountPoint, 'data');
      mkdirSync(dataDir);
      await new SqliteStore(dataDir).close();
      execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
      const { status, lines } = await start(dataDir);
      expect(status).toBe(1);
      expect(lines).toEqual([expect.stringMatching(/^Roundtable could not start: .* cannot be written \(a read-only disk/)]);
    } finally {
      execFileSync('umount', ['-l', mountPoint]);
    }
  });
});

/** The machine's own node when it is older than the supported lines (Debian's, or one left installed), if any. */
function olderNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    try {
      const version = execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      if (Number(version.split('.')[0]) < 22) return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

describe('starting on a Node that is too old', () => {
  const older = olderNode();
  it.skipIf(!older)('says which Node it needs in one line, exit code 1', async () => {
    const result = spawnSync(older!, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, DATA_DIR: fresh(), PORT: String(await freePort()), HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(`${result.stdout}${result.stderr}`.trim()).toMatch(
      /^Roundtable could not start: this is Node \d+\.[\d.]+; Roundtable needs Node 22\.13 or newer, or 24/,
    );
  });
});

describe('starting with a low open-file limit', () => {
  it('says so under the links, with how to raise it, and serves anyway', async () => {
    const port = await freePort();
    const child = spawn('bash', ['-c', `ulimit -n 800; exec "${process.execPath}" --import tsx server/main.ts`], {
      env: { ...process.env, DATA_DIR: fresh(), PORT: String(port), HOST: '127.0.0.1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    try {
      await expect.poll(() => output, { timeout: 20_000 }).toMatch(/Warning: this process may open 800 files, enough for about 350 phones/);
      expect(output).toMatch(/Participants:/);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
