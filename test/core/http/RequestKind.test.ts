/**
 * Requests counted by the kind of object they were made for: a loopback server, core's HTTP and core's
 * exactly-once write against a real SQLite store. What a write sends (its create, its look-up, the fibers it
 * forks, its retried attempts) counts for its entity; what a sink names counts under that name; the rest is
 * "reads". The report's Markdown shows each kind with the objects written and requests per object.
 */
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { requestsCountedAs } from "../../../core/http/RequestKind.ts"
import { makeFailpoints } from "../../../core/pipeline/Failpoint.ts"
import { emptyLoadCounts } from "../../../core/pipeline/LoadReport.ts"
import { makeWriteOnce } from "../../../core/pipeline/writeOnce.ts"
import { makePluginContext } from "../../../core/plugin/PluginContext.ts"
import { renderMarkdown, type RunReport } from "../../../core/report/RunReport.ts"
import { StateStore } from "../../../core/store/StateStore.ts"

let server: http.Server
let baseUrl = ""
let throttleNext = 0

beforeAll(async () => {
  let next = 1
  server = http.createServer((req, res) => {
    if (throttleNext > 0) {
      throttleNext--
      res.writeHead(429, { "retry-after": "0", "content-type": "application/json" }).end("{}")
      return
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: next++, path: req.url }))
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe("requests by kind", () => {
  it.live("a write's requests count for its entity, a sink's named work under its name, the rest as reads", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const ctx = yield* makePluginContext({ system: "target", stateDir: "/tmp/unused", retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } })
        const api = ctx.http({ baseUrl })
        const get = (p: string) => api.send("GET", p).pipe(Effect.map((r) => r.body as { id: number }))
        const store = yield* StateStore.open(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "requestkind-")), "state.db"))
        const write = makeWriteOnce({
          sink: "target",
          runId: "run-1",
          store,
          planning: false,
          retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
          failpoints: makeFailpoints(""),
          tally: { record: () => undefined }
        })
        yield* get("/vocabulary")
        yield* requestsCountedAs("census")(Effect.all([get("/count/a"), get("/count/b")], { concurrency: 2 }))
        // a create that forks two requests and is throttled once: three attempts, all the case's
        throttleNext = 1
        yield* write({
          entity: "test-case",
          key: "T1",
          label: "PROJ-T1",
          hash: "h1",
          create: Effect.all([get("/cases"), get("/cases/steps")], { concurrency: 2 }).pipe(Effect.map(([c]) => String(c.id))),
          lookup: Effect.succeed(Option.none())
        })
        yield* write({ entity: "test-log", key: "E1", label: "PROJ-E1", hash: "h1", create: get("/logs").pipe(Effect.map((l) => String(l.id))), lookup: Effect.succeed(Option.none()) })
        // unchanged: nothing sent, nothing counted
        yield* write({ entity: "test-log", key: "E1", label: "PROJ-E1", hash: "h1", create: get("/logs").pipe(Effect.map((l) => String(l.id))), lookup: Effect.succeed(Option.none()) })
        yield* get("/after")
        const c = ctx.metrics.snapshot()["target"]!
        expect(c.byKind).toEqual({ reads: 2, census: 2, "test-case": 3, "test-log": 1 })
        expect(c.requests).toBe(8)
        expect(c.throttled).toBe(1)
      })
    ))

  it("the Markdown report shows requests per kind next to the objects written", () => {
    const counts = (created: number, updated = 0) => ({ ...emptyLoadCounts(), created, updated })
    const report = {
      runId: "r1",
      command: "migrate run",
      status: "succeeded",
      dryRun: false,
      sandbox: true,
      specFile: null,
      statePath: null,
      source: { type: "zephyr" },
      sinks: ["qtest"],
      startedAt: "2026-01-01T00:00:00.000Z",
      finishedAt: "2026-01-01T00:00:10.000Z",
      durationMs: 10_000,
      extract: { mode: "full", pass: "full", since: null, resumedFrom: null, watermark: null, description: "full pass" },
      fullRunRequests: null,
      deletedAtSource: null,
      entities: {},
      totals: { extracted: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, quarantined: 0, removed: 0 },
      requests: {
        zephyr: { requests: 40, retries: 0, throttled: 0, failed: 0, byKind: { reads: 40 } },
        qtest: { requests: 36, retries: 0, throttled: 0, failed: 0, byKind: { "test-case": 22, reads: 4, census: 6, "test-log": 4 } }
      },
      notes: [],
      quarantined: [],
      load: [
        {
          sink: "qtest",
          planned: false,
          entities: { "test-case": counts(10, 10), "test-log": counts(4) },
          totals: counts(14, 10),
          gaps: [],
          rejected: [],
          skipped: [],
          durationMs: 5000
        }
      ]
    } as unknown as RunReport
    const md = renderMarkdown(report)
    expect(md).toContain("### Requests by kind of object (qtest)")
    expect(md).toContain("| test-case | 20 | 22 | 1.10 |")
    expect(md).toContain("| test-log | 4 | 4 | 1.00 |")
    expect(md).toContain("| census | 0 | 6 | — |")
    expect(md).toContain("### Requests by kind of object (zephyr)")
    expect(md).toContain("| reads | 0 | 40 | — |")
  })
})
