/**
 * Authentication against the sandbox: the configured API token, the password login (`/oauth/token`, Basic
 * site auth, form body) made once for concurrent callers and renewed after a 401, and the refusals — which
 * must say what to fix and never carry the secret.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { ApiError } from "../../../../core/index.ts"
import { asSystemError, basicSiteAuthorization, login, makeQtestAuth } from "../../../../plugins/qtest/QtestAuth.ts"
import { makeQtestClient } from "../../../../plugins/qtest/QtestClient.ts"
import { startQtestSandbox } from "../../../../plugins/qtest/sandbox/index.ts"
import { harness, makeContext, passwordAuth } from "./harness.ts"

describe("basicSiteAuthorization", () => {
  it("is base64 of the site name and a colon, as in the swagger's example", () => {
    expect(basicSiteAuthorization("apitryout")).toBe("Basic YXBpdHJ5b3V0Og==")
  })
})

describe("QtestAuth against the sandbox", () => {
  it.scopedLive("an API token reads the project", () =>
    Effect.gen(function* () {
      const { client, sandbox } = yield* harness()
      const project = yield* client.getProject()
      expect(project.id).toBe(sandbox.projectId)
    })
  )

  it.scopedLive("a wrong token is ApiError Unauthorized that names the token kind, not its value, and maps to SystemError", () =>
    Effect.gen(function* () {
      const { client } = yield* harness({}, { auth: () => ({ _tag: "Token", token: Redacted.make("not-the-token-4711") }) })
      const error = yield* Effect.flip(client.getProject())
      expect(error.reason).toBe("Unauthorized")
      expect(error.status).toBe(401)
      expect(error.message).toContain("qTest rejected the API token")
      expect(error.message).not.toContain("not-the-token-4711")
      const system = asSystemError(error)
      expect(system?.reason).toBe("Unauthorized")
      expect(system?.hint).toContain("API & SDK")
    })
  )

  it.scopedLive("password login: one /oauth/token for many concurrent first calls, then bearer calls", () =>
    Effect.gen(function* () {
      const { client, sandbox } = yield* harness({}, { auth: (s) => passwordAuth(s) })
      const results = yield* Effect.all([client.getProject(), client.listModules(), client.listExecutionStatuses(), client.getProject()], { concurrency: 4 })
      expect(results[0].id).toBe(sandbox.projectId)
      expect(sandbox.stats().byPath["/oauth/token"]).toBe(1)
    })
  )

  it.scopedLive("a wrong password or site name is Unauthorized naming user and site, without the password", () =>
    Effect.gen(function* () {
      const sandbox = yield* startQtestSandbox({})
      const ctx = yield* makeContext()
      const wrongPassword = makeQtestClient({ baseUrl: sandbox.baseUrl, projectId: sandbox.projectId, auth: passwordAuth(sandbox, { password: "hunter2-wrong" }) }, ctx)
      const e1 = yield* Effect.flip(wrongPassword.getProject())
      expect(e1).toBeInstanceOf(ApiError)
      expect(e1.reason).toBe("Unauthorized")
      expect(e1.message).toContain(sandbox.username)
      expect(e1.message).toContain(sandbox.siteName)
      expect(e1.message).not.toContain("hunter2-wrong")
      const wrongSite = makeQtestClient({ baseUrl: sandbox.baseUrl, projectId: sandbox.projectId, auth: passwordAuth(sandbox, { siteName: "elsewhere" }) }, ctx)
      const e2 = yield* Effect.flip(wrongSite.getProject())
      expect(e2.reason).toBe("Unauthorized")
      expect(e2.message).toContain("elsewhere")
    })
  )

  it.scopedLive("a revoked login token is renewed by logging in again; a configured token is not", () =>
    Effect.gen(function* () {
      const sandbox = yield* startQtestSandbox({})
      const ctx = yield* makeContext()
      const auth = makeQtestAuth(sandbox.baseUrl, passwordAuth(sandbox), ctx)
      const first = yield* auth.token
      expect(yield* auth.token).toBe(first) // cached
      yield* Effect.promise(() => fetch(`${sandbox.baseUrl}/oauth/revoke`, { method: "POST", headers: { authorization: `bearer ${Redacted.value(first)}` } }))
      expect(yield* auth.renew(first)).toBe(true)
      const second = yield* auth.token
      expect(Redacted.value(second)).not.toBe(Redacted.value(first))
      expect(sandbox.stats().byPath["/oauth/token"]).toBe(2)
      const fixed = makeQtestAuth(sandbox.baseUrl, { _tag: "Token", token: Redacted.make("t") }, ctx)
      expect(yield* fixed.renew(Redacted.make("t"))).toBe(false)
    })
  )

  it.scopedLive("login answers a Redacted token the sandbox accepts as bearer", () =>
    Effect.gen(function* () {
      const sandbox = yield* startQtestSandbox({})
      const ctx = yield* makeContext()
      const token = yield* login(sandbox.baseUrl, { _tag: "Password", username: sandbox.username, password: Redacted.make(sandbox.password), siteName: sandbox.siteName }, ctx)
      expect(String(token)).not.toContain(Redacted.value(token))
      const response = yield* Effect.promise(() => fetch(`${sandbox.baseUrl}/api/v3/projects/${sandbox.projectId}`, { headers: { authorization: `Bearer ${Redacted.value(token)}` } }))
      expect(response.status).toBe(200)
    })
  )
})
