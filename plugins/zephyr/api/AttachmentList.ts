/**
 * `GET /testcases/{key}/attachments` and `/testexecutions/{id}/attachments`: `{attachments:[{id,name}]}`.
 * The envelope is decoded strictly, each entry on its own (a malformed entry is quarantined).
 */
import { Schema } from "effect"
import { ZephyrId } from "./ZephyrIds.ts"

export const AttachmentList = Schema.Struct({
  attachments: Schema.Array(Schema.Unknown)
})
export type AttachmentList = typeof AttachmentList.Type

export const AttachmentEntry = Schema.Struct({
  id: ZephyrId,
  name: Schema.String
})
export type AttachmentEntry = typeof AttachmentEntry.Type
