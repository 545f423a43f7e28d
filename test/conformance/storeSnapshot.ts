/**
 * A state store's content as a comparable value, for "an interrupted run, resumed, ends where an uninterrupted
 * run ends". Read with better-sqlite3 straight from the file — the reader is independent of the store code under
 * test. Timestamps core derived (the run's start time, filled where the source has none) differ between two runs
 * by nature, so a timestamp equal to one of the store's run start times reads as "<derived>"; every other
 * value, source timestamps included, must match exactly.
 */
import Database from "better-sqlite3"
import { entityOrder } from "../../core/index.ts"

const TIMESTAMPS = ["created_at", "created_on", "updated_at"]

export interface StoreSnapshot {
  readonly rows: Readonly<Record<string, ReadonlyArray<Readonly<Record<string, unknown>>>>>
  readonly quarantine: ReadonlyArray<Readonly<Record<string, unknown>>>
}

const hasTable = (db: Database.Database, name: string) =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined

/** Canonical rows committed so far (0 while the store is being created); safe while a run writes (WAL). */
export const committedRows = (file: string): number => {
  let db: Database.Database | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    let n = 0
    for (const entity of entityOrder) if (hasTable(db, entity)) n += (db.prepare(`SELECT COUNT(*) AS n FROM "${entity}"`).get() as { n: number }).n
    return n
  } catch {
    return 0
  } finally {
    db?.close()
  }
}

export const runStatuses = (file: string): ReadonlyArray<string> => {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return (db.prepare(`SELECT status FROM runs ORDER BY started_at`).all() as Array<{ status: string }>).map((r) => r.status)
  } finally {
    db.close()
  }
}

export const storeSnapshot = (file: string): StoreSnapshot => {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const runStarts = new Set((db.prepare(`SELECT started_at FROM runs`).all() as Array<{ started_at: string }>).map((r) => r.started_at))
    const rows: Record<string, ReadonlyArray<Record<string, unknown>>> = {}
    for (const entity of entityOrder) {
      const all = db.prepare(`SELECT * FROM "${entity}" ORDER BY source_system, source_id`).all() as Array<Record<string, unknown>>
      rows[entity] = all.map((row) => {
        const out: Record<string, unknown> = { ...row }
        for (const t of TIMESTAMPS) if (typeof out[t] === "string" && runStarts.has(out[t])) out[t] = "<derived>"
        return out
      })
    }
    const quarantine = db
      .prepare(`SELECT entity, source_system, source_id, reason, payload FROM quarantine ORDER BY entity, source_system, source_id`)
      .all() as Array<Record<string, unknown>>
    return { rows, quarantine }
  } finally {
    db.close()
  }
}
