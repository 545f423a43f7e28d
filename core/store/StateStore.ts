/**
 * The state store: one SQLite file (WAL) holding the canonical tables, runs, checkpoints, the id map, intents,
 * quarantine and report events. A service over `SqlClient`, so the same code runs on better-sqlite3 (Node) and
 * libsql (Deno). Canonical writes are idempotent upserts on each entity's natural key; a record whose content
 * hash is unchanged is not written at all, so a re-run with no change leaves the store byte-for-byte identical.
 */
import * as path from "node:path"
import { SqlClient, type SqlError } from "@effect/sql"
import { Context, Effect, Layer, Option, type Scope } from "effect"
import { entityOrder, type EntityName, type Quarantined } from "../canonical/Canonical.ts"
import { columns, naturalKey, tableName } from "../canonical/schemas.ts"
import { fromSqliteRow, toSqliteRow } from "../canonical/sqlite.ts"
import type { StoreError } from "../errors.ts"
import { makeBindings } from "./Bindings.ts"
import { ReadConnection, sqlClientReads } from "./CommittedReads.ts"
import { classifyStoreError, stateStoreFailures } from "./classifyStoreError.ts"
import { makeIdMap } from "./IdMap.ts"
import { makeRecordReader } from "./RecordReader.ts"
import { type Horizon, readHorizon } from "./StoreHorizon.ts"
import { makeExtractState } from "./ExtractState.ts"
import { migrate } from "./migrations.ts"
import { makeOwnedRows } from "./OwnedRows.ts"
import { sqlDriverLayer } from "./SqlDriver.ts"
import { inTransaction, WriterConnection } from "./TransactionStatements.ts"

export type WriteOutcome = "created" | "updated" | "unchanged"

/** A canonical record ready for the store: validated, hashed, timestamps filled. */
export interface StoredRecord {
  readonly entity: EntityName
  readonly data: Readonly<Record<string, unknown>> & { readonly content_hash: string; readonly source_system: string; readonly source_id: string }
  /** Timestamp columns core filled because the source has no value: a stored value wins over them. */
  readonly derivedTimestamps: ReadonlyArray<string>
}

export interface RunRow {
  readonly run_id: string
  readonly command: string
  readonly spec_file: string | null
  readonly started_at: string
  readonly finished_at: string | null
  readonly status: string
  readonly dry_run: number
  readonly full_pass: number
  readonly summary_json: string | null
}

const timestampColumns = new Set(["created_at", "created_on"])

const isSqlError = (u: unknown): u is SqlError.SqlError => typeof u === "object" && u !== null && (u as { readonly _tag?: unknown })._tag === "SqlError"

/** The store over the open `SqlClient` of the file `filename` (named in every failure). */
export const makeStateStore = (filename: string) => Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const failed = stateStoreFailures(filename)
  yield* migrate.pipe(Effect.mapError((e) => classifyStoreError(e, { action: "cannot bring the schema up to date in the state store", path: filename, kind: "state" })))
  const writer = yield* WriterConnection
  const reads = (yield* ReadConnection) ?? sqlClientReads(sql)

  /** Statements are built once per entity: the column lists never change while the process runs. */
  const statements = new Map<EntityName, { select: string; upsert: string; cols: ReadonlyArray<string> }>()
  const statementsFor = (entity: EntityName) => {
    let s = statements.get(entity)
    if (!s) {
      const cols = columns(entity).map((c) => c.name)
      const key = naturalKey(entity)
      const quoted = cols.map((c) => `"${c}"`).join(", ")
      const where = key.map((k) => `"${k}" = ?`).join(" AND ")
      s = {
        cols,
        select: `SELECT content_hash, ${[...timestampColumns].filter((c) => cols.includes(c)).map((c) => `"${c}"`).concat(["1 AS found"]).join(", ")} FROM "${entity}" WHERE ${where}`,
        upsert: `INSERT INTO "${entity}" (${quoted}) VALUES (${cols.map(() => "?").join(", ")}) ON CONFLICT (${key
          .map((k) => `"${k}"`)
          .join(", ")}) DO UPDATE SET ${cols.filter((c) => !key.includes(c)).map((c) => `"${c}" = excluded."${c}"`).join(", ")}`
      }
      statements.set(entity, s)
    }
    return s
  }

  /** The upsert's values, keeping the stored creation time when the source gives none. */
  const upsertValues = (record: StoredRecord, cols: ReadonlyArray<string>, existing: Record<string, unknown> | undefined) => {
    const data: Record<string, unknown> = { ...record.data }
    if (existing) for (const c of record.derivedTimestamps) if (timestampColumns.has(c) && existing[c] != null) data[c] = existing[c]
    const row = toSqliteRow(record.entity, data as never)
    return cols.map((c) => row[c] ?? null)
  }

  /** Upserts one record, inside a transaction (writeBatch, withTransaction); unchanged content is not written. */
  const write = (record: StoredRecord): Effect.Effect<WriteOutcome, StoreError> =>
    Effect.flatMap(inTransaction(writer), (direct) => {
      const s = statementsFor(record.entity)
      const key = naturalKey(record.entity).map((k) => record.data[k] as string | number)
      if (direct !== undefined)
        return Effect.try({
          try: (): WriteOutcome => {
            const existing = direct.all(s.select, key)[0]
            if (existing && existing["content_hash"] === record.data.content_hash) return "unchanged"
            direct.run(s.upsert, upsertValues(record, s.cols, existing))
            return existing ? "updated" : "created"
          },
          catch: failed.write
        })
      return Effect.gen(function* () {
        const [existing] = yield* sql.unsafe<Record<string, unknown>>(s.select, key)
        if (existing && existing["content_hash"] === record.data.content_hash) return "unchanged" as const
        yield* sql.unsafe(s.upsert, upsertValues(record, s.cols, existing) as Array<never>)
        return existing ? ("updated" as const) : ("created" as const)
      }).pipe(Effect.mapError(failed.write))
    })

  /** Writes a batch in one transaction: either all of it lands or none does. */
  const writeBatch = (records: ReadonlyArray<StoredRecord>) =>
    sql.withTransaction(Effect.forEach(records, write)).pipe(Effect.mapError(failed.write))

  const writeQuarantine = (item: Quarantined, sourceSystem: string, runId: string, now: string) =>
    sql
      .unsafe(
        `INSERT INTO quarantine (entity, source_system, source_id, reason, payload, run_id, first_seen_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (entity, source_system, source_id) DO UPDATE SET reason = excluded.reason, payload = excluded.payload,
           run_id = excluded.run_id, last_seen_at = excluded.last_seen_at`,
        [item.data.of, sourceSystem, item.data.source_id, item.data.reason, JSON.stringify(item.data.payload ?? null), runId, now, now]
      )
      .pipe(Effect.asVoid, Effect.mapError(failed.write))

  /** A record that extracted cleanly in this run is no longer quarantined. */
  const clearQuarantine = (entity: string, sourceSystem: string, sourceId: string) =>
    sql
      .unsafe(`DELETE FROM quarantine WHERE entity = ? AND source_system = ? AND source_id = ?`, [entity, sourceSystem, sourceId])
      .pipe(Effect.asVoid, Effect.mapError(failed.write))

  const quarantineCount = sql
    .unsafe<{ n: number }>(`SELECT COUNT(*) AS n FROM quarantine`)
    .pipe(Effect.map((r) => Number(r[0]?.n ?? 0)), Effect.mapError(failed.read))

  const startRun = (run: { runId: string; command: string; specFile: string | null; startedAt: string; dryRun: boolean; full: boolean }) =>
    sql
      .unsafe(`INSERT INTO runs (run_id, command, spec_file, started_at, status, dry_run, full_pass) VALUES (?, ?, ?, ?, 'running', ?, ?)`, [
        run.runId,
        run.command,
        run.specFile,
        run.startedAt,
        run.dryRun ? 1 : 0,
        run.full ? 1 : 0
      ])
      .pipe(Effect.asVoid, Effect.mapError(failed.write))

  const finishRun = (runId: string, status: string, summary: unknown) =>
    sql
      .unsafe(`UPDATE runs SET status = ?, finished_at = ?, summary_json = ? WHERE run_id = ?`, [status, new Date().toISOString(), JSON.stringify(summary), runId])
      .pipe(Effect.asVoid, Effect.mapError(failed.write))

  const runs = (limit = 20) =>
    sql.unsafe<RunRow>(`SELECT * FROM runs ORDER BY started_at DESC LIMIT ?`, [limit]).pipe(Effect.mapError(failed.read))

  const setCheckpoint = (name: string, watermark: string | null, state: unknown, runId: string) =>
    sql
      .unsafe(
        `INSERT INTO checkpoints (name, watermark, state_json, run_id, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET watermark = excluded.watermark, state_json = excluded.state_json, run_id = excluded.run_id, updated_at = excluded.updated_at`,
        [name, watermark, JSON.stringify(state ?? null), runId, new Date().toISOString()]
      )
      .pipe(Effect.asVoid, Effect.mapError(failed.write))

  const checkpoint = (name: string) =>
    sql
      .unsafe<{ name: string; watermark: string | null; state_json: string | null; run_id: string; updated_at: string }>(`SELECT * FROM checkpoints WHERE name = ?`, [name])
      .pipe(Effect.map((r) => r[0]), Effect.mapError(failed.read))

  const checkpoints = sql
    .unsafe<{ name: string; watermark: string | null; run_id: string; updated_at: string }>(`SELECT name, watermark, run_id, updated_at FROM checkpoints ORDER BY name`)
    .pipe(Effect.mapError(failed.read))

  const counts = Effect.forEach(
    entityOrder,
    (entity) => sql.unsafe<{ n: number }>(`SELECT COUNT(*) AS n FROM "${entity}"`).pipe(Effect.map((r) => [entity, Number(r[0]?.n ?? 0)] as const))
  ).pipe(Effect.map((pairs) => Object.fromEntries(pairs) as Record<EntityName, number>), Effect.mapError(failed.read))

  const addEvents = (runId: string, events: ReadonlyArray<{ kind: string; system: string; entity?: string | undefined; sourceId?: string | undefined; message: string; count: number }>) =>
    sql
      .withTransaction(
        Effect.forEach(events, (e, i) =>
          sql.unsafe(`INSERT INTO events (run_id, seq, at, kind, system, entity, source_id, message, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
            runId,
            i,
            new Date().toISOString(),
            e.kind,
            e.system,
            e.entity ?? null,
            e.sourceId ?? null,
            e.message,
            e.count
          ])
        )
      )
      .pipe(Effect.asVoid, Effect.mapError(failed.write))

  /** Reads every row of an entity, decoded; for tests, `verify` and sinks. Ordered by natural key. */
  const rows = <E extends EntityName>(entity: E) =>
    sql
      .unsafe<Record<string, string | number | null>>(`SELECT * FROM "${entity}" ORDER BY ${naturalKey(entity).map((k) => `"${k}"`).join(", ")}`)
      .pipe(Effect.map((rs) => rs.map((r) => fromSqliteRow(entity, r))), Effect.mapError(failed.read))

  const quarantined = (runId?: string) =>
    sql
      .unsafe<{ entity: string; source_system: string; source_id: string; reason: string; payload: string | null; run_id: string }>(
        runId === undefined ? `SELECT * FROM quarantine ORDER BY entity, source_id` : `SELECT * FROM quarantine WHERE run_id = ? ORDER BY entity, source_id`,
        runId === undefined ? [] : [runId]
      )
      .pipe(Effect.mapError(failed.read))

  /** `PluginContext.known`: one stored record by natural key or source key, decoded. */
  const known = (
    entity: EntityName,
    where: { readonly source_system: string } & ({ readonly source_id: string } | { readonly source_key: string })
  ): Effect.Effect<Option.Option<Readonly<Record<string, unknown>>>, StoreError> => {
    const [column, value] = "source_id" in where ? ["source_id", where.source_id] : ["source_key", where.source_key]
    return sql
      .unsafe<Record<string, string | number | null>>(`SELECT * FROM "${tableName(entity)}" WHERE "source_system" = ? AND "${column}" = ? LIMIT 1`, [where.source_system, value])
      .pipe(
        Effect.map(([row]) => (row === undefined ? Option.none() : Option.some(fromSqliteRow(entity, row) as unknown as Readonly<Record<string, unknown>>))),
        Effect.mapError(failed.read)
      )
  }

  /** Store operations in one transaction; a failed COMMIT (disk full) is a StoreError like any failed write. */
  const withTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | StoreError, R> =>
    sql.withTransaction(effect).pipe(Effect.mapError((e): E | StoreError => (isSqlError(e) ? failed.write(e) : (e as E))))

  /**
   * A consistent copy of the store in one file, without WAL: SQLite's `VACUUM INTO` reads inside one transaction,
   * so a run writing at the same time cannot tear it. `file` must not exist.
   */
  const snapshotTo = (file: string) => sql.unsafe(`VACUUM INTO ?`, [file]).pipe(Effect.asVoid, Effect.mapError(failed.read))

  return {
    ...makeOwnedRows(sql, failed),
    ...makeIdMap(sql, reads, failed, writer),
    reader: makeRecordReader(reads, failed),
    /** A reader that sees the store only up to a horizon (StoreHorizon.ts), or only what came after `since` too. */
    readerAt: (horizon: Horizon, since?: Horizon) => makeRecordReader(reads, failed, horizon, since),
    /** The end of every canonical table now: called in the extract's transaction at a checkpoint. */
    horizon: readHorizon(sql, failed),
    ...makeExtractState(sql, failed),
    ...makeBindings(sql, failed),
    known,
    write,
    writeBatch,
    writeQuarantine,
    clearQuarantine,
    quarantineCount,
    quarantined,
    startRun,
    finishRun,
    runs,
    setCheckpoint,
    checkpoint,
    checkpoints,
    counts,
    addEvents,
    rows,
    withTransaction,
    snapshotTo,
    failed
  }
})

export type StateStoreShape = Effect.Effect.Success<ReturnType<typeof makeStateStore>>

export class StateStore extends Context.Tag("migrate/StateStore")<StateStore, StateStoreShape>() {
  /**
   * Opens (creating if needed) the store file; the directory is created too. The SQLite driver is the one for the
   * runtime we are on (better-sqlite3 on Node, libsql on Deno — see SqlDriver.ts).
   */
  static readonly layer = (filename: string): Layer.Layer<StateStore, StoreError> =>
    Layer.effect(StateStore, makeStateStore(path.resolve(filename))).pipe(Layer.provide(sqlDriverLayer(filename)))

  /** Opens the store for the lifetime of the caller's scope. */
  static readonly open = (filename: string): Effect.Effect<StateStoreShape, StoreError, Scope.Scope> =>
    Layer.build(StateStore.layer(filename)).pipe(Effect.map(Context.get(StateStore)))
}
