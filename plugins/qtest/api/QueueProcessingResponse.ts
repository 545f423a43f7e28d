/**
 * A queued batch job (`QueueProcessingResponse`), from `POST …/auto-test-logs` and `GET …/queue-processing/{id}`.
 * States: IN_WAITING, IN_PROCESSING, PENDING, then SUCCESS or FAILED. `content` is a JSON *string* whose shape is
 * undocumented for the tree endpoint: on FAILED it carries the error text; nothing else relies on it.
 */
import { Schema } from "effect"
import { nullable } from "./nullable.ts"
import { QtestId } from "./QtestId.ts"

export const QueueProcessingResponse = Schema.Struct({
  id: QtestId,
  /** Kept a string: an unknown state is treated as "not finished", not as a decode error. */
  state: Schema.String,
  type: nullable(Schema.String),
  contentType: nullable(Schema.String),
  content: nullable(Schema.String)
})
export type QueueProcessingResponse = typeof QueueProcessingResponse.Type

export const isTerminalState = (state: string): state is "SUCCESS" | "FAILED" => state === "SUCCESS" || state === "FAILED"
