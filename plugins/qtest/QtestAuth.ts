/**
 * How the qTest client authenticates. Either a configured API bearer token (qTest UI → Resources → "API & SDK";
 * it never expires), or a password login: `POST /oauth/token`, form-encoded, with `Authorization: Basic
 * base64("<site>:")` — site name, colon, *empty* password (docs/vendors/qtest.md §1.1). The token stays `Redacted`;
 * it is unwrapped only into the `Authorization` header, and no error message carries it.
 *
 * A login is made lazily, on the first call, and once for all concurrent callers. A login token expires after
 * idleness; when the server answers 401 to it, the client logs in again (once) instead of failing the run.
 */
import { Effect, Option, Redacted, Ref } from "effect"
import { ApiError, SystemError, type PluginContext } from "../../core/index.ts"
import { decodeBody } from "./api/common.ts"
import { OAuthToken } from "./api/projects.ts"
import { qtestErrorMessage } from "./qtestErrorMessage.ts"

export type QtestAuthConfig =
  | { readonly _tag: "Token"; readonly token: Redacted.Redacted<string> }
  | { readonly _tag: "Password"; readonly username: string; readonly password: Redacted.Redacted<string>; readonly siteName: string }

export interface QtestAuth {
  /** The bearer token for API calls: the configured one, or the current login's (logging in if there is none). */
  readonly token: Effect.Effect<Redacted.Redacted<string>, ApiError>
  /**
   * After a 401 answered to `rejected`: forgets that login so the next `token` logs in again, and says whether
   * that can help. A configured token cannot be renewed (false); a login token can (true).
   */
  readonly renew: (rejected: Redacted.Redacted<string>) => Effect.Effect<boolean>
  /** Who is authenticating, for messages: "API token" or "user alice@corp.com on site acme". */
  readonly describe: string
}

/** base64 of UTF-8 text with web APIs only (runs unchanged on Deno). */
const base64 = (text: string): string => {
  let binary = ""
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** `Authorization: Basic base64("<site>:")` — the site name is the qTest client id; its password is empty. */
export const basicSiteAuthorization = (siteName: string): string => `Basic ${base64(`${siteName}:`)}`

/** `POST /oauth/token` (password grant): a fresh bearer token, or ApiError Unauthorized saying what was refused. */
export const login = (
  baseUrl: string,
  credentials: Extract<QtestAuthConfig, { _tag: "Password" }>,
  ctx: PluginContext
): Effect.Effect<Redacted.Redacted<string>, ApiError> => {
  const http = ctx.http({ baseUrl, errorMessage: qtestErrorMessage })
  const url = `${baseUrl.replace(/\/+$/, "")}/oauth/token`
  return http
    .send("POST", "/oauth/token", {
      headers: { authorization: basicSiteAuthorization(credentials.siteName) },
      body: {
        _tag: "form",
        value: { grant_type: "password", username: credentials.username, password: Redacted.value(credentials.password) }
      },
      // a login creates nothing a second attempt could duplicate
      retry: "transient"
    })
    .pipe(
      // Spring's OAuth answers 400 invalid_grant for a wrong password, and 401 for an unknown site: both mean
      // "these credentials do not work here", which the user fixes in the spec.
      Effect.mapError((e) =>
        e.reason === "Unauthorized" || (e.reason === "BadRequest" && e.status === 400)
          ? new ApiError({
              ...e,
              reason: "Unauthorized",
              message: `qTest refused the login of user ${credentials.username} on site ${credentials.siteName} (${e.status ?? "?"}): ${e.message} — check username, password and siteName (the part before .qtestnet.com)`
            })
          : e
      ),
      Effect.flatMap((response) => decodeBody(OAuthToken, { system: ctx.system, method: "POST", url, status: response.status })(response.body)),
      Effect.map((body) => body.access_token),
      Effect.withSpan("QtestAuth.login")
    )
}

export const makeQtestAuth = (baseUrl: string, config: QtestAuthConfig, ctx: PluginContext): QtestAuth => {
  if (config._tag === "Token")
    return { token: Effect.succeed(config.token), renew: () => Effect.succeed(false), describe: "the API token" }
  const current = Ref.unsafeMake(Option.none<Redacted.Redacted<string>>())
  // one login at a time: concurrent first calls wait for the same login instead of each making a session
  const lock = Effect.unsafeMakeSemaphore(1)
  const token = lock.withPermits(1)(
    Effect.flatMap(Ref.get(current), (cached) =>
      Option.match(cached, {
        onSome: Effect.succeed,
        onNone: () => Effect.tap(login(baseUrl, config, ctx), (fresh) => Ref.set(current, Option.some(fresh)))
      })
    )
  )
  const renew = (rejected: Redacted.Redacted<string>) =>
    // only the rejected token is forgotten: a caller late with its 401 must not throw away a newer login
    Ref.update(current, (cached) => (Option.isSome(cached) && cached.value === rejected ? Option.none() : cached)).pipe(Effect.as(true))
  return { token, renew, describe: `user ${config.username} on site ${config.siteName}` }
}

/**
 * An `ApiError` that stops the whole load, as the `SystemError` the CLI reports with a hint (exit 1): bad
 * credentials, missing permission, a wrong project or URL, an unreachable server. Undefined for errors that
 * concern one record (400, 413, 412, …) — those are the record's, not the run's.
 */
export const asSystemError = (error: ApiError): SystemError | undefined => {
  switch (error.reason) {
    case "Unauthorized":
      return new SystemError({
        system: error.system,
        reason: "Unauthorized",
        message: error.message,
        // the same advice wherever the 401 comes (a check, a read, a write): a token can expire mid-run
        hint: "qTest refused the credentials: fix the token (an API token from qTest → Resources → API & SDK) or username/password/siteName in the qtest section of the spec, then run again"
      })
    case "Forbidden":
      return new SystemError({
        system: error.system,
        reason: "Forbidden",
        message: error.message,
        hint: "the qTest user lacks a permission in this project (its profile must allow creating and editing test design and execution objects)"
      })
    case "NotFound":
      return new SystemError({
        system: error.system,
        reason: "NotFound",
        message: error.message,
        hint: "check baseUrl (https://<site>.qtestnet.com, without /api/v3) and projectId"
      })
    case "Transport":
    case "Timeout":
      return new SystemError({
        system: error.system,
        reason: "Unreachable",
        message: error.message,
        hint: "check baseUrl and the network path to qTest"
      })
    case "Decode":
      return new SystemError({
        system: error.system,
        reason: "Protocol",
        message: error.message,
        hint: "check that baseUrl points at qTest Manager, not at a proxy or login page"
      })
    case "RateLimited":
      return new SystemError({
        system: error.system,
        reason: "Unreachable",
        message: error.message,
        hint: "qTest kept answering 429 (its API rate limit) after every retry: lower runtime.concurrency or set runtime.rateLimits.qtest below the site's quota, then run again — a run resumes where it stopped"
      })
    case "Server":
      return new SystemError({
        system: error.system,
        reason: "Unreachable",
        message: error.message,
        hint: "qTest kept failing (5xx) after every retry: run again later — a run resumes where it stopped; raise runtime.retry.maxAttempts if the site is often unstable"
      })
    default:
      return undefined
  }
}
