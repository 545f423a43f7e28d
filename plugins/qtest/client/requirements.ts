/** Requirements: found by name (Jira-synced ones carry the issue key), and linked to test cases. */
import { Effect, Schema, Stream } from "effect"
import type { ApiError } from "../../../core/index.ts"
import { LinkedObjects, Requirement, arrayOf } from "../api/index.ts"
import { defaultPageSizes, json, type Send } from "./send.ts"

export const requirements = ({ project, call, searchWith }: Send) => ({
  /** Requirements whose name contains `text` (`Name ~ '…'`): how Jira-synced requirements are found by issue key. */
  findRequirements: (text: string): Stream.Stream<Requirement, ApiError> =>
    searchWith(Requirement, { object_type: "requirements", fields: ["*"], query: `Name ~ '${text}'` }, defaultPageSizes.search).pipe(
      Stream.withSpan("QtestClient.findRequirements")
    ),

  /** Links test cases to a requirement (qTest links from the requirement side); unlinkable ids are ignored by qTest. */
  linkRequirement: Effect.fn("QtestClient.linkRequirement")(function* (requirementId: number, testCaseIds: ReadonlyArray<number>) {
    if (testCaseIds.length === 0) return []
    // linking is idempotent (an existing link is kept), so a timed-out link may safely be sent again
    return yield* call(arrayOf(LinkedObjects), "POST", `${project}/requirements/${requirementId}/link`, {
      query: { type: "test-cases" },
      body: json(testCaseIds),
      retry: "transient"
    })
  })
})
