/**
 * Releases, test cycles and test suites (docs/vendors/qtest.md §4.5): create under root / a release / a cycle (PIDs
 * `RL-n`, `CL-n`, `TS-n`; 201 for releases and cycles, 200 for suites as S1 documents), list by parent
 * (`expand=descendants` nests `test-cycles` and `test-suites`), get, update, move (`PUT ?parentId&parentType`
 * ignores the body) and delete (`force=true` for a non-empty cycle).
 */
import { isObject, objectBody, optDateTime, optId, optName, optString, queryBool, queryInt, reqName, toId } from "../Body.ts"
import { containerExists, containerFromQuery, isWithinCycle } from "../Containers.ts"
import { containerIsEmpty, deleteContainerContents } from "../Deletes.ts"
import type { Container, Release, TestCycle, TestSuite } from "../Entities.ts"
import { pageRequest, slicePage } from "../Paging.ts"
import type { ProjectState } from "../ProjectState.ts"
import { resolveProperties } from "../Properties.ts"
import { cyclesIn, suitesIn } from "../Queries.ts"
import { fail, found, json } from "../Reply.ts"
import type { RequestContext, RouteSpec } from "../Router.ts"
import type { Env } from "./Env.ts"

const P = "/api/v3/projects/{projectId}"
const ROOT: Container = { type: "root", id: 0 }

export const executionTreeRoutes = (env: Env): ReadonlyArray<RouteSpec> => {
  const { render } = env
  const get = <T>(table: { get: (id: number) => T | undefined }, raw: string | undefined, what: string): T => {
    const id = toId(raw)
    return found(id === undefined ? undefined : table.get(id), `${what} ${raw} not found`)
  }
  const nameFrom =
    (table: (s: ProjectState) => { get: (id: number) => { readonly name: string } | undefined }, param: string) =>
    (ctx: RequestContext, state: ProjectState) =>
      isObject(ctx.body) && typeof ctx.body.name === "string" ? ctx.body.name : table(state).get(Number(ctx.params[param]))?.name
  const targetRelease = (state: ProjectState, body: Readonly<Record<string, unknown>>): number | undefined => {
    const id = optId(body, "target_release_id")
    if (id !== undefined && !state.releases.has(id)) return fail(400, `Target release ${id} does not exist`)
    return id
  }

  return [
    // ---- releases ----
    {
      method: "GET",
      template: `${P}/releases`,
      handler: () =>
        json(
          200,
          env
            .state()
            .releases.values()
            .sort((a, b) => a.seq - b.seq)
            .map(render.release)
        )
    },
    {
      method: "POST",
      template: `${P}/releases`,
      reject: { objectType: "releases", name: nameFrom((s) => s.releases, "releaseId") },
      handler: (ctx) => {
        const state = env.state()
        const body = objectBody(ctx.body)
        const name = reqName(body)
        const properties = resolveProperties(state, "releases", body.properties)
        const now = state.now()
        const id = state.ids.next()
        const startDate = optDateTime(body, "start_date")
        const endDate = optDateTime(body, "end_date")
        const r: Release = {
          id,
          pid: `RL-${state.pids.RL.next()}`,
          name,
          description: optString(body, "description") ?? "",
          note: optString(body, "note") ?? "",
          ...(startDate === undefined ? {} : { startDate }),
          ...(endDate === undefined ? {} : { endDate }),
          properties,
          seq: state.seq.next(),
          createdDate: now,
          lastModifiedDate: now
        }
        return json(201, render.release(state.releases.set(id, r)))
      }
    },
    {
      method: "GET",
      template: `${P}/releases/{releaseId}`,
      handler: (ctx) => json(200, render.release(get(env.state().releases, ctx.params.releaseId, "Release")))
    },
    {
      method: "PUT",
      template: `${P}/releases/{releaseId}`,
      reject: { objectType: "releases", name: nameFrom((s) => s.releases, "releaseId") },
      handler: (ctx) => {
        const state = env.state()
        const r = get(state.releases, ctx.params.releaseId, "Release")
        const body = objectBody(ctx.body)
        const startDate = optDateTime(body, "start_date") ?? r.startDate
        const endDate = optDateTime(body, "end_date") ?? r.endDate
        const updated: Release = {
          ...r,
          name: optName(body) ?? r.name,
          description: optString(body, "description") ?? r.description,
          note: optString(body, "note") ?? r.note,
          ...(startDate === undefined ? {} : { startDate }),
          ...(endDate === undefined ? {} : { endDate }),
          properties: resolveProperties(state, "releases", body.properties, r.properties),
          lastModifiedDate: state.now()
        }
        return json(200, render.release(state.releases.set(r.id, updated)))
      }
    },
    {
      method: "DELETE",
      template: `${P}/releases/{releaseId}`,
      handler: (ctx) => {
        const state = env.state()
        const r = get(state.releases, ctx.params.releaseId, "Release")
        deleteContainerContents(state, { type: "release", id: r.id })
        state.releases.delete(r.id)
        return json(200, {})
      }
    },

    // ---- test cycles ----
    {
      method: "GET",
      template: `${P}/test-cycles`,
      handler: (ctx) => {
        const state = env.state()
        const parent = containerFromQuery(state, ctx.query, ["root", "release", "test-cycle"]) ?? ROOT
        const cycles = cyclesIn(state, parent)
        const expand = ctx.query.get("expand") === "descendants"
        // "If a negative value is provided and no page number is specified, all Test Cycles will be retrieved."
        const size = queryInt(ctx.query, "pageSize")
        const all = (size !== undefined && size < 0 && ctx.query.get("page") === null) || (size === undefined && ctx.query.get("page") === null)
        const list = all ? cycles : slicePage(cycles, pageRequest(ctx.query, "pageSize", 100, 999))
        return json(200, list.map((c) => render.testCycle(c, expand)))
      }
    },
    {
      method: "POST",
      template: `${P}/test-cycles`,
      reject: { objectType: "test-cycles", name: nameFrom((s) => s.testCycles, "testCycleId") },
      handler: (ctx) => {
        const state = env.state()
        const parent = containerFromQuery(state, ctx.query, ["root", "release", "test-cycle"]) ?? ROOT
        const body = objectBody(ctx.body)
        const name = reqName(body)
        const releaseId = targetRelease(state, body) ?? (parent.type === "release" ? parent.id : undefined)
        const buildId = optId(body, "target_build_id")
        const now = state.now()
        const id = state.ids.next()
        const c: TestCycle = {
          id,
          pid: `CL-${state.pids.CL.next()}`,
          name,
          description: optString(body, "description") ?? "",
          parent,
          ...(releaseId === undefined ? {} : { targetReleaseId: releaseId }),
          ...(buildId === undefined ? {} : { targetBuildId: buildId }),
          seq: state.seq.next(),
          createdDate: now,
          lastModifiedDate: now
        }
        return json(201, render.testCycle(state.testCycles.set(id, c)))
      }
    },
    {
      method: "GET",
      template: `${P}/test-cycles/{testCycleId}`,
      handler: (ctx) => json(200, render.testCycle(get(env.state().testCycles, ctx.params.testCycleId, "Test cycle"), ctx.query.get("expand") === "descendants"))
    },
    {
      method: "PUT",
      template: `${P}/test-cycles/{testCycleId}`,
      reject: { objectType: "test-cycles", name: nameFrom((s) => s.testCycles, "testCycleId") },
      handler: (ctx) => {
        const state = env.state()
        const c = get(state.testCycles, ctx.params.testCycleId, "Test cycle")
        const now = state.now()
        const parent = containerFromQuery(state, ctx.query, ["root", "release", "test-cycle"])
        if (parent !== undefined) {
          if (isWithinCycle(state, parent, c.id)) return fail(400, "A test cycle cannot be moved under itself or one of its descendants")
          return json(200, render.testCycle(state.testCycles.set(c.id, { ...c, parent, seq: state.seq.next(), lastModifiedDate: now })))
        }
        const body = objectBody(ctx.body)
        const releaseId = targetRelease(state, body) ?? c.targetReleaseId
        const buildId = optId(body, "target_build_id") ?? c.targetBuildId
        const updated: TestCycle = {
          ...c,
          name: optName(body) ?? c.name,
          description: optString(body, "description") ?? c.description,
          ...(releaseId === undefined ? {} : { targetReleaseId: releaseId }),
          ...(buildId === undefined ? {} : { targetBuildId: buildId }),
          lastModifiedDate: now
        }
        return json(200, render.testCycle(state.testCycles.set(c.id, updated)))
      }
    },
    {
      method: "DELETE",
      template: `${P}/test-cycles/{testCycleId}`,
      handler: (ctx) => {
        const state = env.state()
        const c = get(state.testCycles, ctx.params.testCycleId, "Test cycle")
        const here: Container = { type: "test-cycle", id: c.id }
        if (!containerIsEmpty(state, here) && !queryBool(ctx.query, "force", false)) return fail(400, `Test cycle ${c.pid} is not empty: delete it with force=true to delete its contents too`)
        deleteContainerContents(state, here)
        state.testCycles.delete(c.id)
        return json(200, {})
      }
    },

    // ---- test suites ----
    {
      method: "GET",
      template: `${P}/test-suites`,
      handler: (ctx) => {
        const state = env.state()
        const parent = containerFromQuery(state, ctx.query, ["root", "release", "test-cycle"]) ?? ROOT
        return json(200, suitesIn(state, parent).map(render.testSuite))
      }
    },
    {
      method: "POST",
      template: `${P}/test-suites`,
      reject: { objectType: "test-suites", name: nameFrom((s) => s.testSuites, "testSuiteId") },
      handler: (ctx) => {
        const state = env.state()
        const parent = containerFromQuery(state, ctx.query, ["root", "release", "test-cycle"]) ?? ROOT
        const body = objectBody(ctx.body)
        const name = reqName(body)
        const properties = resolveProperties(state, "test-suites", body.properties)
        const releaseId = targetRelease(state, body)
        const buildId = optId(body, "target_build_id")
        const now = state.now()
        const id = state.ids.next()
        const t: TestSuite = {
          id,
          pid: `TS-${state.pids.TS.next()}`,
          name,
          description: optString(body, "description") ?? "",
          parent,
          properties,
          ...(releaseId === undefined ? {} : { targetReleaseId: releaseId }),
          ...(buildId === undefined ? {} : { targetBuildId: buildId }),
          seq: state.seq.next(),
          createdDate: now,
          lastModifiedDate: now
        }
        return json(200, render.testSuite(state.testSuites.set(id, t)))
      }
    },
    {
      method: "GET",
      template: `${P}/test-suites/{testSuiteId}`,
      handler: (ctx) => json(200, render.testSuite(get(env.state().testSuites, ctx.params.testSuiteId, "Test suite")))
    },
    {
      method: "PUT",
      template: `${P}/test-suites/{testSuiteId}`,
      reject: { objectType: "test-suites", name: nameFrom((s) => s.testSuites, "testSuiteId") },
      handler: (ctx) => {
        const state = env.state()
        const t = get(state.testSuites, ctx.params.testSuiteId, "Test suite")
        const now = state.now()
        const parent = containerFromQuery(state, ctx.query, ["root", "release", "test-cycle"])
        if (parent !== undefined) {
          if (!containerExists(state, parent)) return fail(400, "The new parent does not exist")
          return json(200, render.testSuite(state.testSuites.set(t.id, { ...t, parent, seq: state.seq.next(), lastModifiedDate: now })))
        }
        const body = objectBody(ctx.body)
        const updated: TestSuite = {
          ...t,
          name: optName(body) ?? t.name,
          description: optString(body, "description") ?? t.description,
          properties: resolveProperties(state, "test-suites", body.properties, t.properties),
          lastModifiedDate: now
        }
        return json(200, render.testSuite(state.testSuites.set(t.id, updated)))
      }
    },
    {
      method: "DELETE",
      template: `${P}/test-suites/{testSuiteId}`,
      handler: (ctx) => {
        const state = env.state()
        const t = get(state.testSuites, ctx.params.testSuiteId, "Test suite")
        deleteContainerContents(state, { type: "test-suite", id: t.id })
        state.testSuites.delete(t.id)
        return json(200, {})
      }
    }
  ]
}
