/**
 * The gateway quota in virtual time (core/sandbox/Throttling.ts takes the clock as an argument): fixed windows, the
 * headers a client throttles on, `retry-after` until the refusing window ends, fractional rates.
 */
import { describe, expect, it } from "@effect/vitest"
import { makeGatewayLimiter as makeRateLimiter } from "../../../../core/sandbox/Throttling.ts"

describe("RateLimiter", () => {
  it("allows `rate` calls per one-second window and says how many are left", () => {
    const take = makeRateLimiter(3)
    const t0 = 1_000_000
    const decisions = [take(t0), take(t0 + 10), take(t0 + 20), take(t0 + 30)]
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false])
    expect(decisions.map((d) => d.headers["ratelimit-remaining"])).toEqual(["2", "1", "0", "0"])
    expect(decisions[0]?.headers).toMatchObject({ "x-ratelimit-limit-minute": "180", "x-ratelimit-remaining-minute": "179", "x-ratelimit-limit-second": "3" })
    expect(decisions[3]?.retryAfter).toBe(1)
    expect(decisions[3]?.headers["retry-after"]).toBe("1")
    // Refused calls do not use the quota; the next window starts afresh.
    expect(decisions[3]?.headers["x-ratelimit-remaining-minute"]).toBe("177")
    expect(take(t0 + 1000).allowed).toBe(true)
  })

  it("fractional rates allow one call per 1/rate seconds, with retry-after up to the window's end", () => {
    const take = makeRateLimiter(0.25)
    const t0 = 4_000_000
    expect(take(t0).allowed).toBe(true)
    const refused = take(t0 + 500)
    expect(refused.allowed).toBe(false)
    expect(refused.retryAfter).toBe(4)
    expect(refused.headers["x-ratelimit-limit-second"]).toBeUndefined()
    expect(take(t0 + 4000).allowed).toBe(true)
  })

  it("a rate of 1.5 is one call per 667 ms, 90 per minute", () => {
    const take = makeRateLimiter(1.5)
    expect(take(0).headers["x-ratelimit-limit-minute"]).toBe("90")
    expect(take(600).allowed).toBe(false)
    expect(take(667).allowed).toBe(true)
    let allowed = 2
    for (let t = 700; t < 60_000; t += 10) if (take(t).allowed) allowed++
    expect(allowed).toBe(90)
  })
})
