/**
 * The qTest fields the mapping manages, per kind of object with properties: what a body names (completed with
 * "no value" where it has none, completeProperties.ts) and what `verify` keeps of a read-back. Custom fields count
 * by the distinct Zephyr field names of each entity in the store, read in one pass.
 */
import { Effect, Stream } from "effect"
import type { StoreError, StoreView } from "../../../core/index.ts"
import { managedFields, type ManagedFields, type Vocabulary } from "../mapping/index.ts"

export interface ManagedByKind {
  readonly testCase: ManagedFields
  readonly release: ManagedFields
  readonly testRun: ManagedFields
  readonly testLog: ManagedFields
}

export interface CustomFieldNames {
  readonly TestCase: ReadonlySet<string>
  readonly TestPlan: ReadonlySet<string>
  readonly TestExecution: ReadonlySet<string>
}

export const customFieldNames = (store: StoreView): Effect.Effect<CustomFieldNames, StoreError> =>
  Effect.gen(function* () {
    const names = { TestCase: new Set<string>(), TestPlan: new Set<string>(), TestExecution: new Set<string>() }
    yield* Stream.runForEach(store.records("CustomField"), (f) =>
      Effect.sync(() => {
        if (f.object_type === "TestCase" || f.object_type === "TestPlan" || f.object_type === "TestExecution") names[f.object_type].add(f.field_name)
      })
    )
    return names
  })

export const managedByKind = (vocab: Vocabulary, names: CustomFieldNames): ManagedByKind => ({
  testCase: managedFields(vocab, "testCase", names.TestCase),
  release: managedFields(vocab, "release", names.TestPlan),
  testRun: managedFields(vocab, "testRun"),
  testLog: managedFields(vocab, "testLog", names.TestExecution)
})
