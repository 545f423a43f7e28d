/**
 * Ownership as SQL on a real store: the ownership table matches the canonical schemas' type enums, and a full
 * pass's "deleted at the source" lists exactly the unseen records of the projects it read — children through
 * their owners — and nothing of another project.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ownership, type EntityName } from "../../../core/canonical/Canonical.ts"
import { canonicalSchemas } from "../../../core/canonical/schemas.ts"
import { RunCounts } from "../../../core/pipeline/Counts.ts"
import { extractToStore } from "../../../core/pipeline/extractToStore.ts"
import { silentProgress } from "../../../core/pipeline/Progress.ts"
import { NoteCollector } from "../../../core/report/NoteCollector.ts"
import { StateStore, type StateStoreShape } from "../../../core/store/StateStore.ts"
import { execution, fakeSource, field, project, step, stepResult, testCase, tmpDb } from "../pipeline/records.ts"
import type { SourceItem } from "../../../core/canonical/Canonical.ts"

const withStore = <A, E>(file: string, f: (store: StateStoreShape) => Effect.Effect<A, E>) =>
  Effect.runPromise(Effect.scoped(Effect.flatMap(StateStore.open(file), f)))

const extract = (store: StateStoreShape, items: ReadonlyArray<SourceItem>, seenAs?: string) =>
  extractToStore({
    sourceName: "fake",
    source: fakeSource(items),
    transforms: [],
    store,
    runId: "r",
    now: "2026-01-01T00:00:00.000Z",
    seenAs,
    counts: new RunCounts(),
    notes: new NoteCollector().forSystem("core"),
    progress: silentProgress,
    quarantined: []
  })

describe("ownership", () => {
  it("names, for every typed owner, exactly the object types the schema allows", () => {
    for (const [entity, owner] of Object.entries(ownership)) {
      if (owner?.kind !== "typed") continue
      const allowed = canonicalSchemas[entity as EntityName].properties[owner.typeColumn]?.enum
      expect([...owner.parents].sort(), entity).toEqual([...(allowed as ReadonlyArray<string>)].sort())
    }
  })
})

describe("deletedAtSource", () => {
  it("reports the unseen records of the projects the pass read, children included, and nothing of other projects", async () => {
    const file = tmpDb()
    const projectA = [project("1"), testCase(10, "1"), step(10, 101), field("TestStep", 101, "F"), testCase(11, "1"), step(11, 111), execution(500, 11, "1"), stepResult(500, 5001)]
    const projectB = [project("2"), testCase(20, "2"), step(20, 201)]
    await withStore(file, (store) => extract(store, [...projectA, ...projectB]))
    // A full pass of project 1 in which case 11 (with its step) and execution 500 (with its result) are gone.
    const seenNow = [project("1"), testCase(10, "1"), step(10, 101), field("TestStep", 101, "F")]
    const deleted = await withStore(file, (store) => Effect.zipRight(extract(store, seenNow, "pass-1"), store.deletedAtSource("pass-1")))
    expect(deleted).toEqual({
      TestCase: { count: 1, examples: ["11"] },
      TestStep: { count: 1, examples: ["111"] },
      TestExecution: { count: 1, examples: ["500"] },
      ExecutionStepResult: { count: 1, examples: ["5001"] }
    })
    // Reported, not deleted.
    expect((await withStore(file, (store) => store.rows("TestCase"))).map((r) => r.source_id)).toEqual(["10", "11", "20"])
  })

  it("seen keys of other extracts are cleared", async () => {
    const file = tmpDb()
    await withStore(file, (store) => extract(store, [project("1"), testCase(10, "1")], "old"))
    await withStore(file, (store) => store.clearSeen("new"))
    expect(await withStore(file, (store) => store.deletedAtSource("old"))).toEqual({})
  })
})
