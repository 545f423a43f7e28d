/**
 * Defects linked to test logs (docs/vendors/qtest.md §4.14): link a log to Jira issues through the project's
 * Jira defect integration, and read back what a log is linked to.
 */
import { Effect } from "effect"
import { LinkedArtifactContainer, LinkedDefectContainer, arrayOf } from "../api/index.ts"
import { json, type Send } from "./send.ts"

export const defects = ({ project, call, get }: Send) => ({
  /**
   * `POST …/test-logs/{id}/defects` (S1 `linkArtifactsByPid`) with Jira issue ids as strings. A create: not
   * retried but on 429 — whether a lost answer's link happened is the sink's look-up to find out.
   */
  linkDefects: Effect.fn("QtestClient.linkDefects")(function* (testLogId: number, issueIds: ReadonlyArray<string>) {
    return yield* call(arrayOf(LinkedDefectContainer), "POST", `${project}/test-logs/${testLogId}/defects`, { body: json(issueIds) })
  }),

  /** The defects a log is linked to: `GET …/linked-artifacts?type=test-logs&ids={id}` (S1 `find`). */
  linkedDefects: Effect.fn("QtestClient.linkedDefects")(function* (testLogId: number) {
    const containers = yield* get(arrayOf(LinkedArtifactContainer), `${project}/linked-artifacts`, { type: "test-logs", ids: testLogId })
    return containers.filter((c) => Number(c.id) === testLogId).flatMap((c) => c.objects ?? [])
  })
})
