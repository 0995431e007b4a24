/**
 * nginx in front of test server nodes, configured with the very file compose.yaml mounts and docs/DEPLOYMENT.md
 * gives (`deploy/nginx.conf`), so the test proves the shipped configuration: its upstream servers, its
 * `listen 443 ssl` (no certificate here) and its port-80 server are replaced, and its `access_log off` becomes
 * a log of each request's path and upstream, so that a test can see which node served what. nginx runs in the
 * foreground from a temporary prefix folder, on a spare loopback port; installed by the test-tools script.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './serverProcess.js';
import { findOrInstall, SERVICES } from './services.js';

export type NginxServer = {
  url: string;
  /** Requests nginx has finished (a WebSocket once closed): path without query, and the node that served it. */
  served: () => { path: string; upstream: string }[];
  stop: () => Promise<void>;
};

function findOrInstallNginx(): string {
  const found = findOrInstall(SERVICES.nginx);
  if (!found) throw new Error(`nginx is not installed: ${SERVICES.nginx.install}`);
  return found;
}

/** Replaces `pattern` in `text`, failing loudly if the documented configuration no longer has it. */
function replaceOrFail(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`deploy/nginx.conf changed (no match for ${pattern}): update tests/helpers/nginxServer.ts`);
  return text.replace(pattern, replacement);
}

/**
 * The shipped configuration, pointed at `upstreams` (host:port) and listening on `port` without TLS; with
 * `accessLog`, its `access_log off` logs each request's path and upstream there (format `upstreams`) instead.
 */
export function shippedConfig(upstreams: string[], port: number, accessLog?: string): string {
  const block = readFileSync('deploy/nginx.conf', 'utf8');
  let config = replaceOrFail(block, /(upstream roundtable \{\n)(?:\s*server [^\n]+\n)+/, `$1${upstreams.map((u) => `    server ${u};\n`).join('')}`);
  config = replaceOrFail(config, /listen 443 ssl;/, `listen 127.0.0.1:${port};`);
  config = replaceOrFail(config, /\n\s*ssl_certificate[^\n]*;[^\n]*/g, '');
  config = replaceOrFail(config, /\nserver \{\n\s*listen 80;[\s\S]*?\n\}\n?/, '\n');
  if (accessLog) config = replaceOrFail(config, /access_log off;/, `access_log ${accessLog} upstreams;`);
  return config;
}

export async function startNginx(upstreams: string[]): Promise<NginxServer> {
  const binary = findOrInstallNginx();
  const prefix = mkdtempSync(join(tmpdir(), 'roundtable-nginx-'));
  for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, dir));
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  writeFileSync(
    join(prefix, 'nginx.conf'),
    [
      'daemon off;',
      // As root nginx would hand its workers to `nobody`, who cannot write this folder.
      asRoot ? 'user root;' : '',
      'worker_processes 1;',
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/error.log warn;`,
      'events { worker_connections 1024; }',
      'http {',
      ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((dir) => `  ${dir === 'body' ? 'client_body' : dir}_temp_path ${prefix}/${dir};`),
      "  log_format upstreams '$uri $upstream_addr';",
      shippedConfig(upstreams, port, join(prefix, 'served.log')),
      '}',
    ].join('\n'),
  );
  const child = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk));
  const running = () => child.exitCode === null && child.signalCode === null;
  const stopNow = () => child.kill('SIGKILL');
  process.once('exit', stopNow);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  // nginx writes its pid file once it has bound the port: before that, a /healthz answer could be another process's.
  while (
    !existsSync(join(prefix, 'nginx.pid')) ||
    !(await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (!running() || Date.now() > deadline) {
      stopNow();
      const log = existsSync(join(prefix, 'error.log')) ? readFileSync(join(prefix, 'error.log'), 'utf8') : '';
      rmSync(prefix, { recursive: true, force: true });
      throw new Error(`nginx did not start:\n${errors}${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    served: () =>
      (existsSync(join(prefix, 'served.log')) ? readFileSync(join(prefix, 'served.log'), 'utf8') : '')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [path = '', upstream = ''] = line.split(' ');
          return { path, upstream };
        }),
    async stop() {
      process.off('exit', stopNow);
      if (running()) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM'); // fast shutdown: open WebSockets are closed, not waited for
        await exited;
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
