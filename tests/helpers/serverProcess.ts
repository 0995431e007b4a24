/**
 * The production entry point (`server/main.ts`) in a child process, for tests that must kill it for real
 * (`kill -9`, SIGTERM) and start it again on the same data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

export type ServerProcess = {
  url: string;
  child: ChildProcess;
  /** Output so far (stdout and stderr), for logs and for diagnosing a failed start. */
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** A port that was free a moment ago (the child binds it; a clash would fail the start loudly). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function startServerProcess(
  dataDir: string,
  options: { port?: number; env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, PUBLIC_URL: url, LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited at start:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start within 20 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, child, output: () => output, exited };
}

/**
 * For a test file: starts server processes, each on a fresh empty data folder unless given one; every process
 * is killed after each test and the folders are removed after the file.
 */
export function useServerProcesses() {
  const running: ServerProcess[] = [];
  const dataDirs: string[] = [];
  afterEach(() => {
    for (const server of running.splice(0)) server.child.kill('SIGKILL');
  });
  afterAll(() => {
    for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    newDataDir(): string {
      const dir = mkdtempSync(join(tmpdir(), 'roundtable-node-'));
      dataDirs.push(dir);
      return dir;
    },
    async start(options: Parameters<typeof startServerProcess>[1] & { dataDir?: string } = {}): Promise<ServerProcess> {
      const server = await startServerProcess(options.dataDir ?? this.newDataDir(), options);
      running.push(server);
      return server;
    },
  };
}
