/** `GET /api/v3/projects/{projectId}` (`ProjectResource`): what `check` confirms the token can see. */
import { Schema } from "effect"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { QtestId } from "./QtestId.ts"

export const Project = Schema.Struct({
  id: QtestId,
  name: Schema.String,
  description: nullable(Schema.String),
  status_id: nullable(Schema.Int),
  start_date: nullable(Schema.String),
  end_date: nullable(Schema.String),
  sample: nullable(Schema.Boolean),
  date_format: nullable(Schema.String),
  /** Automation settings enabled: the auto-test-logs endpoints need it. */
  automation: nullable(Schema.Boolean),
  template_id: nullable(Schema.Int),
  uuid: nullable(Schema.String),
  links: Links
})
export type Project = typeof Project.Type
