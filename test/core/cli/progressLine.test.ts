import { describe, expect, it } from "@effect/vitest"
import { RunCounts } from "../../../core/pipeline/Counts.ts"
import { formatDuration, progressLine, shareDone } from "../../../core/cli/progressLine.ts"

const counts = (entries: Record<string, number>) => {
  const c = new RunCounts()
  for (const [e, n] of Object.entries(entries)) c.of(e).extracted = n
  return c
}

describe("progressLine", () => {
  it("shows counts against the estimate, a bar, the share done and an ETA", () => {
    const line = progressLine({
      phase: "extract zephyr",
      counts: counts({ TestCase: 1000, TestStep: 4000, TestExecution: 4000 }),
      estimate: { TestCase: 1000, TestExecution: 10000 },
      elapsedMs: 60_000,
      barWidth: 10
    })
    expect(line).toContain("[█████░░░░░]") // 45.5% of 10 cells
    expect(line).toContain("45%")
    expect(line).toContain("TestCase 1,000/1,000")
    expect(line).toContain("TestExecution 4,000/10,000")
    expect(line).toContain("TestStep 4,000")
    expect(line).toContain("150 rec/s")
    expect(line).toContain("ETA 1:12") // 5,000 of 11,000 in 60 s → 72 s left
  })

  it("without an estimate shows counts and rate only", () => {
    const line = progressLine({ phase: "extract x", counts: counts({ TestCase: 5 }), estimate: undefined, elapsedMs: 1000, barWidth: 10 })
    expect(line).not.toContain("ETA")
    expect(line).not.toContain("%")
    expect(line).toContain("TestCase 5")
  })

  it("caps entities that overshoot their estimate and formats durations", () => {
    expect(shareDone(counts({ TestCase: 20 }), { TestCase: 10 })).toBe(1)
    expect(shareDone(counts({}), {})).toBeUndefined()
    expect(formatDuration(3_725_000)).toBe("1:02:05")
    expect(formatDuration(59_400)).toBe("0:59")
  })
})
