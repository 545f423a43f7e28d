/**
 * Path templates → handlers. A route is declared with the spec's template (`/api/v3/projects/{projectId}/
 * test-cases/{testCaseId}`), which is also the key of the request statistics. When several templates match a
 * path, the one with the most literal segments wins (`/test-runs/execution-statuses` over
 * `/test-runs/{testRunId}`), so declaration order does not matter. Dispatch is where the cross-cutting rules
 * live: the path's project becomes the one the handler works on (a project the site does not have is a 404),
 * a rejection rule (Rejections.ts) answers before the handler, and a write runs in a transaction so that a
 * refusal half-way leaves nothing behind.
 */
import type { IncomingHttpHeaders } from "node:http"
import type { ProjectState } from "./ProjectState.ts"
import { ApiFailure, errorReply, type Reply } from "./Reply.ts"
import type { Rejections } from "./Rejections.ts"
import type { SiteState } from "./SiteState.ts"

export type Method = "GET" | "POST" | "PUT" | "DELETE"

/** How the transport reads the body before the handler runs. */
export type BodyKind = "none" | "json" | "form" | "raw"

export interface RequestContext {
  readonly method: Method
  readonly url: URL
  readonly query: URLSearchParams
  readonly params: Readonly<Record<string, string>>
  readonly headers: IncomingHttpHeaders
  /** Parsed JSON (`json` routes); undefined when the body was empty. */
  readonly body: unknown
  /** `form` routes. */
  readonly form: URLSearchParams | undefined
  /** `raw` routes (uploads). */
  readonly raw: Uint8Array | undefined
  /** The bearer token of the request (bearer routes). */
  readonly token: string | undefined
}

export interface RouteSpec {
  readonly method: Method
  readonly template: string
  /** Default: `json` for POST and PUT, `none` otherwise. */
  readonly body?: BodyKind
  /**
   * Whether the route changes the project (default: every method but GET). A write runs in a transaction and
   * is what `faultAfterWriteRate` loses the answer of; a query sent with POST (search) is no write.
   */
  readonly write?: boolean
  /** Default `bearer`; `/oauth/token` uses Basic auth and does its own checks. */
  readonly auth?: "bearer" | "none"
  /** Creates/updates of this object type can be refused by a rejection rule; `name` is the object's name. */
  readonly reject?: { readonly objectType: string; readonly name: (ctx: RequestContext, state: ProjectState) => string | undefined }
  readonly handler: (ctx: RequestContext) => Reply
}

export interface Route extends RouteSpec {
  readonly pattern: RegExp
  readonly names: ReadonlyArray<string>
  readonly literals: number
}

export type Match =
  | { readonly kind: "route"; readonly route: Route; readonly params: Readonly<Record<string, string>>; readonly template: string }
  | { readonly kind: "wrong-method"; readonly allowed: ReadonlyArray<Method>; readonly template: string }
  | { readonly kind: "none" }

/** A path segment decoded; a malformed escape is kept as sent (it then matches nothing and reads as a 404). */
const safeDecode = (segment: string): string => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

const compile = (spec: RouteSpec): Route => {
  const names: Array<string> = []
  let literals = 0
  const source = spec.template
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)
      if (param) {
        names.push(param[1] ?? "")
        return "([^/]+)"
      }
      if (segment !== "") literals++
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    })
    .join("/")
  return { ...spec, pattern: new RegExp(`^${source}$`), names, literals }
}

export const makeRouter = (specs: ReadonlyArray<RouteSpec>) => {
  const routes = specs.map(compile)

  const match = (method: string, pathname: string): Match => {
    const candidates = routes.filter((r) => r.pattern.test(pathname))
    if (candidates.length === 0) return { kind: "none" }
    const best = Math.max(...candidates.map((r) => r.literals))
    const top = candidates.filter((r) => r.literals === best)
    const route = top.find((r) => r.method === method)
    const template = (route ?? top[0])?.template ?? pathname
    if (route === undefined) return { kind: "wrong-method", allowed: [...new Set(top.map((r) => r.method))], template }
    const values = route.pattern.exec(pathname)?.slice(1) ?? []
    const params: Record<string, string> = {}
    route.names.forEach((name, i) => {
      params[name] = safeDecode(values[i] ?? "")
    })
    return { kind: "route", route, params, template }
  }

  /**
   * Runs a matched route against the project its path names (the site's first for routes outside a project),
   * writes in a transaction; refusals become `{message}` replies.
   */
  const dispatch = (route: Route, ctx: RequestContext, site: SiteState, rejections: Rejections): { readonly reply: Reply; readonly applied: boolean } => {
    try {
      const projectId = ctx.params.projectId
      const state = projectId === undefined ? site.current() : site.project(projectId)
      if (state === undefined) return { reply: errorReply(404, `Project ${projectId} not found`), applied: false }
      return site.within(state, () => {
        if (route.reject !== undefined) {
          const refusal = rejections.take(route.reject.objectType, route.reject.name(ctx, state), state.project.id)
          if (refusal !== undefined) return { reply: errorReply(refusal.status, refusal.message), applied: false }
        }
        if (!(route.write ?? route.method !== "GET")) return { reply: route.handler(ctx), applied: false }
        const reply = state.journal.transaction(() => route.handler(ctx))
        return { reply, applied: reply.status < 300 }
      })
    } catch (e) {
      if (e instanceof ApiFailure) return { reply: errorReply(e.status, e.message), applied: false }
      return { reply: errorReply(500, `Sandbox error: ${e instanceof Error ? e.message : String(e)}`), applied: false }
    }
  }

  return { routes, match, dispatch }
}

export type Router = ReturnType<typeof makeRouter>
