/**
 * The batch automation-log lifecycle: `POST …/auto-test-logs?type=automation` answers a queued job, which
 * `pollQueue` follows (IN_WAITING → IN_PROCESSING → SUCCESS) at the configured cadence; a job that ends FAILED
 * is a QueueJobFailed carrying the server's content; one that never ends is a Timeout.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import type { AutomationRequestBody } from "../../../../plugins/qtest/api/index.ts"
import { harness } from "./harness.ts"

const collect = <A, E>(stream: Stream.Stream<A, E>) => Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)
const root = { parentId: 0, parentType: "root" } as const
const queuePath = "/api/v3/projects/queue-processing/{id}"

const batch = (testCycle: string, stepOrderStart = 0): AutomationRequestBody => ({
  test_cycle: testCycle,
  test_logs: [
    {
      name: "Login with valid credentials",
      automation_content: "zephyr:PROJ-T1",
      status: "PASSED",
      exe_start_date: "2024-03-01T10:00:00Z",
      exe_end_date: "2024-03-01T10:05:00Z",
      module_names: ["Web", "Auth"],
      test_step_logs: [
        { order: stepOrderStart, description: "Open", expected_result: "Form", actual_result: "Form", status: "PASSED" },
        { order: stepOrderStart + 1, description: "Submit", expected_result: "In", actual_result: "In", status: "PASSED" }
      ]
    },
    {
      name: "Logout",
      automation_content: "zephyr:PROJ-T2",
      status: "FAILED",
      exe_start_date: "2024-03-01T11:00:00Z",
      exe_end_date: "2024-03-01T11:01:00Z",
      module_names: ["Web", "Auth"]
    }
  ]
})

describe("QtestClient: auto-test-logs", () => {
  it.scopedLive("submit → poll at the given cadence → SUCCESS, and the runs and logs exist afterwards", () =>
    Effect.gen(function* () {
      const { client, sandbox } = yield* harness({ jobPolls: 3 })
      const cycle = yield* client.createTestCycle({ name: "Automation" }, root)
      const job = yield* client.submitAutomationLogs(batch(cycle.pid ?? String(cycle.id)))
      expect(job.state).not.toBe("SUCCESS")
      const done = yield* client.pollQueue(job.id, { interval: "20 millis" })
      expect(done.state).toBe("SUCCESS")
      expect(sandbox.stats().byPath[queuePath]).toBeGreaterThanOrEqual(3)
      const runs = yield* collect(client.listTestRuns({ parentId: cycle.id, parentType: "test-cycle" }, { descendants: true }))
      expect(runs.map((r) => r.name).sort()).toEqual(["Login with valid credentials", "Logout"])
      const logs = yield* collect(client.listTestLogs(runs[0]!.id))
      expect(logs.length).toBe(1)
    })
  )

  it.scopedLive("a FAILED job is QueueJobFailed with the server's content", () =>
    Effect.gen(function* () {
      const { client } = yield* harness({ jobPolls: 2 })
      const cycle = yield* client.createTestCycle({ name: "Automation" }, root)
      // step order must start at 0 and be continuous (docs/vendors/qtest.md §4.8): starting at 1 fails the job
      const job = yield* client.submitAutomationLogs(batch(cycle.pid ?? String(cycle.id), 1))
      const error = yield* Effect.flip(client.pollQueue(job.id, { interval: "10 millis" }))
      expect(error._tag).toBe("QueueJobFailed")
      if (error._tag === "QueueJobFailed") {
        expect(error.jobId).toBe(job.id)
        expect(error.content).toContain("starting from 0")
        expect(error.message).toContain(`qTest job ${job.id} FAILED`)
      }
      // a failed batch applies nothing
      expect(yield* collect(client.listTestRuns({ parentId: cycle.id, parentType: "test-cycle" }, { descendants: true }))).toEqual([])
    })
  )

  it.scopedLive("a job still running when the timeout is reached is ApiError Timeout", () =>
    Effect.gen(function* () {
      const { client, sandbox } = yield* harness({ jobPolls: 1000 })
      const cycle = yield* client.createTestCycle({ name: "Slow" }, root)
      const job = yield* client.submitAutomationLogs(batch(cycle.pid ?? String(cycle.id)))
      const error = yield* Effect.flip(client.pollQueue(job.id, { interval: "5 millis", timeout: "25 millis" }))
      expect(error._tag).toBe("ApiError")
      if (error._tag === "ApiError") expect(error.reason).toBe("Timeout")
      expect(sandbox.stats().byPath[queuePath]).toBe(5)
    })
  )
})
