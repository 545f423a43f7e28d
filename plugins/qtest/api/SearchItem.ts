/**
 * An item of `POST …/search`: the object's own resource shape, which varies by `object_type`. What every type
 * shares is decoded here (enough to find an object again by name or by a field holding its Zephyr key); the
 * type-specific decoders (TestCase, TestRun, Requirement, …) apply to the same items when more is needed.
 */
import { Schema } from "effect"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { Properties } from "./Property.ts"
import { QtestId } from "./QtestId.ts"

export const SearchItem = Schema.Struct({
  id: QtestId,
  pid: nullable(Schema.String),
  name: nullable(Schema.String),
  parent_id: nullable(Schema.Int),
  properties: Properties,
  web_url: nullable(Schema.String),
  links: Links
})
export type SearchItem = typeof SearchItem.Type

/** The object types `POST …/search` accepts. */
export type SearchObjectType =
  | "requirements"
  | "test-cases"
  | "test-runs"
  | "test-suites"
  | "test-cycles"
  | "test-logs"
  | "builds"
  | "releases"
  | "defects"
