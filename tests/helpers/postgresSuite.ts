/** A PostgreSQL cluster for one test file (tests/helpers/postgresCluster.ts), skipped where PostgreSQL is missing. */
import { afterAll, beforeAll } from 'vitest';
import { startPostgresCluster, type PostgresCluster, type RunningCluster } from './postgresCluster.js';
import { SERVICES } from './services.js';
import { needs } from './suiteNeeds.js';

/**
 * For a test file: a cluster started before its tests and stopped after them. What it returns stands for that
 * cluster inside the tests (it is not there yet when the file is read).
 */
export function usePostgresCluster(options: { durable?: boolean } = {}): RunningCluster {
  let started: PostgresCluster | undefined;
  if (needs(SERVICES.postgres)) {
    beforeAll(async () => {
      started = await startPostgresCluster(options);
    }, 120_000);
    afterAll(() => started?.stop());
  }
  const cluster = () => {
    if (!started) throw new Error('the PostgreSQL cluster is used before its beforeAll ran');
    return started;
  };
  return {
    get port() {
      return cluster().port;
    },
    get dataDir() {
      return cluster().dataDir;
    },
    get bin() {
      return cluster().bin;
    },
    url: (database) => cluster().url(database),
    createDatabase: () => cluster().createDatabase(),
  };
}
