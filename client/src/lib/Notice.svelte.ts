import { describeError } from './describeError';

/** The last refusal from the server, in the reader's language, for a view's alert area. */
export class Notice {
  message = $state<string | null>(null);

  /** Awaits a request; shows its refusal, or clears the notice, and passes the answer on. */
  async track<T extends { ok: boolean }>(request: Promise<T>): Promise<T> {
    const result = await request;
    this.message = result.ok ? null : describeError(result as unknown as { code: string; message: string });
    return result;
  }

  /** As `track`, for callers that only need to know whether it worked. */
  succeeded = async (request: Promise<{ ok: boolean }>): Promise<boolean> => (await this.track(request)).ok;
}
