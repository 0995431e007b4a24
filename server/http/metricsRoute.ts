import { Router } from 'express';
import { ErrorCode } from '../../shared/protocol/index.js';
import { hashSecret, secretMatches } from '../domain/secrets.js';
import { FailureLimiter } from '../limits/FailureLimiter.js';
import { RATE_LIMITS } from '../limits/rateLimits.js';
import type { Metrics } from '../metrics/Metrics.js';
import { bearerKey } from './bearerKey.js';

/**
 * GET /metrics for Prometheus, only where METRICS_TOKEN is set and only to a scraper bearing it: the figures
 * hold nothing about a person, but how busy a server is still is the operator's business, not the public's.
 * Without a token the path is not found, as any other.
 */
export function metricsRoute(metrics: Metrics, token: string | undefined): Router {
  const router = Router();
  const tokenHash = token ? hashSecret(token) : undefined;
  const failures = new FailureLimiter(RATE_LIMITS.handshakeFailuresPerMinute, 60_000);
  router.get('/metrics', async (req, res) => {
    if (!tokenHash) return void res.status(404).json({ code: ErrorCode.notFound, message: 'no metrics here: set METRICS_TOKEN to serve them' });
    if (failures.isBlocked(req.ip ?? ''))
      return void res.status(429).json({ code: ErrorCode.rateLimited, message: 'too many wrong metrics tokens; wait a minute' });
    const key = bearerKey(req);
    if (!key || !secretMatches(key, tokenHash)) {
      failures.recordFailure(req.ip ?? '');
      return void res
        .status(401)
        .setHeader('WWW-Authenticate', 'Bearer')
        .json({ code: ErrorCode.unauthorized, message: 'give the metrics token (Authorization: Bearer …)' });
    }
    const { contentType, body } = await metrics.exposition();
    res.setHeader('Cache-Control', 'no-store').type(contentType).send(body);
  });
  return router;
}
