/**
 * Writes applied but answered by a dropped connection (`faultAfterWriteRate`): the qTest sandbox creates the
 * object, then resets the socket, so the sink never learns the id. Core's exactly-once write looks the object
 * up before creating it again; one run against such a target must end with exactly what a clean run creates —
 * the same contents read back through the API, nothing twice.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { startQtestSandbox } from "../../../../plugins/qtest/sandbox/index.ts"
import { demoData, startZephyrSandbox } from "../../../../plugins/zephyr/sandbox/index.ts"
import { tempStatePath } from "../../zephyr/runInProcess.ts"
import { copyStore, idMapOf, qtestLoad, runLoad, targetOf } from "./harness.ts"
import { dumpQtest, duplicates, readQtest } from "./qtestContents.ts"

describe("qTest sink: lost answers to applied writes", () => {
  it.scopedLive(
    "with faultAfterWriteRate 0.2 one run ends with a clean run's contents and no duplicates",
    () =>
      Effect.gen(function* () {
        const zephyr = yield* startZephyrSandbox({ data: demoData() })
        const clean = yield* startQtestSandbox({})
        // both loads start from one extract (copyStore says why)
        const extracted = tempStatePath()
        yield* runLoad({ zephyr, qtest: targetOf(clean), statePath: extracted, extractOnly: true })

        const cleanReport = yield* runLoad({ zephyr, qtest: targetOf(clean), statePath: copyStore(extracted) })
        expect(cleanReport.status).toBe("succeeded")
        const expected = dumpQtest(yield* readQtest(targetOf(clean)))

        const faulty = yield* startQtestSandbox({ faultAfterWriteRate: 0.2, seed: 7 })
        const statePath = copyStore(extracted)
        const report = yield* runLoad({ zephyr, qtest: targetOf(faulty), statePath })
        expect(report.error).toBeUndefined()
        expect(report.status).toBe("succeeded")
        // the faults happened, and the sink found what they hid instead of creating it again
        expect(faulty.stats().faults).toBeGreaterThan(20)
        expect(report.requests["qtest"]?.failed ?? 0).toBeGreaterThan(0)
        const load = qtestLoad(report)
        expect(load.totals.rejected).toBe(0)
        expect(load.totals.created + load.totals.recovered).toBe(qtestLoad(cleanReport).totals.created)

        const contents = yield* readQtest(targetOf(faulty))
        expect(duplicates(contents)).toEqual([])
        expect(dumpQtest(contents)).toEqual(expected)
        expect((yield* idMapOf(statePath)).openIntents).toEqual([])
      }),
    180_000
  )
})
