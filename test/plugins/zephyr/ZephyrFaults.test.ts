/**
 * A generated tenant served with 10% faults (5xx and dropped connections) and throttling (429, with `Retry-After`
 * of 0 or whole seconds): the run — cursor pages, children, attachments, checkpoints — completes with exactly the
 * rows of a fault-free run of the same tenant. Core's retry policy does the retrying; what this holds the source
 * to is that a retried cursor page neither skips nor repeats items. The `tiny` tenant (every kind of object, 50
 * cases) with a page size of 10 gives as many retried cursor pages as `small` did at a fifth of the time; throttling
 * is tested on the demo tenant with a small page size, so many cursor pages are retried; 429 storms without any
 * `Retry-After` on the `tiny` one. Both editions: Zephyr Cloud's cursor pages and Zephyr Essential's offset pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { startZephyrSandbox } from "../../../plugins/zephyr/sandbox/index.ts"
import { dumpStore, runInProcess, tempStatePath } from "./runInProcess.ts"

let scope: Scope.CloseableScope
beforeAll(async () => {
  scope = await Effect.runPromise(Scope.make())
})
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

const fastRetries = { concurrency: 4, requestTimeoutMs: 5_000, retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 20 } }

describe.each(["cloud", "essential", "dc"] as const)("extraction under faults and throttling (%s)", (edition) => {
  const config = { pageSize: 10, edition }
  it("a generated tenant with 10% faults yields exactly the rows of a fault-free run", async () => {
    const clean = await Effect.runPromise(Scope.extend(startZephyrSandbox({ scale: "tiny", seed: 21, edition }), scope))
    const faulty = await Effect.runPromise(Scope.extend(startZephyrSandbox({ scale: "tiny", seed: 21, faultRate: 0.1, edition }), scope))
    const cleanPath = tempStatePath()
    const faultyPath = tempStatePath()
    const expected = await runInProcess(clean, cleanPath, { config: { edition } })
    const report = await runInProcess(faulty, faultyPath, { runtime: fastRetries, config })
    expect(report.status).toBe("succeeded")
    const stats = faulty.stats()
    expect(stats.faults).toBeGreaterThan(0.05 * stats.requests)
    expect(report.requests["zephyr"]?.retries).toBeGreaterThan(0)
    expect(report.totals).toEqual(expected.totals)
    expect(dumpStore(faultyPath, faulty.baseUrl)).toEqual(dumpStore(cleanPath, clean.baseUrl))
  }, 300_000)

  it("throttled below the client's pace (429s, Retry-After 0 or seconds) on top of 10% faults: the same rows", async () => {
    // A rate limit below any machine's pace guarantees 429s; the demo tenant keeps the test short at that pace.
    const clean = await Effect.runPromise(Scope.extend(startZephyrSandbox({ scale: "demo", edition }), scope))
    const faulty = await Effect.runPromise(Scope.extend(startZephyrSandbox({ scale: "demo", seed: 5, faultRate: 0.1, rateLimit: 25, edition }), scope))
    const cleanPath = tempStatePath()
    const faultyPath = tempStatePath()
    await runInProcess(clean, cleanPath, { config: { edition } })
    const report = await runInProcess(faulty, faultyPath, { runtime: fastRetries, config })
    expect(report.status).toBe("succeeded")
    expect(faulty.stats().throttled).toBeGreaterThan(0)
    expect(faulty.stats().faults).toBeGreaterThan(0)
    expect(dumpStore(faultyPath, faulty.baseUrl)).toEqual(dumpStore(cleanPath, clean.baseUrl))
  }, 300_000)

  it("429 storms without Retry-After (bursts of 10 every 60 requests): the same rows", async () => {
    // Essential documents no 429 and no Retry-After: the client's own backoff is all it has
    const clean = await Effect.runPromise(Scope.extend(startZephyrSandbox({ scale: "tiny", seed: 21, edition }), scope))
    const stormy = await Effect.runPromise(Scope.extend(startZephyrSandbox({ scale: "tiny", seed: 21, edition, storm: { after: 40, length: 10, every: 60 } }), scope))
    const cleanPath = tempStatePath()
    const stormyPath = tempStatePath()
    await runInProcess(clean, cleanPath, { config: { edition } })
    const report = await runInProcess(stormy, stormyPath, { runtime: fastRetries, config })
    expect(report.status).toBe("succeeded")
    expect(stormy.stats().throttled).toBeGreaterThanOrEqual(20)
    expect(report.requests["zephyr"]?.throttled).toBe(stormy.stats().throttled)
    expect(dumpStore(stormyPath, stormy.baseUrl)).toEqual(dumpStore(cleanPath, clean.baseUrl))
  }, 300_000)
})
