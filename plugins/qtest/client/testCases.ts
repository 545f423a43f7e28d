/** Test cases, their approval and their versions. */
import { Effect, Schema, Stream } from "effect"
import type { ApiError } from "../../../core/index.ts"
import { TestCase, arrayOf } from "../api/index.ts"
import type { TestCaseBody } from "../api/index.ts"
import { defaultPageSizes, json, type Send } from "./send.ts"

export const testCases = ({ project, call, get, bareArrayPages }: Send) => ({
  /** The cases directly in a module, page by page until a short page (the endpoint gives no total). */
  listTestCases: (
    moduleId: number,
    options: { readonly expandSteps?: boolean | undefined; readonly expandProps?: boolean | undefined; readonly pageSize?: number | undefined } = {}
  ): Stream.Stream<TestCase, ApiError> =>
    bareArrayPages(
      TestCase,
      `${project}/test-cases`,
      { parentId: moduleId, expandSteps: options.expandSteps, expandProps: options.expandProps },
      "size",
      options.pageSize ?? defaultPageSizes.testCases
    ).pipe(Stream.withSpan("QtestClient.listTestCases")),

  /** By id or PID (`TC-12`), with its steps unless `steps: false`; the latest version unless `versionId`. */
  getTestCase: Effect.fn("QtestClient.getTestCase")(function* (
    idOrPid: number | string,
    options: { readonly steps?: boolean | undefined; readonly versionId?: number | undefined } = {}
  ) {
    return yield* get(TestCase, `${project}/test-cases/${encodeURIComponent(String(idOrPid))}`, {
      expand: options.steps === false ? undefined : "teststep",
      versionId: options.versionId
    })
  }),

  createTestCase: Effect.fn("QtestClient.createTestCase")(function* (body: TestCaseBody) {
    return yield* call(TestCase, "POST", `${project}/test-cases`, { body: json(body) })
  }),

  /** A save: bumps the version by 0.1. */
  updateTestCase: Effect.fn("QtestClient.updateTestCase")(function* (testCaseId: number, body: TestCaseBody) {
    return yield* call(TestCase, "PUT", `${project}/test-cases/${testCaseId}`, { body: json(body) })
  }),

  /** Approves the latest version (4.2 → 5.0): runs and logs without a version id use the latest approved one. */
  approveTestCase: Effect.fn("QtestClient.approveTestCase")(function* (testCaseId: number) {
    return yield* call(TestCase, "PUT", `${project}/test-cases/${testCaseId}/approve`)
  }),

  /** Approved majors plus the last unapproved minor. */
  listTestCaseVersions: Effect.fn("QtestClient.listTestCaseVersions")(function* (testCaseId: number) {
    return yield* get(arrayOf(TestCase), `${project}/test-cases/${testCaseId}/versions`)
  })
})
