/**
 * Ids for canonical records the source gives no numeric id: steps without a step id (`<caseKey>#<order>`),
 * custom field values (`<object_type>/<object_id>/<field_name>`), links (their source_id).
 *
 * Rule: the first 6 bytes of sha256(text, UTF-8), read as a big-endian unsigned integer. 48 bits fit a JS number
 * exactly (< 2^53), SQLite INTEGER and Snowflake NUMBER, and are the same on every run and machine, so a re-run
 * derives the same id and the store upserts instead of duplicating. The one value 0 (probability 2^-48) becomes 1,
 * keeping ids positive. Collisions: ~50% only at ~16.7 million ids of one entity; a collision surfaces as a
 * primary-key conflict, never as silent merging, because the natural key (source_system, source_id) differs.
 */
import { createHash } from "node:crypto"

export const derivedId = (text: string): number => {
  const id = createHash("sha256").update(text, "utf8").digest().readUIntBE(0, 6)
  return id === 0 ? 1 : id
}
