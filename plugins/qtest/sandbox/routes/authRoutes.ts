/**
 * Login, token status and revocation (docs/vendors/qtest.md §1): `POST /oauth/token` is form-encoded with
 * `Authorization: Basic base64("<site>:")` — the site name and a colon, empty password — for the password
 * grant, and `Basic base64("qtest-api:")` for the refresh grant; it answers an `OAuthResponse` whose
 * `access_token` is then accepted as a bearer token.
 */
import { Buffer } from "node:buffer"
import { fail, json } from "../Reply.ts"
import type { RouteSpec } from "../Router.ts"
import { SESSION_SECONDS } from "../Tokens.ts"
import type { Env } from "./Env.ts"

const SCOPE = "read write create delete administration execute import export share baseline"

const basicUser = (header: string | undefined): string | undefined => {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "")
  if (!match) return undefined
  const decoded = Buffer.from(match[1] ?? "", "base64").toString("utf8")
  return decoded.endsWith(":") ? decoded.slice(0, -1) : undefined
}

export const authRoutes = (env: Env): ReadonlyArray<RouteSpec> => [
  {
    method: "POST",
    template: "/oauth/token",
    auth: "none",
    body: "form",
    // Sessions are not project data: losing a login's answer is not the fault being simulated.
    write: false,
    handler: (ctx) => {
      const client = basicUser(ctx.headers.authorization)
      if (client === undefined) return fail(401, "Missing or invalid Authorization header: use Basic base64(\"<site name>:\")")
      const form = ctx.form ?? fail(400, "The body must be application/x-www-form-urlencoded")
      const grant = form.get("grant_type") ?? "password"
      const answer = (tokens: { accessToken: string; refreshToken: string }) =>
        json(200, { access_token: tokens.accessToken, token_type: "bearer", refresh_token: tokens.refreshToken, expires_in: SESSION_SECONDS, scope: SCOPE })
      if (grant === "password") {
        if (client !== env.siteName) return fail(401, `Invalid Authorization header: '${client}' is not this site's name`)
        const username = form.get("username") ?? ""
        if (username.toLowerCase() !== env.username.toLowerCase() || form.get("password") !== env.password) return fail(401, "Bad credentials")
        return answer(env.tokens.issue(env.username))
      }
      if (grant === "refresh_token") {
        if (client !== "qtest-api" && client !== env.siteName) return fail(401, "Invalid Authorization header: use Basic base64(\"qtest-api:\") to refresh")
        const refreshed = env.tokens.refresh(form.get("refresh_token") ?? "")
        return refreshed === undefined ? fail(400, "Invalid refresh token") : answer(refreshed)
      }
      return fail(400, `Unsupported grant type '${grant}'`)
    }
  },
  {
    method: "GET",
    template: "/oauth/status",
    handler: (ctx) => json(200, env.tokens.status(ctx.token ?? ""))
  },
  {
    method: "POST",
    template: "/oauth/revoke",
    body: "none",
    write: false,
    handler: (ctx) => {
      env.tokens.revoke(ctx.token ?? "")
      return json(200, {})
    }
  }
]
