/**
 * The canonical JSON Schemas (schemas/canonical) as values, and what core derives from them: the columns of each
 * entity in order, its primary and natural key. Validation, hashing and the SQLite DDL all read these, so a
 * column added to a schema reaches every consumer without a second hand-written list.
 */
import type { EntityName } from "./Canonical.ts"
import Attachment from "../../schemas/canonical/Attachment.schema.json" with { type: "json" }
import CustomField from "../../schemas/canonical/CustomField.schema.json" with { type: "json" }
import ExecutionStepResult from "../../schemas/canonical/ExecutionStepResult.schema.json" with { type: "json" }
import Folder from "../../schemas/canonical/Folder.schema.json" with { type: "json" }
import Link from "../../schemas/canonical/Link.schema.json" with { type: "json" }
import Project from "../../schemas/canonical/Project.schema.json" with { type: "json" }
import TestCase from "../../schemas/canonical/TestCase.schema.json" with { type: "json" }
import TestCycle from "../../schemas/canonical/TestCycle.schema.json" with { type: "json" }
import TestExecution from "../../schemas/canonical/TestExecution.schema.json" with { type: "json" }
import TestPlan from "../../schemas/canonical/TestPlan.schema.json" with { type: "json" }
import TestStep from "../../schemas/canonical/TestStep.schema.json" with { type: "json" }

/** A JSON Schema property, as far as core reads it. */
export interface JsonSchemaProperty {
  readonly type?: string | ReadonlyArray<string>
  readonly description?: string
  readonly format?: string
  readonly enum?: ReadonlyArray<unknown>
  readonly items?: unknown
  readonly "x-seed"?: boolean
  readonly [keyword: string]: unknown
}

/** An entity's JSON Schema, with the metadata keywords every canonical schema carries. */
export interface JsonSchemaObject {
  readonly $schema: string
  readonly $id: string
  readonly title: string
  readonly description: string
  readonly type: "object"
  readonly "x-table": string
  readonly "x-primary-key": string
  readonly "x-natural-key": ReadonlyArray<string>
  /** Composite indexes of the store, for an order a sink reads the entity in (each a list of columns). */
  readonly "x-indexes"?: ReadonlyArray<ReadonlyArray<string>>
  readonly additionalProperties: false
  readonly required: ReadonlyArray<string>
  readonly properties: { readonly [column: string]: JsonSchemaProperty }
}

// The imported JSON's inferred type is structural and wider in places (e.g. `type: string`), hence the cast.
export const canonicalSchemas: { readonly [E in EntityName]: JsonSchemaObject } = {
  Project,
  Folder,
  TestCase,
  TestStep,
  TestPlan,
  TestCycle,
  TestExecution,
  ExecutionStepResult,
  CustomField,
  Link,
  Attachment
} as unknown as { readonly [E in EntityName]: JsonSchemaObject }

/** The JSON type of a column; "any" for a schema without `type` (any JSON value, e.g. CustomField.value_json). */
export type ColumnType = "string" | "integer" | "number" | "boolean" | "array" | "object" | "any"

export interface Column {
  readonly name: string
  /** The non-null JSON type. */
  readonly type: ColumnType
  /** Whether null is allowed (a `type` array with "null", or any-JSON). */
  readonly nullable: boolean
  readonly format: string | undefined
  /** Stored as JSON text in SQLite and other flat stores: arrays, objects and any-JSON columns. */
  readonly isArrayOrObject: boolean
  /** Declared by the seed schema (`x-seed`), as opposed to an addition. */
  readonly seed: boolean
  readonly description: string
}

const toColumn = (entity: EntityName, name: string, property: JsonSchemaProperty): Column => {
  const declared = property.type
  const types = declared === undefined ? [] : typeof declared === "string" ? [declared] : declared
  const nonNull = types.filter((t) => t !== "null")
  if (nonNull.length > 1) throw new Error(`${entity}.${name}: a column has one JSON type besides null, got ${nonNull.join(", ")}`)
  const type = (nonNull[0] ?? "any") as ColumnType
  return {
    name,
    type,
    nullable: type === "any" || types.includes("null"),
    format: property.format,
    isArrayOrObject: type === "array" || type === "object" || type === "any",
    seed: property["x-seed"] === true,
    description: property.description ?? ""
  }
}

const columnsByEntity = Object.fromEntries(
  Object.entries(canonicalSchemas).map(([entity, schema]) => [
    entity,
    Object.entries(schema.properties).map(([name, property]) => toColumn(entity as EntityName, name, property))
  ])
) as unknown as { readonly [E in EntityName]: ReadonlyArray<Column> }

/** The entity's columns in schema order: seed columns, additions, then provenance. */
export const columns = (entity: EntityName): ReadonlyArray<Column> => columnsByEntity[entity]

/** The seed's primary-key column, e.g. `test_case_id`. */
export const primaryKey = (entity: EntityName): string => canonicalSchemas[entity]["x-primary-key"]

/** The columns sinks upsert on: `(source_system, source_id)`, for CustomField `(object_type, object_id, field_name)`. */
export const naturalKey = (entity: EntityName): ReadonlyArray<string> => canonicalSchemas[entity]["x-natural-key"]

/** The table name the seed gives the entity. */
export const tableName = (entity: EntityName): string => canonicalSchemas[entity]["x-table"]

/** The entity's composite indexes (`x-indexes`): each a list of columns. */
export const compositeIndexes = (entity: EntityName): ReadonlyArray<ReadonlyArray<string>> => canonicalSchemas[entity]["x-indexes"] ?? []
