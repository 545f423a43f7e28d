/**
 * Loads one canonical table into Snowflake, idempotently and resumably, without an id map:
 * 1. the table is created when missing, or grown by the columns the canonical schema gained (`ensureTable`); a table
 *    whose store side has not changed since its last complete load, and which still holds as many rows, is skipped
 *    (LoadsTable.ts);
 * 2. the store's records are read a chunk at a time beside the target's rows of the same natural keys
 *    (compareWithTarget.ts): only missing or changed records are bound, so a re-run sends nothing;
 * 3. bound rows are batched (rows × columns and bytes, `Batcher`) and each batch goes through a fresh temporary
 *    staging table: CREATE OR REPLACE, one array-bound INSERT, one MERGE on the natural key, sent as one `unit` of
 *    the client. The batch is the unit of retry — a MERGE is idempotent, and a new staging table makes a repeated
 *    INSERT harmless; on a new session after the old one ended, the staging table is made again — and the unit
 *    of progress: a killed run loses at most the batch in flight, which the next run finds missing;
 * 4. when the target then holds more rows than the store, the rows whose record is gone from the store (no longer in
 *    the store, e.g. a step removed from its case) are deleted (`removeGone`).
 * With `sharedSchema` every table and statement is confined to the store's project (`_PROJECT`, env.project): the
 * counts, comparisons and deletions above see that project's rows only.
 * A batch Snowflake refuses for its data (a value that does not convert) is split until the refused record is
 * alone; that record is quarantined with Snowflake's message and the others load.
 */
import { Effect, Stream } from "effect"
import type { EntityName, StoreError } from "../../../core/index.ts"
import { failpoints, RecordRejected } from "../../../core/index.ts"
import { SnowflakeError } from "../client/SnowflakeError.ts"
import {
  addColumns,
  Batcher,
  type BindRow,
  createStaging,
  countRows,
  createTable,
  dropStaging,
  insertStaging,
  listColumns,
  merge,
  scopeBinds,
  type SnowflakeTable,
  snowflakeTable,
  toBindRow
} from "../dialect/index.ts"
import type { SnowflakeConfig } from "../SnowflakeConfig.ts"
import { attachmentBase64 } from "./attachmentBytes.ts"
import { compareWithTarget, type Rec } from "./compareWithTarget.ts"
import { recordLoad, storeFingerprint } from "./LoadsTable.ts"
import { checkProjectColumn } from "./checkProjectColumn.ts"
import { removeGone } from "./removeGone.ts"
import type { TableLoadEnv } from "./TableLoadEnv.ts"

/** The record's identity for the report and the quarantine. */
export const labelOf = (record: Rec): string => String(record["source_key"] ?? record["source_id"] ?? "?")
const keyOf = (record: Rec): string => String(record["source_id"] ?? "?")

/**
 * The columns the load writes: all of them, but the attachment bytes only when asked for; confined to `project`
 * when the schema is shared.
 */
export const loadedTable = (entity: EntityName, config: SnowflakeConfig, project: string | undefined): SnowflakeTable => {
  const scope = project === undefined ? {} : { project }
  return entity === "Attachment" && !config.attachmentBytes ? snowflakeTable(entity, { omit: ["attachment_blob"], ...scope }) : snowflakeTable(entity, scope)
}

/**
 * Creates the table or adds the columns it lacks. Answers whether it existed before (with rows possibly), and in
 * planning mode only reads.
 */
export const ensureTable = (env: TableLoadEnv, full: SnowflakeTable) =>
  Effect.gen(function* () {
    const list = listColumns(full)
    const existing = (yield* env.client.execute(list.sql, list.binds)).map((r) => String(r["COLUMN_NAME"] ?? Object.values(r)[0]))
    // a shared schema's table made without _PROJECT: refused when it has rows, otherwise `addColumns` adds it
    yield* checkProjectColumn(env.client, full, existing)
    if (env.load.planning) {
      // what a run would send here: the CREATE, or one ALTER per missing column
      const alter = existing.length === 0 ? [createTable(full)] : yield* Effect.orElseSucceed(Effect.try(() => addColumns(full, existing)), () => [])
      yield* env.load.willSend(alter.length)
      return existing.length > 0
    }
    if (existing.length === 0) yield* env.client.execute(createTable(full))
    else {
      const missing = yield* Effect.try({
        try: () => addColumns(full, existing),
        catch: (e) => new SnowflakeError({ reason: "Other", code: undefined, sqlState: undefined, statement: list.sql, message: e instanceof Error ? e.message : String(e) })
      })
      for (const sql of missing) yield* env.client.execute(sql)
    }
    return existing.length > 0
  })

/** Planning holds no attachment bytes: a placeholder of their base64 size batches the row as a run would. */
const withPlannedBytes = (config: SnowflakeConfig, record: Rec): Rec => {
  const size = Number(record["size_bytes"] ?? 0)
  return typeof record["sha256"] === "string" && size <= config.maxAttachmentBytes ? { ...record, attachment_blob: "A".repeat(4 * Math.ceil(size / 3)) } : record
}

interface Pending {
  readonly row: BindRow
  readonly record: Rec
  /** What the comparison found: no row with its key (created), or one with other content (updated). */
  readonly outcome: "created" | "updated"
}

export const loadTable = (env: TableLoadEnv, entity: EntityName) =>
  Effect.gen(function* () {
    const { client, config, load } = env
    const scope = env.project === undefined ? {} : { project: env.project }
    const full = snowflakeTable(entity, scope)
    const table = loadedTable(entity, config, env.project)
    const withBytes = entity === "Attachment" && config.attachmentBytes
    const existed = yield* ensureTable(env, full)
    // Nothing changed in the store since this table's last complete load, and no row went missing: skip it
    // (`run --full` compares every row all the same, and so repairs rows edited in Snowflake).
    const fingerprint = yield* storeFingerprint(load.store, entity, table)
    if (existed && !load.full && env.loads.get(table.name)?.fingerprint === fingerprint.value) {
      const targetCount = Number((yield* client.execute(countRows(table), scopeBinds(table)))[0]?.["N"] ?? -1)
      if (targetCount === fingerprint.count) {
        if (targetCount > 0) yield* load.counted(entity, "unchanged", targetCount)
        return
      }
    }

    /** One batch through staging. */
    let staged = false
    const sendBatch = (rows: ReadonlyArray<BindRow>) =>
      client.unit(
        Effect.gen(function* () {
          staged = true
          yield* client.execute(createStaging(table))
          yield* client.executeBatch(insertStaging(table), rows)
          failpoints.pass("staged", table.name)
          yield* client.execute(merge(table))
          failpoints.pass("merged", table.name)
        })
      )

    // Store records this load leaves out of the target (refused, invalid, or only planned): removeGone's
    // "target count ≤ store count means nothing is gone" shortcut must not count them as present, or a row
    // deleted at the source stays in the target while another record is refused (or, planning, is new).
    let absent = 0

    // A refusal of the data splits the batch until the refused record is alone: it is quarantined, the rest load.
    // The outcomes are the comparison's, not the MERGE's row counts: a MERGE whose answer was lost and that the
    // driver (or the retry) sent again finds its rows already there, and would count them unchanged.
    const sendOrSplit = (batch: ReadonlyArray<Pending>): Effect.Effect<void, SnowflakeError | StoreError> =>
      sendBatch(batch.map((p) => p.row)).pipe(
        Effect.flatMap(() =>
          Effect.all([
            load.counted(entity, "created", batch.filter((p) => p.outcome === "created").length),
            load.counted(entity, "updated", batch.filter((p) => p.outcome === "updated").length)
          ])
        ),
        Effect.catchIf(
          (e): e is SnowflakeError => e._tag === "SnowflakeError" && e.reason === "Data",
          (e) => {
            if (batch.length === 1) {
              const record = batch[0]!.record
              absent++
              return load.reject(
                new RecordRejected({ sink: "snowflake", entity, key: keyOf(record), label: labelOf(record), reason: "Refused", message: `Snowflake refused the row: ${e.message}${e.code === undefined ? "" : ` (code ${e.code})`}` })
              )
            }
            const half = Math.ceil(batch.length / 2)
            return Effect.zipRight(sendOrSplit(batch.slice(0, half)), sendOrSplit(batch.slice(half)))
          }
        )
      )

    const batcher = new Batcher<Pending>(config.batch, (p) => p.row)
    // planning: the rows a run would bind, batched as it would batch them, to count its statements
    const planned = new Batcher<BindRow>(config.batch, (row) => row)
    let plannedBatches = 0
    let plannedInvalid = 0
    let seq = 0
    let stored = 0
    yield* compareWithTarget(client, load.store, entity, table, { exists: existed, blobFlag: withBytes }).pipe(
      Stream.runForEach((pairs) =>
        Effect.gen(function* () {
          stored += pairs.length
          let unchanged = 0
          for (const { record, target: found } of pairs) {
            const needsBytes = withBytes && found?.hasBlob === false
            if (found !== undefined && found.hash === record["content_hash"] && !needsBytes) {
              unchanged++
              continue
            }
            if (load.planning) {
              if (found === undefined) absent++
              yield* load.counted(entity, found === undefined ? "created" : "updated", 1)
              try {
                if (planned.add(toBindRow(table, withBytes ? withPlannedBytes(config, record) : record, seq++)) !== undefined) plannedBatches++
              } catch {
                plannedInvalid++
              }
              continue
            }
            const withBlob = withBytes ? yield* attachmentBase64(env, record) : record
            const row = yield* Effect.either(
              Effect.try({
                try: () => toBindRow(table, withBlob, seq++),
                catch: (e) => new RecordRejected({ sink: "snowflake", entity, key: keyOf(record), label: labelOf(record), reason: "Invalid", message: e instanceof Error ? e.message : String(e) })
              })
            )
            if (row._tag === "Left") {
              absent++
              yield* load.reject(row.left)
              continue
            }
            const closed = batcher.add({ row: row.right, record, outcome: found === undefined ? "created" : "updated" })
            if (closed !== undefined) yield* sendOrSplit(closed)
          }
          if (unchanged > 0) yield* load.counted(entity, "unchanged", unchanged)
        })
      )
    )
    const rest = batcher.flush()
    if (rest.length > 0) yield* sendOrSplit(rest)
    if (load.planning) {
      if (planned.flush().length > 0) plannedBatches++
      // per batch CREATE staging, INSERT, MERGE; then the staging table's DROP and the load's record
      yield* load.willSend(plannedBatches * 3 + (plannedBatches > 0 ? 1 : 0) + (plannedInvalid === 0 ? 1 : 0))
    }
    if (existed) yield* removeGone(env, table, stored - absent)
    if (staged) yield* client.execute(dropStaging(table))
    // a refused record must be tried again by the next run: only a complete load is recorded
    if (!load.planning && absent === 0) yield* recordLoad(client, table, fingerprint)
  })
