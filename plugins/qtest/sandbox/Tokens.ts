/**
 * The bearer tokens the sandbox accepts: the configured API token (the one qTest shows under Resources → API &
 * SDK; it "will never expire unless the Client calls Revoke Token API", docs/vendors/qtest.md §1.2) and the session
 * tokens `POST /oauth/token` hands out, which expire after `expires_in` seconds without use (§1.3) and can
 * be refreshed with their refresh token or revoked. For chaos scenarios the configured token can be made to
 * expire after a number of uses (`expiresAfterUses`), and further API tokens issued, as an administrator
 * generates a new one.
 */
import { randomUUID } from "node:crypto"

/** Idle lifetime of a login session, as qTest's sample response gives it. */
export const SESSION_SECONDS = 3599

interface Session {
  readonly username: string
  lastUsed: number
}

export const makeTokens = (apiToken: string, options: { readonly expiresAfterUses?: number | undefined } = {}) => {
  const sessions = new Map<string, Session>()
  const refreshTokens = new Map<string, string>()
  const issuedApiTokens = new Set<string>()
  let apiTokenRevoked = false
  let apiTokenUses = 0

  const issue = (username: string) => {
    const accessToken = randomUUID()
    const refreshToken = randomUUID()
    sessions.set(accessToken, { username, lastUsed: Date.now() })
    refreshTokens.set(refreshToken, username)
    return { accessToken, refreshToken }
  }

  return {
    issue,
    /** A new access token for a refresh token (the refresh token stays valid), or undefined. */
    refresh: (refreshToken: string) => {
      const username = refreshTokens.get(refreshToken)
      if (username === undefined) return undefined
      const accessToken = randomUUID()
      sessions.set(accessToken, { username, lastUsed: Date.now() })
      return { accessToken, refreshToken }
    },
    /** Whether a bearer token is valid now; a valid session token's idle clock restarts. */
    use: (token: string): boolean => {
      if (token === apiToken) {
        apiTokenUses++
        return !apiTokenRevoked && (options.expiresAfterUses === undefined || apiTokenUses <= options.expiresAfterUses)
      }
      if (issuedApiTokens.has(token)) return true
      const session = sessions.get(token)
      if (session === undefined) return false
      if (Date.now() - session.lastUsed > SESSION_SECONDS * 1000) {
        sessions.delete(token)
        return false
      }
      session.lastUsed = Date.now()
      return true
    },
    /** `GET /oauth/status`: 0 = never expires (the API token). */
    status: (token: string): { expiration: number; validityInMilliseconds: number } => {
      const session = sessions.get(token)
      if (session === undefined) return { expiration: 0, validityInMilliseconds: 0 }
      return { expiration: session.lastUsed + SESSION_SECONDS * 1000, validityInMilliseconds: SESSION_SECONDS * 1000 }
    },
    revoke: (token: string): void => {
      if (token === apiToken) apiTokenRevoked = true
      issuedApiTokens.delete(token)
      sessions.delete(token)
    },
    /** A further API token, accepted from now on and never expiring. */
    issueApiToken: (): string => {
      const t = `qtest-api-${randomUUID()}`
      issuedApiTokens.add(t)
      return t
    },
    /** The control endpoints always accept the configured token, even revoked: it is the sandbox's own. */
    isApiToken: (token: string): boolean => token === apiToken
  }
}

export type Tokens = ReturnType<typeof makeTokens>
