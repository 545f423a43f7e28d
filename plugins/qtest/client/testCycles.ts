/** Test cycles: the Test Execution tree. */
import { Effect, Stream } from "effect"
import type { ApiError } from "../../../core/index.ts"
import { TestCycle } from "../api/index.ts"
import type { ParentType, TestCycleBody } from "../api/index.ts"
import { defaultPageSizes, descendants, json, type Send } from "./send.ts"

/** Where a test cycle or run goes: `{ parentId: 0, parentType: "root" }` for the Test Execution root. */
export interface ExecutionParent {
  readonly parentId: number
  readonly parentType: ParentType
}

export const testCycles = ({ project, call, get, bareArrayPages }: Send) => ({
  listTestCycles: (
    parent: ExecutionParent,
    options: { readonly descendants?: boolean | undefined; readonly pageSize?: number | undefined } = {}
  ): Stream.Stream<TestCycle, ApiError> =>
    bareArrayPages(
      TestCycle,
      `${project}/test-cycles`,
      { parentId: parent.parentId, parentType: parent.parentType, expand: descendants(options.descendants) },
      "pageSize",
      options.pageSize ?? defaultPageSizes.testCycles
    ).pipe(Stream.withSpan("QtestClient.listTestCycles")),

  getTestCycle: Effect.fn("QtestClient.getTestCycle")(function* (testCycleId: number, options: { readonly descendants?: boolean | undefined } = {}) {
    return yield* get(TestCycle, `${project}/test-cycles/${testCycleId}`, { expand: descendants(options.descendants) })
  }),

  createTestCycle: Effect.fn("QtestClient.createTestCycle")(function* (body: TestCycleBody, parent: ExecutionParent) {
    return yield* call(TestCycle, "POST", `${project}/test-cycles`, { query: { parentId: parent.parentId, parentType: parent.parentType }, body: json(body) })
  }),

  /** Name, description and targets only: a move would ignore the body. */
  updateTestCycle: Effect.fn("QtestClient.updateTestCycle")(function* (testCycleId: number, body: TestCycleBody) {
    return yield* call(TestCycle, "PUT", `${project}/test-cycles/${testCycleId}`, { body: json(body) })
  })
})
