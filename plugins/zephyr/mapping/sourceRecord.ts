/**
 * `record()` for what a source knows. The generated row types make `created_at` / `created_on` / `updated_at`
 * non-null strings (what the store holds), but Zephyr gives most entities no timestamps, and CANONICAL.md says
 * core fills a missing one with the extraction time at which the content last changed
 * (core/pipeline/prepareRecord.ts fills null). A source must not invent one, so its rows say `null` there.
 */
import { record, type CanonicalRecord, type EntityName, type EntityTypes } from "../../../core/index.ts"

type Timestamp = "created_at" | "created_on" | "updated_at"

export type SourceRow<E extends EntityName> = Omit<EntityTypes[E], "content_hash" | Timestamp> & {
  readonly [K in Extract<keyof EntityTypes[E], Timestamp>]: string | null
}

export const sourceRecord = <E extends EntityName>(entity: E, data: SourceRow<E>): CanonicalRecord =>
  record(entity, data as unknown as Omit<EntityTypes[E], "content_hash">)
