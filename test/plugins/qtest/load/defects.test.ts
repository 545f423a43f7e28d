/**
 * Jira issues linked to Zephyr executions, carried to qTest (README "Loading into qTest"): with a Jira defect
 * integration in the project, each migrated test log is linked to exactly its execution's issues — once, even
 * when qTest's answer to a link is lost; without one, each test run's "Zephyr Defects" field lists the issue ids
 * of its executions. Either way a second run with nothing changed sends nothing. The demo data's failed
 * executions link Jira issues (plugins/zephyr/sandbox/demoData.ts).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { verifySinks } from "../../../../core/pipeline/verifySinks.ts"
import { makeRegistry } from "../../../../core/plugin/Registry.ts"
import { builtinPlugins } from "../../../../plugins/builtins.ts"
import { qtestConfigDefaults } from "../../../../plugins/qtest/QtestConfig.ts"
import { startQtestSandbox } from "../../../../plugins/qtest/sandbox/index.ts"
import { demoData, startZephyrSandbox } from "../../../../plugins/zephyr/sandbox/index.ts"
import { tempStatePath } from "../../zephyr/runInProcess.ts"
import { idMapOf, qtestLoad, qtestSection, runLoad, storeRows, targetOf } from "./harness.ts"
import { propertyValue, qtestReader } from "./qtestContents.ts"

const DEFECTS_ROUTE = "/api/v3/projects/{projectId}/{objectType}/{objectId}/{linkType}"
const DEFECTS_FIELD = qtestConfigDefaults.fields.defects

const numeric = (a: string, b: string) => Number(a) - Number(b)

/** `migrate verify` of the qtest sink, in-process. */
const verify = (statePath: string, qtest: Parameters<typeof targetOf>[0]) =>
  Effect.scoped(
    verifySinks({
      statePath,
      sinks: [qtestSection(targetOf(qtest))],
      runtime: { concurrency: 4, requestTimeoutMs: 10_000, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, rateLimits: {} },
      registry: makeRegistry(builtinPlugins),
      sandbox: undefined
    })
  )

/** Execution source id → the Jira issue ids its links name (the store's canonical Links), sorted. */
const issuesByExecution = (statePath: string) =>
  Effect.gen(function* () {
    const executions = yield* storeRows(statePath, "TestExecution")
    const links = (yield* storeRows(statePath, "Link")).filter((l) => l.object_type === "TestExecution" && l.kind === "ISSUE")
    const out = new Map<string, Array<string>>()
    for (const e of executions) out.set(e.source_id, links.filter((l) => l.object_id === e.execution_id).map((l) => String(l.issue_id)).sort(numeric))
    return { out, links: links.length, executions }
  })

describe("qTest sink: Jira defects of executions", () => {
  it.scopedLive(
    "with a Jira defect integration, each log is linked to exactly its execution's issues, once; a second run sends no link",
    () =>
      Effect.gen(function* () {
        const zephyr = yield* startZephyrSandbox({ data: demoData() })
        const qtest = yield* startQtestSandbox({ jiraDefects: true })
        const statePath = tempStatePath()
        const first = yield* runLoad({ zephyr, qtest: targetOf(qtest), statePath })
        expect(first.error).toBeUndefined()
        expect(first.status).toBe("succeeded")

        const { out: expected, links } = yield* issuesByExecution(statePath)
        expect(links).toBeGreaterThan(0)
        const load = qtestLoad(first)
        expect(load.entities["defect-link"]?.created).toBe(links)
        expect(load.rejected).toEqual([])
        // one request per link, counted under its own kind
        expect(first.requests["qtest"]?.byKind?.["defect-link"]).toBe(links)
        expect(qtest.stats().byPath[DEFECTS_ROUTE]).toBe(links)

        // every migrated log, read back: linked to its execution's issues and nothing else
        const client = yield* qtestReader(targetOf(qtest))
        const logs = (yield* idMapOf(statePath)).rows.filter((r) => r.entity === "test-log")
        expect(logs.length).toBeGreaterThan(0)
        let linkedLogs = 0
        for (const row of logs) {
          const logId = Number(row.target_id.split("/")[1])
          const linked = (yield* client.linkedDefects(logId)).map((d) => d.pid ?? "").sort(numeric)
          expect({ execution: row.source_id, linked }).toEqual({ execution: row.source_id, linked: expected.get(row.source_id) ?? [] })
          if (linked.length > 0) linkedLogs++
        }
        expect(linkedLogs).toBeGreaterThan(0)
        // the field is for projects without the integration: not created here
        expect((yield* client.listFields("test-runs")).map((f) => f.label)).not.toContain(DEFECTS_FIELD)
        expect(first.notes?.some((n) => n.message.includes("linked to their test logs as defects"))).toBe(true)

        // verify reads each link back with the log's linked defects
        const [checked] = yield* verify(statePath, qtest)
        expect(checked?.differences).toEqual([])
        expect(checked?.entities["defect-link"]?.match).toBe(links)

        qtest.resetStats()
        const second = yield* runLoad({ zephyr, qtest: targetOf(qtest), statePath })
        expect(second.status).toBe("succeeded")
        expect(qtestLoad(second).entities["defect-link"]?.unchanged).toBe(links)
        expect(second.requests["qtest"]?.byKind?.["defect-link"] ?? 0).toBe(0)
        expect(qtest.stats().byPath[DEFECTS_ROUTE] ?? 0).toBe(0)
      }),
    180_000
  )

  it.scopedLive(
    "a link whose answer is lost is found by its look-up, not sent twice",
    () =>
      Effect.gen(function* () {
        const zephyr = yield* startZephyrSandbox({ data: demoData() })
        const qtest = yield* startQtestSandbox({ jiraDefects: true, faultAfterWriteRate: 0.3, seed: 11 })
        const statePath = tempStatePath()
        const report = yield* runLoad({ zephyr, qtest: targetOf(qtest), statePath })
        expect(report.error).toBeUndefined()
        expect(report.status).toBe("succeeded")
        const { out: expected, links } = yield* issuesByExecution(statePath)
        const counts = qtestLoad(report).entities["defect-link"]
        // a lost answer within the run is looked up before anything is sent again, and what it finds counts as created
        expect((counts?.created ?? 0) + (counts?.recovered ?? 0)).toBe(links)
        // answers of links were lost: their look-ups (reads of the log's linked defects) were made …
        expect(report.requests["qtest"]?.byKind?.["defect-link"] ?? 0).toBeGreaterThan(links)
        expect(qtest.stats().byPath["/api/v3/projects/{projectId}/linked-artifacts"] ?? 0).toBeGreaterThan(0)
        // … and each link was sent once: a lost answer was never followed by a second POST
        expect(qtest.stats().byPath[DEFECTS_ROUTE]).toBe(links)
        const client = yield* qtestReader(targetOf(qtest))
        for (const row of (yield* idMapOf(statePath)).rows.filter((r) => r.entity === "test-log")) {
          const linked = (yield* client.linkedDefects(Number(row.target_id.split("/")[1]))).map((d) => d.pid ?? "").sort(numeric)
          expect(linked).toEqual(expected.get(row.source_id) ?? [])
        }
        expect((yield* idMapOf(statePath)).openIntents).toEqual([])
      }),
    180_000
  )

  it.scopedLive(
    "without one, each test run's Zephyr Defects field holds its executions' issue ids; a second run writes nothing",
    () =>
      Effect.gen(function* () {
        const zephyr = yield* startZephyrSandbox({ data: demoData() })
        const qtest = yield* startQtestSandbox({})
        const statePath = tempStatePath()
        const first = yield* runLoad({ zephyr, qtest: targetOf(qtest), statePath })
        expect(first.error).toBeUndefined()
        expect(first.status).toBe("succeeded")
        expect(qtestLoad(first).entities["defect-link"]).toBeUndefined()
        expect(qtest.stats().byPath[DEFECTS_ROUTE] ?? 0).toBe(0)
        expect(first.notes?.some((n) => n.message.includes(`"${DEFECTS_FIELD}" field`) && n.message.includes("no Jira defect integration"))).toBe(true)

        // expected: per (cycle, test case) pair, the distinct issue ids of its executions
        const { out: issues, executions } = yield* issuesByExecution(statePath)
        const cases = new Map((yield* storeRows(statePath, "TestCase")).map((tc) => [tc.test_case_id, tc.source_id]))
        const expected = new Map<string, Set<string>>()
        for (const e of executions) {
          const key = `${e.test_cycle_id ?? "-"}|${cases.get(e.test_case_id)}`
          const ids = expected.get(key) ?? new Set<string>()
          for (const id of issues.get(e.source_id) ?? []) ids.add(id)
          expected.set(key, ids)
        }
        const client = yield* qtestReader(targetOf(qtest))
        expect((yield* client.listFields("test-runs")).map((f) => f.label)).toContain(DEFECTS_FIELD)
        const runs = (yield* idMapOf(statePath)).rows.filter((r) => r.entity === "test-run")
        let withDefects = 0
        for (const row of runs) {
          const run = yield* client.getTestRun(Number(row.target_id))
          const text = propertyValue(run.properties as never, DEFECTS_FIELD) ?? ""
          const want = [...(expected.get(row.source_id) ?? [])].sort(numeric).join(", ")
          expect({ run: row.source_id, text }).toEqual({ run: row.source_id, text: want })
          if (want !== "") withDefects++
        }
        expect(withDefects).toBeGreaterThan(0)

        const second = yield* runLoad({ zephyr, qtest: targetOf(qtest), statePath })
        expect(second.status).toBe("succeeded")
        const totals = qtestLoad(second).totals
        expect(totals.created + totals.updated).toBe(0)
      }),
    180_000
  )
})
