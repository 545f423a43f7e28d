/**
 * `verify` lives with the quota a `run` lives with. Against a qTest that allows 20 requests a second and fails 30%
 * of them (5xx, dropped connections), a run completes; verify must then pass too — paced by the same limiter,
 * the pacing on qTest's quota headers, concurrency and retry policy, and reading the project in bulk rather than
 * one request per object.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { fullSpec, migrate, startSystems, workdir, type Systems } from "../support/fullMigration.ts"

let systems: Systems

beforeAll(async () => {
  systems = await startSystems({ qtest: { rateLimit: 20, faultRate: 0.3, seed: 7, requirements: ["DEMO-1 Login story", "DEMO-2 Checkout story"] } })
}, 60_000)

afterAll(() => systems?.close())

describe("verify under qTest's quota and faults", () => {
  it("a qTest limited to 20 requests/s failing 30% of them: run completes, then verify passes, three times in a row", async () => {
    const cwd = workdir(fullSpec(systems, { sinks: ["qtest"] }))
    const started = Date.now()
    const run = await migrate(systems, cwd, ["run"], { timeoutMs: 600_000 })
    expect(run.code, run.stderr + run.stdout).toBe(0)
    for (let i = 0; i < 3; i++) {
      const verify = await migrate(systems, cwd, ["verify"], { timeoutMs: 300_000 })
      expect(verify.code, verify.stdout + verify.stderr).toBe(0)
      expect(verify.stdout).toContain("verify qtest: everything matches")
    }
    // the quota set the pace (the client paces on its headers, so it is met by waiting rather than by 429s):
    // the sandbox answered no more than 20 a second, and hardly ever had to refuse one
    const { requests, throttled } = systems.qtest.stats()
    expect(Date.now() - started, "the quota was in force: the test tests something").toBeGreaterThanOrEqual(((requests - 20) / 20) * 1000)
    expect(throttled / requests).toBeLessThan(0.01)
  }, 900_000)
})
