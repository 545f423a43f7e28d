/**
 * The store's connections under Node (better-sqlite3): the writer's statements inside a transaction
 * (TransactionStatements.ts) and the committed reads on a read-only connection of their own (CommittedReads.ts).
 * A transaction sees its own writes; a committed read never sees a transaction in progress, and sees it once it
 * commits; a rolled-back batch leaves nothing behind.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { record } from "../../../core/canonical/Canonical.ts"
import { prepareRecord } from "../../../core/pipeline/prepareRecord.ts"
import { StateStore, type StoredRecord } from "../../../core/store/StateStore.ts"
import { canonicalSamples as samples } from "../../fixtures/canonical-samples.ts"

const tmpDb = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "store-connections-")), "state.db")

const testCase = (name: string): StoredRecord => {
  const p = prepareRecord(record("TestCase", { ...samples.TestCase, name } as never), "2026-01-01T00:00:00.000Z")
  if (p.entity === "Quarantine") throw new Error(p.data.reason)
  return p
}

const sourceId = String(samples.TestCase.source_id)

describe("the state store's connections", () => {
  it.effect("a transaction sees its own writes; a committed read sees them only after the commit", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* StateStore.open(tmpDb())
        const seenInside = yield* store.withTransaction(
          Effect.gen(function* () {
            expect(yield* store.write(testCase("first"))).toBe("created")
            // the same key again in the same transaction: the writer sees the row it has not committed yet
            expect(yield* store.write(testCase("first"))).toBe("unchanged")
            expect(yield* store.write(testCase("second"))).toBe("updated")
            return yield* store.reader.bySourceId("TestCase", sourceId)
          })
        )
        expect(Option.isNone(seenInside)).toBe(true)
        const after = yield* store.reader.bySourceId("TestCase", sourceId)
        expect(Option.map(after, (r) => r.name)).toEqual(Option.some("second"))
      })
    )
  )

  it.effect("a batch that fails is rolled back whole, and the reads never saw any of it", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* StateStore.open(tmpDb())
        const exit = yield* store
          .withTransaction(Effect.zipRight(store.write(testCase("doomed")), Effect.fail("stop" as const)))
          .pipe(Effect.exit)
        expect(Exit.isFailure(exit)).toBe(true)
        expect(yield* store.reader.count("TestCase")).toBe(0)
        expect(yield* store.rows("TestCase")).toEqual([])
        // and the writer is free again
        expect(yield* store.writeBatch([testCase("kept")])).toEqual(["created"])
        expect(yield* store.reader.count("TestCase")).toBe(1)
      })
    )
  )

  it.effect("a write outside any transaction takes the SqlClient's path and lands all the same", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* StateStore.open(tmpDb())
        expect(yield* store.write(testCase("alone"))).toBe("created")
        expect(Option.map(yield* store.reader.bySourceId("TestCase", sourceId), (r) => r.name)).toEqual(Option.some("alone"))
      })
    )
  )

  it.effect("the id map: a confirmed write closes its intent in one transaction, visible to the next lookup", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* StateStore.open(tmpDb())
        yield* store.recordIntent({ sink: "qtest", entity: "test-case", source_id: "T-1", operation: "create", content_hash: "h1", run_id: "r1" })
        expect((yield* store.openIntent("qtest", "test-case", "T-1"))?.operation).toBe("create")
        yield* store.confirm({ sink: "qtest", entity: "test-case", source_id: "T-1", target_id: "42", content_hash: "h1" })
        expect(yield* store.openIntent("qtest", "test-case", "T-1")).toBeUndefined()
        expect((yield* store.mapped("qtest", "test-case", "T-1"))?.target_id).toBe("42")
      })
    )
  )
})
