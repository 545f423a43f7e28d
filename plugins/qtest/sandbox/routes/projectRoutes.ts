/**
 * Projects and users (docs/vendors/qtest.md §4.1, §4.10): the site's projects, a project's members, the user search and the
 * current user (`GET /api/v3/re-evaluation`, S1's "Gets current user's information": every token belongs to the
 * API user).
 */
import { queryBool } from "../Body.ts"
import { pageRequest, slicePage } from "../Paging.ts"
import { found, json } from "../Reply.ts"
import type { RouteSpec } from "../Router.ts"
import type { Env } from "./Env.ts"

/** The site's client (tenant) id. */
const CLIENT_ID = 62_017

export const projectRoutes = (env: Env): ReadonlyArray<RouteSpec> => {
  const { render } = env
  const users = () =>
    env
      .state()
      .users.values()
      .sort((a, b) => a.id - b.id)
  return [
    {
      method: "GET",
      template: "/api/v3/projects",
      handler: (ctx) => {
        const all = env.site.projects()
        // "By default, all projects are returned"; with `page`, pages of `pageSize` (100, up to 999).
        const list = ctx.query.get("page") === null ? all : slicePage(all, pageRequest(ctx.query, "pageSize", 100, 999))
        return json(200, list.map((project) => env.site.within(project, render.project)))
      }
    },
    {
      method: "GET",
      template: "/api/v3/projects/{projectId}",
      handler: () => json(200, render.project())
    },
    {
      method: "GET",
      template: "/api/v3/projects/{projectId}/users",
      handler: () => json(200, users().map(render.user))
    },
    {
      method: "GET",
      template: "/api/v3/users/{userId}",
      handler: (ctx) => {
        const id = Number(ctx.params.userId)
        return json(200, render.user(found(Number.isInteger(id) ? env.state().users.get(id) : undefined, `User ${ctx.params.userId} not found`)))
      }
    },
    {
      method: "GET",
      template: "/api/v3/re-evaluation",
      handler: () => {
        const state = env.state()
        const me = found(state.users.get(state.apiUserId), "The API user no longer exists")
        return json(200, {
          links: [{ rel: "self", href: `${render.base}/api/v3/re-evaluation` }],
          id: me.id,
          user_name: me.username,
          first_name: me.firstName,
          last_name: me.lastName,
          client_id: CLIENT_ID,
          client_name: env.siteName,
          client_site: render.base,
          client_site_name: env.siteName,
          timezone_offset: "+00:00",
          avatar: `${render.base}/api/v3/users/${me.id}/avatar`,
          access_admin_page: true,
          package_type: "Elite",
          applications: [{ name: "Manager", url: render.base, display_order: 1, app_type: "MANAGER" }]
        })
      }
    },
    {
      method: "GET",
      template: "/api/v3/users/search",
      handler: (ctx) => {
        // Login names contain the text (case-insensitive): callers must pick the exact match themselves.
        const text = (ctx.query.get("username") ?? "").toLowerCase()
        const matches = users().filter((u) => u.username.toLowerCase().includes(text))
        const paginate = queryBool(ctx.query, "pagination", true)
        // The documented maximum page size is 100 (docs/vendors/qtest.md §2.2): larger ones are clamped, as
        // page_size says.
        const request = paginate ? pageRequest(ctx.query, "pageSize", 100, 100) : { page: 1, size: Math.max(1, matches.length) }
        return json(200, {
          links: [],
          page: request.page,
          page_size: request.size,
          total: matches.length,
          items: slicePage(matches, request).map(render.userExtension)
        })
      }
    }
  ]
}
