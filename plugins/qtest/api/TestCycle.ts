/**
 * A Test Execution folder (`TestCycleResource`, pid `CL-n`). With `expand=descendants` the subtree is nested
 * under the hyphenated key `test-cycles`, so the schema is recursive. Test suites are not migrated: their
 * entries stay undecoded.
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
  description: nullable(Schema.String),
  target_release_id: nullable(QtestId),
  target_build_id: nullable(QtestId),
  web_url: nullable(Schema.String),
  created_date: nullable(Schema.String),
  last_modified_date: nullable(Schema.String),
  "test-suites": nullable(Schema.Array(Schema.Unknown)),
  links: Links
}

export interface TestCycle extends Schema.Struct.Type<typeof fields> {
  readonly "test-cycles"?: ReadonlyArray<TestCycle> | null | undefined
}
export interface TestCycleEncoded extends Schema.Struct.Encoded<typeof fields> {
  readonly "test-cycles"?: ReadonlyArray<TestCycleEncoded> | null | undefined
}

export const TestCycle = Schema.Struct({
  ...fields,
  "test-cycles": nullable(Schema.Array(Schema.suspend((): Schema.Schema<TestCycle, TestCycleEncoded> => TestCycle)))
})

/** Where a test cycle or run sits: `root` (id 0), a release, a test cycle (or, for runs, a test suite). */
export type ParentType = "root" | "release" | "test-cycle" | "test-suite"
