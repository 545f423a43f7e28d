/**
 * Splits bind rows into the batches of one array-bound INSERT each, bounded two ways:
 * - values (rows × columns): `snowflake-sdk` switches an array bind to a temporary stage + PUT upload once the
 * bound values reach `CLIENT_STAGE_ARRAY_BINDING_THRESHOLD` (default 100,000; docs/vendors, Snowflake §1.5). That
 * path needs
 *   cloud-storage access, which many networks and the sandbox do not give (the driver then falls back to inline
 *   binds after a failed attempt). The default 90,000 keeps a 10% margin, in case a server lowers the parameter
 *   slightly; a sink that reads a lower value from the login parameters passes it instead.
 * - bytes: the request body is JSON, documented capped at 16 MB. 8 MB (the wire size of the values as JSON
 *   strings: escapes and UTF-8 counted) leaves half for the bindings' framing, the SQL and the envelope, and keeps
 *   one request's retry cheap.
 * A row is never split: one wider or larger than a limit on its own becomes a batch by itself (Snowflake then
 * accepts it or fails it with a clear error — the rows around it are unaffected). No batch is empty, and the
 * concatenated batches are the input, in order.
 */
import type { BindRow, BindValue } from "./BindRow.ts"

export interface BatchLimits {
  /** Max bound values (rows × columns) per batch. */
  readonly maxValues: number
  /** Max bytes of the values as they travel (JSON string, UTF-8) per batch. */
  readonly maxBytes: number
}

export const defaultBatchLimits: BatchLimits = { maxValues: 90_000, maxBytes: 8 * 1024 * 1024 }

/** UTF-8 length of a string, without allocating its encoding (a lone surrogate counts as U+FFFD, 3 bytes). */
export const utf8Length = (text: string): number => {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/** The bytes a value adds to the request: its JSON form (`null` or a quoted, escaped string) and a separator. */
export const valueBytes = (value: BindValue): number => (value === null ? 4 : utf8Length(JSON.stringify(value))) + 1

export const rowBytes = (row: BindRow): number => {
  let bytes = 0
  for (const value of row) bytes += valueBytes(value)
  return bytes
}

const checkLimits = (limits: BatchLimits): void => {
  if (!(limits.maxValues >= 1) || !(limits.maxBytes >= 1)) {
    throw new Error(`planBatches: limits must be positive, got ${JSON.stringify(limits)}`)
  }
}

/**
 * The same batching, one item at a time, for rows that arrive as a stream: `add` answers the batch an item closes
 * (the items before it) when its row does not fit, `flush` the rest. Items may carry more than their bind row
 * (`rowOf` picks it), e.g. the record it came from. Memory: one batch.
 */
export class Batcher<T> {
  private current: Array<T> = []
  private values = 0
  private bytes = 0
  private readonly limits: BatchLimits
  private readonly rowOf: (item: T) => BindRow
  constructor(limits: BatchLimits, rowOf: (item: T) => BindRow) {
    checkLimits(limits)
    this.limits = limits
    this.rowOf = rowOf
  }

  add(item: T): ReadonlyArray<T> | undefined {
    const row = this.rowOf(item)
    const rowValues = row.length
    const size = rowBytes(row)
    let closed: ReadonlyArray<T> | undefined
    if (this.current.length > 0 && (this.values + rowValues > this.limits.maxValues || this.bytes + size > this.limits.maxBytes)) closed = this.flush()
    this.current.push(item)
    this.values += rowValues
    this.bytes += size
    return closed
  }

  /** The items not yet in a batch (possibly none); the batcher is empty afterwards. */
  flush(): ReadonlyArray<T> {
    const batch = this.current
    this.current = []
    this.values = 0
    this.bytes = 0
    return batch
  }
}

export const planBatches = <R extends BindRow>(
  rows: ReadonlyArray<R>,
  limits: BatchLimits = defaultBatchLimits
): ReadonlyArray<ReadonlyArray<R>> => {
  checkLimits(limits)
  const batcher = new Batcher<R>(limits, (row) => row)
  const batches: Array<ReadonlyArray<R>> = []
  for (const row of rows) {
    const closed = batcher.add(row)
    if (closed !== undefined) batches.push(closed)
  }
  const last = batcher.flush()
  if (last.length > 0) batches.push(last)
  return batches
}
