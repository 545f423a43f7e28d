/** `GET /projects/{key}` and `/projects` items. Zephyr returns no project name (Jira has it). */
import { Schema } from "effect"
import { ZephyrId } from "./ZephyrIds.ts"

export const Project = Schema.Struct({
  id: ZephyrId,
  jiraProjectId: Schema.optional(Schema.NullOr(Schema.Int)),
  key: Schema.String,
  enabled: Schema.optional(Schema.NullOr(Schema.Boolean))
})
export type Project = typeof Project.Type
