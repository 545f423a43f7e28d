/**
 * qTest's paging is not uniform (docs/vendors/qtest.md §2.2): test cases and requirements take `page` + `size` and
 * answer a bare array (no total: clients loop until a page is short); test runs, test logs and search take
 * `page` + `pageSize` and answer `{links, page, page_size, total, items}`; user search caps `pageSize` at 100.
 * A page size above an endpoint's maximum is clamped to it (the envelope says what was applied).
 */
import { queryInt } from "./Body.ts"
import { fail } from "./Reply.ts"

export interface PageRequest {
  readonly page: number
  readonly size: number
}

export const pageRequest = (q: URLSearchParams, sizeParam: "size" | "pageSize", fallback: number, max: number): PageRequest => {
  const page = queryInt(q, "page") ?? 1
  if (page < 1) return fail(400, "Query parameter 'page' must be greater than or equal to 1")
  const size = queryInt(q, sizeParam) ?? fallback
  if (size < 1) return fail(400, `Query parameter '${sizeParam}' must be greater than or equal to 1`)
  return { page, size: Math.min(size, max) }
}

export const slicePage = <T>(items: ReadonlyArray<T>, { page, size }: PageRequest): Array<T> => items.slice((page - 1) * size, page * size)

/** The `{links, page, page_size, total, items}` envelope. */
export const envelope = <T>(items: ReadonlyArray<T>, request: PageRequest, selfHref: string, render: (item: T) => unknown) => ({
  links: [{ rel: "self", href: selfHref }],
  page: request.page,
  page_size: request.size,
  total: items.length,
  items: slicePage(items, request).map(render)
})
