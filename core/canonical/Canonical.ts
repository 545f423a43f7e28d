/**
 * Records as they flow from a source to the store. The row types are generated from schemas/canonical
 * (types.gen.ts); this file adds the envelope and the dependency order.
 */
import type { EntityTypes } from "./types.gen.ts"

export type { EntityTypes } from "./types.gen.ts"

/** Dependency order: a record only refers to entities earlier in this list. */
export const entityOrder = [
  "Project",
  "Folder",
  "TestCase",
  "TestStep",
  "TestPlan",
  "TestCycle",
  "TestExecution",
  "ExecutionStepResult",
  "CustomField",
  "Link",
  "Attachment"
] as const satisfies ReadonlyArray<keyof EntityTypes>

export type EntityName = keyof EntityTypes

/** Columns core fills with the extraction time when the source has no value (schemas/CANONICAL.md). */
export type TimestampColumn = "created_at" | "created_on" | "updated_at"

/**
 * A row as a source emits it: no `content_hash` (core computes it), and timestamps optional — a source gives the
 * ones the system has and leaves the rest null; core fills them before validation.
 */
export type Emitted<T> = Omit<T, "content_hash" | TimestampColumn> & {
  readonly [K in Extract<keyof T, TimestampColumn>]?: string | null | undefined
}

/** A canonical record — what a source emits. */
export type CanonicalRecord = {
  readonly [E in EntityName]: { readonly entity: E; readonly data: Emitted<EntityTypes[E]> }
}[EntityName]

/** A source record that could not be turned into a canonical one: stored in `quarantine`, named in the report. */
export interface Quarantined {
  readonly entity: "Quarantine"
  readonly data: {
    readonly of: EntityName
    readonly source_id: string
    readonly reason: string
    /** The raw source payload, as received (JSON). */
    readonly payload: unknown
  }
}

export type Extracted = CanonicalRecord | Quarantined

export const quarantine = (of: EntityName, source_id: string, reason: string, payload: unknown): Quarantined => ({
  entity: "Quarantine",
  data: { of, source_id, reason, payload }
})

export const record = <E extends EntityName>(entity: E, data: Emitted<EntityTypes[E]>): CanonicalRecord =>
  ({ entity, data }) as unknown as CanonicalRecord
