/** A test execution with its step results, its attachments and its child set; its case is found by key. */
import { Chunk, Effect, Either, Stream } from "effect"
import { quarantine, type EntityName, type Extracted } from "../../../core/index.ts"
import { decodeItem, ExecutionStep, TestExecution } from "../api/index.ts"
import { childSetOf, malformedReason, mapExecutionStepResult, mapTestExecution, parseCaseVersionSelf, type Lookups, type SourceItem } from "../mapping/index.ts"
import type { attachments } from "./attachments.ts"
import type { CaseIndex } from "./caseIndex.ts"
import { decodeOrQuarantine, orNullOn404 } from "./failures.ts"
import { notes } from "./notes.ts"
import type { SourceContext } from "./SourceContext.ts"

/** The Jira project a test case key names (`ORGA-T3` → ORGA). */
const projectOfKey = (key: string): string | undefined => /^([A-Za-z][A-Za-z0-9_]*)-T\d+$/.exec(key)?.[1]

export const executions = ({ client, ctx, config }: SourceContext, { caseIdOf }: CaseIndex, attachmentsOf: ReturnType<typeof attachments>) => {
  const { noteUnresolved, noteInvalidDates, noteBrokenHtml } = notes(ctx)
  return (lookups: Lookups) => (raw: unknown) =>
    Effect.gen(function* () {
      const decoded = decodeOrQuarantine(TestExecution, "TestExecution")(raw)
      if (Either.isLeft(decoded)) return [decoded.left] as ReadonlyArray<SourceItem>
      const e = decoded.right
      const executedKey = parseCaseVersionSelf(e.testCase.self).key
      const caseId = executedKey === null ? undefined : yield* caseIdOf(executedKey)
      const resolved = new Map<string, number>(executedKey !== null && caseId !== undefined ? [[executedKey, caseId]] : [])
      const [head, ...children] = mapTestExecution(e, lookups, raw, resolved)
      if (head === undefined || head.entity === "Quarantine") return head === undefined ? [] : [head]
      const label = e.key ?? String(e.id)
      if (executedKey !== null && caseId === undefined) {
        // Zephyr lets a cycle run another project's test cases: that is no loss, and the report says where it is
        const elsewhere = projectOfKey(executedKey)
        yield* ctx.report.note({
          kind: "warning",
          entity: "TestExecution",
          sourceId: label,
          message:
            elsewhere !== undefined && elsewhere !== config.projectKey
              ? `the executed test case ${executedKey} belongs to project ${elsewhere}: test_case_id is that case's id, from the version link`
              : `the executed test case is not in the project's test cases (deleted or moved?): test_case_id keeps the version link's id`
        })
      }
      yield* noteUnresolved("TestExecution", label, [["environment", lookups.environments, e.environment]])
      yield* noteInvalidDates("TestExecution", label, { actualEndDate: e.actualEndDate })
      yield* noteBrokenHtml("TestExecution", label, { comment: e.comment })
      const listedSteps = yield* orNullOn404(Stream.runCollect(client.listExecutionSteps(e.id)))
      const rawSteps = Chunk.toReadonlyArray(listedSteps ?? Chunk.empty())
      const results = rawSteps.map((rawStep, order): Extracted => {
        const s = decodeItem(ExecutionStep)(rawStep)
        return Either.isLeft(s)
          ? quarantine("ExecutionStepResult", stepSourceIdOf(rawStep, e.id, order), malformedReason(`step result ${order + 1} of test execution ${label}`, s.left), rawStep)
          : mapExecutionStepResult(s.right, e.id, order, lookups)
      })
      const attachments = yield* attachmentsOf({ kind: "testexecutions", id: e.id }, "TestExecution", e.id)
      const group: Array<SourceItem> = [head, ...results, ...children, ...attachments.items]
      const complete: Array<EntityName> = [
        ...(listedSteps !== null ? (["ExecutionStepResult"] as const) : []),
        "CustomField",
        "Link",
        ...(attachments.complete ? (["Attachment"] as const) : [])
      ]
      return [...group, childSetOf("TestExecution", e.id, group, complete)]
    })
}

const stepSourceIdOf = (rawStep: unknown, executionId: number, order: number): string => {
  const id = typeof rawStep === "object" && rawStep !== null ? (rawStep as Record<string, unknown>)["id"] : undefined
  return typeof id === "number" ? String(id) : `${executionId}#${order}`
}
