/**
 * The Snowflake column type of a canonical column, read from its JSON Schema (core/canonical/schemas.ts `Column`).
 * The rules, in order:
 * - `format: date-time` → `TIMESTAMP_NTZ`: canonical timestamps are UTC by contract, so the wall clock stored is
 *   UTC and no session TIMEZONE can shift it (TIMESTAMP_LTZ/TZ would depend on, or carry, a session zone).
 * - `format: date` → `DATE`.
 * - `string` → `VARCHAR` (no length: Snowflake's maximum, and a length costs nothing to leave out).
 * - `integer` → `NUMBER(38,0)`: exact for every JSON integer an id or count can hold.
 * - `number` → `FLOAT` (a double, as in JSON).
 * - `boolean` → `BOOLEAN`.
 * - `array`, `object` and schema-less any-JSON (`CustomField.value_json`, `TestStep.parameters`, `labels`) →
 *   `VARIANT`, queryable with `v:path` and `FLATTEN`.
 * Nullability is not part of the type: see Ddl.ts for why no column but the natural key is NOT NULL.
 */
import type { Column } from "../../../core/index.ts"

export type SnowflakeType = "VARCHAR" | "NUMBER(38,0)" | "FLOAT" | "BOOLEAN" | "TIMESTAMP_NTZ" | "DATE" | "VARIANT"

export const snowflakeType = (column: Pick<Column, "name" | "type" | "format">): SnowflakeType => {
  if (column.type === "string" && column.format === "date-time") return "TIMESTAMP_NTZ"
  if (column.type === "string" && column.format === "date") return "DATE"
  switch (column.type) {
    case "string":
      return "VARCHAR"
    case "integer":
      return "NUMBER(38,0)"
    case "number":
      return "FLOAT"
    case "boolean":
      return "BOOLEAN"
    case "array":
    case "object":
    case "any":
      return "VARIANT"
  }
}
