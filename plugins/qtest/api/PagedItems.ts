/**
 * The `{page, page_size, total, items}` envelope of the endpoints that page in the body (test runs, test logs,
 * search, users/search). Bare-array endpoints (test cases, test cycles, …) have no envelope and no total.
 */
import { Schema } from "effect"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"

export const PagedItems = <A, I, R>(item: Schema.Schema<A, I, R>) =>
  Schema.Struct({
    page: nullable(Schema.Int),
    page_size: nullable(Schema.Int),
    total: nullable(Schema.Int),
    items: Schema.Array(item),
    links: Links
  })

export interface PagedItems<A> {
  readonly page?: number | null | undefined
  readonly page_size?: number | null | undefined
  readonly total?: number | null | undefined
  readonly items: ReadonlyArray<A>
}
