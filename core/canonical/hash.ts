/**
 * The content hash of a canonical record: what the store and the sinks compare to tell "changed" from
 * "unchanged". It covers the record's content only — provenance (where it came from) and timestamps (which core
 * may fill with the extraction time) are left out, or every re-run would look like a change.
 */
import { createHash } from "node:crypto"
import type { EntityName } from "./Canonical.ts"
import { canonicalSchemas, columns } from "./schemas.ts"

const PROVENANCE = new Set(["source_system", "source_id", "source_key", "content_hash"])
const TIMESTAMPS = new Set(["created_at", "created_on", "updated_at"])

interface HashColumns {
  /** Provenance, the timestamp columns, and columns marked `x-hash: false` (locators such as a download URL). */
  readonly excluded: ReadonlySet<string>
  /**
   * Columns marked `x-hash: "when-set"`: hashed only when they hold a value. A column added to the canonical
   * schema after stores were filled is one: its null in the records of a source that does not have it must not
   * make every stored record of that entity look changed.
   */
  readonly whenSet: ReadonlySet<string>
}

const hashColumnsByEntity = new Map<EntityName, HashColumns>()

/** What the hash leaves out of `entity`'s records, always or when null. Computed once per entity: this runs for every record. */
const hashColumns = (entity: EntityName): HashColumns => {
  let found = hashColumnsByEntity.get(entity)
  if (found === undefined) {
    const properties = canonicalSchemas[entity].properties
    const names = columns(entity).map((c) => c.name)
    found = {
      excluded: new Set([...PROVENANCE, ...names.filter((n) => TIMESTAMPS.has(n) || properties[n]?.["x-hash"] === false)]),
      whenSet: new Set(names.filter((n) => properties[n]?.["x-hash"] === "when-set"))
    }
    hashColumnsByEntity.set(entity, found)
  }
  return found
}

/**
 * JSON with object keys sorted at every depth, so key order never changes the hash. Like JSON.stringify, it drops
 * `undefined` object members (a missing optional value hashes the same as an absent key).
 */
export const stableJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null"
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : stableJson(v))).join(",")}]`
  const obj = value as Record<string, unknown>
  const parts: Array<string> = []
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key]
    if (v !== undefined) parts.push(`${JSON.stringify(key)}:${stableJson(v)}`)
  }
  return `{${parts.join(",")}}`
}

/** sha256 hex of the record's stable JSON without provenance and created_at/created_on/updated_at. */
export const contentHash = (entity: EntityName, data: object): string => {
  const { excluded, whenSet } = hashColumns(entity)
  const content: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data)) if (!excluded.has(key) && !(value === null && whenSet.has(key))) content[key] = value
  return createHash("sha256").update(stableJson(content), "utf8").digest("hex")
}
