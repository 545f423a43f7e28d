/**
 * What the qTest sink learns of its target once per run and keeps between the passes of a load that follows the
 * extract (SinkInstance.follows): the project's vocabulary (re-read only after the load created fields or
 * values), the requirement each Jira issue key resolved to, the steps of migrated test cases, and whether this
 * run adopts what the project already holds (its census is taken once, before the first create).
 */
import { Deferred, Effect, Option } from "effect"
import type { FieldSetting, QtestStepShape, UserSetting } from "../mapping/index.ts"
import type { QtestClientShape } from "../QtestClient.ts"

/** The project's fields, execution statuses and the mapped users, as read from qTest. */
export interface VocabularyParts {
  readonly fields: Readonly<Record<string, ReadonlyArray<FieldSetting>>>
  readonly executionStatuses: Effect.Effect.Success<ReturnType<QtestClientShape["listExecutionStatuses"]>>
  readonly users: ReadonlyArray<UserSetting>
  /** Logins the spec maps to that qTest does not know (a gap each pass reports again). */
  readonly unknownUsers: ReadonlyArray<string>
}

export interface StepCache {
  /** Reads the steps of a case (and of the cases it calls) unless known. */
  readonly load: (caseId: number) => Effect.Effect<void>
  readonly stepsOf: (caseId: number) => ReadonlyArray<QtestStepShape> | undefined
  /**
   * The case stands as written with this hash: steps read before another hash was written are stale (an update
   * gives the steps new ids). Asked again with the same hash (a later pass), keeps what it read.
   */
  readonly written: (caseId: number, hash: string) => void
}

export interface QtestRunCache {
  vocabulary: VocabularyParts | undefined
  /** Jira issue key → the synced requirement's id, or null when none is synced. */
  readonly requirements: Map<string, number | null>
  readonly steps: StepCache
  /**
   * Set by the first pass: the project holds objects of this migration the state did not know (true), or does
   * and they are to be adopted by the final pass, against the whole store ("later").
   */
  adopting: boolean | "later" | undefined
}

/**
 * Concurrent pairs share one read per case: a pair must not see a case's steps before the steps of the cases it
 * calls have arrived, or its step logs would depend on timing. Bounded, so a 10,000-case project does not pile
 * up in memory (a case's steps are a few numbers each).
 */
const makeStepCache = (client: QtestClientShape): StepCache => {
  const cache = new Map<number, ReadonlyArray<QtestStepShape>>()
  const loading = new Map<number, Deferred.Deferred<void>>()
  const hashes = new Map<number, string>()
  const fetch = (caseId: number, path: ReadonlyArray<number>): Effect.Effect<void> =>
    Effect.gen(function* () {
      if (cache.has(caseId) || path.includes(caseId)) return
      const running = loading.get(caseId)
      if (running) return yield* Deferred.await(running)
      const done = yield* Deferred.make<void>()
      loading.set(caseId, done)
      const tc = yield* client.getTestCase(caseId, { steps: true }).pipe(Effect.option)
      const steps = Option.isNone(tc)
        ? []
        : (tc.value.test_steps ?? [])
            .filter((s) => s.parent_test_step_id == null)
            .map((s) => ({ id: Number(s.id), order: s.order, called_test_case_id: s.called_test_case_id == null ? null : Number(s.called_test_case_id) }))
      for (const s of steps) if (s.called_test_case_id !== null) yield* fetch(s.called_test_case_id, [...path, caseId])
      if (cache.size > 20_000) cache.clear()
      if (Option.isSome(tc)) cache.set(caseId, steps)
      loading.delete(caseId)
      yield* Deferred.succeed(done, undefined)
    })
  return {
    load: (caseId) => fetch(caseId, []),
    stepsOf: (caseId) => cache.get(caseId),
    written: (caseId, hash) => {
      if (hashes.get(caseId) === hash) return
      hashes.set(caseId, hash)
      cache.delete(caseId)
    }
  }
}

export const makeQtestRunCache = (client: QtestClientShape): QtestRunCache => ({
  vocabulary: undefined,
  requirements: new Map(),
  steps: makeStepCache(client),
  adopting: undefined
})
