/**
 * The store's side of "what belongs to what" (`ownership` in Canonical.ts), as SQL: replacing a re-read parent's
 * children (`ChildSet`), remembering the keys a complete pass saw, and — when that pass ends — listing what it did
 * not see ("deleted at the source"), scoped to the projects it read. Everything is a set operation inside SQLite,
 * so a project of any size is handled without holding its keys in memory.
 */
import type { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { entityOrder, ownership, type ChildSet, type EntityName } from "../canonical/Canonical.ts"
import { columns, primaryKey, tableName } from "../canonical/schemas.ts"
import type { StoreError } from "../errors.ts"
import type { StoreFailures } from "./classifyStoreError.ts"

type Param = string | number

/** A piece of SQL with its `?` parameters, in order. */
interface Fragment {
  readonly sql: string
  readonly params: ReadonlyArray<Param>
}

const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`

const or = (parts: ReadonlyArray<Fragment>): Fragment | undefined =>
  parts.length === 0 ? undefined : { sql: `(${parts.map((p) => p.sql).join(" OR ")})`, params: parts.flatMap((p) => p.params) }

/**
 * Rows of `entity` that belong to the row of `parent` whose primary key is `parentId`, directly or through rows
 * that themselves belong to it (a case's steps' custom fields). Undefined when `entity` cannot belong to `parent`.
 */
export const ownedBy = (entity: EntityName, parent: EntityName, parentId: number, sourceSystem: string): Fragment | undefined => {
  const owner = ownership[entity]
  if (owner === undefined) return undefined
  const via = (ownerEntity: EntityName, column: string): Fragment | undefined => {
    if (ownerEntity === parent) return { sql: `${q(column)} = ?`, params: [parentId] }
    const inner = ownedBy(ownerEntity, parent, parentId, sourceSystem)
    return inner === undefined
      ? undefined
      : {
          sql: `${q(column)} IN (SELECT ${q(primaryKey(ownerEntity))} FROM ${q(tableName(ownerEntity))} WHERE "source_system" = ? AND ${inner.sql})`,
          params: [sourceSystem, ...inner.params]
        }
  }
  if (owner.kind === "column") return via(owner.parent, owner.column)
  return or(
    owner.parents.flatMap((type) => {
      const f = via(type, owner.idColumn)
      return f === undefined ? [] : [{ sql: `(${q(owner.typeColumn)} = ? AND ${f.sql})`, params: [type, ...f.params] }]
    })
  )
}

/**
 * Rows of `entity` that belong to one of `projects` (a SQL list of project ids): by their own `project_id`, else
 * through their owner. Undefined when neither applies (the entity is not project-scoped).
 */
export const inProjects = (entity: EntityName, projects: Fragment): Fragment | undefined => {
  if (columns(entity).some((c) => c.name === "project_id")) return { sql: `"project_id" IN (${projects.sql})`, params: projects.params }
  const owner = ownership[entity]
  if (owner === undefined) return undefined
  const via = (ownerEntity: EntityName, column: string): Fragment | undefined => {
    const inner = inProjects(ownerEntity, projects)
    return inner === undefined
      ? undefined
      : { sql: `${q(column)} IN (SELECT ${q(primaryKey(ownerEntity))} FROM ${q(tableName(ownerEntity))} WHERE ${inner.sql})`, params: inner.params }
  }
  if (owner.kind === "column") return via(owner.parent, owner.column)
  return or(
    owner.parents.flatMap((type) => {
      const f = via(type, owner.idColumn)
      return f === undefined ? [] : [{ sql: `(${q(owner.typeColumn)} = ? AND ${f.sql})`, params: [type, ...f.params] }]
    })
  )
}

/** Why a ChildSet cannot be applied (it names an entity that cannot belong to its parent), if it cannot. */
export const childSetProblem = (set: ChildSet["data"]): string | undefined => {
  for (const entity of Object.keys(set.children) as Array<EntityName>)
    if (ownedBy(entity, set.parent, set.parent_id, set.source_system) === undefined)
      return `a ChildSet of ${set.parent} lists ${entity}, which does not belong to ${set.parent} (see ownership in Canonical.ts)`
  return undefined
}

export interface SeenKey {
  readonly entity: string
  readonly source_id: string
  readonly source_system: string | null
}

export interface DeletedAtSource {
  readonly count: number
  /** The first source ids, in key order. */
  readonly examples: ReadonlyArray<string>
}

const EXAMPLES = 20
/** Rows per multi-row INSERT: 4 parameters each stays far below SQLite's parameter limit. */
const SEEN_CHUNK = 200

export const makeOwnedRows = (sql: SqlClient.SqlClient, failed: StoreFailures) => {
  /**
   * Applies a `ChildSet`: for each listed entity, deletes the parent's rows not listed. Deepest entities first,
   * so that the custom fields of a removed step are found through the step before the step itself goes.
   * Returns the number removed per entity.
   */
  const replaceChildren = (set: ChildSet["data"]): Effect.Effect<Partial<Record<EntityName, number>>, StoreError> =>
    Effect.gen(function* () {
      const problem = childSetProblem(set)
      if (problem !== undefined) return yield* Effect.fail(failed.write(new Error(problem)))
      const removed: Partial<Record<EntityName, number>> = {}
      for (const entity of [...entityOrder].reverse()) {
        const keep = set.children[entity]
        if (keep === undefined) continue
        const owned = ownedBy(entity, set.parent, set.parent_id, set.source_system)
        if (owned === undefined) continue
        const rows = yield* sql.unsafe<{ source_id: string }>(
          `DELETE FROM ${q(tableName(entity))} WHERE "source_system" = ? AND ${owned.sql}
             AND "source_id" NOT IN (SELECT value FROM json_each(?)) RETURNING "source_id"`,
          [set.source_system, ...owned.params, JSON.stringify(keep)]
        )
        if (rows.length > 0) removed[entity] = rows.length
      }
      return removed
    }).pipe(Effect.mapError(failed.write))

  const markSeen = (extractId: string, keys: ReadonlyArray<SeenKey>): Effect.Effect<void, StoreError> =>
    Effect.gen(function* () {
      for (let i = 0; i < keys.length; i += SEEN_CHUNK) {
        const chunk = keys.slice(i, i + SEEN_CHUNK)
        yield* sql.unsafe(
          `INSERT OR IGNORE INTO seen (extract_id, entity, source_id, source_system) VALUES ${chunk.map(() => "(?, ?, ?, ?)").join(", ")}`,
          chunk.flatMap((k) => [extractId, k.entity, k.source_id, k.source_system])
        )
      }
    }).pipe(Effect.mapError(failed.write))

  /** Forgets the seen keys of every extract but `keep` (all of them when absent). */
  const clearSeen = (keep?: string): Effect.Effect<void, StoreError> =>
    (keep === undefined ? sql.unsafe(`DELETE FROM seen`) : sql.unsafe(`DELETE FROM seen WHERE extract_id <> ?`, [keep])).pipe(
      Effect.asVoid,
      Effect.mapError(failed.write)
    )

  /**
   * What the store holds for the source systems and projects a complete pass read, but the pass did not see.
   * Scoped to those projects, so a store that once held another project does not report all of it as deleted.
   */
  const deletedAtSource = (extractId: string): Effect.Effect<Partial<Record<EntityName, DeletedAtSource>>, StoreError> =>
    Effect.gen(function* () {
      const systems = (yield* sql.unsafe<{ s: string }>(`SELECT DISTINCT source_system AS s FROM seen WHERE extract_id = ? AND source_system IS NOT NULL`, [extractId])).map((r) => r.s)
      const out: Partial<Record<EntityName, DeletedAtSource>> = {}
      for (const system of systems) {
        const projectsSeen = Number(
          (yield* sql.unsafe<{ n: number }>(`SELECT COUNT(*) AS n FROM seen WHERE extract_id = ? AND entity = 'Project' AND source_system = ?`, [extractId, system]))[0]?.n ?? 0
        )
        const projects: Fragment = {
          sql: `SELECT "project_id" FROM ${q(tableName("Project"))} WHERE "source_system" = ? AND "source_id" IN (SELECT source_id FROM seen WHERE extract_id = ? AND entity = 'Project')`,
          params: [system, extractId]
        }
        for (const entity of entityOrder) {
          const table = q(tableName(entity))
          // A source without projects: everything of the system is in scope.
          const scope = projectsSeen > 0 ? inProjects(entity, projects) : undefined
          const where: Fragment = {
            sql: `"source_system" = ?${scope ? ` AND ${scope.sql}` : ""}
              AND NOT EXISTS (SELECT 1 FROM seen WHERE seen.extract_id = ? AND seen.entity = ? AND seen.source_id = ${table}."source_id")`,
            params: [system, ...(scope?.params ?? []), extractId, entity]
          }
          const count = Number((yield* sql.unsafe<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where.sql}`, [...where.params]))[0]?.n ?? 0)
          if (count === 0) continue
          const examples = yield* sql.unsafe<{ source_id: string }>(`SELECT "source_id" FROM ${table} WHERE ${where.sql} ORDER BY "source_id" LIMIT ${EXAMPLES}`, [...where.params])
          const previous = out[entity]
          out[entity] = {
            count: count + (previous?.count ?? 0),
            examples: [...(previous?.examples ?? []), ...examples.map((r) => String(r.source_id))].slice(0, EXAMPLES)
          }
        }
      }
      return out
    }).pipe(Effect.mapError(failed.read))

  return { replaceChildren, markSeen, clearSeen, deletedAtSource }
}
