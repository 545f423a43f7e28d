/** `GET /folders` items: a flat list; the tree is rebuilt from `parentId` (null for roots). */
import { Schema } from "effect"
import { EntityLink } from "./EntityLink.ts"
import { ZephyrId } from "./ZephyrIds.ts"

export const FolderType = Schema.Literal("TEST_CASE", "TEST_PLAN", "TEST_CYCLE")
export type FolderType = typeof FolderType.Type

export const Folder = Schema.Struct({
  id: ZephyrId,
  parentId: Schema.optional(Schema.NullOr(ZephyrId)),
  name: Schema.String,
  index: Schema.optional(Schema.NullOr(Schema.Int)),
  folderType: FolderType,
  project: Schema.optional(Schema.NullOr(EntityLink))
})
export type Folder = typeof Folder.Type
