/**
 * The store's records of one table beside the target's rows of the same natural keys, a chunk at a time: what the
 * load decides from (send what is missing or changed) and what verify reports. One query per chunk
 * (`targetRows`), so memory holds a chunk, whatever the table's size.
 */
import { Chunk, Effect, Stream } from "effect"
import type { EntityName, StoreError, StoreView } from "../../../core/index.ts"
import type { SnowflakeClientShape } from "../client/SnowflakeClient.ts"
import type { SnowflakeError } from "../client/SnowflakeError.ts"
import { encodeValue, presentFlag, type SnowflakeTable, targetRows } from "../dialect/index.ts"

/** Store records compared with the target per query (one IN list of this many keys). */
export const CHUNK_SIZE = 1000

export type Rec = Readonly<Record<string, unknown>>

export interface TargetRow {
  readonly hash: string | undefined
  /** Whether ATTACHMENT_BLOB holds bytes; only asked for when attachment bytes are loaded. */
  readonly hasBlob: boolean | undefined
}

export interface Compared {
  readonly record: Rec
  /** The record's natural key as bind text, in key order. */
  readonly key: ReadonlyArray<string>
  /** The target's row with that key; undefined when there is none. */
  readonly target: TargetRow | undefined
}

/** A record's natural key as bind text, in key order (what `targetRows` takes and the target answers). */
export const keyTexts = (table: SnowflakeTable, record: Rec): ReadonlyArray<string> =>
  table.naturalKey.map((name) => {
    const column = table.columns.find((c) => c.name === name)!
    return encodeValue(table.entity, column, record[column.field]) ?? ""
  })

/** A target row's natural key as the same text (the driver gives numbers as numbers). */
const rowKeyTexts = (table: SnowflakeTable, row: Readonly<Record<string, unknown>>): ReadonlyArray<string> =>
  table.naturalKey.map((name) => {
    const v = row[name]
    return v === null || v === undefined ? "" : String(v)
  })

const keyString = (texts: ReadonlyArray<string>): string => JSON.stringify(texts)

/** The target's rows among `keys`, by key string. */
const fetchTargetRows = (client: SnowflakeClientShape, table: SnowflakeTable, keys: ReadonlyArray<ReadonlyArray<string>>, blobFlag: boolean) =>
  Effect.gen(function* () {
    const statement = targetRows(table, keys, blobFlag ? { presentFlags: ["ATTACHMENT_BLOB"] } : {})
    const rows = yield* client.execute(statement.sql, statement.binds)
    const byKey = new Map<string, TargetRow>()
    for (const row of rows) {
      const flag = row[presentFlag("ATTACHMENT_BLOB")]
      byKey.set(keyString(rowKeyTexts(table, row)), {
        hash: typeof row["CONTENT_HASH"] === "string" ? row["CONTENT_HASH"] : undefined,
        hasBlob: flag === undefined ? undefined : flag === true || flag === "true" || flag === 1
      })
    }
    return byKey
  })

/**
 * @param exists false when the table was missing before this load: nothing to ask, every record is new.
 * @param blobFlag also ask whether ATTACHMENT_BLOB holds bytes.
 */
export const compareWithTarget = (
  client: SnowflakeClientShape,
  store: StoreView,
  entity: EntityName,
  table: SnowflakeTable,
  options: { readonly exists: boolean; readonly blobFlag: boolean }
): Stream.Stream<ReadonlyArray<Compared>, SnowflakeError | StoreError> =>
  store.records(entity).pipe(
    Stream.grouped(CHUNK_SIZE),
    Stream.mapEffect((chunk) =>
      Effect.gen(function* () {
        const records = Chunk.toReadonlyArray(chunk) as unknown as ReadonlyArray<Rec>
        const keys = records.map((r) => keyTexts(table, r))
        const target = options.exists ? yield* fetchTargetRows(client, table, keys, options.blobFlag) : new Map<string, TargetRow>()
        return records.map((record, i): Compared => ({ record, key: keys[i]!, target: target.get(keyString(keys[i]!)) }))
      })
    )
  )
