/**
 * The live SnowflakeClient (snowflake-sdk) logging in each way the sink's config allows — password, key pair
 * (the driver signs a JWT; the sandbox verifies its signature against the registered public key), OAuth — and
 * what it does with the session: statements counted as requests (failed ones too), the session deleted when the
 * scope closes.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Scope, Exit } from "effect"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { makePluginContext } from "../../../core/testing.ts"
import { makeSnowflakeClient, resolveSnowflakeConfig, type SnowflakeConfigInput } from "../../../plugins/snowflake/index.ts"
import { startSnowflakeSandbox, type RunningSnowflakeSandbox } from "../../../plugins/snowflake/sandbox/index.ts"

const keyPair = (passphrase?: string) =>
  crypto.generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: passphrase === undefined ? { type: "pkcs8", format: "pem" } : { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase }
  })

const clientFor = (sb: RunningSnowflakeSandbox, auth: Partial<SnowflakeConfigInput>) =>
  Effect.gen(function* () {
    const config = yield* resolveSnowflakeConfig({ account: sb.account, user: sb.user, warehouse: "SANDBOX_WH", database: "CLIENT", accessUrl: sb.accessUrl, ...auth })
    const ctx = yield* makePluginContext({
      system: "snowflake",
      stateDir: fs.mkdtempSync(path.join(os.tmpdir(), "snowflake-client-")),
      retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 }
    })
    const client = yield* makeSnowflakeClient(config, ctx)
    return { client, ctx }
  })

describe("SnowflakeClient (snowflake-sdk against the sandbox)", () => {
  it.scopedLive("logs in with a password and counts each statement as a request", () =>
    Effect.gen(function* () {
      const sb = yield* startSnowflakeSandbox()
      const { client, ctx } = yield* clientFor(sb, { password: Redacted.make(sb.password) })
      expect(yield* client.execute('SELECT ? AS "V"', ["naïve ✓"])).toEqual([{ V: "naïve ✓" }])
      yield* Effect.flip(client.execute("SELEC 1"))
      expect(ctx.metrics.of("snowflake")).toMatchObject({ requests: 2, failed: 1 })
    })
  )

  it.scopedLive("logs in with a key pair: an unencrypted and an encrypted private key; a key not registered is refused", () =>
    Effect.gen(function* () {
      const plain = keyPair()
      const sb = yield* startSnowflakeSandbox({ publicKeyPem: plain.publicKey })
      const { client } = yield* clientFor(sb, { privateKey: Redacted.make(plain.privateKey) })
      expect(yield* client.execute('SELECT CURRENT_DATABASE() AS "D"')).toEqual([{ D: "CLIENT" }])
      expect(sb.stats().logins).toBe(1)

      const encrypted = keyPair("pass phrase")
      const sb2 = yield* startSnowflakeSandbox({ publicKeyPem: encrypted.publicKey })
      const second = yield* clientFor(sb2, { privateKey: Redacted.make(encrypted.privateKey), privateKeyPassphrase: Redacted.make("pass phrase") })
      expect(yield* second.client.execute('SELECT 1 AS "ONE"')).toEqual([{ ONE: 1 }])

      const other = keyPair()
      const refused = yield* Effect.flip(clientFor(sb, { privateKey: Redacted.make(other.privateKey) }))
      expect(refused).toMatchObject({ reason: "Auth", code: "390144" })
    })
  )

  it.scopedLive("an encrypted private key with a wrong passphrase, or none, is refused as the credential, naming privateKeyPassphrase", () =>
    Effect.gen(function* () {
      const encrypted = keyPair("pass phrase")
      const sb = yield* startSnowflakeSandbox({ publicKeyPem: encrypted.publicKey })
      for (const passphrase of [Redacted.make("wrong phrase"), undefined]) {
        const refused = yield* Effect.flip(clientFor(sb, { privateKey: Redacted.make(encrypted.privateKey), privateKeyPassphrase: passphrase }))
        expect(refused).toMatchObject({ reason: "Auth", message: expect.stringMatching(/^the private key could not be decrypted \(.+\): privateKeyPassphrase is wrong, or missing for an encrypted key$/) })
        expect(refused.message).not.toContain("wrong phrase")
      }
      expect(sb.stats().logins).toBe(0)
    })
  )

  it.scopedLive("logs in with an OAuth token; a wrong one is refused", () =>
    Effect.gen(function* () {
      const sb = yield* startSnowflakeSandbox({ oauthToken: "oauth-access-token" })
      const { client } = yield* clientFor(sb, { oauthToken: Redacted.make("oauth-access-token") })
      expect(yield* client.execute('SELECT 2 AS "TWO"')).toEqual([{ TWO: 2 }])
      expect(yield* Effect.flip(clientFor(sb, { oauthToken: Redacted.make("expired") }))).toMatchObject({ reason: "Auth", code: "390303" })
    })
  )

  it.scopedLive("a session that expired (390112, its master token too: 390114) is replaced by a new login and the statement sent again", () =>
    Effect.gen(function* () {
      const sb = yield* startSnowflakeSandbox({ sessionExpiresAfterQueries: 2 })
      const { client, ctx } = yield* clientFor(sb, { password: Redacted.make(sb.password) })
      for (const n of [1, 2, 3, 4, 5]) expect(yield* client.execute(`SELECT ${n} AS "N"`)).toEqual([{ N: n }])
      expect(sb.stats()).toMatchObject({ logins: 3, expiredSessions: 2 })
      expect(ctx.metrics.of("snowflake")).toMatchObject({ requests: 7, failed: 2, retries: 2 })
    })
  )

  it.scopedLive("a unit (a temporary table and its statements) whose session expires half-way runs again from its first statement", () =>
    Effect.gen(function* () {
      const sb = yield* startSnowflakeSandbox({ sessionExpiresAfterQueries: 3 })
      const { client } = yield* clientFor(sb, { password: Redacted.make(sb.password) })
      yield* client.execute('SELECT 1 AS "ONE"')
      const rows = yield* client.unit(
        Effect.gen(function* () {
          yield* client.execute('CREATE OR REPLACE TEMPORARY TABLE "T_STG" ("V" VARCHAR)')
          yield* client.executeBatch('INSERT INTO "T_STG" ("V") VALUES (?)', [["a"], ["b"]])
          return yield* client.execute('SELECT COUNT(*) AS "N" FROM "T_STG"')
        })
      )
      expect(rows).toEqual([{ N: 2 }])
      expect(sb.stats()).toMatchObject({ logins: 2, expiredSessions: 1 })
    })
  )

  it.scopedLive("what the driver sends again on its own — after a 429, a 503 — is counted as the report's retries and throttles", () =>
    Effect.gen(function* () {
      const sb = yield* startSnowflakeSandbox({ storm: { after: 1, length: 1 } })
      const { client, ctx } = yield* clientFor(sb, { password: Redacted.make(sb.password) })
      expect(yield* client.execute('SELECT 1 AS "ONE"')).toEqual([{ ONE: 1 }])
      expect(yield* client.execute('SELECT 2 AS "TWO"')).toEqual([{ TWO: 2 }])
      expect(sb.stats()).toMatchObject({ throttled: 1, resent: 1 })
      expect(ctx.metrics.of("snowflake")).toMatchObject({ requests: 2, retries: 1, throttled: 1, failed: 1 })
    }),
  30_000)

  it.scopedLive("deletes its session when the scope closes", () =>
    Effect.gen(function* () {
      const sb = yield* startSnowflakeSandbox()
      const scope = yield* Scope.make()
      const { client } = yield* Scope.extend(clientFor(sb, { password: Redacted.make(sb.password) }), scope)
      yield* client.execute('SELECT 1 AS "ONE"')
      expect(sb.stats().activeSessions).toBe(1)
      yield* Scope.close(scope, Exit.void)
      expect(sb.stats()).toMatchObject({ activeSessions: 0, sessionsDeleted: 1 })
    })
  )
})
