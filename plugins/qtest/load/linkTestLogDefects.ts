/**
 * A migrated test log linked to its execution's Jira issues, in a project with a Jira defect integration
 * (defectMode.ts): one exactly-once write per (execution, issue) — entity "defect-link", so the report counts
 * its requests apart — sending `POST …/test-logs/{id}/defects` with the Jira issue id as Zephyr gives it. Its
 * recovery key is the link itself: the log's linked defects are read back (`linked-artifacts?type=test-logs`)
 * and a defect whose PID is the issue id counts as the link made by an attempt whose answer was lost. A
 * refusal (404 "Link defect unsuccessfully", 400 a locked run) quarantines that link with qTest's message.
 */
import { Effect, Option } from "effect"
import type { StoreError, SystemError } from "../../../core/index.ts"
import { executionLabel, jiraIssueIds, writtenHash, type Link, type TestExecution } from "../mapping/index.ts"
import { type QtestLoad, writeOrReject } from "./QtestLoad.ts"
import { toSystemError } from "./toLoadError.ts"

export const DEFECT_LINK = "defect-link"

/** `testLogTargetId`: the log's id-map target (`<run id>/<log id>`, or `planned:…` while planning). */
export const linkTestLogDefects = (
  q: QtestLoad,
  execution: TestExecution,
  testLogTargetId: string,
  links: ReadonlyArray<Link>
): Effect.Effect<void, SystemError | StoreError> =>
  Effect.gen(function* () {
    // a log not created yet (planning) has no id: the link is counted, nothing is sent
    const logId = testLogTargetId.startsWith("planned:") ? 0 : Number(testLogTargetId.split("/").pop())
    for (const issue of jiraIssueIds(links)) {
      const key = `${execution.source_id}|${issue}`
      const targetId = `${logId}/${issue}`
      const lookup = q.client.linkedDefects(logId).pipe(Effect.map((linked) => (linked.some((d) => d.pid === issue) ? Option.some(targetId) : Option.none<string>())))
      const hash = writtenHash({ testLogId: logId, issue })
      // a project holding logs the state did not know may hold their links too: found, they are adopted
      if (q.adopting && logId !== 0 && Option.isNone(yield* q.load.mapped(DEFECT_LINK, key))) {
        const found = yield* lookup.pipe(Effect.mapError(toSystemError))
        if (Option.isSome(found)) yield* q.load.adopt({ entity: DEFECT_LINK, key, targetId, hash })
      }
      const link = q.client.linkDefects(logId, [issue])
      yield* writeOrReject(q, {
        entity: DEFECT_LINK,
        key,
        label: `${executionLabel(execution)} → Jira issue ${issue}`,
        hash,
        create: link.pipe(Effect.as(targetId)),
        // the log was written anew under another id: the issue is linked to that one
        update: () => link.pipe(Effect.asVoid),
        lookup
      })
    }
  })
