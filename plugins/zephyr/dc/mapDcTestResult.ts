/**
 * A Zephyr DC test result → canonical TestExecution (what Cloud calls an execution: result ids are the same
 * numbers), its step results, custom fields and issue links. The run comes from where the result was read (a run's
 * results; null for an ad hoc one), the case by its key. DC writes the actual result of a step as the script
 * result's `comment`; it has no test data row number, estimated time or Jira version on a result.
 */
import { derivedId, record, type CanonicalRecord } from "../../../core/index.ts"
import { provenance, validDateTime } from "../mapping/index.ts"
import type { DcTestResult } from "./api.ts"
import { keyedId } from "./dcIds.ts"
import { mapDcCustomFields, mapDcIssueLinks } from "./mapDcFields.ts"

export const mapDcTestResult = (r: DcTestResult, context: { readonly projectId: string; readonly runKey: string | null }): Array<CanonicalRecord> => {
  const steps = [...(r.scriptResults ?? [])].map((s, i) => ({ s, i })).sort((a, b) => (a.s.index ?? a.i) - (b.s.index ?? b.i))
  return [
    record("TestExecution", {
      ...provenance(String(r.id), r.key ?? null),
      execution_id: r.id,
      test_cycle_id: context.runKey === null ? null : keyedId("TestCycle", context.runKey),
      test_case_id: keyedId("TestCase", r.testCaseKey),
      status: r.status,
      executed_by_id: r.executedBy ?? r.userKey ?? null,
      assigned_to_id: r.assignedTo ?? null,
      execution_time_ms: r.executionTime ?? null,
      actual_end_date: validDateTime(r.actualEndDate ?? r.executionDate),
      environment: r.environment ?? null,
      comment: r.comment ?? null,
      automated: r.automated ?? false,
      created_at: null,
      updated_at: null,
      key: r.key ?? null,
      project_id: context.projectId,
      test_case_key: r.testCaseKey,
      test_case_version: null,
      estimated_time_ms: null,
      jira_project_version_id: null
    }),
    ...steps.map(({ s }, order) => {
      const sourceId = `${r.id}#${order}`
      return record("ExecutionStepResult", {
        ...provenance(sourceId, null),
        step_result_id: derivedId(sourceId),
        execution_id: r.id,
        step_order: order,
        description: s.description ?? null,
        test_data: s.testData ?? null,
        expected_result: s.expectedResult ?? null,
        status: s.status ?? null,
        actual_result: s.comment ?? null,
        comment: null,
        test_data_row_number: null,
        created_at: null,
        updated_at: null
      })
    }),
    ...mapDcCustomFields("TestExecution", r.id, r.customFields),
    ...mapDcIssueLinks("TestExecution", r.id, r.issueLinks)
  ]
}
