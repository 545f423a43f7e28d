/**
 * The top-level steps of migrated qTest test cases, for step logs (loadTestExecution.ts) and step attachments
 * (loadAttachments.ts). A case written in this run is known from qTest's answer to the write — create, update
 * and approve all answer the case with its steps, and the last answer is the version logs attach to — so it
 * costs no read; a case written by an earlier run is read once (`GET …/test-cases/{id}?expand=teststep`), with
 * the cases it calls. Concurrent readers share one read per case: a pair must not see a case's steps before the
 * steps of the cases it calls have arrived, or its step logs would depend on timing.
 *
 * Kept compact (three numbers a step) and bounded, oldest dropped first, so a 10,000-case project fits easily.
 */
import { Deferred, Effect, Option } from "effect"
import type { TestCase } from "../api/index.ts"
import type { QtestStepShape } from "../mapping/index.ts"
import type { QtestClientShape } from "../QtestClient.ts"

/** More cases than the largest tenant we rehearse (10,000): a whole load's cases stay known. */
const MAX_CASES = 20_000
const NONE = -1

export interface CaseSteps {
  /** Keeps the steps of a case qTest answered a write with (nothing when the answer carries no steps). */
  readonly remember: (testCase: TestCase) => Effect.Effect<void>
  /** Makes the steps of `caseId` and of every case it calls known, reading what is not. */
  readonly load: (caseId: number) => Effect.Effect<void>
  /** The steps of a case `load` (or a write) made known, ordered as qTest orders them. */
  readonly stepsOf: (caseId: number) => ReadonlyArray<QtestStepShape> | undefined
}

/** id, order, called case (or NONE) per step. */
const pack = (testCase: TestCase): Float64Array => {
  const steps = (testCase.test_steps ?? []).filter((s) => s.parent_test_step_id == null)
  const packed = new Float64Array(steps.length * 3)
  steps.forEach((s, i) => {
    packed[i * 3] = Number(s.id)
    packed[i * 3 + 1] = s.order ?? i + 1
    packed[i * 3 + 2] = s.called_test_case_id == null ? NONE : Number(s.called_test_case_id)
  })
  return packed
}

const unpack = (packed: Float64Array): ReadonlyArray<QtestStepShape> => {
  const steps: Array<QtestStepShape> = []
  for (let i = 0; i < packed.length; i += 3)
    steps.push({ id: packed[i]!, order: packed[i + 1]!, called_test_case_id: packed[i + 2] === NONE ? null : packed[i + 2]! })
  return steps.sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
}

export const makeCaseSteps = (client: Pick<QtestClientShape, "getTestCase">): CaseSteps => {
  const cache = new Map<number, Float64Array>()
  const loading = new Map<number, Deferred.Deferred<void>>()
  const keep = (caseId: number, packed: Float64Array) => {
    cache.delete(caseId)
    if (cache.size >= MAX_CASES) cache.delete(cache.keys().next().value!)
    cache.set(caseId, packed)
  }
  const calledBy = (packed: Float64Array) => {
    const called: Array<number> = []
    for (let i = 2; i < packed.length; i += 3) if (packed[i] !== NONE) called.push(packed[i]!)
    return called
  }
  const fetch = (caseId: number, path: ReadonlyArray<number>): Effect.Effect<void> =>
    Effect.gen(function* () {
      if (path.includes(caseId)) return
      const known = cache.get(caseId)
      if (known !== undefined) {
        for (const called of calledBy(known)) yield* fetch(called, [...path, caseId])
        return
      }
      const running = loading.get(caseId)
      if (running) return yield* Deferred.await(running)
      const done = yield* Deferred.make<void>()
      loading.set(caseId, done)
      const read = yield* client.getTestCase(caseId, { steps: true }).pipe(Effect.option)
      if (Option.isSome(read)) {
        const packed = pack(read.value)
        for (const called of calledBy(packed)) yield* fetch(called, [...path, caseId])
        keep(caseId, packed)
      }
      loading.delete(caseId)
      yield* Deferred.succeed(done, undefined)
    })
  return {
    remember: (testCase) =>
      Effect.sync(() => {
        if (testCase.test_steps != null) keep(Number(testCase.id), pack(testCase))
      }),
    load: (caseId) => fetch(caseId, []),
    stepsOf: (caseId) => {
      const packed = cache.get(caseId)
      return packed === undefined ? undefined : unpack(packed)
    }
  }
}
