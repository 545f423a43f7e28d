/**
 * A test run execution status (`StatusResource`, from `…/test-runs/execution-statuses`). Only 601 = Passed is
 * confirmed across sites: the sink reads this list and maps by name, never by a hard-coded id.
 */
import { Schema } from "effect"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { QtestId } from "./QtestId.ts"

export const ExecutionStatus = Schema.Struct({
  id: QtestId,
  name: Schema.String,
  is_default: nullable(Schema.Boolean),
  color: nullable(Schema.String),
  active: nullable(Schema.Boolean),
  links: Links
})
export type ExecutionStatus = typeof ExecutionStatus.Type

/** A status as embedded in a log or step log: the id always, the rest when the server expands it. */
export const StatusRef = Schema.Struct({
  id: QtestId,
  name: nullable(Schema.String),
  color: nullable(Schema.String)
})
export type StatusRef = typeof StatusRef.Type
