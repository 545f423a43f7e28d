/**
 * A failure of the Snowflake driver or server, classified once, here, by the `code` and `sqlState` Snowflake (or
 * snowflake-sdk) puts on it. The load decides by `reason`: `Transport` is retried by core's policy; `Auth` and
 * `Access` stop the run with a hint; the rest stop the table with Snowflake's own message.
 */
import { Data } from "effect"
import { SystemError } from "../../../core/index.ts"

export type SnowflakeErrorReason =
  /** Wrong password, invalid JWT or OAuth token, locked user, a private key its passphrase does not open. */
  | "Auth"
  /** The warehouse, database, schema or role does not exist or is not granted. */
  | "Access"
  /** The SQL did not compile: syntax, unknown object or column. */
  | "Compilation"
  /** A value did not convert (numeric, timestamp, JSON) or broke a constraint. */
  | "Data"
  /** The network, a 5xx, a dropped connection, a statement timeout: another attempt may succeed. */
  | "Transport"
  /** The session ended (expired or deleted): a new login is needed. */
  | "Session"
  /** The driver refused its options before connecting. */
  | "Config"
  | "Other"

export class SnowflakeError extends Data.TaggedError("SnowflakeError")<{
  readonly reason: SnowflakeErrorReason
  /** Snowflake's error code (`390100`, `002003`) or the driver's (`401001`). */
  readonly code: string | undefined
  readonly sqlState: string | undefined
  /** The first line of the SQL that failed, when a statement failed (never binds: they may hold data). */
  readonly statement: string | undefined
  readonly message: string
}> {}

const AUTH_CODES = new Set(["390100", "390101", "390102", "390103", "390104", "390144", "390303", "390318", "390422", "394304", "394300"])
// 000606: no active warehouse (Snowflake logs in with an unknown warehouse, then refuses the first query);
// 090105 / 090106: no current database / schema (likewise after a login naming one that does not exist). Their
// SQL state, 22000, would otherwise read as a data error.
const ACCESS_CODES = new Set(["390201", "390189", "390190", "002043", "003001", "390186", "000606", "090105", "090106"])
// 407002: the driver's own "terminated connection", once Snowflake said the session is gone (390111) or its
// master token expired (390114) while renewing an expired session token (390112); 401004: HTTP 401 with 390104,
// a session token the server no longer knows. All need a new login, not the same connection again.
const SESSION_CODES = new Set(["390111", "390112", "390114", "407002", "401004"])
// Driver codes (snowflake-sdk error_code.js): 401xxx network/response, 402xxx large-result download.
const TRANSPORT_CODES = new Set(["401001", "401002", "401003", "402001", "402002", "000630", "000604", "000625"])
// Node's crypto, when the driver opens an encrypted private key: a wrong passphrase, or none given. OpenSSL's own
// words ("bad decrypt", "interrupted or cancelled") do not say which setting to fix.
const KEY_PASSPHRASE_CODES = new Set(["ERR_OSSL_BAD_DECRYPT", "ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED", "ERR_MISSING_PASSPHRASE"])

/** Classifies whatever the driver gave a callback: an Error with `code`/`sqlState`, or anything else. */
export const fromDriver = (error: unknown, statement?: string): SnowflakeError => {
  const e = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; sqlState?: unknown; message?: unknown; data?: { sqlState?: unknown } }
  const code = e.code === undefined || e.code === null ? undefined : String(e.code)
  const rawState = e.sqlState ?? e.data?.sqlState
  const sqlState = typeof rawState === "string" && rawState !== "" ? rawState : undefined
  const raw = typeof e.message === "string" ? e.message : String(error)
  const keyPassphrase = code !== undefined && KEY_PASSPHRASE_CODES.has(code)
  const message = keyPassphrase ? `the private key could not be decrypted (${raw}): privateKeyPassphrase is wrong, or missing for an encrypted key` : raw
  const reason = ((): SnowflakeErrorReason => {
    if (keyPassphrase) return "Auth"
    if (code !== undefined) {
      if (AUTH_CODES.has(code)) return "Auth"
      if (SESSION_CODES.has(code)) return "Session"
      if (ACCESS_CODES.has(code)) return "Access"
      if (TRANSPORT_CODES.has(code)) return "Transport"
      if (code.startsWith("404")) return "Config"
    }
    if (sqlState !== undefined) {
      if (sqlState.startsWith("08")) return "Transport" // connection exception
      if (sqlState === "42000" || sqlState === "42S02" || sqlState === "42601" || sqlState === "42710" || sqlState.startsWith("42")) return "Compilation"
      if (sqlState.startsWith("22") || sqlState.startsWith("23")) return "Data"
      if (sqlState === "28000") return "Auth"
    }
    if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|socket hang up|Network error/i.test(message)) return "Transport"
    return "Other"
  })()
  return new SnowflakeError({ reason, code, sqlState, statement: statement?.split("\n")[0]?.slice(0, 200), message })
}

/** What a later attempt, on a live connection, may fix. */
export const isTransient = (e: SnowflakeError): boolean => e.reason === "Transport" || e.reason === "Session"

const hints: Record<SnowflakeErrorReason, string> = {
  Auth: "check user and the credential (password, privateKey registered with ALTER USER … SET RSA_PUBLIC_KEY, or a current oauthToken)",
  Access: "check that warehouse, database, schema and role exist and are granted to the user (SHOW GRANTS TO USER <user>)",
  Compilation: "the SQL the sink sent did not compile: report it, with the statement above",
  Data: "a value did not convert or broke a constraint: see the message",
  Transport: "Snowflake could not be reached: check account (or accessUrl), the network and proxies, then run again: loading resumes",
  Session: "the Snowflake session ended; run again: loading resumes",
  Config: "the driver refused its connection options: check the snowflake section of the spec",
  Other: "see Snowflake's message; run again to resume"
}

/** The failure as core's SystemError: it stops the load, with Snowflake's code and a hint. */
export const toSystemError = (e: SnowflakeError): SystemError =>
  new SystemError({
    system: "snowflake",
    reason: e.reason === "Auth" ? "Unauthorized" : e.reason === "Access" ? "Forbidden" : e.reason === "Transport" || e.reason === "Session" ? "Unreachable" : "Protocol",
    message: `${e.message}${e.code === undefined ? "" : ` (code ${e.code}${e.sqlState === undefined ? "" : `, SQL state ${e.sqlState}`})`}${e.statement === undefined ? "" : `\n  in: ${e.statement}`}`,
    hint: hints[e.reason]
  })
