/**
 * The store side of `_MIGRATE_LOADS`: the fingerprint of a table read from a real store through `keyHashes` (pages
 * of thousands) — the same for the same records whatever their order of writing, different after any change,
 * addition or removal.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { StateStore } from "../../../../core/store/StateStore.ts"
import type { StoredRecord } from "../../../../core/store/StateStore.ts"
import { snowflakeTable } from "../../../../plugins/snowflake/dialect/index.ts"
import { storeFingerprint } from "../../../../plugins/snowflake/load/LoadsTable.ts"
import { changed, customField, stored } from "./records.ts"

const fingerprintOf = (records: ReadonlyArray<StoredRecord>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const store = yield* StateStore.open(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fingerprint-")), "state.db"))
      yield* store.writeBatch(records)
      return yield* storeFingerprint(store.reader, "CustomField", snowflakeTable("CustomField"))
    })
  )

describe("storeFingerprint", () => {
  it.scopedLive("is order-independent over 12,000 records, and changes with any change, addition or removal", () =>
    Effect.gen(function* () {
      const records = Array.from({ length: 12_000 }, (_, i) => stored(customField(i, `field ${i % 7}`, i % 3 === 0 ? null : `v${i}`)))
      const base = yield* fingerprintOf(records)
      expect(base.count).toBe(12_000)
      expect((yield* fingerprintOf([...records].reverse())).value).toBe(base.value)
      const edited = [...records]
      edited[7_777] = changed(records[7_777]!, { field_value: "edited" })
      expect((yield* fingerprintOf(edited)).value).not.toBe(base.value)
      expect((yield* fingerprintOf(records.slice(1))).value).not.toBe(base.value)
      expect((yield* fingerprintOf([...records, stored(customField(99_999, "new", "x"))])).value).not.toBe(base.value)
    })
  )
})
