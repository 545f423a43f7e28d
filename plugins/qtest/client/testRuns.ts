/** Test runs: a test case version placed under a release, cycle or suite. */
import { Effect, Stream } from "effect"
import type { ApiError } from "../../../core/index.ts"
import { PagedItems, TestRun } from "../api/index.ts"
import type { TestRunBody } from "../api/index.ts"
import { defaultPageSizes, descendants, json, type Send } from "./send.ts"
import type { ExecutionParent } from "./testCycles.ts"

export const testRuns = ({ project, call, get, pagedItems }: Send) => ({
  listTestRuns: (
    parent: ExecutionParent,
    options: { readonly descendants?: boolean | undefined; readonly pageSize?: number | undefined } = {}
  ): Stream.Stream<TestRun, ApiError> =>
    pagedItems(
      TestRun,
      "GET",
      `${project}/test-runs`,
      { parentId: parent.parentId, parentType: parent.parentType, expand: descendants(options.descendants) },
      options.pageSize ?? defaultPageSizes.testRuns
    ).pipe(Stream.withSpan("QtestClient.listTestRuns")),

  getTestRun: Effect.fn("QtestClient.getTestRun")(function* (testRunId: number) {
    return yield* get(TestRun, `${project}/test-runs/${testRunId}`)
  }),

  /** How many test runs are under `parent`, its sub-cycles included (`total` of a one-item page). */
  countTestRuns: Effect.fn("QtestClient.countTestRuns")(function* (parent: ExecutionParent) {
    const page = yield* get(PagedItems(TestRun), `${project}/test-runs`, {
      parentId: parent.parentId,
      parentType: parent.parentType,
      expand: "descendants",
      page: 1,
      pageSize: 1
    })
    return page.total ?? page.items.length
  }),

  createTestRun: Effect.fn("QtestClient.createTestRun")(function* (body: TestRunBody, parent: ExecutionParent) {
    return yield* call(TestRun, "POST", `${project}/test-runs`, { query: { parentId: parent.parentId, parentType: parent.parentType }, body: json(body) })
  }),

  /** `PUT …/test-runs/{id}` with a body (no `parentId`: that form moves the run and ignores the body). */
  updateTestRun: Effect.fn("QtestClient.updateTestRun")(function* (testRunId: number, body: TestRunBody) {
    return yield* call(TestRun, "PUT", `${project}/test-runs/${testRunId}`, { body: json(body) })
  })
})
