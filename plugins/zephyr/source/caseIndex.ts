/**
 * The test case key → id index shared by test cases (which claim their key) and executions (which find their case
 * by key). It lives as long as the source instance: the caller makes it once and passes it to both.
 */
import { Effect, Option } from "effect"
import type { PluginContext, StoreError } from "../../../core/index.ts"

/** `sourceSystem`: the edition's provenance, under which earlier extracts stored the cases. */
export const caseIndex = (ctx: PluginContext, sourceSystem: string) => {
  /**
   * Key → id of the cases this extract read, so an execution of an older case version still points at its case.
   * Cases an incremental or resumed run does not read again come from the store (`ctx.known`), once each.
   */
  const caseIdByKey = new Map<string, number | null>()
  const caseIdOf = (key: string): Effect.Effect<number | undefined, StoreError> =>
    Effect.gen(function* () {
      const cached = caseIdByKey.get(key)
      if (cached !== undefined) return cached ?? undefined
      const id = yield* storedCaseId(key)
      caseIdByKey.set(key, id)
      return id ?? undefined
    })
  /** The id of the case stored under a key by an earlier extract; null when there is none (or no store). */
  const storedCaseId = (key: string): Effect.Effect<number | null, StoreError> =>
    ctx.known === undefined
      ? Effect.succeed(null)
      : Effect.map(ctx.known("TestCase", { source_system: sourceSystem, source_key: key }), (stored) =>
          Option.match(stored, { onNone: () => null, onSome: (row) => (typeof row["test_case_id"] === "number" ? row["test_case_id"] : null) })
        )

  return { caseIdByKey, caseIdOf, storedCaseId }
}

export type CaseIndex = ReturnType<typeof caseIndex>
