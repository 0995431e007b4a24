/**
 * How much each client may send. docs/SECURITY.md gives the figures and what they mean for someone guessing
 * join codes. Per address limits are generous because a whole room may share one address behind a venue
 * router (`ADDRESS_EVENTS_PER_SECOND` raises them, for a load test or a large NAT).
 */
export const RATE_LIMITS = {
  /** Every event of one connection: a person tapping quickly, a facilitator dragging notes. */
  perConnection: { capacity: 20, perSecond: 10 },
  /** Every event of all connections from one address together. */
  perAddress: { capacity: 1000, perSecond: 200 },
  /** First joins (new participants) from one address: a full room in a minute, not a scripted crowd. */
  newParticipantsPerAddress: { capacity: 150, perSecond: 2 },
  /**
   * Pulse-check answers from one address (docs/FOLLOWUP.md): a community centre's shared Wi-Fi answers in a
   * few minutes, a script filling a check with made-up browsers is slowed to a crawl.
   */
  pulseAnswersPerAddress: { capacity: 60, perSecond: 0.2 },
  /** Refused handshakes (wrong code, key or passphrase) per address per minute. */
  handshakeFailuresPerMinute: 30,
} as const;
