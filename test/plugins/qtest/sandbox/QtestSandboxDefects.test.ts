/**
 * The sandbox's Jira defect integration (routes/defectRoutes.ts): a project option reflected in the project's
 * `defect_tracking_systems`, `POST …/test-logs/{id}/defects` keeping links per log (once each), their read-back
 * through `linked-artifacts` and the log's `defects`, the refusals (no integration, unknown log, a body that is
 * no array of ids), and links kept across a restart by `persistFile`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as path from "node:path"
import { startQtestSandbox, type RunningQtestSandbox } from "../../../../plugins/qtest/sandbox/index.ts"
import { tempDir } from "../client/harness.ts"
import { call, ok, p } from "./helpers.ts"

const DATES = { exe_start_date: "2024-03-01T10:00:00Z", exe_end_date: "2024-03-01T10:05:00Z" }

/** An approved case, a run of it and one log on the run. */
const logOf = (sb: RunningQtestSandbox) =>
  Effect.gen(function* () {
    const created = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "Case", properties: [], test_steps: [{ description: "One", expected: "1" }] } })
    const tc = yield* ok(sb, "PUT", p(sb, `/test-cases/${created.id}/approve`))
    const run = yield* ok(sb, "POST", p(sb, "/test-runs"), { json: { name: "Case", test_case: { id: tc.id } } }, 201)
    const log = yield* ok(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json: { status: { id: 602 }, ...DATES } }, 201)
    return { run, log }
  })

const linkedPids = (sb: RunningQtestSandbox, logId: number) =>
  Effect.map(ok(sb, "GET", p(sb, `/linked-artifacts?type=test-logs&ids=${logId}`)), (containers: any) => containers.flatMap((c: any) => c.objects.map((o: any) => o.pid)))

describe("qTest sandbox: Jira defects on test logs", () => {
  it.scopedLive("with the integration: listed on the project, links kept per log once each and read back", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ jiraDefects: true })
      const project = yield* ok(sb, "GET", p(sb))
      expect(project.defect_tracking_systems).toEqual([expect.objectContaining({ system_name: "JIRA", active: true })])
      const { run, log } = yield* logOf(sb)
      const answer = yield* ok(sb, "POST", p(sb, `/test-logs/${log.id}/defects`), { json: ["10023", "10031"] }, 201)
      expect(answer).toEqual([{ id: log.id, objects: [expect.objectContaining({ pid: "10023", external_defect_id: "10023" }), expect.objectContaining({ pid: "10031" })] }])
      // linking again keeps one link per defect
      yield* ok(sb, "POST", p(sb, `/test-logs/${log.id}/defects`), { json: ["10023"] }, 201)
      expect(yield* linkedPids(sb, log.id)).toEqual(["10023", "10031"])
      const read = yield* ok(sb, "GET", p(sb, `/test-runs/${run.id}/test-logs/${log.id}`))
      expect(read.defects.map((d: any) => d.external_defect_id)).toEqual(["10023", "10031"])

      expect((yield* call(sb, "POST", p(sb, "/test-logs/42/defects"), { json: ["10023"] })).status).toBe(404)
      expect((yield* call(sb, "POST", p(sb, `/test-logs/${log.id}/defects`), { json: [10023] })).status).toBe(400)
      expect((yield* call(sb, "POST", p(sb, `/test-logs/${log.id}/defects`), { json: [] })).status).toBe(400)
      expect((yield* call(sb, "POST", p(sb, `/test-steps/${log.id}/defects`), { json: ["10023"] })).status).toBe(400)
    })
  )

  it.scopedLive("without it: no tracker on the project, and a link is refused with 404 \"Link defect unsuccessfully\"", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({})
      expect((yield* ok(sb, "GET", p(sb))).defect_tracking_systems).toEqual([])
      const { log } = yield* logOf(sb)
      const refused = yield* call(sb, "POST", p(sb, `/test-logs/${log.id}/defects`), { json: ["10023"] })
      expect(refused.status).toBe(404)
      expect(refused.body.message).toMatch(/^Link defect unsuccessfully/)
      expect(yield* linkedPids(sb, log.id)).toEqual([])
    })
  )

  it.scopedLive("persistFile keeps the links", () =>
    Effect.gen(function* () {
      const file = path.join(yield* tempDir, "qtest-sandbox.json")
      const logId = yield* Effect.scoped(
        Effect.gen(function* () {
          const sb = yield* startQtestSandbox({ jiraDefects: true, persistFile: file })
          const { log } = yield* logOf(sb)
          yield* ok(sb, "POST", p(sb, `/test-logs/${log.id}/defects`), { json: ["10500"] }, 201)
          return log.id as number
        })
      )
      const sb = yield* startQtestSandbox({ jiraDefects: true, persistFile: file })
      expect(yield* linkedPids(sb, logId)).toEqual(["10500"])
    })
  )
})
