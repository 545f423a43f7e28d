/**
 * Pacing on what a system says of its quota, so a run spreads its requests over what remains of each window
 * instead of bursting into a 429. Every response's headers are read (`observe`):
 *
 * - `x-ratelimit-limit-minute` / `x-ratelimit-remaining-minute` (qTest's gateway; also `-second` where sent): a
 *   window counted in calendar minutes (seconds);
 * - the IETF `ratelimit-limit` / `ratelimit-remaining` / `ratelimit-reset` (seconds): the window closest to
 *   running out — when it repeats the minute's figures, its reset times the minute;
 * - `x-ratelimit-remaining-month`: not paced (a month cannot be spread over a run), kept for the budget; nor is
 *   an IETF window that repeats the month's figures or resets later than `ThrottlePolicy.longestPacedWindowMs`;
 * - `Retry-After` on a 429: nobody sends until it has passed, not only the request that met it;
 * - nothing at all (Zephyr publishes no limits): the first 429s teach the pace — what the system accepted over the
 *   last few seconds, a little under it (ThrottlePolicy.learn*) — which rises again by steps while no 429 comes.
 *
 * Before a request (`take`) the pacer gives it a slot: no earlier than the previous slot plus the widest spacing
 * any window asks — its steady rate (limit ÷ length), or what remains spread over the time left when that time is
 * known well enough (ThrottlePolicy.preciseResetMs) — and never while a window the pacer believes spent has not
 * reset. Each slot taken counts against every window until the next response says how much really remains.
 * A system that sends none of these headers is never delayed. Time comes from the Clock (TestClock in tests).
 */
import { Clock, Effect } from "effect"
import { ThrottlePolicy } from "./ThrottlePolicy.ts"

interface Window {
  readonly limit: number
  /** What the pacer believes remains: the server's last figure, less the slots given since. */
  remaining: number
  /** When the window resets, as well as known. */
  readonly resetAt: number
  /** Its length, when known: the steady spacing is length ÷ limit. */
  readonly lengthMs: number
}

export interface QuotaPacer {
  /** Waits for this request's slot. */
  readonly take: Effect.Effect<void>
  /** Reads a response's headers (lower-case names) and status. */
  readonly observe: (status: number, headers: Readonly<Record<string, string | undefined>>) => Effect.Effect<void>
  /** The month's remaining requests as last reported, less the requests sent since; undefined before any report. */
  readonly monthRemaining: () => number | undefined
}

const numberOf = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === "") return undefined
  const n = Number(value)
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

/** The spacing one window asks for at `now`, in milliseconds. */
const spacingOf = (w: Window, now: number): number => {
  const steady = w.lengthMs / w.limit
  const left = w.resetAt - now
  const spread = left >= ThrottlePolicy.preciseResetMs ? left / Math.max(1, w.remaining) : 0
  return Math.max(steady, spread) * ThrottlePolicy.headroom
}

export const makeQuotaPacer = (): QuotaPacer => {
  const windows = new Map<string, Window>()
  let pausedUntil = 0
  let lastSlot = Number.NEGATIVE_INFINITY
  let month: number | undefined
  /** When the last answers that were not 429 came (within ThrottlePolicy.learnWindowMs): the accepted rate. */
  const accepted: Array<number> = []
  let learnedAt = 0

  /** A 429 from a system that announces no quota: pace at a little under what it accepted lately. */
  const learn = (now: number) => {
    if ([...windows.keys()].some((k) => k !== "learned")) return
    // too few answers to tell a rate from: the 429's Retry-After and the backoff are all there is to go on
    if (accepted.length < ThrottlePolicy.learnFromAnswers) return
    const oldest = accepted[0] ?? now
    const rate = (accepted.length * 1000) / Math.max(1000, now - oldest)
    const limit = Math.max(ThrottlePolicy.slowestLearnedRate, rate * ThrottlePolicy.learnedShare)
    const old = windows.get("learned")
    if (old === undefined || limit < old.limit) windows.set("learned", { limit, remaining: Number.POSITIVE_INFINITY, resetAt: 0, lengthMs: 1000 })
    learnedAt = now
  }

  /** No 429 for a while: try a little faster. */
  const relax = (now: number) => {
    const w = windows.get("learned")
    if (w === undefined || now - learnedAt < ThrottlePolicy.learnedRaiseAfterMs) return
    windows.set("learned", { ...w, limit: w.limit * ThrottlePolicy.learnedRaise })
    learnedAt = now
  }

  /** A fresh report: a later window replaces the old one; within the same one, the lower of the two figures. */
  const update = (name: string, next: Window) => {
    const old = windows.get(name)
    if (old !== undefined && old.limit === next.limit && next.resetAt <= old.resetAt + 500) next.remaining = Math.min(next.remaining, old.remaining)
    windows.set(name, next)
  }

  const take = Effect.flatMap(Clock.currentTimeMillis, (now) => {
    let slot = Math.max(now, pausedUntil)
    for (const w of windows.values()) {
      if (w.remaining <= 0 && w.resetAt > slot) slot = w.resetAt
      // once reset, the window is unknown again until the next response describes it
      if (w.remaining > 0 || w.resetAt > now) slot = Math.max(slot, lastSlot + spacingOf(w, now))
    }
    lastSlot = slot
    for (const w of windows.values()) w.remaining--
    if (month !== undefined) month--
    const wait = Math.ceil(slot - now)
    return wait > 0 ? Effect.sleep(wait) : Effect.void
  })

  const observe = (status: number, h: Readonly<Record<string, string | undefined>>) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      const ietf = { limit: numberOf(h["ratelimit-limit"]), remaining: numberOf(h["ratelimit-remaining"]), reset: numberOf(h["ratelimit-reset"]) }
      const minute = { limit: numberOf(h["x-ratelimit-limit-minute"]), remaining: numberOf(h["x-ratelimit-remaining-minute"]) }
      const second = { limit: numberOf(h["x-ratelimit-limit-second"]), remaining: numberOf(h["x-ratelimit-remaining-second"]) }
      const monthly = { limit: numberOf(h["x-ratelimit-limit-month"]), remaining: numberOf(h["x-ratelimit-remaining-month"]) }
      const sameAs = (w: { limit: number | undefined; remaining: number | undefined }) => w.limit !== undefined && w.limit === ietf.limit && w.remaining === ietf.remaining
      // the IETF headers repeating the month's figures describe the month: the budget's, not the pace's
      let ietfUsed = sameAs(monthly)
      if (minute.limit !== undefined && minute.limit > 0 && minute.remaining !== undefined) {
        const calendar = now - (now % ThrottlePolicy.minuteMs) + ThrottlePolicy.minuteMs
        const resetAt = sameAs(minute) && ietf.reset !== undefined ? now + ietf.reset * 1000 : calendar
        ietfUsed ||= sameAs(minute)
        update("minute", { limit: minute.limit, remaining: minute.remaining, resetAt, lengthMs: ThrottlePolicy.minuteMs })
      }
      if (second.limit !== undefined && second.limit > 0 && second.remaining !== undefined) {
        ietfUsed ||= sameAs(second)
        update("second", { limit: second.limit, remaining: second.remaining, resetAt: now - (now % 1000) + 1000, lengthMs: 1000 })
      }
      if (!ietfUsed && ietf.limit !== undefined && ietf.limit > 0 && ietf.remaining !== undefined && (ietf.reset ?? 0) * 1000 <= ThrottlePolicy.longestPacedWindowMs) {
        const resetMs = Math.max(1, ietf.reset ?? 1) * 1000
        const old = windows.get("ietf")
        // the window's length is unknown: the longest reset seen for it is the best guess
        const lengthMs = Math.max(resetMs, old !== undefined && old.limit === ietf.limit ? old.lengthMs : 0)
        update("ietf", { limit: ietf.limit, remaining: ietf.remaining, resetAt: now + resetMs, lengthMs })
      }
      const monthLeft = numberOf(h["x-ratelimit-remaining-month"])
      if (monthLeft !== undefined) month = month === undefined ? monthLeft : Math.min(month, monthLeft)
      if (status === 429) {
        const retryAfter = numberOf(h["retry-after"])
        if (retryAfter !== undefined && retryAfter > 0) pausedUntil = Math.max(pausedUntil, now + retryAfter * 1000)
        learn(now)
      } else {
        accepted.push(now)
        while (accepted.length > 0 && accepted[0]! < now - ThrottlePolicy.learnWindowMs) accepted.shift()
        relax(now)
      }
    })

  return { take, observe, monthRemaining: () => month }
}
