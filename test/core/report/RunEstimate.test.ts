/**
 * The plan's estimate from what the plan counted: requests per system (the extract's as made, a sink's reads plus
 * its planned work), the rate each duration is computed at (configured, else the last run's pace, else — the
 * source only — this plan's), the pipelined total (the slowest system) and the budget warnings.
 */
import { describe, expect, it } from "@effect/vitest"
import type { SinkLoadReport } from "../../../core/pipeline/LoadReport.ts"
import { emptyLoadCounts } from "../../../core/pipeline/LoadReport.ts"
import { estimateRun, type EstimateInput, versusLines } from "../../../core/report/RunEstimate.ts"

const counters = (requests: number) => ({ requests, retries: 0, throttled: 0, failed: 0, timedOut: 0, byKind: {} })
const load = (sink: string, plannedRequests: number): SinkLoadReport => ({
  sink,
  planned: true,
  entities: {},
  totals: emptyLoadCounts(),
  gaps: [],
  rejected: [],
  skipped: [],
  durationMs: 100,
  plannedRequests
})

const input = (over: Partial<EstimateInput> = {}): EstimateInput => ({
  planRunId: "plan-1",
  plannedAt: "2026-12-06T00:00:00.000Z",
  source: "zephyr",
  requests: { zephyr: counters(1000), qtest: counters(10), snowflake: counters(13) },
  loads: [load("qtest", 990), load("snowflake", 67)],
  activeMs: { zephyr: 10_000, qtest: 100, snowflake: 100 },
  rateLimits: {},
  lastRun: null,
  budget: {},
  remainingMonthly: () => undefined,
  ...over
})

describe("estimateRun", () => {
  it("counts the extract as made and a sink's reads plus its planned work", () => {
    const e = estimateRun(input())
    expect(e.systems["zephyr"]).toMatchObject({ role: "source", requests: 1000, measured: 1000, planned: 0 })
    expect(e.systems["qtest"]).toMatchObject({ role: "sink", requests: 1000, measured: 10, planned: 990 })
    expect(e.systems["snowflake"]).toMatchObject({ requests: 80 })
  })

  it("durations at the configured rate, else the last run's pace, else (the source) this plan's; pipelined = the slowest", () => {
    const e = estimateRun(
      input({
        rateLimits: { qtest: "600/min" },
        lastRun: { requests: { qtest: 5000, snowflake: 400 }, activeMs: { qtest: 10_000, snowflake: 20_000 } }
      })
    )
    expect(e.systems["qtest"]!.rate).toEqual({ perSecond: 10, from: "configured" })
    expect(e.systems["qtest"]!.durationMs).toBe(100_000)
    expect(e.systems["snowflake"]!.rate).toEqual({ perSecond: 20, from: "last run" })
    expect(e.systems["snowflake"]!.durationMs).toBe(4000)
    expect(e.systems["zephyr"]!.rate).toEqual({ perSecond: 100, from: "this plan" })
    expect(e.systems["zephyr"]!.durationMs).toBe(10_000)
    expect(e.pipelinedMs).toBe(100_000)
  })

  it("a sink without a configured rate or an earlier run has no duration; the total is of the others", () => {
    const e = estimateRun(input())
    expect(e.systems["qtest"]!.rate).toBeNull()
    expect(e.systems["qtest"]!.durationMs).toBeNull()
    expect(e.pipelinedMs).toBe(10_000)
  })

  it("warns when a run's budget would be crossed, and not when it is kept", () => {
    expect(estimateRun(input({ budget: { qtest: { requests: 999 } } })).warnings).toEqual([
      "qtest: the run needs about 1,000 requests, more than runtime.budget.qtest.requests (999): it will stop at the budget and take about 2 runs — raise the budget to finish in one"
    ])
    expect(estimateRun(input({ budget: { qtest: { requests: 1000 } } })).warnings).toEqual([])
  })

  it("leaveMonthly: against what the API reported left of its month, or says it cannot be checked", () => {
    const budget = { qtest: { leaveMonthly: 500 } }
    expect(estimateRun(input({ budget, remainingMonthly: (s) => (s === "qtest" ? 1499 : undefined) })).warnings).toEqual([
      expect.stringMatching(/^qtest: the run needs about 1,000 requests and qtest has 1,499 left this month, so it would leave fewer than runtime\.budget\.qtest\.leaveMonthly \(500\)/)
    ])
    expect(estimateRun(input({ budget, remainingMonthly: () => 1500 })).warnings).toEqual([])
    expect(estimateRun(input({ budget })).warnings).toEqual([expect.stringContaining("qtest: runtime.budget.qtest.leaveMonthly cannot be checked before the run")])
  })

  it("leaves the plan's own retries out", () => {
    const e = estimateRun(input({ requests: { zephyr: { requests: 1030, retries: 30, throttled: 30, failed: 30, timedOut: 0, byKind: {} }, qtest: counters(10), snowflake: counters(13) } }))
    expect(e.systems["zephyr"]).toMatchObject({ requests: 1000, measured: 1000 })
  })

  it("a run's line: estimated against made (and its retries), or that no plan preceded it", () => {
    const e = estimateRun(input())
    expect(versusLines(e, { zephyr: counters(1000), qtest: { requests: 1040, retries: 40, throttled: 40, failed: 40, timedOut: 0, byKind: {} }, snowflake: counters(80) })).toEqual([
      "  estimate (plan at 2026-12-06T00:00:00.000Z): zephyr estimated 1,000, made 1,000 (+0.0%); qtest estimated 1,000, made 1,040 (-3.8%), 40 of them retries; snowflake estimated 80, made 80 (+0.0%)"
    ])
    expect(versusLines(null, {})).toEqual(["  estimate: no plan preceded this run (`migrate plan` estimates a run's requests and duration)"])
  })
})
