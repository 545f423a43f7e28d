/** Which extract a run does: resume an unfinished one, a complete pass, or incremental from the watermark. */
import { describe, expect, it } from "@effect/vitest"
import { describeMode, planExtract, WATERMARK_SAFETY_MS } from "../../../core/pipeline/planExtract.ts"
import type { UnfinishedExtract } from "../../../core/store/ExtractState.ts"

const startedAt = new Date("2026-03-01T12:00:00.000Z")
const unfinished = (mode: "full" | "incremental"): UnfinishedExtract => ({
  extractId: "run-a",
  mode,
  since: mode === "incremental" ? "2026-02-01T00:00:00.000Z" : null,
  watermark: "2026-02-28T11:55:00.000Z",
  startedAt: "2026-02-28T12:00:00.000Z",
  runIds: ["run-a"],
  state: { phase: "TestExecution", startAtId: 42 }
})

describe("planExtract", () => {
  it("no state: a full pass whose watermark is its start minus the safety margin", () => {
    const plan = planExtract({ full: false, dryRun: false, state: { watermark: null, unfinished: null }, runId: "run-b", startedAt })
    expect(plan).toMatchObject({ mode: "full", pass: "full", since: undefined, resume: undefined, resumes: undefined })
    expect(plan.unfinished).toMatchObject({ extractId: "run-b", mode: "full", since: null, runIds: ["run-b"] })
    expect(Date.parse(plan.unfinished.watermark)).toBe(startedAt.getTime() - WATERMARK_SAFETY_MS)
  })

  it("a watermark: incremental since it; --full: a full pass anyway", () => {
    const state = { watermark: "2026-02-01T00:00:00.000Z", unfinished: null }
    expect(planExtract({ full: false, dryRun: false, state, runId: "r", startedAt })).toMatchObject({ mode: "incremental", since: "2026-02-01T00:00:00.000Z" })
    expect(planExtract({ full: true, dryRun: false, state, runId: "r", startedAt })).toMatchObject({ mode: "full", since: undefined })
  })

  it("an unfinished extract is resumed with its own since, state and watermark", () => {
    const plan = planExtract({ full: false, dryRun: false, state: { watermark: "2026-02-01T00:00:00.000Z", unfinished: unfinished("incremental") }, runId: "run-b", startedAt })
    expect(plan).toMatchObject({ mode: "resumed", pass: "incremental", since: "2026-02-01T00:00:00.000Z", resume: { phase: "TestExecution", startAtId: 42 } })
    expect(plan.unfinished).toMatchObject({ extractId: "run-a", watermark: "2026-02-28T11:55:00.000Z", runIds: ["run-a", "run-b"] })
  })

  it("--full resumes an unfinished full pass but replaces an unfinished incremental one", () => {
    expect(planExtract({ full: true, dryRun: false, state: { watermark: null, unfinished: unfinished("full") }, runId: "r", startedAt }).mode).toBe("resumed")
    const fresh = planExtract({ full: true, dryRun: false, state: { watermark: "2026-02-01T00:00:00.000Z", unfinished: unfinished("incremental") }, runId: "r", startedAt })
    expect(fresh).toMatchObject({ mode: "full", resume: undefined })
  })

  it("a dry run never resumes", () => {
    expect(planExtract({ full: false, dryRun: true, state: { watermark: "2026-02-01T00:00:00.000Z", unfinished: unfinished("full") }, runId: "r", startedAt }).mode).toBe("incremental")
  })

  it("describes the mode in one phrase", () => {
    expect(describeMode({ mode: "full", pass: "full", since: null, resumedFrom: null })).toBe("full")
    expect(describeMode({ mode: "incremental", pass: "incremental", since: "T", resumedFrom: null })).toBe("incremental since T")
    expect(describeMode({ mode: "resumed", pass: "full", since: null, resumedFrom: "run-a" })).toBe("resumed (full pass begun by run run-a)")
  })
})
