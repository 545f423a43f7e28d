/** The real `snowflake-sdk` driver, promisified, pointed at a running Snowflake-protocol sandbox on DuckDB. */
import { Effect } from "effect"
import snowflake from "snowflake-sdk"
import type { RunningSnowflakeSandbox } from "../../../../plugins/snowflake/sandbox/index.ts"

snowflake.configure({ logLevel: "OFF" })

export type Connection = snowflake.Connection
export type Row = Record<string, unknown>

export interface DriverError {
  readonly code?: string | number
  readonly sqlState?: string
  readonly message: string
  readonly data?: unknown
}

/** Overrides of the connection options; `undefined` removes a default (e.g. the password for JWT logins). */
export type Overrides = { readonly [K in keyof snowflake.ConnectionOptions]?: snowflake.ConnectionOptions[K] | undefined }

/** Connection options for the sandbox, password auth unless overridden. */
export const options = (sb: RunningSnowflakeSandbox, extra: Overrides = {}): snowflake.ConnectionOptions => {
  const merged: Record<string, unknown> = { accessUrl: sb.accessUrl, account: sb.account, username: sb.user, password: sb.password, database: "MIGR", schema: "PUBLIC", warehouse: "SANDBOX_WH", ...extra }
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k]
  return merged as unknown as snowflake.ConnectionOptions
}

export const connectPromise = (o: snowflake.ConnectionOptions): Promise<Connection> =>
  new Promise((resolve, reject) => {
    snowflake.createConnection(o).connect((err, conn) => (err ? reject(err) : resolve(conn)))
  })

/** Connects; the connection is destroyed when the scope closes. */
export const connect = (sb: RunningSnowflakeSandbox, extra: Overrides = {}) =>
  Effect.acquireRelease(
    Effect.promise(() => connectPromise(options(sb, extra))),
    (conn) => Effect.promise(() => destroy(conn).catch(() => undefined))
  )

/** The error a failed connect gives (fails the test when the connect succeeds). */
export const connectError = (o: snowflake.ConnectionOptions) =>
  Effect.promise(() =>
    connectPromise(o).then(
      () => {
        throw new Error("expected the login to fail")
      },
      (e: DriverError) => e
    )
  )

export const destroy = (conn: Connection): Promise<void> =>
  new Promise((resolve, reject) => {
    conn.destroy((err) => (err ? reject(err) : resolve()))
  })

export const execPromise = (conn: Connection, sqlText: string, binds?: snowflake.Binds): Promise<Array<Row>> =>
  new Promise((resolve, reject) => {
    conn.execute({
      sqlText,
      ...(binds === undefined ? {} : { binds }),
      complete: (err, _stmt, rows) => (err ? reject(err) : resolve((rows ?? []) as Array<Row>))
    })
  })

export const exec = (conn: Connection, sqlText: string, binds?: snowflake.Binds) => Effect.promise(() => execPromise(conn, sqlText, binds))

/** The error a statement gives (fails the test when it succeeds). */
export const execError = (conn: Connection, sqlText: string, binds?: snowflake.Binds) =>
  Effect.promise(() =>
    execPromise(conn, sqlText, binds).then(
      () => {
        throw new Error(`expected "${sqlText}" to fail`)
      },
      (e: DriverError) => e
    )
  )
