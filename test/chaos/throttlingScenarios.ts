/**
 * 429 storms through the complete migration: every tenth-odd request refused in bursts, with `Retry-After: 0`,
 * `1`, `30` or none — on Zephyr (which sends nothing else) and on qTest (whose gateway also sends
 * `x-ratelimit-remaining-minute: 0` during a storm and on the call before it) — and a burst on Snowflake's
 * query-requests, which the driver rides out itself. Storms are scheduled by request count, so the compressed
 * clock can honour a 30-second Retry-After in milliseconds: its record of the waits before a retry shows that it
 * was.
 */
import { describe, expect, it } from "@effect/vitest"
import type { StormOptions } from "../../core/sandbox.ts"
import { expectSameCounts, expectSameEnd, expectTruthfulCounts, runScenario } from "./chaosScenario.ts"
import type { ChaosSuite } from "./ChaosSuite.ts"
import { retryWaits } from "./CompressedClock.ts"
import { chaosRuntime } from "./runChaos.ts"

const storm = (retryAfterSeconds: number | undefined): StormOptions => ({ after: 40, length: 10, every: 60, retryAfterSeconds })
const RETRY_AFTERS = [0, 1, 30, undefined] as const
const { retry } = chaosRuntime
const label = (ra: number | undefined) => (ra === undefined ? "absent" : String(ra))

/** Declares the scenarios; `suite` gives the clean run they are compared with and the table they fill. */
export const throttlingScenarios = (suite: ChaosSuite): void => {
  const { table } = suite
  describe("chaos: 429 storms", () => {
    for (const system of ["zephyr", "qtest"] as const)
      it.each(RETRY_AFTERS.map((ra) => [label(ra), ra] as const))(`${system}: storms with Retry-After %s`, async (name, retryAfter) => {
        const r = await runScenario({ misbehaviour: { [system]: { storm: storm(retryAfter) } } })
        table.record(`429 storm, Retry-After ${name}, on ${system}`, r)
        expect(r.sandbox[system].throttled, "429s answered").toBeGreaterThanOrEqual(20)
        expectSameEnd(r.end, suite.clean().end)
        expectSameCounts(r, suite.clean())
        expectTruthfulCounts(r, system)
        // A positive Retry-After is waited, on virtual time, once per 429; 0 or none fall back to the backoff, which
        // starts at 250–500 ms (never 0: a busy loop) and grows. (The waits are every system's: a request that timed
        // out on a loaded machine is retried too.)
        const waits = r.runs.flatMap((run) => retryWaits(run.sleeps))
        expect(waits.length, "a wait before each retry").toBeGreaterThanOrEqual(r.report[system].retries)
        if (retryAfter !== undefined && retryAfter > 0) {
          const honoured = waits.filter((ms) => ms === retryAfter * 1000).length
          expect(honoured, "a wait of the Retry-After after each 429").toBeGreaterThanOrEqual(r.report[system].throttled)
          // Only other retries (after a time-out on a loaded machine, on any system) may add waits of that length.
          const otherRetries = (["zephyr", "qtest", "snowflake"] as const).reduce((n, s) => n + r.report[s].retries, 0) - r.report[system].throttled
          expect(honoured, "waits of the Retry-After's length beyond the 429s: other retries' backoffs").toBeLessThanOrEqual(r.report[system].throttled + otherRetries)
        }
        else expect(Math.min(...waits), "the shortest wait: the backoff's least").toBeGreaterThanOrEqual(retry.baseDelayMs / 2)
      }, 300_000)

    it("snowflake: a burst of 429s on query-requests is ridden out by the driver", async () => {
      const r = await runScenario({ misbehaviour: { snowflake: { storm: { after: 30, length: 2, retryAfterSeconds: 1 } } } })
      table.record("429 burst on snowflake", r)
      expect(r.outcome).toBe("converged")
      expect(r.sandbox.snowflake.throttled).toBe(2)
      expect(r.sandbox.snowflake.resent, "the driver sent the statement again").toBe(2)
      expectSameEnd(r.end, suite.clean().end)
      expectSameCounts(r, suite.clean())
      expectTruthfulCounts(r, "snowflake")
    }, 300_000)
  })
}
