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

/** A record or its quarantine item: what transforms see, what the store keeps, what sinks load. */
export type Extracted = CanonicalRecord | Quarantined

/**
 * A resume point in a source's stream (Singer's STATE message): `state` is opaque JSON the source chooses and
 * gets back as `ExtractOptions.resume` when an extract was cut short. It promises that everything emitted before
 * it is all a resumed extract may skip. Core commits it in the same transaction as the records before it, never
 * ahead of them, so a stored checkpoint never claims work that was rolled back.
 */
export interface Checkpoint {
  readonly entity: "Checkpoint"
  readonly data: { readonly state: unknown }
}

/**
 * "This parent was just re-read with all of its children": for each entity named in `children`, the source ids
 * the source has now. Core removes from the store the rows of those entities that belong to the parent (see
 * `ownership`, transitively: a case's step's custom fields belong to the case) and are not listed — a step
 * deleted from a changed case must not linger. Entities not named are left alone (not re-read this time).
 * Quarantined children are listed too: the row stored before they broke stays.
 */
export interface ChildSet {
  readonly entity: "ChildSet"
  readonly data: {
    readonly parent: EntityName
    /** The parent's primary-key value (`test_case_id`, `execution_id`, …). */
    readonly parent_id: number
    readonly source_system: string
    readonly children: { readonly [E in EntityName]?: ReadonlyArray<string> }
  }
}

/**
 * What a source's `extract` streams: records and quarantine items, plus control items core consumes itself.
 * Transforms and sinks never see control items, so they stay `Extracted`-only.
 */
export type SourceItem = Extracted | Checkpoint | ChildSet

export const checkpoint = (state: unknown): Checkpoint => ({ entity: "Checkpoint", data: { state } })

export const isControl = (item: SourceItem): item is Checkpoint | ChildSet => item.entity === "Checkpoint" || item.entity === "ChildSet"

/**
 * Which records belong to another one — are read with it and go with it: a step to its case, a step result to
 * its execution, custom fields, links and attachments to the object they name. The parent is found by its
 * primary key (`x-primary-key`). Core uses this to replace a re-read parent's children (`ChildSet`) and to scope
 * "deleted at the source" to the projects a full pass read. `parents` are the schema's enum of the type column.
 */
export type Owner =
  | { readonly kind: "column"; readonly parent: EntityName; readonly column: string }
  | { readonly kind: "typed"; readonly typeColumn: string; readonly idColumn: string; readonly parents: ReadonlyArray<EntityName> }

export const ownership: { readonly [E in EntityName]?: Owner } = {
  TestStep: { kind: "column", parent: "TestCase", column: "test_case_id" },
  ExecutionStepResult: { kind: "column", parent: "TestExecution", column: "execution_id" },
  CustomField: { kind: "typed", typeColumn: "object_type", idColumn: "object_id", parents: ["TestCase", "TestCycle", "TestExecution", "TestPlan", "TestStep"] },
  Link: { kind: "typed", typeColumn: "object_type", idColumn: "object_id", parents: ["TestCase", "TestCycle", "TestPlan", "TestExecution"] },
  Attachment: { kind: "typed", typeColumn: "related_type", idColumn: "related_id", parents: ["TestCase", "TestExecution", "TestStep"] }
}

export const quarantine = (of: EntityName, source_id: string, reason: string, payload: unknown): Quarantined => ({
  entity: "Quarantine",
  data: { of, source_id, reason, payload }
})

export const record = <E extends EntityName>(entity: E, data: Emitted<EntityTypes[E]>): CanonicalRecord =>
  ({ entity, data }) as unknown as CanonicalRecord
