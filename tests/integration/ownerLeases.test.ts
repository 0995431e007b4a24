/**
 * Several nodes: who owns a workshop when Redis restarts and forgets every lease. Two real Redis connections
 * (two "nodes") on a throwaway redis-server that the test stops and starts again on the same port.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { LEASE_MS, OwnerLeases } from '../../server/scale/OwnerLeases.js';
import { Sealer } from '../../server/domain/Sealer.js';
import { RedisLink } from '../../server/scale/RedisLink.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';
import { TEST_SEAL_KEY } from '../helpers/sealKey.js';
import { SERVICES } from '../helpers/services.js';
import { needs } from '../helpers/suiteNeeds.js';

needs(SERVICES.redis);
const log = createLogger('silent');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function node(redis: RedisServer): Promise<{ link: RedisLink; leases: OwnerLeases; lost: string[] }> {
  const link = await RedisLink.connect(redis.url, new Sealer(TEST_SEAL_KEY, 'messages between nodes'), log);
  const lost: string[] = [];
  const leases = new OwnerLeases(link, log, (workshopId) => lost.push(workshopId));
  leases.start();
  cleanups.push(async () => {
    await leases.stop();
    await link.close();
  });
  return { link, leases, lost };
}

describe('workshop leases across a Redis restart', () => {
  it('owners take their leases back, and for one lease period nobody takes a free one', async () => {
    const redis = await startRedisServer();
    let running = redis;
    cleanups.push(() => running.stop()); // last: the nodes let go of their leases first
    const owner = await node(redis);
    const other = await node(redis);
    expect(await owner.leases.claim('kept')).toBe(owner.link.nodeId);
    expect(await other.leases.claim('kept')).toBe(owner.link.nodeId);

    await redis.stop();
    await expect.poll(() => owner.link.connected || other.link.connected).toBe(false);
    // Cut off, a claim is refused at once rather than queued until Redis is back.
    await expect(other.leases.claim('kept')).rejects.toThrow(/not connected/);
    running = await startRedisServer({ port: redis.port });
    await expect.poll(() => owner.link.connected && other.link.connected, { timeout: 10_000 }).toBe(true);
    const reconnectedAt = Date.now();

    // Redis came back empty; the owner took its lease again by itself, and never lost the workshop.
    await expect.poll(() => other.leases.holder('kept')).toBe(owner.link.nodeId);
    expect(await other.leases.claim('kept')).toBe(owner.link.nodeId);
    // A workshop nobody holds is not taken straight after the reconnection (its owner may be reconnecting later)…
    await expect(other.leases.claim('free')).rejects.toThrow(/waiting for owners/);
    // …but is once a lease period has passed.
    await expect.poll(() => other.leases.claim('free').catch(() => null), { timeout: LEASE_MS + 3_000, interval: 250 }).toBe(other.link.nodeId);
    expect(Date.now() - reconnectedAt).toBeGreaterThanOrEqual(LEASE_MS - 1_000);
    expect(owner.lost).toEqual([]);
  }, 60_000);
});
