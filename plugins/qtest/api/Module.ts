/**
 * A Test Design folder (`ModuleResource`). With `expand=descendants` the server nests the subtree in
 * `children`, so the schema is recursive.
 */
import { Schema } from "effect"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { QtestId } from "./QtestId.ts"

const fields = {
  id: QtestId,
  name: Schema.String,
  pid: nullable(Schema.String),
  order: nullable(Schema.Int),
  /** Absent or null for a root module. */
  parent_id: nullable(QtestId),
  description: nullable(Schema.String),
  shared: nullable(Schema.Boolean),
  created_date: nullable(Schema.String),
  last_modified_date: nullable(Schema.String),
  links: Links
}

export interface Module extends Schema.Struct.Type<typeof fields> {
  readonly children?: ReadonlyArray<Module> | null | undefined
}
export interface ModuleEncoded extends Schema.Struct.Encoded<typeof fields> {
  readonly children?: ReadonlyArray<ModuleEncoded> | null | undefined
}

export const Module = Schema.Struct({
  ...fields,
  children: nullable(Schema.Array(Schema.suspend((): Schema.Schema<Module, ModuleEncoded> => Module)))
})
