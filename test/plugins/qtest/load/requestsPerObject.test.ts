/**
 * What a qTest load costs, per kind of object, from the run report's `requests.qtest.byKind` (core counts each
 * request for the write in flight): a first load of the demo project sends one request per object written —
 * the steps step logs and step attachments need come from qTest's answers to the writes, not from reads — and a
 * second run with nothing new sends only the check, the vocabulary and the census, whatever the store holds.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { startQtestSandbox } from "../../../../plugins/qtest/sandbox/index.ts"
import { demoData, startZephyrSandbox } from "../../../../plugins/zephyr/sandbox/index.ts"
import { tempStatePath } from "../../zephyr/runInProcess.ts"
import { expectArrivedComplete } from "./expectComplete.ts"
import { qtestLoad, runLoad, targetOf } from "./harness.ts"

/**
 * The sink's own work outside any write: the vocabulary's reads (5, and again for the kinds it added fields to:
 * 3 — one more when a pass ahead of the extract added a kind's fields before a later pass found it needs another,
 * e.g. "Zephyr Defects" once executions with issue links arrive) and the census (6).
 */
const VOCABULARY_FIRST_RUN = 5 + 3 + 1
const CENSUS = 6

describe("qTest sink: requests per object", () => {
  it.scopedLive(
    "a first load sends one request per object written and reads nothing per record; a run with nothing new sends none per object",
    () =>
      Effect.gen(function* () {
        const zephyr = yield* startZephyrSandbox({ data: demoData() })
        const qtest = yield* startQtestSandbox({})
        const statePath = tempStatePath()
        const first = yield* runLoad({ zephyr, qtest: targetOf(qtest), statePath })
        expect(first.status).toBe("succeeded")
        const load = qtestLoad(first)
        const byKind = first.requests["qtest"]!.byKind
        const written = Object.entries(load.entities).filter(([, c]) => c.created + c.updated > 0)
        // the demo has what the test is about: step logs, attachments (on steps too), approvals
        expect(Object.fromEntries(written.map(([kind, c]) => [kind, c.created]))).toMatchObject({ "test-case": 25, approval: 25, "test-log": 96, attachment: 8 })
        // one request per object written; an attempt retried (timed out on a loaded machine) is counted too, and
        // the report says how many there were — on an idle machine none, and the counts are exact
        const retries = first.requests["qtest"]!.retries
        expect(retries).toBeLessThanOrEqual(3)
        for (const [kind, c] of written) {
          expect(byKind[kind], kind).toBeGreaterThanOrEqual(c.created + c.updated)
          expect(byKind[kind], kind).toBeLessThanOrEqual(c.created + c.updated + retries)
        }
        // the check, and no read of a case's steps per pair or per step attachment
        expect(byKind["reads"]).toBe(1)
        expect(byKind["vocabulary"]).toBeLessThanOrEqual(VOCABULARY_FIRST_RUN)
        // the census searches test logs by their key field only once it exists: a first pass that runs ahead of the
        // executions (on a loaded machine it may) has none, and makes one request fewer
        expect(byKind["census"]).toBeGreaterThanOrEqual(CENSUS - 1)
        expect(byKind["census"]).toBeLessThanOrEqual(CENSUS)
        // a first load asks once whether people already wrote test cases in the project (existingTestCases.ts)
        expect(byKind["existing-test-cases"]).toBe(1)
        const total = Object.values(byKind).reduce((a, b) => a + b, 0)
        expect(total).toBe(first.requests["qtest"]!.requests)
        // and the step logs are those of a load that read the steps (expectComplete compares them with the store)
        const seen = yield* expectArrivedComplete(statePath, targetOf(qtest))
        expect(seen.stepLogs).toBeGreaterThan(100)

        const second = yield* runLoad({ zephyr, qtest: targetOf(qtest), statePath })
        expect(qtestLoad(second).totals).toMatchObject({ created: 0, updated: 0 })
        expect(second.requests["qtest"]!.byKind).toEqual({ reads: 1, vocabulary: 5, census: CENSUS })
      }),
    240_000
  )
})
