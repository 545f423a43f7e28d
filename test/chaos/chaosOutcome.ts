/**
 * What a scenario ended with, in a form two scenarios can be compared by: qTest read back through its API as
 * the comparable dump (ids replaced by stable names) with the objects it holds twice, the Snowflake tables read
 * through the driver (`_LOADED_AT` aside), the store (every canonical table, the id map's keys, the quarantine),
 * the intents left open, and what `migrate verify` finds. Read from healed sandboxes, so it measures what the
 * run left, not the read path. Each scenario's Zephyr sandbox has a port of its own, which the attachments' URLs
 * (and so their content hashes) carry: those are compared as `<zephyr>/…`, without the hash.
 */
import Database from "better-sqlite3"
import { Effect } from "effect"
import { entityOrder } from "../../core/canonical/Canonical.ts"
import { naturalKey } from "../../core/canonical/schemas.ts"
import { makeRegistry } from "../../core/plugin/Registry.ts"
import { verifySinks } from "../../core/pipeline/verifySinks.ts"
import { builtinPlugins } from "../../plugins/builtins.ts"
import { dumpTables, readSnowflake, withDriver } from "../e2e/snowflakeHelpers.ts"
import { targetOf } from "../plugins/qtest/load/harness.ts"
import { countsOf, dumpQtest, duplicates, readQtest } from "../plugins/qtest/load/qtestContents.ts"
import type { ChaosTargets } from "./ChaosTargets.ts"
import { chaosRuntime, sinksOf } from "./runChaos.ts"

type Row = Record<string, unknown>

/**
 * The dump names every object by what the migration gave it; one it cannot name — a step of an earlier version
 * of a case, which a test log recorded before the case was updated — keeps qTest's id (`<unknown step 3100245>`),
 * which differs between two projects. Compared without it.
 */
const withoutUnknownIds = <A>(dump: A): A => JSON.parse(JSON.stringify(dump).replace(/<unknown (\w+) \d+>/g, "<unknown $1>")) as A

/** Rows with the Zephyr sandbox's URL as `<zephyr>`, and no content hash where the URL is part of the content. */
const withoutZephyrUrl = (rows: ReadonlyArray<Row>, zephyrBaseUrl: string): Array<Row> =>
  rows.map((row) => {
    const text = JSON.stringify(row)
    if (!text.includes(zephyrBaseUrl)) return row
    const { content_hash: _h, CONTENT_HASH: _H, ...rest } = JSON.parse(text.split(zephyrBaseUrl).join("<zephyr>")) as Row
    return rest
  })

export interface StoreDump {
  readonly records: Record<string, ReadonlyArray<Row>>
  /** `sink entity source_id` of every id map row (the target ids differ between two projects). */
  readonly written: ReadonlyArray<string>
  readonly quarantined: ReadonlyArray<Row>
}

export const readStoreDump = (statePath: string, zephyrBaseUrl: string): { readonly store: StoreDump; readonly openIntents: ReadonlyArray<Row> } => {
  const db = new Database(statePath, { readonly: true })
  try {
    const records = Object.fromEntries(
      entityOrder.map((e) => [e, withoutZephyrUrl(db.prepare(`SELECT * FROM "${e}" ORDER BY ${naturalKey(e).map((k) => `"${k}"`).join(", ")}`).all() as Array<Row>, zephyrBaseUrl)])
    )
    // Values added to a picklist are keyed by the batch that added them; loading while the extract runs, which
    // values a pass found first depends on timing. The field's values themselves are compared in qTest's dump.
    const written = (db.prepare(`SELECT sink, entity, source_id FROM id_map WHERE entity <> 'field-values' ORDER BY sink, entity, source_id`).all() as Array<Row>).map((r) => `${r["sink"]} ${r["entity"]} ${r["source_id"]}`)
    const quarantined = db.prepare(`SELECT entity, source_id, reason FROM quarantine ORDER BY entity, source_id`).all() as Array<Row>
    const openIntents = db.prepare(`SELECT sink, entity, source_id, operation FROM intents ORDER BY sink, entity, source_id`).all() as Array<Row>
    return { store: { records, written, quarantined }, openIntents }
  } finally {
    db.close()
  }
}

export const readOutcome = async (t: ChaosTargets) => {
  const qtest = await Effect.runPromise(
    Effect.scoped(Effect.map(readQtest(targetOf(t.qtest.current())), (c) => ({ dump: withoutUnknownIds(dumpQtest(c)), duplicates: duplicates(c), counts: countsOf(c) })))
  )
  const zephyrBaseUrl = t.zephyr.current().baseUrl
  const snowflake = Object.fromEntries(
    Object.entries(dumpTables(await withDriver(t.snowflake.current(), {}, (conn) => readSnowflake(conn)))).map(([table, rows]) => [table, withoutZephyrUrl(rows, zephyrBaseUrl)])
  )
  const { store, openIntents } = readStoreDump(t.statePath, zephyrBaseUrl)
  const verify = await Effect.runPromise(
    verifySinks({ statePath: t.statePath, sinks: sinksOf(t), runtime: chaosRuntime, registry: makeRegistry(builtinPlugins), sandbox: undefined }).pipe(Effect.scoped)
  )
  return {
    qtest: qtest.dump,
    qtestDuplicates: qtest.duplicates,
    qtestCounts: qtest.counts,
    snowflake,
    store,
    openIntents,
    verify: verify.map((v) => ({ sink: v.sink, ok: v.ok, differences: v.differences.map((d) => `${d.status} ${d.entity} ${d.label}`).sort() }))
  }
}

export type ChaosOutcome = Awaited<ReturnType<typeof readOutcome>>
