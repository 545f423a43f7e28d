/**
 * The Zephyr DC source's `check`, auth and config, against the DC sandbox: a personal access token or Jira's basic
 * auth (`username` + password as `token`) both read the project; each failure a user can cause — bad credentials,
 * a project Zephyr does not know, a base URL that is not DC's API, no base URL at all, a key of another edition —
 * comes back with one message saying what to do, and no secret in it.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { SystemError } from "../../../../core/index.ts"
import zephyr from "../../../../plugins/zephyr/index.ts"
import { makePluginContext } from "../../../../core/testing.ts"
import { DC_PASSWORD, DC_USERNAME } from "../../../../plugins/zephyr/sandbox/dc/dcAuthorisation.ts"
import { extractAll, harness } from "../harness.ts"

const dc = { edition: "dc" as const }
const checkError = (h: { readonly source: { readonly check: Effect.Effect<void, SystemError> } }) => Effect.flip(h.source.check)

describe("Zephyr DC: check, auth and config", () => {
  it.scopedLive("passes with a personal access token, with one search request", () =>
    Effect.gen(function* () {
      const h = yield* harness(dc, dc)
      yield* h.source.check
      expect(h.sandbox.stats().byPath).toEqual({ "/rest/atm/1.0/testcase/search": 1 })
    })
  )

  it.scopedLive("Jira's basic auth: username, and the password as token, read the whole project", () =>
    Effect.gen(function* () {
      const h = yield* harness(dc, { ...dc, username: DC_USERNAME, token: DC_PASSWORD })
      yield* h.source.check
      const records = yield* extractAll(h.source)
      expect(records.filter((r) => r.entity === "TestCase").length).toBeGreaterThan(10)
      expect(records.filter((r) => r.entity === "Attachment").length).toBeGreaterThan(0)
    })
  )

  it.scopedLive("bad credentials: Unauthorized, with where to make a token, and the password nowhere", () =>
    Effect.gen(function* () {
      const e = yield* checkError(yield* harness(dc, { ...dc, username: DC_USERNAME, token: "not-the-password" }))
      expect(e).toMatchObject({ _tag: "SystemError", reason: "Unauthorized", message: "Jira rejected the credentials (401)" })
      expect(e.hint).toContain("Personal Access Tokens")
      expect(JSON.stringify(e)).not.toContain("not-the-password")
    })
  )

  it.scopedLive("a project DC does not know: NotFound, saying to check projectKey", () =>
    Effect.gen(function* () {
      const e = yield* checkError(yield* harness(dc, { ...dc, projectKey: "NOPE" }))
      expect(e).toMatchObject({ reason: "NotFound" })
      expect(e.message).toContain("NOPE")
      expect(e.hint).toContain("projectKey (NOPE)")
    })
  )

  it.scopedLive("a base URL that is not DC's API: NotFound, naming the path it should end in", () =>
    Effect.gen(function* () {
      const e = yield* checkError(yield* harness(dc, (sb) => ({ ...dc, baseUrl: sb.baseUrl.replace("/rest/atm/1.0", "/rest/api/2") })))
      expect(e).toMatchObject({ reason: "NotFound" })
      expect(e.hint).toContain("/rest/atm/1.0")
    })
  )

  it.scoped("no baseUrl, or a username on a Cloud edition: a config error that says what to set", () =>
    Effect.gen(function* () {
      const ctx = yield* makePluginContext({ system: "zephyr", stateDir: "/tmp/unused" })
      const noUrl = yield* Effect.flip(zephyr.make({ edition: "dc", projectKey: "BANK", token: "t" }, ctx))
      expect(noUrl).toMatchObject({ reason: "Config" })
      expect(noUrl.message).toContain('missing required key "baseUrl"')
      expect(noUrl.message).toContain("https://<your jira>/rest/atm/1.0")
      const cloudUser = yield* Effect.flip(zephyr.make({ projectKey: "BANK", token: "t", username: "someone" }, ctx))
      expect(cloudUser.message).toContain("username applies to edition: dc only")
    })
  )
})
