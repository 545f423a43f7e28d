/**
 * The id map and intents on a real SQLite file — the bookkeeping of the exactly-once write: an intent is closed
 * only by the target's confirmation (row and removal together), a memo survives a write that brings none,
 * adoption maps, relearns or leaves alone, and the rows stream in key order across pages.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import { StateStore } from "../../../core/store/StateStore.ts"

const tmpDb = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "idmap-")), "state.db")
const withStore = <A, E>(f: (store: StateStore["Type"]) => Effect.Effect<A, E>) => Effect.runPromise(Effect.scoped(Effect.flatMap(StateStore.open(tmpDb()), f)))

const key = { sink: "qtest", entity: "test-case", source_id: "DEMO-T1" }

describe("IdMap", () => {
  it("an intent stays open until the target confirms; the confirmation maps and closes it at once", async () => {
    const r = await withStore((s) =>
      Effect.gen(function* () {
        yield* s.recordIntent({ ...key, operation: "create", content_hash: "h1", run_id: "r1" })
        const open = yield* s.openIntent(key.sink, key.entity, key.source_id)
        const before = yield* s.mapped(key.sink, key.entity, key.source_id)
        yield* s.confirm({ ...key, target_id: "101", content_hash: "h1" })
        return { open, before, after: yield* s.mapped(key.sink, key.entity, key.source_id), intents: yield* s.openIntents("qtest") }
      })
    )
    expect(r.open?.operation).toBe("create")
    expect(r.before).toBeUndefined()
    expect(r.after).toMatchObject({ target_id: "101", content_hash: "h1", memo: null })
    expect(r.intents).toEqual([])
  })

  it("a memo is kept by a later confirmation that brings none, replaced by one that does", async () => {
    const memos = await withStore((s) =>
      Effect.gen(function* () {
        yield* s.confirm({ ...key, target_id: "101", content_hash: "h1", memo: "steps:1,2" })
        yield* s.confirm({ ...key, target_id: "101", content_hash: "h2" })
        const kept = (yield* s.mapped(key.sink, key.entity, key.source_id))?.memo
        yield* s.confirm({ ...key, target_id: "101", content_hash: "h3", memo: "steps:3" })
        return [kept, (yield* s.mapped(key.sink, key.entity, key.source_id))?.memo]
      })
    )
    expect(memos).toEqual(["steps:1,2", "steps:3"])
  })

  it("adopt: unmapped → adopted (its open create closed), same object → relearnt hash, another object → known, untouched", async () => {
    const r = await withStore((s) =>
      Effect.gen(function* () {
        yield* s.recordIntent({ ...key, operation: "create", content_hash: "h1", run_id: "r1" })
        const first = yield* s.adopt({ ...key, target_id: "101", content_hash: "t1" })
        const intents = yield* s.openIntents()
        const same = yield* s.adopt({ ...key, target_id: "101", content_hash: "t2" })
        const relearnt = (yield* s.mapped(key.sink, key.entity, key.source_id))?.content_hash
        const other = yield* s.adopt({ ...key, target_id: "999", content_hash: "t3" })
        const row = yield* s.mapped(key.sink, key.entity, key.source_id)
        return { first, intents, same, relearnt, other, row, byTarget: yield* s.mappedTarget(key.sink, key.entity, "101") }
      })
    )
    expect([r.first, r.same, r.other]).toEqual(["adopted", "relearnt", "known"])
    expect(r.intents).toEqual([])
    expect(r.relearnt).toBe("t2")
    expect(r.row).toMatchObject({ target_id: "101", content_hash: "t2" })
    expect(r.byTarget?.source_id).toBe(key.source_id)
  })

  it("adopting never closes an open update: the object is mapped, and what the update sends is still owed", async () => {
    const intents = await withStore((s) =>
      Effect.gen(function* () {
        yield* s.recordIntent({ ...key, operation: "update", content_hash: "h2", run_id: "r1" })
        yield* s.adopt({ ...key, target_id: "101", content_hash: "t1" })
        return yield* s.openIntents("qtest")
      })
    )
    expect(intents.map((i) => i.operation)).toEqual(["update"])
  })

  it("a refused write drops its intent; counts and rows per sink, rows in key order across pages", async () => {
    const r = await withStore((s) =>
      Effect.gen(function* () {
        yield* s.recordIntent({ ...key, operation: "create", content_hash: "h", run_id: "r1" })
        yield* s.dropIntent(key.sink, key.entity, key.source_id)
        const dropped = yield* s.openIntents()
        // 2,500 rows: three pages of the stream; written in reverse order, read back sorted
        for (let i = 2499; i >= 0; i--) yield* s.confirm({ sink: "qtest", entity: i % 2 === 0 ? "test-log" : "test-run", source_id: `K${String(i).padStart(5, "0")}`, target_id: String(i), content_hash: "h" })
        yield* s.confirm({ sink: "other", entity: "test-log", source_id: "X", target_id: "1", content_hash: "h" })
        const rows = Chunk.toReadonlyArray(yield* Stream.runCollect(s.mappedRows("qtest")))
        const logs = Chunk.toReadonlyArray(yield* Stream.runCollect(s.mappedRows("qtest", "test-log")))
        return { dropped, counts: yield* s.mappedCounts("qtest"), rows, logs }
      })
    )
    expect(r.dropped).toEqual([])
    expect(r.counts).toEqual({ "test-log": 1250, "test-run": 1250 })
    expect(r.rows).toHaveLength(2500)
    const keys = r.rows.map((x) => `${x.entity}/${x.source_id}`)
    expect(keys).toEqual([...keys].sort())
    expect(new Set(keys).size).toBe(2500)
    expect(r.logs.every((x) => x.entity === "test-log")).toBe(true)
    expect(r.logs).toHaveLength(1250)
  })
})
