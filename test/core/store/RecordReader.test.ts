/**
 * How sinks read the store (RecordReader, the contract's StoreView) on a real SQLite file: every record of an
 * entity across pages, in store order or a chosen one, decoded as the canonical types say; a record by source id;
 * records by column; counts; natural keys with hashes. An unknown column is refused, never spliced into SQL.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Option, Stream } from "effect"
import { record } from "../../../core/canonical/Canonical.ts"
import { prepareRecord } from "../../../core/pipeline/prepareRecord.ts"
import Database from "better-sqlite3"
import { stateStoreFailures } from "../../../core/store/classifyStoreError.ts"
import type { CommittedReads } from "../../../core/store/CommittedReads.ts"
import { makeRecordReader } from "../../../core/store/RecordReader.ts"
import { StateStore, type StoredRecord } from "../../../core/store/StateStore.ts"
import { canonicalSamples as samples } from "../../fixtures/canonical-samples.ts"

const tmpDb = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "reader-")), "state.db")

/** 1,234 test cases (two full pages of 500 and a short one), named in another order than their keys. */
const N = 1234
const testCase = (i: number): StoredRecord => {
  const p = prepareRecord(
    record("TestCase", { ...samples.TestCase, test_case_id: 10_000 + i, key: `PROJ-T${i}`, source_id: String(10_000 + i), source_key: `PROJ-T${i}`, name: `case ${(i * 7919) % N}` } as never),
    "2026-01-01T00:00:00.000Z"
  )
  if (p.entity === "Quarantine") throw new Error(p.data.reason)
  return p
}

describe("RecordReader", () => {
  it("streams, orders, finds, counts and keys the records of an entity", async () => {
    const r = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* StateStore.open(tmpDb())
          yield* store.writeBatch(Array.from({ length: N }, (_, i) => testCase(i)))
          const reader = store.reader
          const all = Chunk.toReadonlyArray(yield* Stream.runCollect(reader.records("TestCase")))
          const byName = Chunk.toReadonlyArray(yield* Stream.runCollect(reader.records("TestCase", { orderBy: ["name"] })))
          const one = yield* reader.bySourceId("TestCase", String(10_000 + 617))
          const none = yield* reader.bySourceId("TestCase", "nope")
          const where = yield* reader.where("TestCase", { key: "PROJ-T42" })
          const keys = Chunk.toReadonlyArray(yield* Stream.runCollect(reader.keyHashes("TestCase")))
          const unknownColumn = yield* Effect.exit(Effect.suspend(() => reader.where("TestCase", { no_such_column: "x" } as never)))
          return { all, byName, one, none, where, keys, count: yield* reader.count("TestCase"), steps: yield* reader.count("TestStep"), unknownColumn }
        })
      )
    )
    expect(r.all).toHaveLength(N)
    expect(r.all.map((t) => t.key)).toEqual(Array.from({ length: N }, (_, i) => `PROJ-T${i}`))
    // decoded as the canonical type says: arrays and numbers, not SQLite text
    expect(r.all[0]!.labels).toEqual(samples.TestCase.labels)
    expect(r.all[0]!.estimated_time_ms).toBe(90_000)
    const names = r.byName.map((t) => t.name)
    expect(names).toEqual([...names].sort())
    expect(new Set(r.byName.map((t) => t.key)).size).toBe(N)
    expect(Option.getOrThrow(r.one).key).toBe("PROJ-T617")
    expect(Option.isNone(r.none)).toBe(true)
    expect(r.where.map((t) => t.source_id)).toEqual(["10042"])
    expect(r.count).toBe(N)
    expect(r.steps).toBe(0)
    expect(r.keys).toHaveLength(N)
    expect(r.keys[0]!.hash).toMatch(/^[0-9a-f]{16,}$/)
    expect(new Set(r.keys.map((k) => k.key.join("|"))).size).toBe(N)
    expect(r.unknownColumn._tag).toBe("Failure")
  })

  it("at a horizon, sees each table only up to it, however the store grows meanwhile", async () => {
    const r = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* StateStore.open(tmpDb())
          yield* store.writeBatch(Array.from({ length: 700 }, (_, i) => testCase(i)))
          const horizon = yield* store.horizon
          // the extract goes on: more cases after the horizon
          yield* store.writeBatch(Array.from({ length: 534 }, (_, i) => testCase(700 + i)))
          const view = store.readerAt(horizon)
          const all = Chunk.toReadonlyArray(yield* Stream.runCollect(view.records("TestCase")))
          const byName = Chunk.toReadonlyArray(yield* Stream.runCollect(view.records("TestCase", { orderBy: ["name"] })))
          const keys = Chunk.toReadonlyArray(yield* Stream.runCollect(view.keyHashes("TestCase")))
          return {
            horizon,
            all,
            byName,
            keys,
            count: yield* view.count("TestCase"),
            whole: yield* store.reader.count("TestCase"),
            before: yield* view.bySourceId("TestCase", String(10_000 + 699)),
            after: yield* view.bySourceId("TestCase", String(10_000 + 700)),
            where: yield* view.where("TestCase", { key: "PROJ-T900" }),
            steps: yield* view.count("TestStep")
          }
        })
      )
    )
    // a table keyed by an integer id uses it as its rowid: the source's ids, which its lists read in ascending order
    expect(r.horizon.TestCase).toBe(10_699)
    expect(r.horizon.TestStep).toBe(0)
    expect(r.all.map((t) => t.key)).toEqual(Array.from({ length: 700 }, (_, i) => `PROJ-T${i}`))
    expect(r.byName).toHaveLength(700)
    expect(r.keys).toHaveLength(700)
    expect(r.count).toBe(700)
    expect(r.whole).toBe(N)
    expect(Option.isSome(r.before)).toBe(true)
    expect(Option.isNone(r.after)).toBe(true)
    expect(r.where).toEqual([])
    expect(r.steps).toBe(0)
  })

  it("reads at every horizon through the same statements: the bounds are parameters, not text", async () => {
    const file = tmpDb()
    const texts = new Set<string>()
    const r = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* StateStore.open(file)
          yield* store.writeBatch(Array.from({ length: 300 }, (_, i) => testCase(i)))
          const first = yield* store.horizon
          yield* store.writeBatch(Array.from({ length: 300 }, (_, i) => testCase(300 + i)))
          const second = yield* store.horizon
          yield* store.writeBatch(Array.from({ length: 300 }, (_, i) => testCase(600 + i)))
          const third = yield* store.horizon
          // a real read-only connection to the same file, which notes each statement's text
          const db = new Database(file, { readonly: true })
          yield* Effect.addFinalizer(() => Effect.sync(() => db.close()))
          const reads: CommittedReads = {
            all: <R extends object>(sql: string, params: ReadonlyArray<unknown> = []) =>
              Effect.try(() => {
                texts.add(sql)
                return db.prepare(sql).all(...params) as Array<R>
              })
          }
          const pass = (horizon: typeof first, since: typeof first) =>
            Effect.gen(function* () {
              const view = makeRecordReader(reads, stateStoreFailures(file), horizon, since)
              return {
                keys: Chunk.toReadonlyArray(yield* Stream.runCollect(view.records("TestCase"))).map((t) => t.key),
                byName: Chunk.toReadonlyArray(yield* Stream.runCollect(view.records("TestCase", { orderBy: ["name"] }))).length,
                hashes: Chunk.toReadonlyArray(yield* Stream.runCollect(view.keyHashes("TestCase"))).length,
                count: yield* view.count("TestCase"),
                found: Option.isSome(yield* view.bySourceId("TestCase", String(10_000 + 450))),
                where: (yield* view.where("TestCase", { key: "PROJ-T450" })).length
              }
            })
          const one = yield* pass(second, first)
          const statements = texts.size
          const two = yield* pass(third, second)
          return { one, two, statements, after: texts.size }
        })
      )
    )
    expect(r.one.keys).toEqual(Array.from({ length: 300 }, (_, i) => `PROJ-T${300 + i}`))
    expect(r.two.keys).toEqual(Array.from({ length: 300 }, (_, i) => `PROJ-T${600 + i}`))
    expect([r.one.byName, r.one.hashes, r.one.count, r.one.found, r.one.where]).toEqual([300, 300, 300, true, 1])
    expect([r.two.byName, r.two.hashes, r.two.count, r.two.found, r.two.where]).toEqual([300, 300, 300, false, 0])
    // the second pass, at other bounds, prepared nothing new
    expect(r.statements).toBeGreaterThanOrEqual(6)
    expect(r.after).toBe(r.statements)
  })
})
