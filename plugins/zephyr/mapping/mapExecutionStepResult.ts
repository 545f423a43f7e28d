/**
 * An execution step → canonical ExecutionStepResult: the step as executed (calls already expanded by Zephyr),
 * its status name, actual result and data row (fields the API leaves out are null, HTML untouched). Zephyr's
 * execution steps have no comment field: comment is null.
 * When the API gives no step id, the rule of TestStep applies with the execution id in place of the case key:
 * source_id = `<executionId>#<order>`, step_result_id = derivedId(source_id).
 */
import { derivedId, record, type CanonicalRecord } from "../../../core/index.ts"
import type { ExecutionStep } from "../api/index.ts"
import { nameOf, type Lookups } from "./Lookups.ts"
import { provenance } from "./provenance.ts"

export const mapExecutionStepResult = (s: ExecutionStep, executionId: number, order: number, lookups: Lookups): CanonicalRecord => {
  const sourceId = s.id != null ? String(s.id) : `${executionId}#${order}`
  return record("ExecutionStepResult", {
    ...provenance(sourceId, null),
    step_result_id: s.id != null ? s.id : derivedId(sourceId),
    execution_id: executionId,
    step_order: order,
    description: s.inline.description ?? null,
    test_data: s.inline.testData ?? null,
    expected_result: s.inline.expectedResult ?? null,
    status: nameOf(lookups.statuses, s.inline.status),
    actual_result: s.inline.actualResult ?? null,
    comment: null,
    test_data_row_number: s.inline.testDataRowNumber ?? null,
    created_at: null,
    updated_at: null
  })
}
