/**
 * Pacing against the sandboxes' quotas, through the CLI: a qTest gateway allowing 25 requests a second and 1,200 a
 * minute, and a Zephyr announcing 2,400 a minute in `x-ratelimit-*` headers. A whole migration — extract, qTest,
 * Snowflake — is answered 429 for fewer than 1% of its requests (the client reads the headers and spreads its
 * requests), and still goes about as fast as the quota allows.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { fullSpec, migrate, reportOf, startSystems, targetsOf, workdir, type Systems } from "../support/fullMigration.ts"

let systems: Systems

beforeAll(async () => {
  systems = await startSystems({
    zephyr: { quotaPerMinute: 2400 },
    qtest: { rateLimit: 25, quotaPerMinute: 1200, requirements: ["DEMO-1 Login story", "DEMO-2 Checkout story"] }
  })
}, 60_000)

afterAll(() => systems?.close())

describe("pacing on the quota headers", () => {
  it("a run against per-second and per-minute quotas: under 1% of its requests answered 429", async () => {
    const cwd = workdir(fullSpec(systems, { concurrency: 8 }), "migrate-pacing-")
    const started = Date.now()
    const run = await migrate(systems, cwd, ["run"], { timeoutMs: 300_000 })
    const wallMs = Date.now() - started
    expect(run.code, run.stderr + run.stdout).toBe(0)
    const qtest = systems.qtest.stats()
    const zephyr = systems.zephyr.stats()
    expect(qtest.requests, "enough requests to measure").toBeGreaterThan(200)
    expect(qtest.throttled / qtest.requests).toBeLessThan(0.01)
    expect(zephyr.throttled / zephyr.requests).toBeLessThan(0.01)
    const report = reportOf(run)
    expect(report.requests["qtest"]?.throttled).toBe(qtest.throttled)
    // not slower than the quota needs: the qTest requests at 25/s, plus the extract and Snowflake, with room
    expect(wallMs).toBeLessThan((qtest.requests / 25) * 1000 * 1.5 + 20_000)
    // the read-back is the test's, not the run's: it starts with a fresh quota
    systems.qtest.resetQuota()
    expect((await targetsOf(systems)).duplicates).toEqual([])
  }, 300_000)
})
