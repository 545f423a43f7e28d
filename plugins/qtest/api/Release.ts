/** A release (`ReleaseWithCustomFieldResource`, pid `RL-n`): a Test Plan node that test cycles may sit under. */
import { Schema } from "effect"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { Properties } from "./Property.ts"
import { QtestId } from "./QtestId.ts"

export const Release = Schema.Struct({
  id: QtestId,
  name: Schema.String,
  pid: nullable(Schema.String),
  order: nullable(Schema.Int),
  description: nullable(Schema.String),
  note: nullable(Schema.String),
  start_date: nullable(Schema.String),
  end_date: nullable(Schema.String),
  properties: Properties,
  web_url: nullable(Schema.String),
  created_date: nullable(Schema.String),
  last_modified_date: nullable(Schema.String),
  links: Links
})
export type Release = typeof Release.Type
