/** The project, its folders, and the id → name lookup lists (statuses, priorities, environments). */
import { Schema } from "effect"
import { EntityLink, ZephyrId } from "./common.ts"

/** `GET /projects/{key}` and `/projects` items. Zephyr returns no project name (Jira has it). */
export const Project = Schema.Struct({
  id: ZephyrId,
  jiraProjectId: Schema.optional(Schema.NullOr(Schema.Int)),
  key: Schema.String,
  enabled: Schema.optional(Schema.NullOr(Schema.Boolean))
})
export type Project = typeof Project.Type

export const FolderType = Schema.Literal("TEST_CASE", "TEST_PLAN", "TEST_CYCLE")
export type FolderType = typeof FolderType.Type

/** `GET /folders` items: a flat list; the tree is rebuilt from `parentId` (null for roots). */
export const Folder = Schema.Struct({
  id: ZephyrId,
  parentId: Schema.optional(Schema.NullOr(ZephyrId)),
  name: Schema.String,
  index: Schema.optional(Schema.NullOr(Schema.Int)),
  folderType: FolderType,
  project: Schema.optional(Schema.NullOr(EntityLink))
})
export type Folder = typeof Folder.Type

/** `GET /statuses` items: read as an id → name lookup (statuses of all four types share one id space). */
export const Status = Schema.Struct({
  id: ZephyrId,
  name: Schema.String,
  description: Schema.optional(Schema.NullOr(Schema.String)),
  index: Schema.optional(Schema.NullOr(Schema.Int)),
  color: Schema.optional(Schema.NullOr(Schema.String)),
  archived: Schema.optional(Schema.NullOr(Schema.Boolean)),
  default: Schema.optional(Schema.NullOr(Schema.Boolean))
})
export type Status = typeof Status.Type

/** `GET /priorities` items: read as an id → name lookup. */
export const Priority = Schema.Struct({
  id: ZephyrId,
  name: Schema.String,
  description: Schema.optional(Schema.NullOr(Schema.String)),
  index: Schema.optional(Schema.NullOr(Schema.Int)),
  color: Schema.optional(Schema.NullOr(Schema.String)),
  default: Schema.optional(Schema.NullOr(Schema.Boolean))
})
export type Priority = typeof Priority.Type

/** `GET /environments` items: read as an id → name lookup (archived ones too: old executions use them). */
export const Environment = Schema.Struct({
  id: ZephyrId,
  name: Schema.String,
  description: Schema.optional(Schema.NullOr(Schema.String)),
  index: Schema.optional(Schema.NullOr(Schema.Int)),
  archived: Schema.optional(Schema.NullOr(Schema.Boolean))
})
export type Environment = typeof Environment.Type
