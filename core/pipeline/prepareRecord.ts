/**
 * Between source and store: fill the timestamps the source does not give (with the run's start time — the store
 * keeps an older value when the record is unchanged or only updated), compute the content hash, validate against
 * the canonical schema. A record that fails validation becomes a quarantine item with the schema's reasons.
 */
import type { CanonicalRecord } from "../canonical/Canonical.ts"
import { quarantine, type Quarantined } from "../canonical/Canonical.ts"
import { contentHash } from "../canonical/hash.ts"
import { columns } from "../canonical/schemas.ts"
import { validateRecord } from "../canonical/validate.ts"
import type { StoredRecord } from "../store/StateStore.ts"

const TIMESTAMPS = ["created_at", "created_on", "updated_at"] as const

export const prepareRecord = (record: CanonicalRecord, now: string): StoredRecord | Quarantined => {
  const data: Record<string, unknown> = { ...record.data }
  const derivedTimestamps: Array<string> = []
  const cols = columns(record.entity)
  for (const t of TIMESTAMPS) {
    if (cols.some((c) => c.name === t) && (data[t] === null || data[t] === undefined)) {
      data[t] = now
      derivedTimestamps.push(t)
    }
  }
  data["content_hash"] = contentHash(record.entity, data)
  const problems = validateRecord(record.entity, data)
  const sourceId = typeof data["source_id"] === "string" ? data["source_id"] : String(data["source_id"] ?? "?")
  if (problems) {
    const key = typeof data["source_key"] === "string" ? data["source_key"] : sourceId
    return quarantine(
      record.entity,
      sourceId,
      `${record.entity} ${key} fails the canonical ${record.entity} schema (${problems.join("; ")}) — fix it at the source; once it changes there, the next run reads it again`,
      record.data
    )
  }
  return { entity: record.entity, data: data as StoredRecord["data"], derivedTimestamps }
}
