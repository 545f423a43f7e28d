/**
 * Requirements and their links to test cases (docs/vendors/qtest.md §4.12): list (`parentId`, `page` + `size`, bare
 * array), create (200, `RQ-n`), get, update, delete; `POST …/requirements/{id}/link?type=test-cases` with an
 * array of test case ids — ids that cannot be linked are silently ignored — and its `DELETE` twin; `GET
 * …/linked-artifacts?type=requirements|test-cases|test-logs&ids=` (a log's links are its Jira defects, defectRoutes.ts). Test cases are not a link source (link from the
 * requirement side), so the generic `/{objectType}/{objectId}/link` answers 400 for anything else.
 */
import { arrayBody, isObject, objectBody, optName, queryInt, queryIds, reqName, toId } from "../Body.ts"
import type { Requirement } from "../Entities.ts"
import { pageRequest, slicePage } from "../Paging.ts"
import type { ProjectState } from "../ProjectState.ts"
import { resolveProperties } from "../Properties.ts"
import { fail, found, json } from "../Reply.ts"
import type { RequestContext, RouteSpec } from "../Router.ts"
import type { Env } from "./Env.ts"

const P = "/api/v3/projects/{projectId}"
const LINKED_TYPES: ReadonlyArray<string> = ["releases", "builds", "requirements", "test-cases", "test-runs", "test-logs", "test-steps", "defects"]

export const requirementRoutes = (env: Env): ReadonlyArray<RouteSpec> => {
  const { render } = env
  const requirementOf = (state: ProjectState, raw: string | undefined): Requirement => {
    const id = toId(raw)
    return found(id === undefined ? undefined : state.requirements.get(id), `Requirement ${raw} not found`)
  }
  const parentFrom = (state: ProjectState, ctx: RequestContext): number | undefined => {
    const id = queryInt(ctx.query, "parentId")
    if (id === undefined || id === 0) return undefined
    return state.modules.has(id) ? id : fail(400, `Parent module ${id} does not exist`)
  }
  const nameOf = (ctx: RequestContext, state: ProjectState) =>
    isObject(ctx.body) && typeof ctx.body.name === "string" ? ctx.body.name : state.requirements.get(Number(ctx.params.requirementId))?.name
  const linkedCases = (state: ProjectState, requirementId: number) =>
    state.requirementLinks
      .filter((l) => l.requirementId === requirementId)
      .flatMap((l) => {
        const tc = state.testCases.get(l.testCaseId)
        return tc === undefined ? [] : [tc]
      })
      .sort((a, b) => a.id - b.id)
  const caseLink = (tc: { id: number; pid: string }) => ({ id: tc.id, pid: tc.pid, link_type: "is_covered_by", self: render.api(`/test-cases/${tc.id}`) })
  const requirementLink = (r: Requirement) => ({ id: r.id, pid: r.pid, link_type: "covers", self: render.api(`/requirements/${r.id}`) })
  const linkTarget = (ctx: RequestContext) => {
    if (ctx.params.objectType !== "requirements") return fail(400, `The sandbox links from requirements only (got '${ctx.params.objectType}'); test cases are not a link source`)
    if (ctx.query.get("type") !== "test-cases") return fail(400, `The sandbox links requirements to test-cases only (got type '${ctx.query.get("type")}')`)
    const state = env.state()
    const requirement = requirementOf(state, ctx.params.objectId)
    const ids = arrayBody(ctx.body).flatMap((v) => {
      const id = toId(v)
      return id === undefined ? [] : [id]
    })
    return { state, requirement, ids }
  }

  return [
    {
      method: "GET",
      template: `${P}/requirements`,
      handler: (ctx) => {
        const state = env.state()
        const parentId = queryInt(ctx.query, "parentId")
        const all = state.requirements
          .values()
          .filter((r) => parentId === undefined || r.parentId === parentId)
          .sort((a, b) => a.seq - b.seq)
        return json(200, slicePage(all, pageRequest(ctx.query, "size", 20, 999)).map(render.requirement))
      }
    },
    {
      method: "POST",
      template: `${P}/requirements`,
      reject: { objectType: "requirements", name: nameOf },
      handler: (ctx) => {
        const state = env.state()
        const body = objectBody(ctx.body)
        const name = reqName(body)
        const parentId = parentFrom(state, ctx)
        const properties = resolveProperties(state, "requirements", body.properties)
        const now = state.now()
        const id = state.ids.next()
        const r = state.requirements.set(id, {
          id,
          pid: `RQ-${state.pids.RQ.next()}`,
          name,
          ...(parentId === undefined ? {} : { parentId }),
          properties,
          seq: state.seq.next(),
          createdDate: now,
          lastModifiedDate: now
        })
        return json(200, render.requirement(r))
      }
    },
    {
      method: "GET",
      template: `${P}/requirements/{requirementId}`,
      handler: (ctx) => json(200, render.requirement(requirementOf(env.state(), ctx.params.requirementId)))
    },
    {
      method: "PUT",
      template: `${P}/requirements/{requirementId}`,
      reject: { objectType: "requirements", name: nameOf },
      handler: (ctx) => {
        const state = env.state()
        const r = requirementOf(state, ctx.params.requirementId)
        const moving = queryInt(ctx.query, "parentId") !== undefined
        const parentId = moving ? parentFrom(state, ctx) : r.parentId
        const body = ctx.body === undefined ? {} : objectBody(ctx.body)
        const { parentId: _old, ...rest } = r
        const updated: Requirement = {
          ...rest,
          ...(parentId === undefined ? {} : { parentId }),
          name: optName(body) ?? r.name,
          properties: resolveProperties(state, "requirements", body.properties, r.properties),
          lastModifiedDate: state.now(),
          ...(moving ? { seq: state.seq.next() } : {})
        }
        return json(200, render.requirement(state.requirements.set(r.id, updated)))
      }
    },
    {
      method: "DELETE",
      template: `${P}/requirements/{requirementId}`,
      handler: (ctx) => {
        const state = env.state()
        const r = requirementOf(state, ctx.params.requirementId)
        for (const l of state.requirementLinks.filter((x) => x.requirementId === r.id)) state.requirementLinks.delete(`${l.requirementId}:${l.testCaseId}`)
        state.requirements.delete(r.id)
        return json(200, {})
      }
    },
    {
      method: "POST",
      template: `${P}/{objectType}/{objectId}/link`,
      handler: (ctx) => {
        const { state, requirement, ids } = linkTarget(ctx)
        for (const caseId of ids) {
          // Objects that cannot be linked (unknown ids) are ignored, as S1 documents.
          if (!state.testCases.has(caseId)) continue
          state.requirementLinks.set(`${requirement.id}:${caseId}`, { requirementId: requirement.id, testCaseId: caseId })
        }
        const linked = linkedCases(state, requirement.id).filter((tc) => ids.includes(tc.id))
        return json(200, [{ id: requirement.id, pid: requirement.pid, objects: linked.map(caseLink) }])
      }
    },
    {
      method: "DELETE",
      template: `${P}/{objectType}/{objectId}/link`,
      body: "json",
      handler: (ctx) => {
        const { state, requirement, ids } = linkTarget(ctx)
        for (const caseId of ids) state.requirementLinks.delete(`${requirement.id}:${caseId}`)
        return json(200, {})
      }
    },
    {
      method: "GET",
      template: `${P}/linked-artifacts`,
      handler: (ctx) => {
        const state = env.state()
        const type = ctx.query.get("type") ?? fail(400, "Query parameter 'type' is required")
        const ids = queryIds(ctx.query, "ids")
        if (type === "requirements") {
          return json(
            200,
            ids.flatMap((id) => {
              const r = state.requirements.get(id)
              return r === undefined ? [] : [{ id: r.id, pid: r.pid, objects: linkedCases(state, r.id).map(caseLink) }]
            })
          )
        }
        if (type === "test-cases") {
          return json(
            200,
            ids.flatMap((id) => {
              const tc = state.testCases.get(id)
              if (tc === undefined) return []
              const reqs = state.requirementLinks
                .filter((l) => l.testCaseId === id)
                .flatMap((l) => {
                  const r = state.requirements.get(l.requirementId)
                  return r === undefined ? [] : [r]
                })
                .sort((a, b) => a.id - b.id)
              return [{ id: tc.id, pid: tc.pid, objects: reqs.map(requirementLink) }]
            })
          )
        }
        if (type === "test-logs") {
          // a log's Jira defects (defectRoutes.ts); logs carry no other links in the sandbox
          return json(
            200,
            ids.flatMap((id) => (state.testLogs.has(id) ? [{ id, objects: render.defectsOfLog(id).map(render.linkedDefectArtifact) }] : []))
          )
        }
        if (!LINKED_TYPES.includes(type)) return fail(400, `Query parameter 'type' must be one of ${LINKED_TYPES.join(", ")}`)
        // Builds, defects, runs and steps carry no links in the sandbox.
        return json(200, ids.map((id) => ({ id, objects: [] })))
      }
    }
  ]
}
