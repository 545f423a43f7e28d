/**
 * A test-case step → canonical TestStep (+ its custom fields, object_type TestStep). Inline steps keep their
 * HTML as is (a missing description becomes '', the column being NOT NULL); a call-to-test step has
 * description '', no expected result or test data, and carries `called_test_case_key` and `parameters`.
 * When the API gives no step id: step_id = derivedId(`<caseKey>#<order>`), source_id = `<caseKey>#<order>`.
 */
import { derivedId, record, type CanonicalRecord } from "../../../core/index.ts"
import type { TestStep } from "../api/index.ts"
import { mapCustomFields } from "./mapCustomFields.ts"
import { provenance } from "./provenance.ts"

export const stepSourceId = (step: TestStep, caseKey: string, order: number): string =>
  step.id != null ? String(step.id) : `${caseKey}#${order}`

export const stepId = (step: TestStep, caseKey: string, order: number): number =>
  step.id != null ? step.id : derivedId(`${caseKey}#${order}`)

export interface MappedStep {
  readonly step: CanonicalRecord
  readonly customFields: ReadonlyArray<CanonicalRecord>
}

export const mapTestStep = (step: TestStep, caseId: number, caseKey: string, order: number): MappedStep => {
  const id = stepId(step, caseKey, order)
  const common = {
    ...provenance(stepSourceId(step, caseKey, order), null),
    step_id: id,
    test_case_id: caseId,
    step_order: order,
    created_at: null,
    updated_at: null
  }
  const call = step.testCase
  if (call != null) {
    return {
      step: record("TestStep", {
        ...common,
        description: "",
        expected_result: null,
        test_data: null,
        called_test_case_key: call.testCaseKey,
        parameters: call.parameters == null ? null : call.parameters.map((p) => ({ name: p.name, type: p.type, value: p.value ?? null }))
      }),
      customFields: []
    }
  }
  const inline = step.inline
  return {
    step: record("TestStep", {
      ...common,
      description: inline?.description ?? "",
      expected_result: inline?.expectedResult ?? null,
      test_data: inline?.testData ?? null,
      called_test_case_key: null,
      parameters: null
    }),
    customFields: mapCustomFields("TestStep", id, inline?.customFields)
  }
}
