/**
 * Modules, the Test Design tree (docs/vendors/qtest.md §4.2): list under root or a parent (`expand=descendants` nests
 * `children`), create (`?parentId=`, or `parent_id` in the body as before qTest 6; 201, PID `MD-n`, `order` =
 * position among siblings), rename, move (`PUT ?parentId=` ignores the body, §3.3.7) and delete (`force=true`
 * for a non-empty module, §3.3.8).
 */
import { isObject, objectBody, optId, optName, optString, queryBool, queryInt, reqName, toId } from "../Body.ts"
import { deleteModuleTree } from "../Deletes.ts"
import type { Module } from "../Entities.ts"
import type { ProjectState } from "../ProjectState.ts"
import { casesIn, childModules } from "../Queries.ts"
import { fail, found, json } from "../Reply.ts"
import type { RouteSpec } from "../Router.ts"
import type { Env } from "./Env.ts"

const BASE = "/api/v3/projects/{projectId}/modules"

export const moduleRoutes = (env: Env): ReadonlyArray<RouteSpec> => {
  const { render } = env
  const moduleOf = (state: ProjectState, raw: string | undefined): Module => {
    const id = toId(raw)
    return found(id === undefined ? undefined : state.modules.get(id), `Module ${raw} not found`)
  }
  /** A parent from `?parentId=` (0 or absent = root); 400 when it does not exist. */
  const parentFrom = (state: ProjectState, id: number | undefined): number | undefined => {
    if (id === undefined || id === 0) return undefined
    return state.modules.has(id) ? id : fail(400, `Parent module ${id} does not exist`)
  }
  const descendants = (state: ProjectState, parentId: number | undefined): Array<Module> =>
    childModules(state, parentId).flatMap((m) => [m, ...descendants(state, m.id)])
  const nameOf = (ctx: { body: unknown; params: Readonly<Record<string, string>> }, state: ProjectState) =>
    isObject(ctx.body) && typeof ctx.body.name === "string" ? ctx.body.name : state.modules.get(Number(ctx.params.moduleId))?.name

  return [
    {
      method: "GET",
      template: BASE,
      handler: (ctx) => {
        const state = env.state()
        const parentId = queryInt(ctx.query, "parentId")
        if (parentId !== undefined && parentId !== 0) moduleOf(state, String(parentId))
        const parent = parentId === 0 ? undefined : parentId
        const expand = ctx.query.get("expand") === "descendants"
        const search = (ctx.query.get("search") ?? "").trim().toLowerCase()
        const list = search === "" ? childModules(state, parent) : descendants(state, parent).filter((m) => m.name.toLowerCase().includes(search))
        return json(200, list.map((m) => render.module(m, expand)))
      }
    },
    {
      method: "POST",
      template: BASE,
      reject: { objectType: "modules", name: nameOf },
      handler: (ctx) => {
        const state = env.state()
        const body = objectBody(ctx.body)
        const name = reqName(body)
        const parentId = parentFrom(state, queryInt(ctx.query, "parentId") ?? optId(body, "parent_id"))
        const now = state.now()
        const id = state.ids.next()
        const m = state.modules.set(id, {
          id,
          pid: `MD-${state.pids.MD.next()}`,
          name,
          description: optString(body, "description") ?? "",
          parentId,
          seq: state.seq.next(),
          createdDate: now,
          lastModifiedDate: now
        })
        return json(201, render.module(m))
      }
    },
    {
      method: "GET",
      template: `${BASE}/{moduleId}`,
      handler: (ctx) => json(200, render.module(moduleOf(env.state(), ctx.params.moduleId), ctx.query.get("expand") === "descendants"))
    },
    {
      method: "PUT",
      template: `${BASE}/{moduleId}`,
      reject: { objectType: "modules", name: nameOf },
      handler: (ctx) => {
        const state = env.state()
        const m = moduleOf(state, ctx.params.moduleId)
        const now = state.now()
        const move = queryInt(ctx.query, "parentId")
        if (move !== undefined) {
          // Moving ignores the body (S1).
          const parentId = parentFrom(state, move)
          if (parentId === m.id || descendants(state, m.id).some((d) => d.id === parentId)) return fail(400, "A module cannot be moved under itself or one of its descendants")
          return json(200, render.module(state.modules.set(m.id, { ...m, parentId, seq: state.seq.next(), lastModifiedDate: now })))
        }
        const body = objectBody(ctx.body)
        const updated = state.modules.set(m.id, { ...m, name: optName(body) ?? m.name, description: optString(body, "description") ?? m.description, lastModifiedDate: now })
        return json(200, render.module(updated))
      }
    },
    {
      method: "DELETE",
      template: `${BASE}/{moduleId}`,
      handler: (ctx) => {
        const state = env.state()
        const m = moduleOf(state, ctx.params.moduleId)
        const empty = childModules(state, m.id).length === 0 && casesIn(state, m.id).length === 0
        if (!empty && !queryBool(ctx.query, "force", false)) return fail(400, `Module ${m.pid} is not empty: delete it with force=true to delete its sub-modules and test cases too`)
        deleteModuleTree(state, m.id)
        return json(200, {})
      }
    }
  ]
}
