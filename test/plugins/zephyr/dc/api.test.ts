/**
 * The DC decoders read every body the DC sandbox serves for the demo (cases, runs with items, every run's
 * results, plans, attachments, environments), and refuse a body that breaks them.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { DcAttachment, DcEnvironment, DcTestCase, DcTestPlan, DcTestResult, DcTestRun } from "../../../../plugins/zephyr/dc/api.ts"
import { startZephyrSandbox } from "../../../../plugins/zephyr/sandbox/index.ts"

const getJson = (url: string, token: string) =>
  Effect.promise(async () => {
    const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
    expect(r.status, url).toBe(200)
    return (await r.json()) as unknown
  })

const decodes = <A, I>(schema: Schema.Schema<A, I>, value: unknown, what: string) => {
  const d = Schema.decodeUnknownEither(schema)(value)
  expect(Either.isRight(d) ? "ok" : `${what}: ${String(d.left)}`).toBe("ok")
  return Either.getOrThrow(d)
}

describe("Zephyr DC bodies", () => {
  it.scopedLive("every body the DC sandbox serves for the demo decodes", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ edition: "dc" })
      const q = encodeURIComponent(`projectKey = "${sb.projectKey}"`)
      const cases = (yield* getJson(`${sb.baseUrl}/testcase/search?query=${q}&maxResults=1000`, sb.token)) as Array<unknown>
      expect(cases.length).toBeGreaterThan(10)
      for (const c of cases) {
        const tc = decodes(DcTestCase, c, "test case")
        for (const a of (yield* getJson(`${sb.baseUrl}/testcase/${tc.key}/attachments`, sb.token)) as Array<unknown>) decodes(DcAttachment, a, "attachment")
      }
      const runs = (yield* getJson(`${sb.baseUrl}/testrun/search?query=${q}&maxResults=1000`, sb.token)) as Array<unknown>
      expect(runs.length).toBeGreaterThan(0)
      let results = 0
      for (const r of runs) {
        const run = decodes(DcTestRun, r, "test run")
        for (const res of (yield* getJson(`${sb.baseUrl}/testrun/${run.key}/testresults`, sb.token)) as Array<unknown>) {
          decodes(DcTestResult, res, "test result")
          results++
        }
      }
      expect(results).toBeGreaterThan(0)
      for (const p of (yield* getJson(`${sb.baseUrl}/testplan/search?query=${q}`, sb.token)) as Array<unknown>) decodes(DcTestPlan, p, "test plan")
      for (const e of (yield* getJson(`${sb.baseUrl}/environments?projectKey=${sb.projectKey}`, sb.token)) as Array<unknown>) decodes(DcEnvironment, e, "environment")
      // a body without a key, and a step without an index, are refused
      expect(Either.isLeft(Schema.decodeUnknownEither(DcTestCase)({ ...(cases[0] as object), key: undefined }))).toBe(true)
      expect(Either.isLeft(Schema.decodeUnknownEither(DcTestCase)({ ...(cases[0] as object), testScript: { type: "STEP_BY_STEP", steps: [{ description: "x" }] } }))).toBe(true)
    })
  )
})
