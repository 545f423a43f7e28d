/**
 * The qTest sink end to end, in-process: Zephyr sandbox → canonical store → qTest sandbox, both real servers
 * over loopback, a real SQLite store. What qTest holds afterwards is read back through its API and compared
 * with the store entity by entity, field by field (expectComplete.ts) — for the demo project and for a project
 * built from a Zephyr data file. That a second run creates and updates nothing is the sink conformance kit's
 * re-run check (test/conformance/qtest.sink.conformance.test.ts).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { startQtestSandbox } from "../../../../plugins/qtest/sandbox/index.ts"
import { demoData, loadZephyrData, startZephyrSandbox } from "../../../../plugins/zephyr/sandbox/index.ts"
import { tempStatePath } from "../../zephyr/runInProcess.ts"
import { expectArrivedComplete } from "./expectComplete.ts"
import { qtestLoad, runLoad, storeRows, targetOf } from "./harness.ts"
import { duplicates, readQtest } from "./qtestContents.ts"
import { PARAMETER_STEP, SMALL_CASES, writeSmallProject } from "./smallProject.ts"

describe("qTest sink: a project arrives complete", () => {
  it.scopedLive(
    "the demo project: modules, cases with steps and fields, cycles, one run per pair, one log per execution, attachments",
    () =>
      Effect.gen(function* () {
        const zephyr = yield* startZephyrSandbox({ data: demoData() })
        const qtest = yield* startQtestSandbox({})
        const statePath = tempStatePath()
        const report = yield* runLoad({ zephyr, qtest: targetOf(qtest), statePath })
        expect(report.error).toBeUndefined()
        expect(report.status).toBe("succeeded")
        const load = qtestLoad(report)
        expect(load.totals).toMatchObject({ rejected: 0, skipped: 0 })
        const seen = yield* expectArrivedComplete(statePath, targetOf(qtest))
        // the demo as the Zephyr sandbox documents it: 25 cases, 96 executions, 8 attachments
        expect(seen).toMatchObject({ cases: 25, logs: 96, attachments: 8 })
        expect(seen.stepLogs).toBeGreaterThan(100)
        expect(seen.targetedCycles).toBeGreaterThan(0)
        expect(load.entities["test-log"]?.created).toBe(96)
        expect(duplicates(yield* readQtest(targetOf(qtest)))).toEqual([])
      }),
    180_000
  )

  it.scopedLive(
    "a project from a Zephyr data file: nested folders, a call chain, scripts, every field type, a literal [~param], repeated and cycle-less executions",
    () =>
      Effect.gen(function* () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qtest-load-data-"))
        const data = yield* loadZephyrData(writeSmallProject(dir))
        const zephyr = yield* startZephyrSandbox({ data })
        const qtest = yield* startQtestSandbox({})
        const statePath = path.join(dir, ".migrate", "state.db")
        const report = yield* runLoad({ zephyr, qtest: targetOf(qtest), statePath })
        expect(report.error).toBeUndefined()
        expect(report.status).toBe("succeeded")
        expect(qtestLoad(report).totals).toMatchObject({ rejected: 0, skipped: 0 })

        // the data file has what the test is about
        const steps = yield* storeRows(statePath, "TestStep")
        expect(steps.some((s) => s.description === PARAMETER_STEP)).toBe(true)
        expect(steps.some((s) => s.called_test_case_key === "DEMO-T13")).toBe(true)

        const seen = yield* expectArrivedComplete(statePath, targetOf(qtest))
        expect(seen.cases).toBe(SMALL_CASES.length)
        expect(seen.repeatedPairs).toBeGreaterThan(0)
        expect(seen.executionsWithoutCycle).toBeGreaterThan(0)
        expect(seen.fieldTypes).toEqual(expect.arrayContaining(["BOOLEAN", "DATE", "MULTI_SELECT", "NUMBER", "TEXT", "USER"]))
        expect(seen.attachments).toBeGreaterThan(0)

        // the literal reads back escaped (and, per expectArrivedComplete, no parameter was created)
        const q = yield* readQtest(targetOf(qtest))
        const texts = q.cases.flatMap((c) => (c.raw.test_steps ?? []).flatMap((s) => [s.description ?? "", s.expected ?? ""]))
        expect(texts.some((t) => t.includes("&#91;~param]"))).toBe(true)
        expect(texts.some((t) => t.includes("[~"))).toBe(false)
        expect(duplicates(q)).toEqual([])
      }),
    180_000
  )
})
