/**
 * One (test cycle, test case) pair → the body of `POST/PUT …/test-runs` (the cycle goes in the
 * `parentId`/`parentType=test-cycle` query). name ← the case's name, test_case.id ← the migrated case (a live
 * server answers 400 without both). test_case_version_id ← the approved version, when the sink knows it.
 * properties: fields.assignedTo ← the assignee of the pair's latest execution (each execution's own executor,
 * environment and key go on its test log); fields.defects ← the Jira issue ids of the pair's executions, when
 * the project has no Jira defect integration to link them to the logs (defectMode.ts).
 */
import type { TestRunBody } from "../api/requests.ts"
import type { TestCase, TestExecution } from "./canonical.ts"
import { MappingNotes, type Mapped } from "./MappingGap.ts"
import { defectsText } from "./jiraIssueIds.ts"
import { PropertyList } from "./PropertyList.ts"
import type { Vocabulary } from "./Vocabulary.ts"

export interface TestRunInput {
  readonly testCase: TestCase
  /** The pair's latest execution (latestExecution), if any. */
  readonly latest: TestExecution | null
  /** The Jira issue ids of the pair's executions, for fields.defects (jiraIssueIds); absent in link mode. */
  readonly defects?: ReadonlyArray<string> | undefined
}

export interface TestRunIds {
  readonly testCaseId: number
  readonly testCaseVersionId?: number | undefined
}

/**
 * The execution that ended last, or null for none: by actual end date, executions never run before any that ran
 * (the store's created_at / updated_at of an execution is when it was first extracted, not a source date: it
 * would make the answer depend on the state's history), then by id.
 */
export const latestExecution = (executions: ReadonlyArray<TestExecution>): TestExecution | null => {
  const at = (e: TestExecution) => (e.actual_end_date === null ? Number.NEGATIVE_INFINITY : Date.parse(e.actual_end_date) || 0)
  return [...executions].sort((a, b) => at(a) - at(b) || a.execution_id - b.execution_id).at(-1) ?? null
}

export const testRunBody = (input: TestRunInput, vocab: Vocabulary, ids: TestRunIds): Mapped<TestRunBody> => {
  const object = input.latest?.key ?? input.testCase.key
  const notes = new MappingNotes()
  const properties = new PropertyList(notes, object)
  properties.add(vocab.fieldValue("test-runs", vocab.labels.assignedTo, input.latest?.assigned_to_id ?? null, object, "user"), "the assignee")
  const defects = defectsText(input.defects ?? [])
  if (defects !== null) properties.add(vocab.fieldValue("test-runs", vocab.labels.defects, defects, object), "the Jira defects")
  return notes.result({
    name: input.testCase.name,
    test_case: { id: ids.testCaseId },
    ...(ids.testCaseVersionId !== undefined ? { test_case_version_id: ids.testCaseVersionId } : {}),
    properties: properties.toArray()
  })
}
