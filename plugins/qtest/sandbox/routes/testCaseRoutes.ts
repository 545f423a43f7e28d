/**
 * Test cases and their steps and versions (docs/vendors/qtest.md §4.3): list (`parentId`, `page` + `size`, default
 * 20, bare array; `expandProps`, `expandSteps`), create (200; module "Created via API" without `parent_id`), get by
 * id or PID (`expand=teststep`, `versionId`), update (a new minor version), approve (the next whole version), the
 * versions list (approved majors plus the last unapproved minor) and the step endpoints. Reads show parameters as
 * `[~id]` unless `showParamIdentifier=true` (Parameters.ts).
 */
import { isObject, objectBody, parseDateTime, queryBool, queryInt, toId } from "../Body.ts"
import { deleteTestCase } from "../Deletes.ts"
import type { ProjectState } from "../ProjectState.ts"
import { pageRequest, slicePage } from "../Paging.ts"
import { casesIn, caseByIdOrPid, currentVersion, isApproved, latestApproved, versionOfCase, versionsOf } from "../Queries.ts"
import { fail, found, json } from "../Reply.ts"
import type { RequestContext, RouteSpec } from "../Router.ts"
import { approveTestCase, createTestCase, parseStepList, saveSteps, updateTestCase } from "../TestCaseWrites.ts"
import { storeAttachment } from "../Attachments.ts"
import type { Env } from "./Env.ts"

const BASE = "/api/v3/projects/{projectId}/test-cases"

export const testCaseRoutes = (env: Env): ReadonlyArray<RouteSpec> => {
  const { render } = env
  const caseOf = (state: ProjectState, raw: string | undefined) => found(caseByIdOrPid(state, raw ?? ""), `Test case ${raw} not found`)
  const showIds = (ctx: RequestContext) => queryBool(ctx.query, "showParamIdentifier", false)
  const writeOptions = () => ({ userId: env.state().apiUserId, maxAttachmentBytes: env.maxAttachmentBytes })
  const bodyName = (ctx: RequestContext, state: ProjectState): string | undefined => {
    if (isObject(ctx.body) && typeof ctx.body.name === "string") return ctx.body.name
    const tc = ctx.params.testCaseId === undefined ? undefined : caseByIdOrPid(state, ctx.params.testCaseId)
    return tc === undefined ? undefined : currentVersion(state, tc).name
  }
  const stepOf = (state: ProjectState, ctx: RequestContext) => {
    const tc = caseOf(state, ctx.params.testCaseId)
    const steps = currentVersion(state, tc).steps
    const id = toId(ctx.params.stepId)
    const index = steps.findIndex((s) => s.id === id)
    if (index < 0) return fail(404, `Test step ${ctx.params.stepId} not found in test case ${tc.pid}`)
    return { tc, steps, index }
  }

  return [
    {
      method: "GET",
      template: BASE,
      handler: (ctx) => {
        const state = env.state()
        const parentId = queryInt(ctx.query, "parentId")
        if (parentId !== undefined) found(state.modules.get(parentId), `Module ${parentId} not found`)
        const request = pageRequest(ctx.query, "size", 20, 999)
        const modifiedAfterRaw = ctx.query.get("modifiedAfter")
        const modifiedAfter = modifiedAfterRaw === null || modifiedAfterRaw === "" || modifiedAfterRaw === "all" ? undefined : parseDateTime(modifiedAfterRaw, "modifiedAfter")
        let cases = parentId === undefined ? state.testCases.values().sort((a, b) => a.seq - b.seq) : casesIn(state, parentId)
        if (modifiedAfter !== undefined) cases = cases.filter((c) => c.lastModifiedDate > modifiedAfter)
        const view = { properties: queryBool(ctx.query, "expandProps", true), steps: queryBool(ctx.query, "expandSteps", false), showParamIdentifier: showIds(ctx) }
        return json(200, slicePage(cases, request).map((c) => render.testCase(c, view)))
      }
    },
    {
      method: "POST",
      template: BASE,
      reject: { objectType: "test-cases", name: bodyName },
      handler: (ctx) => json(200, render.testCase(createTestCase(env.state(), ctx.body, writeOptions()), { steps: true, showParamIdentifier: showIds(ctx) }))
    },
    {
      method: "GET",
      template: `${BASE}/{testCaseId}`,
      handler: (ctx) => {
        const state = env.state()
        const tc = caseOf(state, ctx.params.testCaseId)
        const versionId = queryInt(ctx.query, "versionId")
        const version = versionId === undefined ? undefined : versionOfCase(state, tc, versionId)
        return json(200, render.testCase(tc, { ...(version ? { version } : {}), steps: ctx.query.get("expand") === "teststep", showParamIdentifier: showIds(ctx) }))
      }
    },
    {
      method: "PUT",
      template: `${BASE}/{testCaseId}`,
      reject: { objectType: "test-cases", name: bodyName },
      handler: (ctx) => {
        const state = env.state()
        const updated = updateTestCase(state, caseOf(state, ctx.params.testCaseId), ctx.body, writeOptions())
        return json(200, render.testCase(updated, { steps: true, showParamIdentifier: showIds(ctx) }))
      }
    },
    {
      method: "DELETE",
      template: `${BASE}/{testCaseId}`,
      handler: (ctx) => {
        const state = env.state()
        deleteTestCase(state, caseOf(state, ctx.params.testCaseId))
        return json(200, {})
      }
    },
    {
      method: "PUT",
      template: `${BASE}/{testCaseId}/approve`,
      body: "none",
      handler: (ctx) => {
        const state = env.state()
        return json(200, render.testCase(approveTestCase(state, caseOf(state, ctx.params.testCaseId)), { steps: true }))
      }
    },
    {
      method: "GET",
      template: `${BASE}/{testCaseId}/versions`,
      handler: (ctx) => {
        const state = env.state()
        const tc = caseOf(state, ctx.params.testCaseId)
        const versions = versionsOf(state, tc)
        const last = versions.at(-1)
        // Approved majors, plus the last version when it is an unapproved minor (S1 getVersions).
        const listed = versions.filter((v) => isApproved(v) || v === last)
        return json(200, listed.map((version) => render.testCase(tc, { version, showParamIdentifier: showIds(ctx) })))
      }
    },
    {
      method: "GET",
      template: `${BASE}/{testCaseId}/versions/{versionId}`,
      handler: (ctx) => {
        const state = env.state()
        const tc = caseOf(state, ctx.params.testCaseId)
        const version = found(versionsOf(state, tc).find((v) => String(v.id) === ctx.params.versionId), `Version ${ctx.params.versionId} of test case ${tc.pid} not found`)
        return json(200, render.testCase(tc, { version, steps: true, showParamIdentifier: showIds(ctx) }))
      }
    },
    {
      method: "GET",
      template: `${BASE}/{testCaseId}/versions/{versionId}/test-steps`,
      handler: (ctx) => {
        const state = env.state()
        const tc = caseOf(state, ctx.params.testCaseId)
        const version = found(versionsOf(state, tc).find((v) => String(v.id) === ctx.params.versionId), `Version ${ctx.params.versionId} of test case ${tc.pid} not found`)
        const expandCalled = ctx.query.get("expand") === "calledteststep"
        const out: Array<Record<string, unknown>> = []
        version.steps.forEach((step, i) => {
          out.push(render.testStep(tc.id, step, i, showIds(ctx)))
          const called = step.calledTestCaseId === undefined ? undefined : state.testCases.get(step.calledTestCaseId)
          if (!expandCalled || called === undefined) return
          // The called case's steps as they are executed: its latest approved version.
          const calledVersion = latestApproved(state, called) ?? currentVersion(state, called)
          calledVersion.steps.forEach((inner, j) => out.push({ ...render.testStep(called.id, inner, j, showIds(ctx)), parent_test_step_id: step.id }))
        })
        return json(200, out)
      }
    },
    {
      method: "GET",
      template: `${BASE}/{testCaseId}/test-steps`,
      handler: (ctx) => {
        const state = env.state()
        const tc = caseOf(state, ctx.params.testCaseId)
        return json(200, currentVersion(state, tc).steps.map((s, i) => render.testStep(tc.id, s, i, showIds(ctx))))
      }
    },
    {
      method: "POST",
      template: `${BASE}/{testCaseId}/test-steps`,
      reject: { objectType: "test-steps", name: (ctx) => (isObject(ctx.body) && typeof ctx.body.description === "string" ? ctx.body.description : undefined) },
      handler: (ctx) => {
        const state = env.state()
        const tc = caseOf(state, ctx.params.testCaseId)
        const body = objectBody(ctx.body)
        const steps = currentVersion(state, tc).steps
        const { steps: parsed, attachments } = parseStepList(state, tc, [{ ...body, id: undefined }], [], writeOptions())
        const step = parsed[0] ?? fail(400, "The test step is missing")
        const position = Math.min(Math.max((toId(body.order) ?? steps.length + 1) - 1, 0), steps.length)
        const next = [...steps.slice(0, position), step, ...steps.slice(position)]
        saveSteps(state, tc, next)
        for (const { stepId, files } of attachments) for (const f of files) storeAttachment(state, "test-steps", stepId, f, state.apiUserId)
        return json(200, render.testStep(tc.id, step, position, showIds(ctx)))
      }
    },
    {
      method: "GET",
      template: `${BASE}/{testCaseId}/test-steps/{stepId}`,
      handler: (ctx) => {
        const { tc, steps, index } = stepOf(env.state(), ctx)
        const step = steps[index] ?? fail(404, "Test step not found")
        return json(200, render.testStep(tc.id, step, index, showIds(ctx)))
      }
    },
    {
      method: "PUT",
      template: `${BASE}/{testCaseId}/test-steps/{stepId}`,
      reject: { objectType: "test-steps", name: (ctx) => (isObject(ctx.body) && typeof ctx.body.description === "string" ? ctx.body.description : undefined) },
      handler: (ctx) => {
        const state = env.state()
        const { tc, steps, index } = stepOf(state, ctx)
        const old = steps[index] ?? fail(404, "Test step not found")
        const body = objectBody(ctx.body)
        const merged = { description: old.description, expected: old.expected, ...body, id: old.id }
        const { steps: parsed } = parseStepList(state, tc, [merged], [old], writeOptions())
        const step = parsed[0] ?? fail(400, "The test step is missing")
        saveSteps(state, tc, steps.map((s, i) => (i === index ? step : s)))
        return json(200, render.testStep(tc.id, step, index, showIds(ctx)))
      }
    },
    {
      method: "DELETE",
      template: `${BASE}/{testCaseId}/test-steps/{stepId}`,
      handler: (ctx) => {
        const state = env.state()
        const { tc, steps, index } = stepOf(state, ctx)
        const remaining = steps.filter((_, i) => i !== index)
        if (queryBool(ctx.query, "updateVersion", true)) saveSteps(state, tc, remaining)
        else {
          const current = currentVersion(state, tc)
          state.caseVersions.set(current.id, { ...current, steps: remaining })
        }
        return json(200, {})
      }
    }
  ]
}
