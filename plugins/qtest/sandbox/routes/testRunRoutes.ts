/**
 * Test runs and their logs (docs/vendors/qtest.md §4.6–4.7). Creating a run needs `name` and `test_case: {id}` (a
 * live 400 without them, S8); its version defaults to the case's latest approved version, else the current one.
 * Lists of runs and of logs are `{links, page, page_size, total, items}` (`pageSize` 100, at most 999). A run's
 * `latest_test_log` (and derived Status) follows the log with the latest `exe_end_date`.
 */
import { isObject, objectBody, optId, optName, reqName, toId } from "../Body.ts"
import { containerFromQuery } from "../Containers.ts"
import { deleteRun } from "../Deletes.ts"
import type { TestRun } from "../Entities.ts"
import { envelope, pageRequest } from "../Paging.ts"
import type { ProjectState } from "../ProjectState.ts"
import { resolveProperties } from "../Properties.ts"
import { currentVersion, latestApproved, latestLog, logsOf, runsIn, runsUnder, versionOfCase } from "../Queries.ts"
import { fail, found, json } from "../Reply.ts"
import type { RequestContext, RouteSpec } from "../Router.ts"
import { createManualLog, updateManualLog } from "../TestLogWrites.ts"
import type { Env } from "./Env.ts"

const P = "/api/v3/projects/{projectId}"
const RUN_PARENTS = ["root", "release", "test-cycle", "test-suite"] as const

export const testRunRoutes = (env: Env): ReadonlyArray<RouteSpec> => {
  const { render } = env
  const runOf = (state: ProjectState, raw: string | undefined): TestRun => {
    const id = toId(raw)
    return found(id === undefined ? undefined : state.testRuns.get(id), `Test run ${raw} not found`)
  }
  const logOf = (state: ProjectState, run: TestRun, raw: string | undefined) => {
    const id = toId(raw)
    const log = id === undefined ? undefined : state.testLogs.get(id)
    return found(log !== undefined && log.runId === run.id ? log : undefined, `Test log ${raw} not found in test run ${run.pid}`)
  }
  const runName = (ctx: RequestContext, state: ProjectState) =>
    isObject(ctx.body) && typeof ctx.body.name === "string" ? ctx.body.name : state.testRuns.get(Number(ctx.params.testRunId))?.name
  const expandOf = (ctx: RequestContext) => ({ steps: ctx.query.get("expand") === "testcase.teststep" })
  const href = (ctx: RequestContext) => `${render.base}${ctx.url.pathname}${ctx.url.search}`

  return [
    {
      method: "GET",
      template: `${P}/test-runs/execution-statuses`,
      handler: () => json(200, env.state().statuses.map(render.status))
    },
    {
      method: "GET",
      template: `${P}/test-runs`,
      handler: (ctx) => {
        const state = env.state()
        const parent = containerFromQuery(state, ctx.query, RUN_PARENTS)
        const runs =
          parent === undefined
            ? state.testRuns.values().sort((a, b) => a.seq - b.seq)
            : ctx.query.get("expand") === "descendants"
              ? runsUnder(state, parent)
              : runsIn(state, parent)
        return json(200, envelope(runs, pageRequest(ctx.query, "pageSize", 100, 999), href(ctx), (r) => render.testRun(r)))
      }
    },
    {
      method: "POST",
      template: `${P}/test-runs`,
      reject: { objectType: "test-runs", name: runName },
      handler: (ctx) => {
        const state = env.state()
        const parent = containerFromQuery(state, ctx.query, RUN_PARENTS) ?? { type: "root" as const, id: 0 }
        const body = objectBody(ctx.body)
        const name = reqName(body)
        const caseRef = isObject(body.test_case) ? body.test_case : fail(400, "'test_case' is required: {\"id\": <test case id>}")
        const caseId = optId(caseRef, "id") ?? fail(400, "'test_case.id' is required")
        const tc = state.testCases.get(caseId) ?? fail(400, `Test case ${caseId} does not exist in project ${state.project.id}`)
        const versionId = optId(body, "test_case_version_id")
        const version = versionId !== undefined ? versionOfCase(state, tc, versionId) : (latestApproved(state, tc) ?? currentVersion(state, tc))
        const properties = resolveProperties(state, "test-runs", body.properties)
        const now = state.now()
        const id = state.ids.next()
        const run = state.testRuns.set(id, {
          id,
          pid: `TR-${state.pids.TR.next()}`,
          name,
          parent,
          testCaseId: tc.id,
          testCaseVersionId: version.id,
          properties,
          creatorId: state.apiUserId,
          automation: false,
          seq: state.seq.next(),
          createdDate: now,
          lastModifiedDate: now
        })
        return json(201, render.testRun(run))
      }
    },
    {
      method: "GET",
      template: `${P}/test-runs/{testRunId}`,
      handler: (ctx) => json(200, render.testRun(runOf(env.state(), ctx.params.testRunId), expandOf(ctx)))
    },
    {
      method: "PUT",
      template: `${P}/test-runs/{testRunId}`,
      reject: { objectType: "test-runs", name: runName },
      handler: (ctx) => {
        const state = env.state()
        const run = runOf(state, ctx.params.testRunId)
        const now = state.now()
        const parent = containerFromQuery(state, ctx.query, RUN_PARENTS)
        // Moving ignores the body (S1).
        if (parent !== undefined) return json(200, render.testRun(state.testRuns.set(run.id, { ...run, parent, seq: state.seq.next(), lastModifiedDate: now })))
        const body = objectBody(ctx.body)
        const tc = found(state.testCases.get(run.testCaseId), `The test case of test run ${run.pid} no longer exists`)
        const versionId = optId(body, "test_case_version_id")
        const updated: TestRun = {
          ...run,
          name: optName(body) ?? run.name,
          testCaseVersionId: versionId === undefined ? run.testCaseVersionId : versionOfCase(state, tc, versionId).id,
          properties: resolveProperties(state, "test-runs", body.properties, run.properties),
          lastModifiedDate: now
        }
        return json(200, render.testRun(state.testRuns.set(run.id, updated)))
      }
    },
    {
      method: "DELETE",
      template: `${P}/test-runs/{testRunId}`,
      handler: (ctx) => {
        const state = env.state()
        deleteRun(state, runOf(state, ctx.params.testRunId))
        return json(200, {})
      }
    },
    {
      method: "GET",
      template: `${P}/test-runs/{testRunId}/test-logs`,
      handler: (ctx) => {
        const state = env.state()
        const run = runOf(state, ctx.params.testRunId)
        return json(200, envelope(logsOf(state, run.id), pageRequest(ctx.query, "pageSize", 100, 999), href(ctx), (l) => render.testLog(l)))
      }
    },
    {
      method: "POST",
      template: `${P}/test-runs/{testRunId}/test-logs`,
      reject: { objectType: "test-logs", name: runName },
      handler: (ctx) => {
        const state = env.state()
        const log = createManualLog(state, runOf(state, ctx.params.testRunId), ctx.body, { maxAttachmentBytes: env.maxAttachmentBytes })
        return json(201, render.testLog(log))
      }
    },
    {
      method: "GET",
      template: `${P}/test-runs/{testRunId}/test-logs/last-run`,
      handler: (ctx) => {
        const state = env.state()
        const run = runOf(state, ctx.params.testRunId)
        const log = found(latestLog(state, run.id), `Test run ${run.pid} has no test logs`)
        const expand = ctx.query.get("expand") ?? ""
        return json(200, render.testLog(log, { testCase: expand.split(",").includes("testcase"), steps: expand.split(",").includes("teststeplog.teststep") }))
      }
    },
    {
      method: "GET",
      template: `${P}/test-runs/{testRunId}/test-logs/{id}`,
      handler: (ctx) => {
        const state = env.state()
        return json(200, render.testLog(logOf(state, runOf(state, ctx.params.testRunId), ctx.params.id)))
      }
    },
    {
      method: "PUT",
      template: `${P}/test-runs/{testRunId}/test-logs/{id}`,
      reject: { objectType: "test-logs", name: runName },
      handler: (ctx) => {
        const state = env.state()
        const run = runOf(state, ctx.params.testRunId)
        return json(200, render.testLog(updateManualLog(state, logOf(state, run, ctx.params.id), ctx.body)))
      }
    }
  ]
}
