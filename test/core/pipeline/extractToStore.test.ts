/**
 * extractToStore on a real SQLite file: a checkpoint is committed in the transaction of the batch that holds the
 * records before it — never ahead of them, also when the source fails mid-way; a ChildSet removes the parent's
 * children that were not re-emitted (through steps, to their custom fields) and nothing else; full passes record
 * every extracted key, filtered and quarantined ones included.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { checkpoint, quarantine, type SourceItem } from "../../../core/canonical/Canonical.ts"
import { SystemError } from "../../../core/errors.ts"
import { RunCounts } from "../../../core/pipeline/Counts.ts"
import { extractToStore, type ExtractSettings } from "../../../core/pipeline/extractToStore.ts"
import { silentProgress } from "../../../core/pipeline/Progress.ts"
import { NoteCollector } from "../../../core/report/NoteCollector.ts"
import { StateStore, type StateStoreShape } from "../../../core/store/StateStore.ts"
import { fakeSource, field, link, step, testCase, tmpDb } from "./records.ts"

const NOW = "2026-01-01T00:00:00.000Z"

const settings = (store: StateStoreShape, items: ReadonlyArray<SourceItem>, extra: Partial<ExtractSettings> = {}): ExtractSettings => ({
  sourceName: "fake",
  source: fakeSource(items),
  transforms: [],
  store,
  runId: "run-1",
  now: NOW,
  counts: new RunCounts(),
  notes: new NoteCollector().forSystem("core"),
  progress: silentProgress,
  quarantined: [],
  ...extra
})

const withStore = <A, E>(file: string, f: (store: StateStoreShape) => Effect.Effect<A, E>) =>
  Effect.runPromise(Effect.scoped(Effect.flatMap(StateStore.open(file), f)))

const caseCount = (store: StateStoreShape) => Effect.map(store.counts, (c) => c.TestCase)

describe("extractToStore: checkpoints", () => {
  it("commits each checkpoint with (or after) every record emitted before it, whatever the batch boundaries", async () => {
    // case i, then a checkpoint saying "cases 1..i are done"; batches of 4 items cut between records and checkpoints
    const items: Array<SourceItem> = []
    for (let i = 1; i <= 23; i++) items.push(testCase(i), checkpoint({ done: i }))
    const saved: Array<{ done: number; storedInTransaction: number }> = []
    await withStore(tmpDb(), (store) =>
      extractToStore(
        settings(store, items, {
          batchSize: 4,
          onCheckpoint: (state) =>
            // Runs inside the batch transaction: what it sees is what commits together with the checkpoint.
            Effect.map(caseCount(store), (n) => void saved.push({ done: (state as { done: number }).done, storedInTransaction: n }))
        })
      )
    )
    expect(saved.length).toBeGreaterThan(5)
    for (const s of saved) expect(s.storedInTransaction).toBeGreaterThanOrEqual(s.done)
    // Only the last checkpoint of a batch is written, and it is the furthest one.
    expect(saved.map((s) => s.done)).toEqual([...saved.map((s) => s.done)].sort((a, b) => a - b))
    expect(saved.at(-1)?.done).toBe(23)
  })

  it("a source that fails mid-way leaves the stored checkpoint at or behind the committed records", async () => {
    const file = tmpDb()
    const items: Array<SourceItem> = []
    for (let i = 1; i <= 10; i++) items.push(testCase(i), checkpoint({ done: i }))
    items.push(testCase(11))
    let stored: { done: number } | undefined
    const failing = fakeSource(items, new SystemError({ system: "fake", reason: "Unreachable", message: "gone", hint: "retry" }))
    const exit = await withStore(file, (store) =>
      Effect.exit(extractToStore({ ...settings(store, []), source: failing, batchSize: 3, onCheckpoint: (state) => Effect.sync(() => void (stored = state as { done: number })) }))
    )
    expect(Exit.isFailure(exit)).toBe(true)
    const committed = await withStore(file, caseCount)
    expect(stored).toBeDefined()
    expect(committed).toBeGreaterThanOrEqual(stored!.done)
  })

  it("checkpoints and child sets are not records: not counted, not transformed, not stored as rows", async () => {
    const counts = new RunCounts()
    const seenByTransform: Array<string> = []
    await withStore(tmpDb(), (store) =>
      extractToStore(
        settings(store, [testCase(1), checkpoint({ done: 1 }), { entity: "ChildSet", data: { parent: "TestCase", parent_id: 1, source_system: "zephyr-scale-cloud", children: {} } }], {
          counts,
          transforms: [{ name: "spy", instance: { apply: (r) => Effect.sync(() => (seenByTransform.push(r.entity), r)) } }]
        })
      )
    )
    expect(seenByTransform).toEqual(["TestCase"])
    expect(Object.keys(counts.toJSON())).toEqual(["TestCase"])
  })
})

describe("extractToStore: child sets", () => {
  it("removes the re-read parent's children that were not re-emitted, through steps to their fields, and nothing else", async () => {
    const file = tmpDb()
    await withStore(file, (store) =>
      extractToStore(
        settings(store, [
          testCase(10),
          step(10, 101),
          step(10, 102),
          step(10, 103),
          field("TestCase", 10, "A"),
          field("TestCase", 10, "B"),
          field("TestStep", 101, "Y"),
          field("TestStep", 102, "X"),
          link("TestCase", 10, 1),
          testCase(20),
          step(20, 201),
          field("TestStep", 201, "Z")
        ])
      )
    )
    const counts = new RunCounts()
    await withStore(file, (store) =>
      extractToStore(
        settings(
          store,
          [
            testCase(10, "10001", "case 10, renamed"),
            step(10, 101),
            step(10, 103),
            field("TestCase", 10, "A"),
            field("TestStep", 101, "Y"),
            // Links were not re-read this time: not named, so the stored one stays.
            { entity: "ChildSet", data: { parent: "TestCase", parent_id: 10, source_system: "zephyr-scale-cloud", children: { TestStep: ["101", "103"], CustomField: ["TestCase/10/A", "TestStep/101/Y"] } } }
          ],
          { counts }
        )
      )
    )
    const after = await withStore(file, (store) => Effect.all({ steps: store.rows("TestStep"), fields: store.rows("CustomField"), links: store.rows("Link") }))
    expect(after.steps.map((s) => s.source_id).sort()).toEqual(["101", "103", "201"])
    expect(after.fields.map((f) => f.source_id).sort()).toEqual(["TestCase/10/A", "TestStep/101/Y", "TestStep/201/Z"])
    expect(after.links).toHaveLength(1)
    expect(counts.of("TestStep").removed).toBe(1)
    expect(counts.of("CustomField").removed).toBe(2)
    expect(counts.of("TestCase").updated).toBe(1)
  })

  it("a quarantined child keeps its stored row", async () => {
    const file = tmpDb()
    await withStore(file, (store) => extractToStore(settings(store, [testCase(10), step(10, 101), step(10, 102)])))
    await withStore(file, (store) =>
      extractToStore(
        settings(store, [
          testCase(10),
          step(10, 101),
          quarantine("TestStep", "102", "malformed", { id: 102 }),
          { entity: "ChildSet", data: { parent: "TestCase", parent_id: 10, source_system: "zephyr-scale-cloud", children: { TestStep: ["101", "102"] } } }
        ])
      )
    )
    expect((await withStore(file, (store) => store.rows("TestStep"))).map((s) => s.source_id)).toEqual(["101", "102"])
  })

  it("a child set naming an entity that cannot belong to the parent fails instead of deleting", async () => {
    const exit = await withStore(tmpDb(), (store) =>
      Effect.exit(extractToStore(settings(store, [testCase(10), { entity: "ChildSet", data: { parent: "TestCase", parent_id: 10, source_system: "zephyr-scale-cloud", children: { Folder: [] } } }])))
    )
    expect(Exit.isFailure(exit)).toBe(true)
  })
})

describe("extractToStore: seen keys of a full pass", () => {
  it("records every extracted key — stored, quarantined and filtered alike — in the batch's transaction", async () => {
    const file = tmpDb()
    await withStore(file, (store) =>
      extractToStore(
        settings(store, [testCase(1), testCase(2), quarantine("TestCase", "3", "bad", {}), step(1, 11)], {
          seenAs: "extract-1",
          transforms: [{ name: "drop-2", instance: { apply: (r) => Effect.succeed(r.entity === "TestCase" && r.data.source_id === "2" ? undefined : r) } }]
        })
      )
    )
    // Everything the source has is seen, so nothing is reported deleted, although case 2 was never stored.
    expect(await withStore(file, (store) => store.deletedAtSource("extract-1"))).toEqual({})
    expect((await withStore(file, (store) => store.rows("TestCase"))).map((r) => r.source_id)).toEqual(["1"])
  })
})
