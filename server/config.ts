/** Settings from the environment, with the defaults a venue laptop needs. */
import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  /** `postgres://user:password@host:5432/db`: store in PostgreSQL instead of SQLite in DATA_DIR (several nodes may share it). */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'use a PostgreSQL connection URL, e.g. postgres://roundtable:secret@localhost:5432/roundtable')
    .optional(),
  /** Base of every link handed out (join, screen, facilitate). Default: this machine's LAN address. */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Set on a public server so that only organisers holding it can create workshops (16–128 of A–Z a–z 0–9 _ -). */
  CREATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,128}$/, 'use 16 to 128 letters, digits, "_" or "-", e.g. the output of `openssl rand -base64 24 | tr +/ -_`')
    .optional(),
  /** Events per second all connections from one address may send together; raise for a large shared address. */
  ADDRESS_EVENTS_PER_SECOND: z.coerce.number().int().min(1).optional(),
  /** New participants per second from one address (after a first 150); raise for a load test from one machine. */
  ADDRESS_JOINS_PER_SECOND: z.coerce.number().int().min(1).optional(),
});

export type Config = z.infer<typeof envSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
