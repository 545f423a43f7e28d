/**
 * Snowflake behind an Effect service. The live implementation is the official driver, `snowflake-sdk`: one
 * connection, opened when the scope opens (login: password, key pair JWT or OAuth) and destroyed when it closes
 * (the session is deleted). Every failure becomes a `SnowflakeError` classified by code and SQL state. A call
 * that fails because the session ended logs in again before the next call. A statement sent alone is retried
 * under the run's policy when the failure is transient (every statement the sink sends alone is safe to repeat:
 * reads, `IF NOT EXISTS` DDL, upserts, deletes by key); statements that share session state — a temporary
 * staging table — are sent as a `unit`, retried together from the first, since one of them alone on a new
 * session would not find the table.
 */
import { Context, Effect, FiberRef, Redacted, type Scope } from "effect"
import type snowflake from "snowflake-sdk"
import type { PluginContext } from "../../../core/index.ts"
import type { BindRow, BindValue } from "../dialect/index.ts"
import type { SnowflakeConfig } from "../SnowflakeConfig.ts"
import { countDriverRetries, takeDriverRetries } from "./DriverRetries.ts"
import { fromDriver, isTransient, SnowflakeError } from "./SnowflakeError.ts"

/** A result row as the driver gives it: column name (as Snowflake reports it) → value. */
export type Row = Readonly<Record<string, unknown>>

export interface SnowflakeClientShape {
  /** One statement with single-row binds; retried when transient, unless inside a `unit`. */
  readonly execute: (sql: string, binds?: ReadonlyArray<BindValue>) => Effect.Effect<ReadonlyArray<Row>, SnowflakeError>
  /** One array-bound statement: every row travels in one request, column-major (docs/vendors, Snowflake §1.3). */
  readonly executeBatch: (sql: string, rows: ReadonlyArray<BindRow>) => Effect.Effect<ReadonlyArray<Row>, SnowflakeError>
  /**
   * Statements that depend on one session (a temporary table), as one unit: a transient failure of any of them
   * — a dropped connection, a session ended and replaced by a new login — runs the whole unit again.
   */
  readonly unit: <A, R>(statements: Effect.Effect<A, SnowflakeError, R>) => Effect.Effect<A, SnowflakeError, R>
}

export class SnowflakeClient extends Context.Tag("migrate/snowflake/SnowflakeClient")<SnowflakeClient, SnowflakeClientShape>() {}

/**
 * The driver, loaded on first use: with the AWS and Azure SDKs it brings it costs ≈ 40 MB, which every other command
 * (and an extract-only run) should not pay.
 */
let driver: Promise<typeof snowflake> | undefined
const loadDriver = (): Effect.Effect<typeof snowflake> =>
  Effect.promise(() =>
    (driver ??= import("snowflake-sdk").then((m) => {
      const sdk = (m as { default?: typeof snowflake }).default ?? (m as unknown as typeof snowflake)
      // it writes a log file in the working directory unless told otherwise; errors reach us through callbacks
      sdk.configure({ logLevel: "OFF" })
      return sdk
    }))
  )


/** The driver's connection options for a config. Secrets are unwrapped here, and only here. */
export const connectionOptions = (config: SnowflakeConfig): snowflake.ConnectionOptions => {
  const auth: Partial<snowflake.ConnectionOptions> =
    config.auth._tag === "Password"
      ? { authenticator: "SNOWFLAKE", password: Redacted.value(config.auth.password) }
      : config.auth._tag === "KeyPair"
        ? {
            authenticator: "SNOWFLAKE_JWT",
            privateKey: Redacted.value(config.auth.privateKey),
            ...(config.auth.passphrase === undefined ? {} : { privateKeyPass: Redacted.value(config.auth.passphrase) })
          }
        : { authenticator: "OAUTH", token: Redacted.value(config.auth.token) }
  return {
    account: config.account,
    username: config.user,
    warehouse: config.warehouse,
    database: config.database,
    schema: config.schema,
    ...(config.role === undefined ? {} : { role: config.role }),
    ...(config.accessUrl === undefined ? {} : { accessUrl: config.accessUrl }),
    queryTag: config.queryTag,
    // a large first load can outlast the 4-hour master token; heartbeats keep the session alive
    clientSessionKeepAlive: true,
    // The driver's default (7 login retries, backing off to 16 s) leaves an unreachable account or a mistyped
    // accessUrl silent for over 3 minutes; 3 retries fail within seconds, still riding out a blip.
    sfRetryMaxLoginRetries: 3,
    ...auth
  } as snowflake.ConnectionOptions
}

const connect = (options: snowflake.ConnectionOptions): Effect.Effect<snowflake.Connection, SnowflakeError> =>
  Effect.flatMap(loadDriver(), (sdk) => Effect.async<snowflake.Connection, SnowflakeError>((resume) => {
    try {
      sdk.createConnection(options).connect((err, conn) => resume(err ? Effect.fail(fromDriver(err)) : Effect.succeed(conn)))
    } catch (e) {
      // createConnection validates its options synchronously (error codes 404xxx)
      resume(Effect.fail(fromDriver(e)))
    }
  }))

const destroy = (conn: snowflake.Connection): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    try {
      conn.destroy(() => resume(Effect.void))
    } catch {
      resume(Effect.void)
    }
  })

/** One statement; `onRequestId` learns the driver's request id for it (what its retries are counted under). */
const run = (conn: snowflake.Connection, sqlText: string, binds: snowflake.Binds | undefined, onRequestId: (id: string) => void): Effect.Effect<ReadonlyArray<Row>, SnowflakeError> =>
  Effect.async<ReadonlyArray<Row>, SnowflakeError>((resume) => {
    try {
      const statement = conn.execute({
        sqlText,
        ...(binds === undefined ? {} : { binds }),
        complete: (err, _stmt, rows) => resume(err ? Effect.fail(fromDriver(err, sqlText)) : Effect.succeed((rows ?? []) as ReadonlyArray<Row>))
      })
      onRequestId(statement.getRequestId())
    } catch (e) {
      resume(Effect.fail(fromDriver(e, sqlText)))
    }
  })

/**
 * Logs in (failing with the classified error: wrong password, unknown warehouse, …) and gives the client; the
 * session is deleted when the scope closes. Each statement is counted as a request of the `snowflake` system.
 */
export const makeSnowflakeClient = (
  config: SnowflakeConfig,
  ctx: Pick<PluginContext, "countRequest" | "countRetries" | "retryWhen">
): Effect.Effect<SnowflakeClientShape, SnowflakeError, Scope.Scope> =>
  Effect.gen(function* () {
    const retry = ctx.retryWhen<SnowflakeError>(isTransient)
    yield* countDriverRetries
    // set while a unit runs: its statements are not retried one by one
    const inUnit = FiberRef.unsafeMake(false)
    const options = connectionOptions(config)
    // Snowflake's refusal does not say which object it did not find: name what was asked for
    const asked = `warehouse ${config.warehouse}, database ${config.database}, schema ${config.schema}${config.role === undefined ? "" : `, role ${config.role}`}`
    const withContext = (e: SnowflakeError) => (e.reason === "Access" ? new SnowflakeError({ reason: e.reason, code: e.code, sqlState: e.sqlState, statement: e.statement, message: `${e.message} (asked for ${asked})` }) : e)
    let current: snowflake.Connection | undefined = yield* Effect.mapError(connect(options), withContext)
    yield* Effect.addFinalizer(() => (current === undefined ? Effect.void : destroy(current)))
    const live = Effect.suspend(() => (current !== undefined ? Effect.succeed(current) : Effect.tap(Effect.mapError(connect(options), withContext), (c) => Effect.sync(() => (current = c)))))
    const call = (sql: string, binds: snowflake.Binds | undefined) =>
      Effect.flatMap(live, (conn) => {
        let requestId: string | undefined
        // what the driver sent again of this statement counts as its retries
        const driverCounted = Effect.sync(() => {
          const d = takeDriverRetries(requestId)
          ctx.countRetries(d.retries, d.throttled)
        })
        return run(conn, sql, binds, (id) => (requestId = id)).pipe(
          Effect.tapBoth({
            onSuccess: () => Effect.zipRight(driverCounted, Effect.sync(() => ctx.countRequest())),
            onFailure: (e) =>
              Effect.zipRight(
                driverCounted,
                Effect.sync(() => {
                  ctx.countRequest(true)
                  // the next call logs in again; the old connection is not reused
                  if (e.reason === "Session" && current === conn) current = undefined
                })
              )
          })
        )
      })
    const alone = <A>(statement: Effect.Effect<A, SnowflakeError>) => Effect.flatMap(FiberRef.get(inUnit), (bound) => (bound ? statement : retry(statement)))
    return {
      execute: (sql, binds) => alone(call(sql, binds === undefined || binds.length === 0 ? undefined : ([...binds] as snowflake.Binds))),
      executeBatch: (sql, rows) =>
        rows.length === 0
          ? Effect.fail(new SnowflakeError({ reason: "Other", code: undefined, sqlState: undefined, statement: sql.split("\n")[0], message: "an array bind needs at least one row" }))
          : alone(call(sql, rows.map((r) => [...r]) as snowflake.Binds)),
      unit: (statements) => retry(Effect.locally(statements, inUnit, true))
    }
  })
