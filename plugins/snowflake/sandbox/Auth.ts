/**
 * Login checks of the Snowflake-protocol sandbox on DuckDB: the `data` of `/session/v1/login-request`
 * (docs/vendors, Snowflake §1.3) against the sandbox's one account and user.
 *
 * - AUTHENTICATOR SNOWFLAKE (or absent): LOGIN_NAME + PASSWORD.
 * - SNOWFLAKE_JWT: TOKEN is an RS256 JWT signed with the user's private key. It is verified with node:crypto
 *   against `publicKeyPem`: signature, `iss` = `<ACCOUNT>.<USER>.SHA256:<base64 SHA-256 of the public key's DER
 *   SPKI>`, `sub` = `<ACCOUNT>.<USER>`, `exp` in the future. `snowflake-sdk` 3.3.0 writes `iat`/`exp` in
 *   milliseconds; values below 10^12 are read as seconds (the JWT convention other drivers follow).
 * - OAUTH: TOKEN equals the configured `oauthToken`.
 *
 * Failures carry the codes Snowflake answers with: 390100 (incorrect username or password), 390144 (JWT token is
 * invalid), 390303 (invalid OAuth access token); an authenticator the sandbox does not implement is refused with
 * 390100 and a message saying so.
 */
import * as crypto from "node:crypto"

export interface AuthConfig {
  readonly account: string
  readonly user: string
  readonly password: string
  readonly publicKeyPem: string | undefined
  readonly oauthToken: string | undefined
}

export type AuthResult = { readonly ok: true; readonly authenticator: string } | { readonly ok: false; readonly code: string; readonly message: string }

const BAD_PASSWORD = { ok: false, code: "390100", message: "Incorrect username or password was specified." } as const
const BAD_JWT = (why: string) => ({ ok: false, code: "390144", message: `JWT token is invalid. (sandbox: ${why})` }) as const

const b64url = (s: string) => Buffer.from(s, "base64url")

/** `SHA256:<base64>` of the public key's DER SubjectPublicKeyInfo, as Snowflake's RSA_PUBLIC_KEY_FP. */
export const publicKeyFingerprint = (publicKeyPem: string): string => {
  const der = crypto.createPublicKey(publicKeyPem).export({ type: "spki", format: "der" })
  return `SHA256:${crypto.createHash("sha256").update(der).digest("base64")}`
}

/** The account part that goes into JWT claims: upper case, without region or cloud suffixes. */
const accountIdentifier = (account: string) => (account.split(".")[0] ?? account).toUpperCase()

export const verifyJwt = (token: string, config: AuthConfig, now: number = Date.now()): AuthResult => {
  if (config.publicKeyPem === undefined) return BAD_JWT("no public key is registered for the user")
  const parts = token.split(".")
  if (parts.length !== 3) return BAD_JWT("not a JWT")
  const [h, p, s] = parts as [string, string, string]
  let header: { alg?: unknown }
  let payload: { iss?: unknown; sub?: unknown; exp?: unknown }
  try {
    header = JSON.parse(b64url(h).toString("utf8"))
    payload = JSON.parse(b64url(p).toString("utf8"))
  } catch {
    return BAD_JWT("header or payload is not JSON")
  }
  if (header.alg !== "RS256") return BAD_JWT(`algorithm ${String(header.alg)} is not RS256`)
  let valid = false
  try {
    valid = crypto.verify("RSA-SHA256", Buffer.from(`${h}.${p}`), config.publicKeyPem, b64url(s))
  } catch {
    valid = false
  }
  if (!valid) return BAD_JWT("signature does not verify against the user's public key")
  const subject = `${accountIdentifier(config.account)}.${config.user.toUpperCase()}`
  const issuer = `${subject}.${publicKeyFingerprint(config.publicKeyPem)}`
  if (payload.iss !== issuer) return BAD_JWT(`iss ${String(payload.iss)} is not ${issuer}`)
  if (payload.sub !== subject) return BAD_JWT(`sub ${String(payload.sub)} is not ${subject}`)
  if (typeof payload.exp !== "number") return BAD_JWT("exp is missing")
  const expMs = payload.exp < 1e12 ? payload.exp * 1000 : payload.exp
  if (expMs <= now) return BAD_JWT("the token has expired")
  return { ok: true, authenticator: "SNOWFLAKE_JWT" }
}

export const checkLogin = (data: Record<string, unknown>, config: AuthConfig): AuthResult => {
  const authenticator = String(data["AUTHENTICATOR"] ?? "SNOWFLAKE").toUpperCase()
  const loginName = String(data["LOGIN_NAME"] ?? "")
  const accountName = String(data["ACCOUNT_NAME"] ?? "")
  if (accountName !== "" && accountIdentifier(accountName) !== accountIdentifier(config.account)) return BAD_PASSWORD
  if (authenticator === "OAUTH") {
    const token = data["TOKEN"]
    if (config.oauthToken === undefined || token !== config.oauthToken) return { ok: false, code: "390303", message: "Invalid OAuth access token. " }
    return { ok: true, authenticator }
  }
  if (loginName.toUpperCase() !== config.user.toUpperCase()) return BAD_PASSWORD
  if (authenticator === "SNOWFLAKE") return data["PASSWORD"] === config.password ? { ok: true, authenticator } : BAD_PASSWORD
  if (authenticator === "SNOWFLAKE_JWT") return typeof data["TOKEN"] === "string" ? verifyJwt(data["TOKEN"], config) : BAD_JWT("TOKEN is missing")
  return { ok: false, code: "390100", message: `Incorrect username or password was specified. (sandbox: authenticator ${authenticator} is not supported; use SNOWFLAKE, SNOWFLAKE_JWT or OAUTH)` }
}
