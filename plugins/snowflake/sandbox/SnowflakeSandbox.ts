/**
 * The Snowflake-protocol sandbox on DuckDB: a local HTTP server that speaks the REST protocol `snowflake-sdk` uses
 * (docs/vendors, Snowflake §1) and runs the SQL on DuckDB. It is not Snowflake: SQL is translated (SqlTranslator.ts)
 * and executed with DuckDB's semantics; identifiers match case-insensitively (Engine.ts). It lets the sink, its
 * tests and `migrate sandbox` use the real driver end to end without an account.
 *
 * Endpoints: `POST /session/v1/login-request` (password, key pair JWT verified against `publicKeyPem`, OAuth),
 * `POST /telemetry/send`, `POST /queries/v1/query-request` (single and column-major array binds, JSON result
 * format, inline rows, no chunks), `POST /session?delete=true`, `POST /session/heartbeat`,
 * `POST /session/token-request`. Request bodies may be gzip'd. Answers are HTTP 200 with `success:false` and
 * Snowflake's codes for failures the driver surfaces as errors; a missing or unknown session token is HTTP 401
 * with code 390104 (the driver's "invalid token"), an ended session code 390111 ("session no longer exists").
 *
 * The transport — listening, latency, storms, faults, statistics, the scoped lifetime — is core's sandbox kit
 * (core/sandbox.ts); only query-requests are gated, after their session is checked. `faultRate` answers a seeded
 * share of them with HTTP 503 before running anything (the driver retries those), or — `faultKinds` — drops the
 * connection before running it, or runs it and holds the answer `slowResponseMs`; `latencyMs` delays every
 * answer. For chaos scenarios: `storm` answers query-requests HTTP 429 by request count; `lostMergeAnswerRate`
 * runs a MERGE and then drops the connection (applied, answer lost); `sessionExpiresAfterQueries` lets each
 * session's token expire (390112) after that many query-requests, with its master token (390114 on renewal), as
 * after Snowflake's four idle hours: the driver must log in again.
 */
import { Effect, type Scope } from "effect"
import { randomBytes, randomUUID } from "node:crypto"
import type * as http from "node:http"
import * as zlib from "node:zlib"
import { checkLogin, type AuthConfig } from "./Auth.ts"
import { type Engine, makeEngine, type Session, SnowflakeStatementError } from "./Engine.ts"
import {
  checkRate,
  checkTransportOptions,
  type SandboxAnswer,
  type SandboxReply,
  SandboxStartError,
  type SandboxTransportOptions,
  startHttpSandbox
} from "../../../core/sandbox.ts"

/**
 * The common transport options (core's `SandboxTransportOptions`; no `rateLimit`: the sandbox has none) plus
 * Snowflake's. Their flavour here: `faultRate` is a share of query-requests answered HTTP 503 before they run
 * (`faultKinds`: `5xx` = that 503, `drop` = the connection dropped before running, `slow` = run, then the answer
 * held `slowResponseMs`); `storm` answers query-requests HTTP 429, with `Retry-After` when the storm sets one.
 */
export interface SnowflakeSandboxOptions extends Omit<SandboxTransportOptions, "rateLimit"> {
  /** Default "sandbox". */
  readonly account?: string | undefined
  /** Default "LOADER". */
  readonly user?: string | undefined
  /** Default "sandbox-password". */
  readonly password?: string | undefined
  /** When set, SNOWFLAKE_JWT logins are verified against it (Auth.ts). */
  readonly publicKeyPem?: string | undefined
  /** Accepted for AUTHENTICATOR OAUTH. */
  readonly oauthToken?: string | undefined
  /** Default ["SANDBOX_WH"]. An unknown one at login or in USE WAREHOUSE is refused. */
  readonly warehouses?: ReadonlyArray<string> | undefined
  /**
   * The account's databases, created at start. When set, a login naming another database — or a schema that does
   * not exist — gets a session without a current database (schema), as on Snowflake, and statements that need one
   * fail with 090105 (090106). Default: databases and schemas named at login are created (Engine.ts).
   */
  readonly databases?: ReadonlyArray<string> | undefined
  /** Where DuckDB keeps the data (Engine.ts); default in memory. */
  readonly databaseFile?: string | undefined
  /** 0..1: share of MERGE statements that run (and commit), after which the connection is dropped. */
  readonly lostMergeAnswerRate?: number | undefined
  /**
   * After this many query-requests a session's token expires (390112) and so does its master token (390114 when
   * the driver asks to renew it): the next statement needs a new login.
   */
  readonly sessionExpiresAfterQueries?: number | undefined
}

export interface SnowflakeSandboxStats {
  readonly requests: number
  readonly byPath: Record<string, number>
  readonly logins: number
  readonly failedLogins: number
  readonly queries: number
  readonly failedQueries: number
  /** Rows bound by array binds, summed over requests. */
  readonly boundRows: number
  readonly activeSessions: number
  readonly sessionsDeleted: number
  readonly telemetry: number
  readonly faults: number
  /** Query-requests answered 429 by a storm. */
  readonly throttled: number
  /** Distinct statements (request ids) sent as query-requests: a driver's retry of one is not another. */
  readonly statements: number
  /** Query-requests that repeated a request id already seen (the driver's own retries). */
  readonly resent: number
  /** Sessions whose tokens expired (`sessionExpiresAfterQueries`). */
  readonly expiredSessions: number
}

export interface RunningSnowflakeSandbox {
  /** `http://127.0.0.1:<port>`: the driver's `accessUrl`. */
  readonly accessUrl: string
  readonly port: number
  readonly account: string
  readonly user: string
  readonly password: string
  readonly stats: () => SnowflakeSandboxStats
  /** Reads DuckDB directly (for tests): the SQL is translated like a query-request's, then run outside any session. */
  readonly query: (sql: string) => Promise<ReadonlyArray<Record<string, unknown>>>
}

/** The kit's start error, under the name this sandbox has always exported. */
export { SandboxStartError as SnowflakeSandboxError }

export const DEFAULT_ACCOUNT = "sandbox"
export const DEFAULT_USER = "LOADER"
export const DEFAULT_PASSWORD = "sandbox-password"
export const DEFAULT_WAREHOUSE = "SANDBOX_WH"
const MAX_BODY = 256 * 1024 * 1024
const SESSION_VALIDITY_SECONDS = 3600
const MASTER_VALIDITY_SECONDS = 14400

const checkOptions = (o: SnowflakeSandboxOptions): string | undefined => {
  // a rateLimit (the capability passes the CLI's on) is left aside, unchecked: the sandbox has no rate limit
  const common = checkTransportOptions({ ...o, rateLimit: undefined }) ?? checkRate(o.lostMergeAnswerRate, "lostMergeAnswerRate")
  if (common !== undefined) return common
  if (o.sessionExpiresAfterQueries !== undefined && !(Number.isInteger(o.sessionExpiresAfterQueries) && o.sessionExpiresAfterQueries >= 1))
    return `sessionExpiresAfterQueries must be an integer >= 1, got ${o.sessionExpiresAfterQueries}`
  for (const [v, name] of [
    [o.account, "account"],
    [o.user, "user"],
    [o.password, "password"],
    [o.oauthToken, "oauthToken"]
  ] as const) {
    if (v !== undefined && v.trim() === "") return `${name} must not be empty`
  }
  if (o.warehouses !== undefined && (o.warehouses.length === 0 || o.warehouses.some((w) => w.trim() === ""))) return "warehouses must name at least one warehouse, none empty"
  return undefined
}

/** A login/connection parameter names an object: unquoted → upper case, `"quoted"` → as written. */
const objectName = (v: string | null): string | undefined => {
  if (v === null || v === "") return undefined
  return v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1).replaceAll('""', '"') : v.toUpperCase()
}

interface Reply {
  readonly status: number
  readonly body: unknown
  readonly headers?: Readonly<Record<string, string>> | undefined
}
const ok = (data: unknown): Reply => ({ status: 200, body: { success: true, code: null, message: null, data } })
const failure = (code: string, message: string, data: Record<string, unknown> = {}, status = 200): Reply => ({
  status,
  body: { success: false, code, message, data: { errorCode: code, ...data } }
})

/** A reply as the kit sends it: JSON, whatever the status. */
const toKit = (r: Reply, extra: Partial<Pick<SandboxReply, "hold" | "wrote">> = {}): SandboxReply => ({
  status: r.status,
  headers: { ...r.headers, "content-type": "application/json" },
  body: JSON.stringify(r.body),
  ...extra
})

const parseJsonBody = (req: http.IncomingMessage, raw: Buffer): Record<string, unknown> => {
  if (raw.byteLength === 0) return {}
  const encoding = String(req.headers["content-encoding"] ?? "").toLowerCase()
  const bytes = encoding.includes("gzip") || (raw[0] === 0x1f && raw[1] === 0x8b) ? zlib.gunzipSync(raw) : raw
  const parsed: unknown = JSON.parse(bytes.toString("utf8"))
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {}
}

/** Starts the sandbox; it stops (sockets closed, sessions ended, DuckDB closed) when the scope closes. */
export const startSnowflakeSandbox = (options: SnowflakeSandboxOptions = {}): Effect.Effect<RunningSnowflakeSandbox, SandboxStartError, Scope.Scope> =>
  Effect.gen(function* () {
    const invalid = checkOptions(options)
    if (invalid !== undefined) return yield* new SandboxStartError({ reason: "Config", message: invalid })
    const account = options.account ?? DEFAULT_ACCOUNT
    const user = options.user ?? DEFAULT_USER
    const password = options.password ?? DEFAULT_PASSWORD
    const warehouses = (options.warehouses ?? [DEFAULT_WAREHOUSE]).map((w) => w.toUpperCase())
    const queriesOf = new Map<Session, number>()
    const expired = new Set<Session>()
    const requestIds = new Set<string>()
    const auth: AuthConfig = { account, user, password, publicKeyPem: options.publicKeyPem, oauthToken: options.oauthToken }

    const engine: Engine = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => makeEngine({ databaseFile: options.databaseFile, warehouses, databases: options.databases?.map((d) => d.toUpperCase()) }),
        catch: (e) => new SandboxStartError({ reason: "Database", message: `cannot open DuckDB${options.databaseFile === undefined ? "" : ` at ${options.databaseFile}`}: ${e instanceof Error ? e.message : String(e)}` })
      }),
      (e) => Effect.promise(() => e.close())
    )

    const sessions = new Map<string, Session>()
    const byMaster = new Map<string, Session>()
    const ended = new Set<string>()
    let nextSessionId = 1
    const stats = { logins: 0, failedLogins: 0, queries: 0, failedQueries: 0, boundRows: 0, sessionsDeleted: 0, telemetry: 0, statements: 0, resent: 0, expiredSessions: 0 }

    const token = () => randomBytes(24).toString("hex")
    const sessionOf = (req: http.IncomingMessage): Session | Reply => {
      const m = /^Snowflake\s+Token="([^"]*)"/i.exec(String(req.headers.authorization ?? ""))
      if (m === null) return failure("390104", "Authentication token is missing. Send Authorization: Snowflake Token=\"<session token>\".", {}, 401)
      const found = sessions.get(m[1] as string) ?? byMaster.get(m[1] as string)
      if (found !== undefined) return found
      if (ended.has(m[1] as string)) return failure("390111", "Session no longer exists.  New login required to access the service.")
      return failure("390104", "Authentication token is invalid.", {}, 401)
    }

    const login = async (url: URL, body: Record<string, unknown>): Promise<Reply> => {
      const data = (body["data"] ?? {}) as Record<string, unknown>
      const checked = checkLogin(data, auth)
      if (!checked.ok) {
        stats.failedLogins++
        return failure(checked.code, checked.message, { nextAction: "RETRY_LOGIN", authnMethod: String(data["AUTHENTICATOR"] ?? "SNOWFLAKE") })
      }
      const warehouse = objectName(url.searchParams.get("warehouse"))
      if (warehouse !== undefined && !warehouses.includes(warehouse)) {
        stats.failedLogins++
        return failure("390201", "The requested warehouse does not exist or not authorized.", { sqlState: "08004" })
      }
      const database = objectName(url.searchParams.get("databaseName"))
      const schema = objectName(url.searchParams.get("schemaName"))
      const role = objectName(url.searchParams.get("roleName")) ?? "PUBLIC"
      if (schema !== undefined && database === undefined) {
        stats.failedLogins++
        return failure("390201", "The requested schema does not exist or not authorized. (no database was given)", { sqlState: "08004" })
      }
      const session = await engine.openSession({ id: nextSessionId++, token: token(), masterToken: token(), database, schema: database === undefined ? undefined : (schema ?? "PUBLIC"), warehouse, role })
      sessions.set(session.token, session)
      byMaster.set(session.masterToken, session)
      stats.logins++
      return ok({
        token: session.token,
        masterToken: session.masterToken,
        validityInSeconds: SESSION_VALIDITY_SECONDS,
        masterValidityInSeconds: MASTER_VALIDITY_SECONDS,
        sessionId: session.id,
        displayUserName: user.toUpperCase(),
        serverVersion: "duckdb-sandbox",
        firstLogin: false,
        healthCheckInterval: 45,
        parameters: [
          { name: "TIMEZONE", value: "UTC" },
          { name: "CLIENT_SESSION_KEEP_ALIVE", value: false },
          { name: "CLIENT_STAGE_ARRAY_BINDING_THRESHOLD", value: 100000 }
        ],
        sessionInfo: { databaseName: session.database ?? null, schemaName: session.schema ?? null, warehouseName: session.warehouse ?? null, roleName: session.role }
      })
    }

    const query = async (session: Session, body: Record<string, unknown>): Promise<Reply> => {
      const queryId = randomUUID()
      const sqlText = body["sqlText"]
      stats.queries++
      if (typeof sqlText !== "string" || sqlText.trim() === "") {
        stats.failedQueries++
        return failure("000900", "SQL compilation error:\nEmpty SQL statement.", { sqlState: "42000", queryId })
      }
      if (body["bindStage"] !== undefined) {
        stats.failedQueries++
        return failure("000002", "Stage binding is not supported by the sandbox; keep rows × columns below arrayBindingThreshold.", { sqlState: "0A000", queryId })
      }
      const bindings = body["bindings"] as Record<string, { value: unknown }> | undefined
      const first = bindings === undefined ? undefined : Object.values(bindings)[0]
      if (first !== undefined && Array.isArray(first.value)) stats.boundRows += first.value.length
      try {
        const { statementTypeId, result } = await engine.execute(session, sqlText, bindings)
        return ok({
          queryId,
          statementTypeId,
          queryResultFormat: "json",
          version: 1,
          total: result.rowset.length,
          returned: result.rowset.length,
          parameters: [],
          rowtype: result.rowtype,
          rowset: result.rowset,
          finalDatabaseName: session.database ?? null,
          finalSchemaName: session.schema ?? null,
          finalWarehouseName: session.warehouse ?? null,
          finalRoleName: session.role
        })
      } catch (e) {
        stats.failedQueries++
        if (e instanceof SnowflakeStatementError) return failure(e.error.code, e.error.message, { sqlState: e.error.sqlState, queryId, internalError: false })
        return failure("100000", `Internal error in the sandbox: ${e instanceof Error ? e.message : String(e)}`, { sqlState: "XX000", queryId, internalError: true })
      }
    }

    const endSession = (session: Session) => {
      sessions.delete(session.token)
      byMaster.delete(session.masterToken)
      ended.add(session.token)
      engine.closeSession(session)
      stats.sessionsDeleted++
    }

    /** A query-request: gated (storm, faults), then its session's expiry, then run; a MERGE's answer may be lost. */
    const queryRequest = async (s: Session, url: URL, body: Record<string, unknown>, gate: () => SandboxAnswer | undefined): Promise<SandboxAnswer> => {
      const requestId = url.searchParams.get("requestId")
      if (requestId !== null) {
        if (requestIds.has(requestId)) stats.resent++
        else {
          requestIds.add(requestId)
          stats.statements++
        }
      }
      const refused = gate()
      if (refused !== undefined) return refused
      const expiredReply = () => toKit(failure("390112", "Your session has expired. Please login again."), { hold: false })
      if (expired.has(s)) return expiredReply()
      const used = (queriesOf.get(s) ?? 0) + 1
      queriesOf.set(s, used)
      if (options.sessionExpiresAfterQueries !== undefined && used > options.sessionExpiresAfterQueries) {
        expired.add(s)
        stats.expiredSessions++
        return expiredReply()
      }
      const reply = await query(s, body)
      const sqlText = typeof body["sqlText"] === "string" ? body["sqlText"] : ""
      const merged = reply.status === 200 && (reply.body as { success?: boolean }).success === true && /^\s*MERGE\b/i.test(sqlText)
      return toKit(reply, { wrote: merged })
    }

    /** A Snowflake reply, or (`kit`) a query-request's answer as the kit sends it. */
    const route = async (req: http.IncomingMessage, url: URL, raw: Buffer, gate: () => SandboxAnswer | undefined): Promise<Reply | { readonly kit: SandboxAnswer }> => {
      const p = url.pathname
      if (req.method !== "POST" && !p.startsWith("/queries/")) return failure("000001", `Method ${req.method} is not supported on ${p}`, {}, 405)
      let body: Record<string, unknown>
      try {
        body = parseJsonBody(req, raw)
      } catch (e) {
        return failure("000001", `Malformed request body: ${e instanceof Error ? e.message : String(e)}`, {}, 400)
      }
      if (p === "/session/v1/login-request") return login(url, body)
      if (p === "/telemetry/send") {
        stats.telemetry++
        return ok("Log Received")
      }
      const s = sessionOf(req)
      if (!("connection" in s)) return s
      if (p === "/queries/v1/query-request") return { kit: await queryRequest(s, url, body, gate) }
      // an expired session's master token cannot renew it (the driver then reports the connection lost)
      if (expired.has(s) && p === "/session/token-request") return failure("390114", "Authentication token has expired.  The user must authenticate again.")
      if (p === "/session" && url.searchParams.get("delete") === "true") {
        endSession(s)
        return ok(null)
      }
      if (p === "/session/heartbeat") return ok({})
      if (p === "/session/token-request") {
        sessions.delete(s.token)
        ended.add(s.token)
        s.token = token()
        sessions.set(s.token, s)
        return ok({ sessionToken: s.token, validityInSecondsST: SESSION_VALIDITY_SECONDS, masterToken: s.masterToken, validityInSecondsMT: MASTER_VALIDITY_SECONDS })
      }
      if (p === "/queries/v1/abort-request") return ok(null)
      return failure("000001", `The sandbox does not implement ${req.method} ${p}`, {}, 404)
    }

    const running = yield* startHttpSandbox({
      // the sandbox has no rate limit of its own
      options: { ...options, rateLimit: undefined },
      lostAnswerRate: options.lostMergeAnswerRate,
      errorReply: (status, message) => toKit(failure("000001", message, {}, status)),
      throttle: { reply: toKit({ status: 429, body: { success: false, message: "Too many requests" } }) },
      faults: { statuses: [503], mix: ["5xx"], reply: (status) => toKit({ status, body: { success: false, message: "Service temporarily unavailable (sandbox fault)" } }) },
      onClose: () => {
        for (const s of [...sessions.values()]) endSession(s)
      },
      serve: () => ({
        handle: async (request) => {
          const read = await request.body(MAX_BODY)
          // a body above the limit is not read: the connection is dropped, as the driver sees a reset
          if ("tooLarge" in read) return "drop"
          const answer = await route(request.req, request.url, read.bytes, request.gate)
          return "kit" in answer ? answer.kit : toKit(answer)
        }
      })
    })

    return {
      accessUrl: running.origin,
      port: running.port,
      account,
      user,
      password,
      stats: () => {
        const transport = running.stats()
        return { ...transport, ...stats, activeSessions: sessions.size }
      },
      query: (sql) => engine.query(sql)
    }
  })
