/**
 * What the client does when the wire misbehaves: 429s under the sandbox's rate limit are waited out (reads
 * and creates alike, without duplicating a create); a create whose answer is lost is not resent (the caller
 * looks it up); a per-record refusal is that record's ApiError; a body that is not qTest's is ApiError Decode.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Redacted, Stream } from "effect"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { makeQtestClient } from "../../../../plugins/qtest/QtestClient.ts"
import { harness, makeContext, reject } from "./harness.ts"

describe("QtestClient under faults", () => {
  it.scopedLive("under the rate limit the client paces on the quota headers: every read and create succeeds exactly once, hardly any meets a 429", () =>
    Effect.gen(function* () {
      // (429s the client cannot foresee, and their Retry-After, are core's: test/core/policy/RetryAfter.test.ts,
      // QuotaPacer.test.ts, and the chaos suite's storms)
      const { client, ctx, sandbox } = yield* harness({ rateLimit: 10 }, { maxAttempts: 8 })
      const modules = yield* Effect.forEach(
        Array.from({ length: 15 }, (_, i) => `Throttled ${i}`),
        (name) => client.createModule({ name }),
        { concurrency: 5 }
      )
      yield* Effect.forEach(modules, (m) => client.getModule(m.id), { concurrency: 5, discard: true })
      // Paced on the headers, the 30 requests (5 at a time, against 10 a second) meet (nearly) no 429. On a loaded machine a request the pacer slotted at the end of the sandbox's one-second
      // window can arrive in the next one, so a few may still come (QuotaPacer.test.ts proves the pace itself on
      // TestClock); each is waited out, and counted as what it is.
      expect(sandbox.stats().throttled).toBeLessThanOrEqual(6)
      expect(ctx.metrics.of("qtest").throttled).toBe(sandbox.stats().throttled)
      const listed = (yield* client.listModules()).filter((m) => m.name.startsWith("Throttled "))
      expect(listed.length).toBe(15)
    })
  )

  it.scopedLive("a create whose answer is lost after the write is not resent", () =>
    Effect.gen(function* () {
      const { client, sandbox } = yield* harness({ faultAfterWriteRate: 1 })
      const error = yield* Effect.flip(client.createModule({ name: "Once only" }))
      expect(["Server", "Transport", "Timeout"]).toContain(error.reason)
      const template = "/api/v3/projects/{projectId}/modules"
      expect(sandbox.stats().byPath[template]).toBe(1)
      // the write was applied: the caller's look-up finds exactly one
      expect((yield* client.listModules()).filter((m) => m.name === "Once only").length).toBe(1)
    })
  )

  it.scopedLive("a refused record is its own ApiError with the server's message; the next goes through", () =>
    Effect.gen(function* () {
      const { client, sandbox } = yield* harness()
      const module = yield* client.createModule({ name: "M" })
      yield* reject(sandbox, { objectType: "test-cases", nameContains: "BAD", status: 400, message: "Value of field Priority is invalid" })
      const error = yield* Effect.flip(client.createTestCase({ name: "a BAD case", parent_id: module.id, properties: [] }))
      expect(error.reason).toBe("BadRequest")
      expect(error.status).toBe(400)
      expect(error.message).toContain("Value of field Priority is invalid")
      const good = yield* client.createTestCase({ name: "a good case", parent_id: module.id, properties: [] })
      expect(good.name).toBe("a good case")
    })
  )

  it.scopedLive("a server that is not qTest: ApiError Decode naming the URL", () =>
    Effect.gen(function* () {
      const baseUrl = yield* foreignServer((url) =>
        // a project without a name and with a string id; a module list that is an object
        url.includes("/modules") ? { modules: [] } : { id: "abc" }
      )
      const ctx = yield* makeContext()
      const client = makeQtestClient({ baseUrl, projectId: 7, auth: { _tag: "Token", token: Redacted.make("secret-token-xyz") } }, ctx)
      const e1 = yield* Effect.flip(client.getProject())
      expect(e1.reason).toBe("Decode")
      expect(e1.url).toBe(`${baseUrl}/api/v3/projects/7`)
      expect(e1.message).toContain(`GET ${baseUrl}/api/v3/projects/7`)
      expect(e1.message).not.toContain("secret-token-xyz")
      const e2 = yield* Effect.flip(client.listModules({ parentId: 3 }))
      expect(e2.reason).toBe("Decode")
      expect(e2.url).toBe(`${baseUrl}/api/v3/projects/7/modules?parentId=3`)
    })
  )

  it.scopedLive("a server that ignores `page` on a bare-array list cannot make the stream loop", () =>
    Effect.gen(function* () {
      let requests = 0
      const baseUrl = yield* foreignServer(() => {
        requests++
        return [1, 2, 3].map((id) => ({ id, name: `case ${id}` }))
      })
      const ctx = yield* makeContext()
      const client = makeQtestClient({ baseUrl, projectId: 7, auth: { _tag: "Token", token: Redacted.make("t") } }, ctx)
      const stream = client.listTestCases(5, { pageSize: 3 })
      const cases = Chunk.toReadonlyArray(yield* Stream.runCollect(stream))
      expect(cases.map((c) => c.id)).toEqual([1, 2, 3])
      expect(requests).toBe(2)
      // the same stream value run again starts afresh
      expect(Chunk.toReadonlyArray(yield* Stream.runCollect(stream)).map((c) => c.id)).toEqual([1, 2, 3])
      expect(requests).toBe(4)
    })
  )
})

/** A plain HTTP server answering JSON that is not qTest's (a proxy, another product): no code of ours in it. */
const foreignServer = (answer: (url: string) => unknown) =>
  Effect.map(
    Effect.acquireRelease(
      Effect.async<Server>((resume) => {
        const s = createServer((req, res) => {
          res.setHeader("content-type", "application/json")
          res.end(JSON.stringify(answer(req.url ?? "")))
        })
        s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
      }),
      (s) => Effect.async<void>((resume) => void s.close(() => resume(Effect.void)))
    ),
    (s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`
  )
