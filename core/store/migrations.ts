/**
 * The state store's schema, as values. Core tables are numbered migrations applied once, in order; canonical
 * tables come from schemas/canonical (generated DDL) and are reconciled on every open: missing tables are
 * created and columns the canonical schema gained are added, so a store written by an older version upgrades
 * in place and nothing already migrated is touched.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { columns, tableName } from "../canonical/schemas.ts"
import { sqliteDdl, sqliteType } from "../canonical/sqlite.ts"
import { entityOrder } from "../canonical/Canonical.ts"

export const coreMigrations: ReadonlyArray<readonly [id: number, name: string, statements: ReadonlyArray<string>]> = [
  [
    1,
    "core_tables",
    [
      `CREATE TABLE runs (
        run_id TEXT PRIMARY KEY, command TEXT NOT NULL, spec_file TEXT, started_at TEXT NOT NULL, finished_at TEXT,
        status TEXT NOT NULL, dry_run INTEGER NOT NULL DEFAULT 0, full_pass INTEGER NOT NULL DEFAULT 0, summary_json TEXT)`,
      `CREATE TABLE checkpoints (
        name TEXT PRIMARY KEY, watermark TEXT, state_json TEXT, run_id TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      `CREATE TABLE id_map (
        sink TEXT NOT NULL, entity TEXT NOT NULL, source_id TEXT NOT NULL, target_id TEXT NOT NULL,
        content_hash TEXT NOT NULL, loaded_at TEXT NOT NULL, PRIMARY KEY (sink, entity, source_id))`,
      `CREATE TABLE intents (
        sink TEXT NOT NULL, entity TEXT NOT NULL, source_id TEXT NOT NULL, operation TEXT NOT NULL,
        content_hash TEXT NOT NULL, run_id TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (sink, entity, source_id))`,
      `CREATE TABLE quarantine (
        entity TEXT NOT NULL, source_system TEXT NOT NULL, source_id TEXT NOT NULL, reason TEXT NOT NULL,
        payload TEXT, run_id TEXT NOT NULL, first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL,
        PRIMARY KEY (entity, source_system, source_id))`,
      `CREATE TABLE events (
        run_id TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL, system TEXT NOT NULL,
        entity TEXT, source_id TEXT, message TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (run_id, seq))`
    ]
  ],
  [
    2,
    "seen_keys",
    [
      // The keys a complete pass has extracted so far, written in the same transaction as the records: what a
      // finished full pass did not see is "deleted at the source" (an anti-join, so no key set is held in
      // memory). Keyed by extract, not by run, because a resumed pass spans runs.
      `CREATE TABLE seen (
        extract_id TEXT NOT NULL, entity TEXT NOT NULL, source_id TEXT NOT NULL, source_system TEXT,
        PRIMARY KEY (extract_id, entity, source_id)) WITHOUT ROWID`
    ]
  ],
  [
    3,
    "id_map_memo",
    [
      // What a sink notes about an object as it was created and cannot learn again from the store (qTest: the
      // steps a test log was recorded against, which a later update of its case does not change).
      `ALTER TABLE id_map ADD COLUMN memo TEXT`
    ]
  ],
  [
    4,
    "bindings",
    [
      // Which source project and which targets this state was written for (Bindings.ts).
      `CREATE TABLE bindings (
        role TEXT PRIMARY KEY, plugin TEXT NOT NULL, identity_json TEXT NOT NULL, description TEXT NOT NULL,
        bound_at TEXT NOT NULL, run_id TEXT NOT NULL)`
    ]
  ],
  [
    5,
    "id_map_by_target",
    [
      // verify reads a target in bulk and asks, per object it finds, which record the id map says it is
      `CREATE INDEX id_map_target ON id_map (sink, entity, target_id)`
    ]
  ]
]

export const migrate = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
  const applied = new Set((yield* sql.unsafe<{ id: number }>(`SELECT id FROM migrations`)).map((r) => Number(r.id)))
  for (const [id, name, statements] of coreMigrations) {
    if (applied.has(id)) continue
    yield* sql.withTransaction(
      Effect.gen(function* () {
        for (const s of statements) yield* sql.unsafe(s)
        yield* sql.unsafe(`INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)`, [id, name, new Date().toISOString()])
      })
    )
  }
  for (const statement of sqliteDdl()) yield* sql.unsafe(statement)
  // Columns the canonical schema gained since this store was created.
  for (const entity of entityOrder) {
    const existing = new Set((yield* sql.unsafe<{ name: string }>(`PRAGMA table_info("${entity}")`)).map((c) => c.name))
    for (const column of columns(entity)) {
      if (!existing.has(column.name)) yield* sql.unsafe(`ALTER TABLE "${entity}" ADD COLUMN "${column.name}" ${sqliteType(column)}`)
    }
    // Sources look records up by key (`PluginContext.known`: an execution's case by its key).
    yield* sql.unsafe(`CREATE INDEX IF NOT EXISTS "${tableName(entity)}_source_key_idx" ON "${tableName(entity)}" ("source_key")`)
  }
})
