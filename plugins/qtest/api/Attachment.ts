/** An attachment (`AttachmentResource`): the blob-handles upload answer and the items of `…/attachments`. */
import { Schema } from "effect"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { QtestId } from "./QtestId.ts"

export const Attachment = Schema.Struct({
  id: QtestId,
  name: Schema.String,
  content_type: nullable(Schema.String),
  web_url: nullable(Schema.String),
  created_date: nullable(Schema.String),
  /** The object the attachment belongs to. */
  artifact_id: nullable(QtestId),
  links: Links
})
export type Attachment = typeof Attachment.Type
