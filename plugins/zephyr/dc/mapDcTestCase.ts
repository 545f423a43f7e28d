/**
 * A Zephyr DC test case → canonical TestCase with its steps, custom fields and issue links. The key is the
 * identity (test_case_id derived from it, dcIds.ts); the script is embedded (STEP_BY_STEP steps sorted by their
 * `index`, or a PLAIN_TEXT / BDD text); the parameters and test data table, which DC exposes and Cloud does not,
 * are carried in `test_data`. Status and priority come by name, the owner as a Jira user key, the component by
 * name; `updatedOn` is carried as updated_at. `version` is DC's `majorVersion`, when versions are asked for.
 */
import { Either } from "effect"
import { quarantine, record, type CanonicalRecord, type Extracted } from "../../../core/index.ts"
import { decodeItem, TestStep } from "../api/index.ts"
import { malformedReason, mapTestStep, provenance, validDateTime } from "../mapping/index.ts"
import type { DcStep, DcTestCase } from "./api.ts"
import { keyedId } from "./dcIds.ts"
import { mapDcCustomFields, mapDcIssueLinks, mapDcStepFields } from "./mapDcFields.ts"

/** Steps in their order: DC serves them in no guaranteed one. */
export const orderedSteps = (tc: DcTestCase): ReadonlyArray<DcStep> =>
  tc.testScript?.type === "STEP_BY_STEP" ? [...(tc.testScript.steps ?? [])].sort((a, b) => a.index - b.index) : []

/** A DC step in the shape the shared step mapping reads (decoded by its schema): inline content, or a call with its parameters. */
const asCloudStep = (s: DcStep): unknown =>
  s.testCaseKey != null
    ? {
        id: s.id ?? null,
        testCase: {
          testCaseKey: s.testCaseKey,
          parameters: (s.stepParameters ?? []).flatMap((p) =>
            p.testCaseParameter == null
              ? []
              : [{ name: p.testCaseParameter.name, type: p.testCaseParameter.defaultValue != null ? ("DEFAULT_VALUE" as const) : ("MANUAL_INPUT" as const), value: p.value ?? null }]
          )
        }
      }
    : { id: s.id ?? null, inline: { description: s.description ?? null, testData: s.testData ?? null, expectedResult: s.expectedResult ?? null } }

export interface MappedDcTestCase {
  readonly testCase: CanonicalRecord
  /** Each step (or its quarantine item) with its DC index, for its attachments. */
  readonly steps: ReadonlyArray<{ readonly step: Extracted; readonly id: number | null; readonly index: number }>
  readonly children: ReadonlyArray<CanonicalRecord>
}

export const mapDcTestCase = (tc: DcTestCase, context: { readonly projectId: string; readonly folderId: number | null; readonly withVersion: boolean }): MappedDcTestCase => {
  const id = keyedId("TestCase", tc.key)
  const script = tc.testScript
  const parameters = tc.parameters
  const testData = parameters != null && (parameters.variables.length > 0 || parameters.entries.length > 0) ? { variables: parameters.variables.map((v) => ({ name: v.name, type: v.type ?? null })), entries: parameters.entries } : null
  const testCase = record("TestCase", {
    ...provenance(tc.key, tc.key),
    test_case_id: id,
    project_id: context.projectId,
    folder_id: context.folderId,
    key: tc.key,
    name: tc.name,
    objective: tc.objective ?? null,
    precondition: tc.precondition ?? null,
    estimated_time_ms: tc.estimatedTime ?? null,
    priority: tc.priority ?? null,
    status: tc.status ?? null,
    owner_id: tc.owner ?? null,
    created_on: validDateTime(tc.createdOn),
    updated_at: validDateTime(tc.updatedOn),
    labels: [...(tc.labels ?? [])],
    component: tc.component ?? null,
    script_type: script?.type ?? "STEP_BY_STEP",
    script_text: script?.type === "PLAIN_TEXT" || script?.type === "BDD" ? (script.text ?? null) : null,
    test_data: testData,
    version: context.withVersion ? (tc.majorVersion ?? null) : null
  })
  const steps = orderedSteps(tc).map((s, order) => {
    const raw = asCloudStep(s)
    const decoded = decodeItem(TestStep)(raw)
    if (Either.isLeft(decoded))
      return { step: quarantine("TestStep", s.id != null ? String(s.id) : `${tc.key}#${order}`, malformedReason(`step ${order + 1} of test case ${tc.key}`, decoded.left), s), id: null, index: s.index, fields: [] }
    const mapped = mapTestStep(decoded.right, id, tc.key, order)
    const stepId = (mapped.step.data as { readonly step_id: number }).step_id
    return { step: mapped.step, id: stepId, index: s.index, fields: s.testCaseKey != null ? [] : mapDcStepFields(stepId, s.customFieldValues) }
  })
  return {
    testCase,
    steps,
    children: [...mapDcCustomFields("TestCase", id, tc.customFields), ...mapDcIssueLinks("TestCase", id, tc.issueLinks), ...steps.flatMap((s) => s.fields)]
  }
}
