/** Settings from the environment, with the defaults a venue laptop needs. */
import { z } from 'zod';
import { trustedProxies } from './http/clientAddress.js';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  /** `postgres://user:password@host:5432/db`: store in PostgreSQL instead of SQLite in DATA_DIR (several nodes may share it). */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'use a PostgreSQL connection URL, e.g. postgres://roundtable:secret@localhost:5432/roundtable')
    .optional(),
  /**
   * `redis://host:6379` (or `rediss://`): several server nodes behind one address, sharing DATABASE_URL
   * (required then) and this Redis for fan-out. See docs/DEPLOYMENT.md, "Several nodes".
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'use a Redis connection URL, e.g. redis://localhost:6379 or rediss://user:secret@redis.internal:6380')
    .optional(),
  /**
   * With DATABASE_URL (and so with REDIS_URL), required and the same on every node: the secret open votes'
   * ballots are sealed with in PostgreSQL and the nodes' messages to each other in Redis, so that neither holds
   * anything about a person readably (server/domain/Sealer.ts). SQLite needs none: see docs/ANONYMITY.md.
   */
  SEAL_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_+/=-]{32,256}$/, 'use 32 to 256 letters, digits or "_-+/=", e.g. the output of `openssl rand -base64 32`')
    .optional(),
  /** Base of every link handed out (join, screen, facilitate). Default: this machine's LAN address. */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Set on a public server so that only organisers holding it can create workshops (16–128 of A–Z a–z 0–9 _ -). */
  CREATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,128}$/, 'use 16 to 128 letters, digits, "_" or "-", e.g. the output of `openssl rand -base64 24 | tr +/ -_`')
    .optional(),
  /**
   * Set to serve GET /metrics (Prometheus) to scrapers bearing it (`Authorization: Bearer …`); unset, there is no
   * /metrics (docs/DEPLOYMENT.md, "Metrics").
   */
  METRICS_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,128}$/, 'use 16 to 128 letters, digits, "_" or "-", e.g. the output of `openssl rand -base64 24 | tr +/ -_`')
    .optional(),
  /** Events per second all connections from one address may send together; raise for a large shared address. */
  ADDRESS_EVENTS_PER_SECOND: z.coerce.number().int().min(1).optional(),
  /**
   * Seconds a node keeps serving after SIGTERM while /readyz already answers 503, so that a load balancer stops
   * sending it newcomers before its connections close (docs/DEPLOYMENT.md). Ctrl-C (SIGINT) does not wait.
   */
  DRAIN_SECONDS: z.coerce.number().min(0).max(300).default(5),
  /** New participants per second from one address (after a first 150); raise for a load test from one machine. */
  ADDRESS_JOINS_PER_SECOND: z.coerce.number().int().min(1).optional(),
  /** The reverse proxies in front of this server, whose X-Forwarded-For is believed: `loopback`, `10.0.0.5`, `10.0.0.0/8`, … */
  TRUST_PROXY: z
    .string()
    .superRefine((value, ctx) => {
      try {
        trustedProxies(value);
      } catch (error) {
        const why = error instanceof Error ? `${error.message}; ` : '';
        ctx.addIssue({
          code: 'custom',
          message: `${why}list the reverse proxies' addresses or subnets, comma-separated, e.g. loopback or 10.0.0.5,10.0.1.0/24`,
        });
      }
    })
    .optional(),
});

export type Config = z.infer<typeof envSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // `CREATE_KEY=` in an environment file (compose's, systemd's) means not set, not a key of no letters.
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  }
  if (parsed.data.REDIS_URL && !parsed.data.DATABASE_URL) {
    // Every node must read what the others wrote: an SQLite file in each node's DATA_DIR cannot be shared.
    throw new Error(
      'Invalid environment: REDIS_URL (several nodes) needs DATABASE_URL too — the nodes must share one PostgreSQL database; ' +
        'without REDIS_URL one node runs on its own SQLite store in DATA_DIR',
    );
  }
  if (parsed.data.DATABASE_URL && !parsed.data.SEAL_KEY) {
    throw new Error(
      'Invalid environment: DATABASE_URL (PostgreSQL) needs SEAL_KEY too — one secret, the same on every node, e.g. the output of ' +
        '`openssl rand -base64 32`; open votes are sealed with it in the database, and messages between nodes in Redis',
    );
  }
  return parsed.data;
}
