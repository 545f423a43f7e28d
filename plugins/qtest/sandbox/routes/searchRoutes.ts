/**
 * `POST /api/v3/projects/{id}/search` (docs/vendors/qtest.md §4.11): the paged `{links, page, page_size, total,
 * items}`.
 */
import { arrayBody, objectBody, optString, queryBool } from "../Body.ts"
import { envelope, pageRequest } from "../Paging.ts"
import { fail, json } from "../Reply.ts"
import type { RouteSpec } from "../Router.ts"
import { search } from "../Search.ts"
import type { Env } from "./Env.ts"

export const searchRoutes = (env: Env): ReadonlyArray<RouteSpec> => [
  {
    method: "POST",
    template: "/api/v3/projects/{projectId}/search",
    write: false,
    handler: (ctx) => {
      const body = objectBody(ctx.body)
      const objectType = optString(body, "object_type") ?? fail(400, "'object_type' is required")
      const fields = body.fields === undefined || body.fields === null ? [] : arrayBody(body.fields, "'fields'").map((f) => (typeof f === "string" ? f : fail(400, "'fields' must be an array of strings")))
      const request = pageRequest(ctx.query, "pageSize", 100, 999)
      const items = search(env.state(), env.render, objectType, optString(body, "query"), fields, {
        appendTestSteps: queryBool(ctx.query, "appendTestSteps", false),
        includeTestLogProperties: queryBool(ctx.query, "includeTestLogProperties", false)
      })
      return json(200, envelope(items, request, `${env.render.base}${ctx.url.pathname}${ctx.url.search}`, (i) => i))
    }
  }
]
