/**
 * The named values of the client's own throttling, written once: how requests are paced on a gateway's
 * `x-ratelimit-*` / `ratelimit-*` headers (QuotaPacer.ts) and how the number of requests in flight adapts to 429s,
 * 5xx and timeouts (AdaptiveConcurrency.ts). `runtime.rateLimits` (RateLimiter.ts) stays a hard cap on top.
 */
export const ThrottlePolicy = {
  /**
   * Requests are spaced this much wider than the quota strictly allows: requests sent at an even pace arrive
   * with a few milliseconds of jitter, and two that land in the same window of a gateway's fixed windows would
   * make the one 429 too many.
   */
  headroom: 1.02,
  /**
   * A window's reset announced in whole seconds is trusted for "spread what remains over the time left" only
   * from this many milliseconds on: `ratelimit-reset: 1` may mean 10 ms or 1000 ms, and spreading the last few
   * requests of a second over a whole second would cut the rate several times. Shorter windows are paced at
   * their steady rate, limit ÷ length.
   */
  preciseResetMs: 5_000,
  /**
   * A window that resets later than this is not paced: spreading a day's or a month's quota over its length
   * would crawl; such quotas are the budget's (RequestBudget.ts).
   */
  longestPacedWindowMs: 3_600_000,
  /** The length of the `x-ratelimit-*-minute` window; gateways count it in calendar minutes. */
  minuteMs: 60_000,
  /**
   * A system that announces no quota (Zephyr: no figures published, no rate headers) teaches its rate by its
   * 429s: the pace becomes what it accepted over this last stretch of time…
   */
  learnWindowMs: 5_000,
  /** …from at least this many answers in it… */
  learnFromAnswers: 10,
  /** …times this, a little under what it accepted… */
  learnedShare: 0.95,
  /** …and rises by this factor after this long without a 429, to find a quota that was raised or under-measured. */
  learnedRaise: 1.05,
  learnedRaiseAfterMs: 10_000,
  /** The slowest learned pace, in requests per second. */
  slowestLearnedRate: 0.5,
  /** On a 429/5xx/timeout the limit of requests in flight is multiplied by this (rounded down, never below `minConcurrency`). */
  decreaseFactor: 0.5,
  minConcurrency: 1,
  /** This many successes in a row, after the last change, raise the limit of requests in flight by one. */
  growAfterSuccesses: 10
} as const
