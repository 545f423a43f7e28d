/**
 * The state store on a real SQLite file: idempotent upserts, unchanged records untouched, stored creation times
 * kept, quarantine, runs and checkpoints, schema growth.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { prepareRecord } from "../../../core/pipeline/prepareRecord.ts"
import { StateStore } from "../../../core/store/StateStore.ts"
import type { StoredRecord } from "../../../core/store/StateStore.ts"
import { quarantine, record } from "../../../core/canonical/Canonical.ts"
import type { CanonicalRecord } from "../../../core/canonical/Canonical.ts"
import { canonicalSamples as samples } from "../../fixtures/canonical-samples.ts"

const tmpDb = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "store-")), "state.db")

const withStore = <A, E>(file: string, f: (store: StateStore["Type"]) => Effect.Effect<A, E>) =>
  Effect.runPromise(Effect.scoped(Effect.flatMap(StateStore.open(file), f)))

const prepared = (r: CanonicalRecord, now: string): StoredRecord => {
  const p = prepareRecord(r, now)
  if (p.entity === "Quarantine") throw new Error(p.data.reason)
  return p
}

describe("StateStore", () => {
  it("creates every canonical table and round-trips a record of each entity", async () => {
    const file = tmpDb()
    const now = "2026-01-01T00:00:00.000Z"
    const all = Object.entries(samples).map(([entity, data]) => prepared(record(entity as never, data as never), now))
    const outcomes = await withStore(file, (s) => s.writeBatch(all))
    expect(outcomes.every((o) => o === "created")).toBe(true)
    const tc = await withStore(file, (s) => s.rows("TestCase"))
    expect(tc).toHaveLength(1)
    const sample = all.find((r) => r.entity === "TestCase")!
    expect(tc[0]).toEqual(sample.data)
  })

  it("skips unchanged records, updates changed ones and keeps their derived creation time", async () => {
    const file = tmpDb()
    const tcData = samples.TestCase
    const noTimes = { ...tcData, created_on: null, updated_at: null }
    const first = prepared(record("TestCase", noTimes as never), "2026-01-01T00:00:00.000Z")
    await withStore(file, (s) => s.write(first))
    const again = prepared(record("TestCase", noTimes as never), "2026-02-01T00:00:00.000Z")
    expect(await withStore(file, (s) => s.write(again))).toBe("unchanged")
    const [row1] = await withStore(file, (s) => s.rows("TestCase"))
    expect(row1!.updated_at).toBe("2026-01-01T00:00:00.000Z")

    const changed = prepared(record("TestCase", { ...noTimes, name: "renamed ✓" } as never), "2026-03-01T00:00:00.000Z")
    expect(await withStore(file, (s) => s.write(changed))).toBe("updated")
    const [row2] = await withStore(file, (s) => s.rows("TestCase"))
    expect(row2!.name).toBe("renamed ✓")
    expect(row2!.created_on).toBe("2026-01-01T00:00:00.000Z")
    expect(row2!.updated_at).toBe("2026-03-01T00:00:00.000Z")
  })

  it("a record failing its schema becomes a quarantine item with the reason", () => {
    const bad = prepareRecord(record("TestCase", { ...samples.TestCase, estimated_time_ms: "soon" } as never), "2026-01-01T00:00:00.000Z")
    expect(bad.entity).toBe("Quarantine")
    if (bad.entity === "Quarantine") expect(bad.data.reason).toContain("/estimated_time_ms")
  })

  it("records quarantine, runs and checkpoints", async () => {
    const file = tmpDb()
    await withStore(file, (s) =>
      Effect.gen(function* () {
        yield* s.startRun({ runId: "r1", command: "run", specFile: null, startedAt: "2026-01-01T00:00:00Z", dryRun: false, full: false })
        yield* s.writeQuarantine(quarantine("TestCase", "42", "name is not a string", { id: 42, name: 7 }), "zephyr", "r1", "2026-01-01T00:00:00Z")
        yield* s.setCheckpoint("extract:zephyr:DEMO", "2026-01-01T00:00:00Z", { n: 1 }, "r1")
        yield* s.finishRun("r1", "succeeded-with-quarantine", { ok: true })
      })
    )
    const [runs, q, cp] = await withStore(file, (s) => Effect.all([s.runs(), s.quarantined("r1"), s.checkpoint("extract:zephyr:DEMO")]))
    expect(runs[0]!.status).toBe("succeeded-with-quarantine")
    expect(q[0]!.reason).toBe("name is not a string")
    expect(JSON.parse(q[0]!.payload!)).toEqual({ id: 42, name: 7 })
    expect(cp!.watermark).toBe("2026-01-01T00:00:00Z")
  })

  it("adds columns the canonical schema gained to an older store", async () => {
    const file = tmpDb()
    await withStore(file, () => Effect.void)
    const Database = (await import("better-sqlite3")).default
    const db = new Database(file)
    db.exec(`ALTER TABLE "Link" DROP COLUMN "description"`)
    db.close()
    await withStore(file, () => Effect.void)
    const db2 = new Database(file, { readonly: true })
    const cols = (db2.prepare(`PRAGMA table_info("Link")`).all() as Array<{ name: string }>).map((c) => c.name)
    db2.close()
    expect(cols).toContain("description")
  })
})
