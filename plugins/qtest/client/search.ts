/** `POST …/search` with the UI's query language: items, counts, and whole test cases or test logs. */
import { Effect, Stream } from "effect"
import type { ApiError } from "../../../core/index.ts"
import { PagedItems, SearchItem, TestCase, TestLog } from "../api/index.ts"
import type { SearchObjectType } from "../api/index.ts"
import { defaultPageSizes, json, type Send } from "./send.ts"

export const search = ({ project, call, searchWith }: Send) => ({
  /** `POST …/search` with the UI's query language, e.g. `'Zephyr Key' = 'PROJ-T1'`; every page of items. */
  search: (
    objectType: SearchObjectType,
    query: string,
    options: { readonly fields?: ReadonlyArray<string> | undefined; readonly pageSize?: number | undefined } = {}
  ): Stream.Stream<SearchItem, ApiError> =>
    searchWith(SearchItem, { object_type: objectType, fields: options.fields ?? ["*"], query }, options.pageSize ?? defaultPageSizes.search).pipe(
      Stream.withSpan("QtestClient.search")
    ),

  /** How many objects a query matches (`total` of a one-item page): one request. */
  searchCount: Effect.fn("QtestClient.searchCount")(function* (objectType: SearchObjectType, query: string) {
    const page = yield* call(PagedItems(SearchItem), "POST", `${project}/search`, {
      query: { page: 1, pageSize: 1 },
      body: json({ object_type: objectType, fields: ["id"], query }),
      retry: "transient"
    })
    return page.total ?? page.items.length
  }),

  /** The test cases a query matches, whole — properties and steps (`appendTestSteps`): many read back per request. */
  searchTestCases: (query: string): Stream.Stream<TestCase, ApiError> =>
    searchWith(TestCase, { object_type: "test-cases", fields: ["*"], query }, defaultPageSizes.search, { appendTestSteps: true }).pipe(Stream.withSpan("QtestClient.searchTestCases")),

  /** The test logs a query matches, whole — properties and step logs (`includeTestLogProperties`). */
  searchTestLogs: (query: string): Stream.Stream<TestLog, ApiError> =>
    searchWith(TestLog, { object_type: "test-logs", fields: ["*"], query }, defaultPageSizes.search, { includeTestLogProperties: true }).pipe(
      Stream.withSpan("QtestClient.searchTestLogs")
    )
})
